from functools import partial

from django import forms
from django.contrib import admin, messages
from django.db.models import F, OuterRef, Subquery
from django.urls import path, reverse
from django.utils import timezone

from config.admin_base import PERSON_FIELDS, LongListAdmin, ReadOnlyHistoryAdmin

from . import admin_questions, admin_topics  # noqa: F401 — each registers its admins
from .admin_preview import citation_keys_view, place_sections, preview_view
from .models import (
    Article,
    Citation,
    GlossaryTerm,
    Page,
    ReaderType,
    ReviewEvent,
    Section,
    Variant,
)


class SectionForm(forms.ModelForm):
    # Set by static/js/article-editor.js (drag, or the move buttons) and hidden there; typed
    # by hand only without JavaScript, and optional even then (see place_sections).
    position = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=32767,
        help_text="Sections are shown in this order. Leave empty to put a new section last.",
    )

    class Meta:
        model = Section
        fields = ["position", "heading", "kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10, "cols": 90})}

    def validate_unique(self):
        # Positions are checked across the whole inline formset instead, so an editor can swap
        # two sections in one save (the database constraint is deferred on PostgreSQL).
        self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"position"})


class SectionFormSet(forms.BaseInlineFormSet):
    """Sections in order. Positions are saved form by form, and a reorder moves several at
    once: on PostgreSQL the (article, position) constraint is deferred to the commit, so a
    swap never collides half-way; SQLite cannot defer it and Django leaves it out there, so
    this formset's uniqueness check (two sections given one position are refused) is what
    guards it."""

    def clean(self):
        super().clean()  # validate_unique: duplicates among the positions given
        if any(self.errors):
            return
        kept = [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]
        typed = [form.cleaned_data.get("position") for form in kept]
        for form, position in zip(kept, place_sections(typed), strict=True):
            form.cleaned_data["position"] = form.instance.position = position


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    formset = SectionFormSet
    extra = 0
    min_num = 1
    ordering = ["position"]


class VariantFormSet(forms.BaseInlineFormSet):
    """One variant per part and reader type, for a section of this very article."""

    # The choice lists every form offers: read once per formset, not once per form (and
    # again for the empty form the page copies to add one), so a page with many variants
    # runs as many queries as one with none.
    SHARED_CHOICES = ("section", "reader_type")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name in self.SHARED_CHOICES:
            field = form.fields[name]
            if name not in shared:
                shared[name] = list(iter(field.choices))  # iter(): no COUNT for len()
            field.choices = shared[name]

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("reader_type"):
                continue
            section = data.get("section")
            if section and section.article_id != self.instance.pk:
                form.add_error("section", "Choose a section of this article.")
            part = (section.pk if section else None, data["reader_type"].pk)
            if part in seen:
                form.add_error(
                    None,
                    f"There is already a {data['reader_type']} variant of "
                    f"{'section ' + str(section.position) if section else 'the bottom line'}.",
                )
            seen.add(part)


class VariantInline(admin.StackedInline):
    """Reader-type variants beside the default text. New sections can get variants once the
    article has been saved with them."""

    model = Variant
    formset = VariantFormSet
    extra = 0
    fields = [("section", "reader_type"), "heading", "text"]
    verbose_name = "reader-type variant"
    # Not naming "bottom line": the fieldset is labelled by this, and must not share its name
    # with the Bottom line field (get_by_label("Bottom line") would find both).
    verbose_name_plural = "Reader-type variants (texts in place of the default, per reader type)"

    def get_queryset(self, request):
        # Each form is headed by its variant's name, which shows the section and reader type.
        return super().get_queryset(request).select_related("section", "reader_type")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(article_id=object_id or 0)
            kwargs["empty_label"] = "Bottom line"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ArticleAdminForm(forms.ModelForm):
    """The working copy. `version` travels with the form: a save from a form opened before
    someone else's save is refused, with what the user typed kept on the page."""

    # Not named `version`: the admin refuses form fields named after non-editable model fields.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["question", "headline", "slug", "topic", "bottom_line", "authors"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Lock the row until the admin's transaction ends, then compare versions.
            current = Article.objects.select_for_update().get(pk=self.instance.pk)
            if cleaned.get("edit_version") != current.version:
                last = current.history.first()
                who = last.history_user if last and last.history_user else "someone"
                raise forms.ValidationError(
                    f"{who} saved this article at "
                    f"{timezone.localtime(current.updated_at):%H:%M} after you opened it, so "
                    "your changes were not saved (they are still in the form below). Open the "
                    "article again in a new tab, re-apply your changes there, then save.",
                    code="stale",
                )
            # Workflow fields are not in the form; take them from the locked row.
            for field in ("status", "submitted_revision_id", "approval_id",
                          "assigned_reviewer_id", "next_review_due"):  # fmt: skip
                setattr(self.instance, field, getattr(current, field))
            self.instance.version = current.version
        return cleaned


class WorkFilter(admin.SimpleListFilter):
    """Each role's to-do list."""

    title = "work"
    parameter_name = "work"

    def lookups(self, request, model_admin):
        return [
            ("mine", "My drafts"),
            ("changes", "Changes requested"),
            ("awaiting", "Awaiting review"),
            ("overdue", "Review overdue"),
            ("references", "Reference updated since approval"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "mine":
                return queryset.filter(authors=request.user, status=Article.Status.DRAFT)
            case "changes":
                latest = (
                    ReviewEvent.objects.filter(article=OuterRef("pk"))
                    .exclude(action=ReviewEvent.Action.COMMENTED)
                    .order_by("-created_at", "-pk")
                )
                return (
                    queryset.filter(status=Article.Status.DRAFT)
                    .annotate(last_action=Subquery(latest.values("action")[:1]))
                    .filter(last_action=ReviewEvent.Action.CHANGES_REQUESTED)
                )
            case "awaiting":
                return queryset.awaiting_review()
            case "overdue":
                return queryset.overdue()
            case "references":
                return queryset.reference_updated_since_approval()
        return queryset


@admin.register(Article)
class ArticleAdmin(LongListAdmin, ReadOnlyHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline", "topic", "status", "assigned_reviewer", "next_review_due", "updated_at",
    ]  # fmt: skip
    list_filter = [WorkFilter, "status", "topic"]
    list_select_related = ["topic", "assigned_reviewer"]
    list_related_fields = {"assigned_reviewer": PERSON_FIELDS}
    # Filtered lists are thousands of rows at 100,000 articles: a page's ids come from the
    # indexes first. "Changes requested" looks up each draft's latest step, so its count
    # stops one row past the page shown (counting all 13,000 drafts took 39 ms).
    ids_first = True
    capped_filters = {"work": {"changes"}}
    # Searched by `ArticleQuerySet.containing` (get_search_results), not field by field.
    search_fields = ["headline", "question__text", "bottom_line", "sections__body"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["question", "topic"]
    filter_horizontal = ["authors"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SectionInline, VariantInline]
    fieldsets = [
        (None, {"fields": ["question", "headline", "slug", "topic", "edit_version"]}),
        ("Answer", {"fields": ["bottom_line"]}),
        ("Credits", {"fields": ["authors", "created_at", "updated_at"]}),
    ]

    def get_urls(self):
        # Before the model's own routes: "<path:object_id>/" would take "editor/…" too.
        wrap = self.admin_site.admin_view
        return [
            path(
                "editor/preview/",
                wrap(partial(preview_view, model_admin=self)),
                name="articles_article_editor_preview",
            ),
            path(
                "editor/citation-keys/",
                wrap(partial(citation_keys_view, model_admin=self)),
                name="articles_article_editor_keys",
            ),
        ] + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The live preview, key completion and section moves (static/js/article-editor.js),
        for those who may write here; without JavaScript the form works as it is."""
        writable = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        if writable:
            context["editor"] = {
                "preview_url": reverse("admin:articles_article_editor_preview"),
                "keys_url": reverse("admin:articles_article_editor_keys")
                if request.user.has_perm("references.view_reference")
                else "",
                "reader_types": list(ReaderType.objects.order_by("order", "pk")),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._warn_of_reference_updates(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _warn_of_reference_updates(self, request, object_id) -> None:
        # One query for one article: the citations of its approved revision whose reference
        # has changed since (none without an approval). `reference_updated_since_approval`
        # asks every reference first, which pays off for the list, not for one article.
        approved = Article.objects.filter(
            pk=object_id if str(object_id).isdigit() else None
        ).values("approval__revision")
        changed = list(
            Citation.objects.filter(revision=Subquery(approved[:1]))
            .exclude(displayed_hash=F("reference__displayed_hash"))
            .select_related("reference")
            .order_by("reference__key")
        )
        if not changed:
            return
        self.message_user(
            request,
            "Reference updated since approval: "
            + ", ".join(f"[@{c.reference.key}]" for c in changed)
            + ". Readers still see the reference as it was approved; submit the article for "
            "review to take the library's new data into a revision.",
            messages.WARNING,
        )

    def get_search_results(self, request, queryset, search_term):
        # The same columns as search_fields, each article once (no join to its sections,
        # hence no DISTINCT over every column), drafts included.
        if not search_term:
            return queryset, False
        return queryset.containing(search_term), False

    def save_model(self, request, obj, form, change):
        obj.version += 1 if change else 0
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            form.instance.authors.add(request.user)

    def has_delete_permission(self, request, obj=None):
        # Articles are unpublished, never deleted: their revisions and reviews are history.
        return False


@admin.register(Page)
class PageAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(ReaderType)
class ReaderTypeAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "order", "is_professional"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["label"]}

    def has_delete_permission(self, request, obj=None):
        # Variants and saved revisions refer to reader types; retire one by renaming it.
        return False


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ReadOnlyHistoryAdmin):
    """Editors write definitions here; readers see one only once the board approved it."""

    list_display = ["term", "synonyms", "definition", "match_case", "state"]
    list_filter = ["match_case"]
    list_select_related = ["approval"]
    search_fields = ["term", "synonyms", "definition"]
    fields = ["term", "synonyms", "match_case", "definition", "approved_text"]
    readonly_fields = ["approved_text"]

    @admin.display(description="Review")
    def state(self, obj):
        if obj.approval is None:
            return "Not approved: not shown to readers"
        if obj.is_pending:
            return "Changed since approval: readers see the approved text"
        return "Approved"

    @admin.display(description="What readers see")
    def approved_text(self, obj):
        if obj is None or obj.approval is None:
            return "Nothing yet: a board member must approve the definition."
        approval = obj.approval
        who = approval.approved_by.get_full_name() or approval.approved_by
        return f"“{approval.definition}” (approved by {who} on {approval.approved_at:%Y-%m-%d})"

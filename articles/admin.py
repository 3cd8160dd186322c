from django import forms
from django.contrib import admin, messages
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from config.admin_base import ReadOnlyHistoryAdmin

from .models import (
    Article,
    Citation,
    GlossaryTerm,
    Page,
    Question,
    ReaderType,
    ReviewEvent,
    Section,
    Topic,
    Variant,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "review_interval_months"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["position", "heading", "kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10, "cols": 90})}

    def validate_unique(self):
        # Positions are checked across the whole inline formset instead, so an editor can swap
        # two sections in one save (the database constraint is deferred on PostgreSQL).
        self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"position"})


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0
    min_num = 1
    ordering = ["position"]


class VariantFormSet(forms.BaseInlineFormSet):
    """One variant per part and reader type, for a section of this very article."""

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
class ArticleAdmin(ReadOnlyHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline", "topic", "status", "assigned_reviewer", "next_review_due", "updated_at",
    ]  # fmt: skip
    list_filter = [WorkFilter, "status", "topic"]
    list_select_related = ["topic", "assigned_reviewer"]
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._warn_of_reference_updates(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _warn_of_reference_updates(self, request, object_id) -> None:
        article = (
            Article.objects.reference_updated_since_approval()
            .filter(pk=object_id if str(object_id).isdigit() else None)
            .select_related("approval__revision")
            .first()
        )
        if article is None:
            return
        changed = (
            Citation.objects.filter(revision=article.approval.revision)
            .exclude(displayed_hash=F("reference__displayed_hash"))
            .select_related("reference")
            .order_by("reference__key")
        )
        self.message_user(
            request,
            "Reference updated since approval: "
            + ", ".join(f"[@{c.reference.key}]" for c in changed)
            + ". Readers still see the reference as it was approved; submit the article for "
            "review to take the library's new data into a revision.",
            messages.WARNING,
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

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


@admin.register(Question)
class QuestionAdmin(ReadOnlyHistoryAdmin):
    """Questions, including readers' follow-ups: filter on "New — awaiting triage" to triage."""

    list_display = ["__str__", "source", "status", "follow_up_to", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["text", "asker_email"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["follow_up_to"]
    actions = ["mark_accepted", "mark_declined", "mark_answered"]

    @admin.action(description="Accept for answering", permissions=["change"])
    def mark_accepted(self, request, queryset):
        self._set_status(request, queryset, Question.Status.ACCEPTED)

    @admin.action(description="Decline", permissions=["change"])
    def mark_declined(self, request, queryset):
        self._set_status(request, queryset, Question.Status.DECLINED)

    @admin.action(description="Mark as answered", permissions=["change"])
    def mark_answered(self, request, queryset):
        self._set_status(request, queryset, Question.Status.ANSWERED)

    def _set_status(self, request, queryset, status):
        count = queryset.update(status=status)
        self.message_user(request, f"{count} question(s) marked “{status.label}”.")


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

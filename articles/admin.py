from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, GlossaryTerm, Page, Question, ReaderType, Section, Topic, Variant


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's pages, for reading only. Its page of one past version saves whatever
    is posted to it, checking only the *view* permission (SIMPLE_HISTORY_REVERT_DISABLED just
    hides the button): a reviewer could rewrite an article, and anyone could bypass the
    workflow. Restoring goes through the Revisions screen (`reviews.services.restore`)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


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
        ]

    def queryset(self, request, queryset):
        from reviews.models import ReviewEvent

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
    readonly_fields = ["workflow", "created_at", "updated_at"]
    inlines = [SectionInline, VariantInline]
    fieldsets = [
        ("Review", {"fields": ["workflow"]}),
        (None, {"fields": ["question", "headline", "slug", "topic", "edit_version"]}),
        ("Answer", {"fields": ["bottom_line"]}),
        ("Credits", {"fields": ["authors", "created_at", "updated_at"]}),
    ]

    def get_urls(self):
        from reviews.admin_views import review_view, revisions_view

        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/review/",
                wrap(partial(review_view, model_admin=self)),
                name="articles_article_review",
            ),
            path(
                "<path:object_id>/revisions/",
                wrap(partial(revisions_view, model_admin=self)),
                name="articles_article_revisions",
            ),
        ] + super().get_urls()

    @admin.display(description="Workflow")
    def workflow(self, obj):
        if not obj.pk:
            return "A new article starts as a draft. Save it, then submit it for review."
        public = obj.public_revision
        return format_html(
            "<strong>{}</strong> · readers see: {} · "
            '<a href="{}">Review screen</a> · <a href="{}">Revisions</a> · '
            '<a href="{}?preview=1">Preview</a>',
            obj.get_status_display(),
            f"revision {public.number}" + (" (approved)" if obj.approval_id else " (pending)")
            if public
            else "nothing",
            reverse("admin:articles_article_review", args=[obj.pk]),
            reverse("admin:articles_article_revisions", args=[obj.pk]),
            obj.get_absolute_url(),
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def save_model(self, request, obj, form, change):
        obj.version += 1 if change else 0
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        from reviews import services

        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change:
            article.authors.add(request.user)
        was = article.status  # read from the locked row in ArticleAdminForm.clean
        services.record_edit(article, by=request.user)
        article.refresh_from_db(fields=["status"])
        if was != article.status:
            self.message_user(
                request,
                "Your edit made a new draft. It needs review again before readers see it"
                + ("; the approved text stays public until then." if article.approval_id else "."),
                messages.WARNING,
            )

    def has_delete_permission(self, request, obj=None):
        # Articles are unpublished, never deleted: their revisions and reviews are history.
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
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
    list_display = ["term", "synonyms", "definition"]
    search_fields = ["term", "synonyms", "definition"]

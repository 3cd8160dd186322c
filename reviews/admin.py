"""The review workplace in the admin. The articles app's admins edit content; this module
extends them with the workflow (re-registering them, so `articles` never imports upward):
every save of a working copy is recorded as an edit, the review screen and revisions are
linked, and board members approve glossary definitions. Plus the review queue, the review
log, the board's profiles and the site switches (accounts: the accounts app)."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Max, Min, Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import conflicts
from articles.admin import ArticleAdmin, GlossaryTermAdmin
from articles.admin_questions import QuestionAdmin
from articles.models import (
    Article,
    GlossaryTerm,
    Question,
    ReviewerProfile,
    ReviewEvent,
    SiteSettings,
)
from articles.revisions import Revision
from config.admin_base import PERSON_FIELDS, LongListAdmin, ReadOnlyAdmin, ReadOnlyHistoryAdmin
from config.admin_rows import date_text

from . import (
    edit_panel,
    merge_admin,  # noqa: F401 — re-registers the reference admin with its merge page
    notifications,
    services,
    specialties,
    workflow,
)
from .admin_views import review_view, revisions_view, submitted_message
from .models import ReviewQueueItem
from .workflow import administers_accounts


def person(user) -> str:
    """People by name, as everywhere readers and staff meet them (the username if no name)."""
    return (user.get_full_name() or user.get_username()) if user else "—"


class TitledChangelist:
    """A changelist headed by a plain title ("Review queue"), not Django's "Select … to
    view"."""

    changelist_title = ""

    def changelist_view(self, request, extra_context=None):
        if self.changelist_title:
            extra_context = {"title": self.changelist_title, **(extra_context or {})}
        return super().changelist_view(request, extra_context)


admin.site.unregister(Article)


class StateFilter(admin.SimpleListFilter):
    """The workflow's states as people read them: a draft sent back is "Changes requested"."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return workflow.STATES

    def queryset(self, request, queryset):
        return workflow.in_state(queryset, self.value()) if self.value() else queryset


@admin.register(Article)
class WorkflowArticleAdmin(TitledChangelist, ArticleAdmin):
    """The article form, with its place in the workflow (`edit_panel`): a save is recorded
    as an edit (a new revision; a draft again if it differs from what is under review or
    approved), "Save and submit for review" does both in one transaction, and a save refused
    because someone else saved first shows their text beside the editor's."""

    form = edit_panel.WorkflowArticleForm
    changelist_title = "Articles"
    list_display = [
        {"assigned_reviewer": "reviewer", "status": "state"}.get(name, name)
        for name in ArticleAdmin.list_display
    ]
    list_filter = [StateFilter if f == "status" else f for f in ArticleAdmin.list_filter]
    # A draft is told from one sent back by its latest step: the same cost as "changes".
    capped_filters = {
        **ArticleAdmin.capped_filters,
        StateFilter.parameter_name: {workflow.CHANGES_REQUESTED, Article.Status.DRAFT},
    }

    def get_queryset(self, request):
        return workflow.with_last_step(super().get_queryset(request))

    @admin.display(description="Status", ordering="status")
    def state(self, obj):
        return workflow.state_label(obj.status, getattr(obj, "last_step", None))

    @admin.display(description="Reviewer", ordering="assigned_reviewer__last_name")
    def reviewer(self, obj):
        return person(obj.assigned_reviewer) if obj.assigned_reviewer else "—"

    def get_urls(self):
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

    # -- the edit form's panel, submitting from it, and conflicts ----------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "workflow_refusal", None)
        return type(form.__name__, (form,), {"refusal": refusal}) if refusal else form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        if object_id is not None and conflicts.CONFLICT_VERSION in request.POST:
            article = Article.objects.filter(pk=object_id if str(object_id).isdigit() else 0)
            if article.exists():
                request.POST = conflicts.merged(request.POST, article.get())
        if edit_panel.SUBMIT not in request.POST:
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except services.TransitionError as refusal:
            # The save is rolled back with the submission; the form is shown again, as
            # typed, with the reason (get_form hands it to the form's validation).
            request.workflow_refusal = str(refusal)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_panel"] = edit_panel.panel(
            request, obj if change else None, context["adminform"].form
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        was = article.status  # read from the locked row in ArticleAdminForm.clean
        services.record_edit(article, by=request.user)
        if edit_panel.SUBMIT in request.POST:  # a new article too: saved, then submitted
            summary = form.cleaned_data.get("submit_change_summary", "")
            revision = services.submit(article, by=request.user, change_summary=summary)
            self.message_user(request, "Saved. " + submitted_message(article, revision, summary))
            return
        article.refresh_from_db(fields=["status"])
        if was != article.status:
            self.message_user(
                request,
                "Your edit made a new draft. It needs review again before readers see it"
                + ("; the approved text stays public until then." if article.approval_id else "."),
                messages.WARNING,
            )

    def response_change(self, request, obj):
        if edit_panel.SUBMIT in request.POST:
            return HttpResponseRedirect(request.get_full_path())  # the editor stays on the form
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if edit_panel.SUBMIT in request.POST:  # to the new article's form, as after a change
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)


admin.site.unregister(Question)


@admin.register(Question)
class WorkflowQuestionAdmin(QuestionAdmin):
    """A question's text is part of its article's revision: changing it is an edit of the
    article, recorded and reviewed like any other."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        article = Article.objects.filter(question=obj).first()
        if change and "text" in form.changed_data and article is not None:
            was = article.status
            services.record_edit(article, by=request.user)
            article.refresh_from_db(fields=["status"])
            if was != article.status:
                self.message_user(
                    request,
                    f"“{article}” now has a new draft with this question; it needs review "
                    "again before readers see it.",
                    messages.WARNING,
                )


admin.site.unregister(GlossaryTerm)


@admin.register(GlossaryTerm)
class ReviewedGlossaryTermAdmin(GlossaryTermAdmin):
    """Board members approve definitions from the list: select, then "Approve"."""

    actions = ["approve_definitions"]

    @admin.action(description="Approve the selected definitions", permissions=["approve"])
    def approve_definitions(self, request, queryset):
        approved, refused = [], []
        for term in queryset:
            try:
                services.approve_glossary_term(term, by=request.user)
                approved.append(term.term)
            except services.TransitionError as error:
                refused.append(f"{term}: {error}")
        if approved:
            self.message_user(request, f"Approved: {', '.join(approved)}.")
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    def has_approve_permission(self, request):
        user = request.user
        return user.has_perm("articles.approve_glossaryterm") and not administers_accounts(user)


class YearFilter(admin.SimpleListFilter):
    """The years the review log spans, newest first, from its first and last event (two
    index reads). Instead of a date hierarchy, whose years are a DISTINCT over the whole log
    (190 ms at 360,000 events, on every page)."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        span = model_admin.model.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[k]).year for k in ("first", "last"))
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit() and 1 <= int(value) <= 9999:
            return queryset.filter(created_at__year=int(value))  # a range: the index serves it
        return queryset


@admin.register(ReviewEvent)
class ReviewEventAdmin(TitledChangelist, LongListAdmin, ReadOnlyAdmin):
    list_display = ["created_at", "article", "action", "by", "revision_number", "outside"]
    # A log, newest first, read from an index (articles migration 0018); the model's own
    # order starts with the article's, which sorted the whole log on every page.
    ordering = ["-created_at", "-pk"]
    list_filter = [("created_at", admin.DateFieldListFilter), YearFilter, "action",
                   "outside_specialty"]  # fmt: skip
    list_select_related = ["article", "actor", "revision"]
    ids_first = True  # a page's ids from the (created, id) index: see IdsFirstPaginator
    list_related_fields = {"article": ["headline"], "actor": PERSON_FIELDS, "revision": ["number"]}
    search_fields = [
        "article__headline", "comment", "actor__username", "actor__first_name", "actor__last_name",
    ]  # fmt: skip
    changelist_title = "Review log"

    def count_capped(self, request) -> bool:
        # Every step of every article: counting the whole log (360,000 steps at 100,000
        # articles, 21 ms) cost more than reading its page. Filters reach further back.
        return True

    def get_search_results(self, request, queryset, search_term):
        # The columns of search_fields, looked up through their indexes first
        # (`ReviewEventQuerySet.containing`); each step once (no join that could repeat it).
        if not search_term:
            return queryset, False
        return queryset.containing(search_term), False

    @admin.display(description="By", ordering="actor__last_name")
    def by(self, obj):
        return person(obj.actor)

    @admin.display(description="Revision")
    def revision_number(self, obj):
        return obj.revision.number if obj.revision else "—"

    @admin.display(description="Outside specialty", boolean=True)
    def outside(self, obj):
        return obj.outside_specialty if obj.action == ReviewEvent.Action.APPROVED else None


@admin.register(Revision)
class RevisionAdmin(TitledChangelist, LongListAdmin, ReadOnlyAdmin):
    list_display = ["article", "number", "saved_by", "created_at", "short_hash"]
    ordering = ["-created_at", "-pk"]  # as the review log, for the same reason
    list_select_related = ["article", "created_by"]
    list_related_fields = {"article": ["headline"], "created_by": PERSON_FIELDS}
    search_fields = ["article__headline"]
    exclude = ["content"]
    readonly_fields = ["article", "number", "created_by", "created_at", "content_hash"]
    changelist_title = "Revisions"

    def get_queryset(self, request):
        # Neither the list nor the page (which excludes it) shows the content.
        return super().get_queryset(request).defer("content")

    @admin.display(description="Saved by", ordering="created_by__last_name")
    def saved_by(self, obj):
        return person(obj.created_by)

    @admin.display(description="Content hash")
    def short_hash(self, obj):
        return obj.content_hash[:12]


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(TitledChangelist, LongListAdmin, ReadOnlyAdmin):
    """A reviewer's landing page: articles assigned to them or waiting for a reviewer, those in
    their declared specialties first (`reviews.specialties`), then oldest submission first,
    with the date each review is due."""

    list_display = ["article", "topic_cell", "state", "reviewer", "submitted", "due"]
    list_display_links = ["article"]
    row_link = "admin:articles_article_review"  # where a row leads: its review, not a form
    list_select_related = ["topic", "assigned_reviewer"]
    list_related_fields = {"assigned_reviewer": PERSON_FIELDS}
    list_filter = ["topic"]
    search_fields = ["headline"]
    actions = None
    changelist_title = "Review queue"
    ids_first = True  # from the queue's index: see get_ordering

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.has_perm("articles.review_article") and not administers_accounts(user)

    # The changelist orders by this, not by get_queryset's order. `in_specialty` is
    # get_queryset's annotation, so it can't be an `ordering` attribute (which names fields)
    # and is applied here rather than by ModelAdmin.get_queryset, before the annotation.
    # Oldest submission first: revisions are numbered as they are saved and never changed
    # (append-only), so the submitted revision's id is the order of submission, and the
    # queue's index (articles migration 0027) holds it: no join to revisions to sort.
    def get_ordering(self, request):
        return ["-in_specialty", "submitted_revision_id", "pk"]

    def get_queryset(self, request):
        queryset = self.model._default_manager.awaiting_review().filter(
            Q(assigned_reviewer=request.user) | Q(assigned_reviewer__isnull=True)
        )
        queryset = workflow.with_last_decision(specialties.with_match(queryset, request.user))
        return workflow.with_review_due(queryset).order_by(*self.get_ordering(request))

    # In the topic's cell, not a column of its own: the queue must fit at 1280 px.
    @admin.display(description="Topic", ordering="topic__name")
    def topic_cell(self, obj):
        if obj.in_specialty:
            return format_html(
                '{} <strong class="queue-yours">(your specialty)</strong>', obj.topic
            )
        return str(obj.topic)

    @admin.display(description="Status", ordering="status")
    def state(self, obj):
        """A resubmission after changes were requested says so: the reviewer checks that
        the requested changes were made."""
        label = obj.get_status_display()
        if obj.last_decision == workflow.CHANGES_REQUESTED:
            return f"{label} again, after changes were requested"
        return label

    # Not named `headline`: a model field of that name would win over this method. The row
    # link (`row_link`) opens the review screen.
    @admin.display(description="Article", ordering="headline")
    def article(self, obj):
        return obj.headline

    @admin.display(description="Reviewer", ordering="assigned_reviewer__last_name")
    def reviewer(self, obj):
        return person(obj.assigned_reviewer) if obj.assigned_reviewer else "Nobody yet"

    # Dates, not times: the columns stay narrow enough to show "Review due" at 1280 px.
    @admin.display(description="Submitted", ordering="submitted_revision_id")
    def submitted(self, obj):
        return obj.submitted_on

    @admin.display(description="Review due")
    def due(self, obj):
        due = workflow.review_due(obj.submitted_on)
        if obj.review_late:  # written as the other dates are, not as ISO
            return format_html("<strong>{} (late)</strong>", date_text()(due))
        return due


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(ReadOnlyHistoryAdmin):
    """Chief editors keep the board's public profiles. A board member keeps the parts of their
    own that only they can declare (specialties, bio, disclosures), except the specialties
    that topics require of their approvers (`specialties.self_declaration_objection`); a
    change of specialties, by anyone, is kept in the profile's history and the chief editors
    are told."""

    list_display = ["display_name", "credentials", "specialty_names", "user"]
    list_filter = ["specialties"]
    search_fields = ["display_name", "specialties__name", "user__username"]
    autocomplete_fields = ["user", "specialties"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("specialties")

    @admin.display(description="Specialties")
    def specialty_names(self, obj):
        return ", ".join(s.name for s in obj.specialties.all()) or "—"

    def _own(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.user_id == request.user.pk
            and request.user.has_perm("articles.review_article")
        )

    def _self_edit(self, request, obj) -> bool:
        """A board member on their own profile, without the chief editors' rights."""
        return self._own(request, obj) and not super().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._own(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if not self._self_edit(request, obj):
            return []
        return ["user", "slug", "display_name", "credentials"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not self._self_edit(request, obj):
            return form

        class OwnProfileForm(form):
            def clean_specialties(self):
                chosen = self.cleaned_data["specialties"]
                before = set(self.instance.specialties.all())
                objection = specialties.self_declaration_objection(before, set(chosen))
                if objection:
                    raise forms.ValidationError(objection)
                return chosen

        return OwnProfileForm

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return {"slug": ["display_name"]}

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.specialties.all()) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.specialties.all())
        if change and before != after:
            notifications.on_specialties_changed(form.instance, before, after, by=request.user)


@admin.register(SiteSettings)
class SiteSettingsAdmin(ReadOnlyHistoryAdmin):
    """One row: chief editors switch it; nobody adds or deletes it."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The workflow on the article's edit form: where the article stands, who holds its review,
the reviewers' open comments, "Save and submit for review", and — when a save was refused
because someone else saved first — their text beside the editor's (`articles.conflicts`).

`WorkflowArticleAdmin` (admin.py) feeds `templates/admin/articles/article/_workflow_panel.html`
from `panel()`; the template is included above the article form, so its own inputs join the
form through the HTML `form` attribute and one post saves and submits.
"""

from django import forms
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from articles import conflicts
from articles.admin import ArticleAdminForm
from articles.conflicts import name_of as person
from articles.models import Article, ReviewEvent
from articles.validators import CHANGE_SUMMARY_MAX_LENGTH, clean_change_summary

from . import workflow
from .workflow import BY_ACTION

SUBMIT = "_submit_for_review"  # the button's name: save, then submit, in one transaction
FORM_ID = "article_form"  # the admin's id for the article form (`<model_name>_form`)
Status = Article.Status
Action = ReviewEvent.Action


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%B %-d, %Y}"


class WorkflowArticleForm(ArticleAdminForm):
    """The article form plus the submission's summary for readers, and the stale-save
    refusal in names (`articles.conflicts`)."""

    submit_change_summary = forms.CharField(
        required=False,
        strip=True,
        label="What changed, for readers",
        help_text=(
            "Used when you submit: one line for the article’s review history once this "
            "revision is approved, e.g. “Added advice for people over 80.” Leave it empty "
            "when nothing material changed."
        ),
        widget=forms.TextInput(
            attrs={"size": 80, "maxlength": CHANGE_SUMMARY_MAX_LENGTH, "form": FORM_ID}
        ),
    )
    # Set per request by WorkflowArticleAdmin.get_form: the submission the service refused
    # after the save was rolled back, shown as the form's error so nothing typed is lost.
    refusal: str | None = None

    def clean_submit_change_summary(self):
        if SUBMIT not in self.data:
            return ""
        return clean_change_summary(self.cleaned_data["submit_change_summary"])

    def clean(self):
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) != "stale":
                raise
            current = Article.objects.get(pk=self.instance.pk)
            seen = self.cleaned_data.get("edit_version")
            raise forms.ValidationError(
                conflicts.stale_message(current, seen), code="stale"
            ) from None
        if self.refusal:
            raise forms.ValidationError(
                f"Not saved and not submitted: {self.refusal} Your text is still in the form.",
                code="not_submitted",
            )
        return cleaned


def is_stale(form) -> bool:
    return any(e.code == "stale" for e in form.non_field_errors().as_data())


# -- the panel ------------------------------------------------------------------------------


def _last_step(article):
    """The log's latest step other than a comment (what the state is the result of)."""
    return (
        article.review_events.exclude(action=Action.COMMENTED)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )


def state_in_words(article: Article, last) -> tuple[str, str]:
    """(state, what it means now) for the people working on the article."""
    label = workflow.state_label(article.status, last.action if last else None)
    revision = article.submitted_revision
    number = f"revision {revision.number}" if revision else "the article"
    match article.status:
        case Status.DRAFT if last and last.action == Action.CHANGES_REQUESTED:
            detail = (
                f"Changes requested by {person(last.actor)} on {_day(last.created_at)} "
                f"({number}). Change the text as asked, then submit it again."
            )
        case Status.DRAFT if last and last.action == Action.WITHDRAWN:
            detail = (
                f"Withdrawn from review by an edit ({person(last.actor)}, "
                f"{_day(last.created_at)}). Submit it again when it is ready."
            )
        case Status.DRAFT if article.approval_id:
            detail = (
                f"Edited since its approval: readers see approved revision "
                f"{article.approval.revision.number} until a new revision is approved."
            )
        case Status.DRAFT:
            detail = "Not submitted for review yet." if last is None else "Not in review."
        case Status.SUBMITTED:
            waiting = (
                f"It is assigned to {person(article.assigned_reviewer)}."
                if article.assigned_reviewer
                else "It waits for a board member to review it."
            )
            when = f" on {_day(last.created_at)}" if last else ""
            detail = f"{number.capitalize()} was submitted{when}. {waiting}"
        case Status.UNDER_REVIEW:
            detail = f"{person(article.assigned_reviewer)} is reviewing {number}."
        case _:
            approval = article.approval
            due = article.next_review_due
            detail = (
                f"Revision {approval.revision.number} approved by {person(approval.actor)} on "
                f"{_day(approval.created_at)}."
                + (f" Next review due {due:%B %-d, %Y}." if due else "")
            )
    return label, detail


def _holder(article: Article) -> dict | None:
    holder = article.assigned_reviewer
    if holder is None:
        return None
    claim = workflow.claim_event(article)
    held = claim is not None and workflow.holder_by(claim).pk == holder.pk
    return {"name": person(holder), "since": claim.created_at if held else None}


def open_comments(article: Article) -> list[dict]:
    """The review's comments since the article was last submitted (article-level and per
    section), each section comment linked to that section's text on the form."""
    last_submission = article.review_events.filter(action=Action.SUBMITTED).aggregate(
        pk=Coalesce(Max("pk"), 0)
    )["pk"]
    events = (
        article.review_events.filter(
            action__in=[Action.COMMENTED, Action.CHANGES_REQUESTED], pk__gt=last_submission
        )
        .exclude(comment="")
        .select_related("actor", "revision")
        .order_by("created_at", "pk")
    )
    # The inline forms follow the working copy's order of positions.
    index = {
        position: i
        for i, position in enumerate(
            article.sections.order_by("position").values_list("position", flat=True)
        )
    }
    comments = []
    for event in events:
        section = None
        if event.section_position is not None:
            headings = {s.position: s.heading for s in (event.revision.sections or [])}
            position = event.section_position
            section = {
                "label": f"Section {position}"
                + (f": {headings[position]}" if position in headings else ""),
                "anchor": f"id_sections-{index[position]}-body" if position in index else "",
            }
        comments.append(
            {
                "by": person(event.actor),
                "at": event.created_at,
                "kind": event.get_action_display(),
                "requested_changes": event.action == Action.CHANGES_REQUESTED,
                "text": event.comment,
                "section": section,
            }
        )
    return comments


def panel(request, article: Article | None, form) -> dict:
    """The panel's context: `article` is the saved article (None on the add page, where a
    new article may be saved and submitted at once)."""
    user = request.user
    if article is None:
        can_submit = BY_ACTION["submit"].allows_user(user) and user.has_perm("articles.add_article")
        return {
            "new": True,
            "can_submit": can_submit,
            "submit_name": SUBMIT,
            "form_id": FORM_ID,
            "summary_field": form["submit_change_summary"] if can_submit else None,
        }
    article = Article.objects.select_related(
        "assigned_reviewer", "submitted_revision", "approval__actor", "approval__revision"
    ).get(pk=article.pk)
    last = _last_step(article)
    state, detail = state_in_words(article, last)
    public = article.public_revision
    can_submit = BY_ACTION["submit"].allows_user(user) and user.has_perm("articles.change_article")
    context = {
        "new": False,
        "article": article,
        "state": state,
        "state_key": workflow.CHANGES_REQUESTED.value
        if workflow.sent_back(article.status, last.action if last else None)
        else article.status,
        "detail": detail,
        "holder": _holder(article),
        "readers_see": (
            f"revision {public.number}" + (" (approved)" if article.approval_id else " (pending)")
            if public
            else "nothing"
        ),
        "comments": open_comments(article),
        "can_submit": can_submit,
        "submit_name": SUBMIT,
        "form_id": FORM_ID,
        "summary_field": form["submit_change_summary"] if can_submit else None,
        "review_url": reverse("admin:articles_article_review", args=[article.pk]),
        "revisions_url": reverse("admin:articles_article_revisions", args=[article.pk]),
        "preview_url": f"{article.get_absolute_url()}?preview=1",
        "conflict": None,
    }
    if form.is_bound and is_stale(form):
        seen = form.cleaned_data.get("edit_version") if hasattr(form, "cleaned_data") else None
        context["conflict"] = conflicts.compare(article, form.data, seen)
        context["conflict_version_name"] = conflicts.CONFLICT_VERSION
        context["take_theirs_name"] = conflicts.TAKE_THEIRS
    return context

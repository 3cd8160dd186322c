"""The Medical Advisory Board's workplace inside the admin: the review screen of one article
and its revision history (list, compare, restore). Wired in by `WorkflowArticleAdmin.get_urls`."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from articles import revisions
from articles.models import Article, ReaderType, ReviewEvent
from articles.readers import chosen_reader_type, render_revision
from articles.revisions import Revision

from . import guards, services, specialties, workflow
from .forms import ReviewActionForm
from .roles import MEDICAL_ADVISORY_BOARD


def _article(request, object_id) -> Article:
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    try:
        return get_object_or_404(
            Article.objects.select_related(
                "question", "topic", "assigned_reviewer", "submitted_revision",
                "approval__revision", "approval__actor",
            ),
            pk=object_id,
        )  # fmt: skip
    except ValueError:  # not a number: no such article, as the admin's own pages say
        raise Http404("No such article.") from None


def _board_members(user):
    """Whom a chief editor may assign: active board members who administer no accounts."""
    members = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MEDICAL_ADVISORY_BOARD)
        .distinct()
        .select_related("reviewer_profile")
        .prefetch_related("reviewer_profile__specialties")
        .order_by("last_name", "username")
    )
    if not workflow.BY_ACTION["assign"].allows_user(user):
        return members  # never offered: the service refuses the assignment anyway
    admins = [m.pk for m in members if workflow.administers_accounts(m)]
    return members.exclude(pk__in=admins)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _claim(article, user) -> dict | None:
    """Who holds the review, since when and how they got it, for the screen's facts."""
    holder = article.assigned_reviewer
    if holder is None:
        return None
    claim = workflow.claim_event(article)
    if claim is not None and workflow.holder_by(claim).pk != holder.pk:
        claim = None  # the log doesn't say (an older article): show the holder only
    how = ""
    if claim is not None:
        how = {
            ReviewEvent.Action.REVIEW_STARTED: "started the review",
            ReviewEvent.Action.ASSIGNED: f"assigned by {_name(claim.actor)}",
            ReviewEvent.Action.TAKEN_OVER: "took the review over",
        }[claim.action]
    return {
        "name": _name(holder),
        "is_you": holder.pk == user.pk,
        "since": claim.created_at if claim else None,
        "how": how,
    }


SIGNING = ("approve", "confirm_current")  # approvals: specialties count (`specialties`)


def _screen_actions(article, user):
    """The actions `user` can take now, and notes saying why review decisions are not among
    them: account administration, four eyes, or the claim."""
    notes, actions, objection = [], [], None
    reviewing_now = [
        t
        for t in workflow.TRANSITIONS
        if t.reviewing and t.on_review_screen and t.allows_state(article)
    ]
    if (
        reviewing_now
        and user.has_perm("articles.review_article")
        and workflow.administers_accounts(user)
    ):
        notes.append(workflow.ACCOUNT_ADMINS_CANT_REVIEW)
    for transition in workflow.available(article, user):
        if transition.action in SIGNING and (why := specialties.objection(article, user)):
            if why not in notes:
                notes.append(why)
            continue
        if transition.action == "confirm_current":
            why = guards.confirm_objection(article, user)
            if why:
                notes.append(why)
                continue
        elif transition.reviewing:
            if objection is None:
                objection = guards.four_eyes_objection(article, user) or ""
            why = objection or guards.claim_objection(transition.action, article, user)
            if why:
                if why not in notes and transition.action != "take_over":
                    notes.append(why)
                continue
        actions.append(transition)
    return actions, notes


def _ever_approved(article) -> bool:
    """Whether readers' review history has an entry yet: an empty summary reads "First
    review" on the first approval, "No material change" after."""
    return ReviewEvent.objects.filter(article=article, action=ReviewEvent.Action.APPROVED).exists()


def submitted_message(article, revision, summary: str) -> str:
    """What the editor is told after submitting: what readers' review history will say."""
    done = f"Revision {revision.number} submitted for review."
    if summary:
        return f"{done} Once it is approved, readers’ review history will say: “{summary}”."
    shown = "No material change" if _ever_approved(article) else "First review"
    return f"{done} It has no summary for readers; once approved, the history says “{shown}”."


def _submission_summary(article) -> str | None:
    """The summary for readers that the submission under review came with (the reviewer signs
    it off with the text); None when nothing is in review."""
    if not article.is_in_review:
        return None
    latest = ReviewEvent.objects.submissions_of(article.submitted_revision_id).first()
    return latest.change_summary if latest else ""


def _seen_approval(form) -> int | None:
    """The approval the confirming board member's screen showed (a hidden field the template
    writes; the shared form has no field for it): another confirmation since is a conflict."""
    try:
        return int(form.data.get("seen_approval", ""))
    except ValueError:
        return None


def _perform(article, form, user) -> str:
    data = form.cleaned_data
    action, comment = data["action"], data["comment"]
    seen = data.get("seen_revision")
    match action:
        case "submit":
            summary = data["change_summary"]
            revision = services.submit(article, by=user, change_summary=summary)
            return submitted_message(article, revision, summary)
        case "start_review":
            services.start_review(article, by=user)
            return "You are now reviewing this article."
        case "take_over":
            event = services.take_over(
                article, by=user, reason=data["reason"], seen_holder_id=data.get("seen_holder")
            )
            previous = workflow.holder_before(event)
            told = (
                f"{_name(previous)} and the chief editors have"
                if previous
                else "The chief editors have"
            )
            return (
                "You now hold this review: you can approve it or request changes. "
                f"{told} been told why."
            )
        case "assign":
            if not data.get("reviewer"):
                raise services.TransitionError("Choose the reviewer to assign.")
            event = services.assign(article, data["reviewer"], by=user)
            previous = workflow.holder_before(event)
            assigned = f"Assigned to {_name(event.assignee)}."
            if previous is not None and previous != event.assignee:
                return (
                    f"{assigned} {_name(previous)}, who held the review, has been told and can "
                    "no longer decide on it."
                )
            return assigned
        case "approve":
            event = services.approve(
                article,
                by=user,
                comment=comment,
                seen_revision_id=seen,
                outside_specialty=data["outside_specialty"],
            )
            return f"Approved revision {event.revision.number}. It is now the public text."
        case "confirm_current":
            event = services.confirm_current(
                article,
                by=user,
                comment=comment,
                seen_approval_id=_seen_approval(form),
                outside_specialty=data["outside_specialty"],
            )
            return (
                f"Confirmed revision {event.revision.number} still current. Readers now see "
                f"it reviewed today; the next review is due "
                f"{event.article.next_review_due:%B %-d, %Y}."
            )
        case "request_changes":
            services.request_changes(article, by=user, comment=comment, seen_revision_id=seen)
            return "Changes requested; the editors have been told."
        case "comment":
            services.add_comment(
                article, by=user, comment=comment, section_position=data["section_position"]
            )
            return "Comment added."
        case "unpublish":
            services.unpublish(article, by=user, comment=comment)
            return "Unpublished: readers no longer see this article."
    raise services.TransitionError("Unknown action.")


def _baseline(article, revision, approved):
    """What the revision under review is compared with: the approved revision, or for an
    article never approved, the last revision the board sent back with changes requested."""
    if revision is None:
        return None, ""
    if approved:
        return approved, f"the approved revision {approved.number}"
    sent_back = (
        Revision.objects.filter(
            article=article,
            number__lt=revision.number,
            review_events__action=ReviewEvent.Action.CHANGES_REQUESTED,
        )
        .order_by("-number")
        .first()
    )
    if sent_back:
        return sent_back, f"revision {sent_back.number}, which was sent back with changes requested"
    return None, ""


def review_view(request, object_id, model_admin):
    """An article as readers will see it, what changed since the last approved revision, the
    review conversation, and the actions the user may take."""
    article = _article(request, object_id)
    revision = article.revision_in_focus
    status = 200
    if request.method == "POST":
        form = ReviewActionForm(
            request.POST,
            sections=revision.sections if revision else (),
            reviewers=_board_members(request.user),
        )
        if form.is_valid():
            try:
                messages.success(request, _perform(article, form, request.user))
                return HttpResponseRedirect(request.path)
            except services.TransitionError as error:
                form.add_error(None, str(error))
        status = 409 if form.non_field_errors() else 400
    else:
        form = ReviewActionForm(
            initial={"seen_revision": article.submitted_revision_id},
            sections=revision.sections if revision else (),
            reviewers=_board_members(request.user),
        )
    approved = article.approval.revision if article.approval_id else None
    baseline, baseline_label = _baseline(article, revision, approved)
    reader_types = list(ReaderType.objects.all())
    # The review screen previews the default text unless a reader type is asked for.
    reader = chosen_reader_type(request, reader_types) if "reader" in request.GET else None
    actions, notes = _screen_actions(article, request.user)
    action_names = {t.action for t in actions}
    events = list(
        article.review_events.select_related("actor", "assignee", "revision").order_by(
            "-created_at", "-pk"
        )
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": f"Review: {article.headline}",
        "article": article,
        "state_label": workflow.state_label(
            article.status,
            workflow.with_last_step(Article.objects.filter(pk=article.pk))
            .values_list("last_step", flat=True)
            .get(),
        ),
        "revision": revision,
        "approved_revision": approved,
        "ever_approved": _ever_approved(article),
        "submission_summary": _submission_summary(article),
        "rendered": render_revision(revision, reader).rendered if revision else None,
        "reader_types": reader_types,
        "reader": reader,
        "with_variants": revision.shown.reader_types_with_variants if revision else set(),
        "baseline": baseline,
        "baseline_label": baseline_label,
        "changes": [d for d in revisions.diff(baseline.content, revision.content) if d.changed]
        if baseline
        else [],
        "events": events,
        "confirmations": workflow.confirmations(events),
        "actions": actions,
        "action_names": action_names,
        "notes": notes,
        "claim": _claim(article, request.user),
        "outside_specialty": (
            specialties.confirmation_prompt(article)
            if action_names & set(SIGNING) and specialties.needs_confirmation(article, request.user)
            else ""
        ),
        "form": form,
    }
    return TemplateResponse(request, "admin/reviews/review.html", context, status=status)


def revisions_view(request, object_id, model_admin):
    """Every saved revision of an article; compare any two field by field; restore one."""
    article = _article(request, object_id)
    saved = list(article.revisions.select_related("created_by").order_by("-number"))
    if request.method == "POST":
        if not request.user.has_perm("articles.change_article"):
            raise PermissionDenied
        try:
            chosen = get_object_or_404(Revision, article=article, pk=request.POST.get("revision"))
        except ValueError:
            raise Http404("No such revision.") from None
        try:
            restored = services.restore(article, chosen, by=request.user)
        except services.TransitionError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            f"Revision {chosen.number} restored as revision {restored.number}, a draft. "
            "It needs review before readers see it.",
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    by_number = {r.number: r for r in saved}
    compare = None
    try:
        a, b = int(request.GET["a"]), int(request.GET["b"])
    except (KeyError, ValueError):
        a = b = None
    if a in by_number and b in by_number:
        old, new = sorted((by_number[a], by_number[b]), key=lambda r: r.number)
        compare = {"old": old, "new": new, "fields": revisions.diff(old.content, new.content)}
    approvals = dict(
        ReviewEvent.objects.filter(article=article, action=ReviewEvent.Action.APPROVED)
        .values_list("revision_id", "actor__username")
    )  # fmt: skip
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": f"Revisions: {article.headline}",
        "article": article,
        "revisions": saved,
        "approvals": approvals,
        "compare": compare,
        "can_restore": request.user.has_perm("articles.change_article"),
    }
    return TemplateResponse(request, "admin/reviews/revisions.html", context)

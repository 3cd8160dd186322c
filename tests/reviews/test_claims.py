"""Decisions follow the claim, and whoever administers accounts takes no part in reviews.

A board member holds an article's review from the moment they start it (or are assigned it,
or take it over) until their decision. Only the holder approves or requests changes; another
board member takes the review over explicitly, with a reason, and the previous holder and the
chief editors are told. A chief editor may reassign it. Superusers and anyone who may manage
accounts, groups or permissions may not review or approve at all.

Every combination of person and action is driven through the services and through POSTs to
the review screen; the screen shows who holds the review and why decisions are not offered.
"""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, GlossaryTerm, ReviewEvent
from reviews import guards, roles, services, workflow
from reviews.services import ConflictError, TransitionError
from tests.factories import ArticleFactory, SectionFactory, logged_in, staff

pytestmark = pytest.mark.django_db

Status = Article.Status
Action = ReviewEvent.Action
EDITORS, BOARD, CHIEFS = roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD, roles.CHIEF_EDITORS
ACCOUNT_ADMIN = "Account administrators can't review: "
REASON = "Ana is on leave until next month."


# --- building blocks -----------------------------------------------------------------------


def with_permissions(user, *codes):
    for code in codes:
        app_label, codename = code.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return type(user).objects.get(pk=user.pk)  # a fresh permission cache


def chief_editor(**fields):
    """A chief editor without account rights (as `reviews.roles` has them): the group as the
    database holds it may still carry the older account permissions, so they go here."""
    user = staff(CHIEFS, **fields)
    roles_group = user.groups.get(name=CHIEFS)
    roles_group.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label="auth",
            codename__in=[code.split(".")[1] for code in roles.ACCOUNT_ADMINISTRATION],
        )
    )
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def cast():
    """The people of every combination. Board members hold only the board's role, and declare
    every factory topic's specialty (approvals outside it: test_specialties)."""
    general = {"specialties": ["General medicine"]}
    return {
        "author": staff(EDITORS, first_name="Eva", last_name="Author"),
        "holder": staff(BOARD, first_name="Ana", last_name="Ruiz", **general),
        "other": staff(BOARD, first_name="Chen", last_name="Li", **general),
        "third": staff(BOARD, first_name="Ben", last_name="Okafor", **general),
        "chief": chief_editor(first_name="Cleo", last_name="Chief"),
        "editor": staff(EDITORS, first_name="Ed", last_name="Itor"),
        # A board member who may also change user accounts.
        "account_admin": with_permissions(
            staff(BOARD, first_name="Adam", last_name="Admin"), "auth.change_user"
        ),
        "superuser": staff(is_superuser=True, first_name="Sue", last_name="Root"),
    }


def new_article(author):
    article = ArticleFactory(status=Status.DRAFT)
    SectionFactory(article=article, position=1, heading="Assessment", body="Take a history.")
    article.authors.add(author)
    return article


def fresh(article):
    return Article.objects.select_related("assigned_reviewer").get(pk=article.pk)


def under_review(cast):
    """Submitted by the author, claimed by the holder."""
    article = new_article(cast["author"])
    services.submit(article, by=cast["author"])
    services.start_review(article, by=cast["holder"])
    return fresh(article)


def reserved(cast):
    """Submitted again after an edit withdrew it from the holder's review: still theirs."""
    article = under_review(cast)
    section = article.sections.get()
    section.body = "Take a careful history."
    section.save()
    services.record_edit(article, by=cast["author"])
    services.submit(article, by=cast["author"])
    article = fresh(article)
    assert (article.status, article.assigned_reviewer) == (Status.SUBMITTED, cast["holder"])
    return article


def fingerprint(article) -> dict:
    article = fresh(article)
    return {
        "status": article.status,
        "holder": article.assigned_reviewer_id,
        "approval": article.approval_id,
        "events": article.review_events.count(),
        "history": article.history.count(),
    }


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- every combination ---------------------------------------------------------------------

NEEDS_PERMISSION = "You may not"
HOLDS = "Ana Ruiz holds this review (since "
# For each action: the state it starts from, and per person what happens: the state the
# article ends in (and who then holds the review) or the start of the refusal.
COMBINATIONS = {
    "approve": ("under_review", {
        "holder": (Status.APPROVED, None),
        "other": HOLDS,
        "chief": NEEDS_PERMISSION + " approve articles",
        "editor": NEEDS_PERMISSION + " approve articles",
        "account_admin": ACCOUNT_ADMIN,
        "superuser": ACCOUNT_ADMIN,
    }),
    "request_changes": ("under_review", {
        "holder": (Status.DRAFT, None),
        "other": HOLDS,
        "chief": NEEDS_PERMISSION + " request changes to articles",
        "editor": NEEDS_PERMISSION + " request changes to articles",
        "account_admin": ACCOUNT_ADMIN,
        "superuser": ACCOUNT_ADMIN,
    }),
    "take_over": ("under_review", {
        "holder": "You already hold this review.",
        "other": (Status.UNDER_REVIEW, "other"),
        "chief": NEEDS_PERMISSION + " take over the review of articles",
        "editor": NEEDS_PERMISSION + " take over the review of articles",
        "account_admin": ACCOUNT_ADMIN,
        "superuser": ACCOUNT_ADMIN,
    }),
    "start_review": ("reserved", {
        "holder": (Status.UNDER_REVIEW, "holder"),
        "other": "This article is assigned to Ana Ruiz (since ",
        "chief": NEEDS_PERMISSION + " start reviewing articles",
        "editor": NEEDS_PERMISSION + " start reviewing articles",
        "account_admin": ACCOUNT_ADMIN,
        "superuser": ACCOUNT_ADMIN,
    }),
    "assign": ("under_review", {
        "holder": NEEDS_PERMISSION + " assign a reviewer to articles",
        "other": NEEDS_PERMISSION + " assign a reviewer to articles",
        "chief": (Status.UNDER_REVIEW, "third"),
        "editor": NEEDS_PERMISSION + " assign a reviewer to articles",
        "account_admin": NEEDS_PERMISSION + " assign a reviewer to articles",
        "superuser": (Status.UNDER_REVIEW, "third"),  # assigning is no review
    }),
}  # fmt: skip
EVENT_OF = {
    "approve": Action.APPROVED,
    "request_changes": Action.CHANGES_REQUESTED,
    "take_over": Action.TAKEN_OVER,
    "start_review": Action.REVIEW_STARTED,
    "assign": Action.ASSIGNED,
}
CASES = [
    pytest.param(action, person, id=f"{action}-{person}")
    for action, (_, outcomes) in COMBINATIONS.items()
    for person in outcomes
]


def test_the_combinations_cover_every_person_and_action():
    people = {"holder", "other", "chief", "editor", "account_admin", "superuser"}
    assert all(set(outcomes) == people for _, outcomes in COMBINATIONS.values())
    assert len(CASES) == 5 * 6


def through_the_service(action, article, by, cast):
    match action:
        case "approve":
            services.approve(article, by=by, comment="Sound.")
        case "request_changes":
            services.request_changes(article, by=by, comment="Give the doses.")
        case "take_over":
            services.take_over(article, by=by, reason=REASON)
        case "start_review":
            services.start_review(article, by=by)
        case "assign":
            services.assign(article, cast["third"], by=by)


def through_the_screen(action, article, by, cast):
    data = {
        "action": action,
        "seen_revision": str(article.submitted_revision_id),
        "comment": "Give the doses." if action == "request_changes" else "Sound.",
        "reason": REASON,
        "seen_holder": str(article.assigned_reviewer_id or ""),
        "reviewer": str(cast["third"].pk),
    }
    response = logged_in(by).post(review_url(article), data)
    if response.status_code == 302:
        return
    assert response.status_code == 409, response.status_code
    raise TransitionError(" ".join(response.context["form"].non_field_errors()))


@pytest.mark.parametrize("way", [through_the_service, through_the_screen])
@pytest.mark.parametrize(("action", "person"), CASES)
def test_who_may_decide_start_take_over_and_assign(cast, action, person, way):
    state, outcomes = COMBINATIONS[action]
    article = under_review(cast) if state == "under_review" else reserved(cast)
    actor, expected = cast[person], outcomes[person]
    before = fingerprint(article)

    if isinstance(expected, str):
        with pytest.raises(TransitionError) as refused:
            way(action, article, actor, cast)
        assert str(refused.value).startswith(expected), str(refused.value)
        assert fingerprint(article) == before
        return

    way(action, article, actor, cast)
    status, holder = expected
    after = fresh(article)
    assert after.status == status
    assert after.assigned_reviewer == (cast[holder] if holder else None)
    assert after.review_events.count() == before["events"] + 1
    event = after.review_events.order_by("-pk").first()
    assert (event.action, event.actor) == (EVENT_OF[action], actor)
    assert after.history.count() == before["history"] + 1
    assert after.history.first().history_user == actor


# --- taking over ---------------------------------------------------------------------------


def test_a_take_over_records_one_event_moves_the_claim_and_tells_the_previous_holder(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    second_chief = chief_editor(first_name="Cal", last_name="Chief")
    article = under_review(cast)
    before = fingerprint(article)

    with django_capture_on_commit_callbacks(execute=True):
        event = services.take_over(
            article, by=cast["other"], reason=f"  {REASON}\n", seen_holder_id=cast["holder"].pk
        )

    article = fresh(article)
    assert (article.status, article.assigned_reviewer) == (Status.UNDER_REVIEW, cast["other"])
    assert list(article.review_events.filter(pk__gt=0).order_by("-pk")[:1]) == [event]
    assert article.review_events.count() == before["events"] + 1
    assert (event.action, event.actor, event.assignee) == (
        Action.TAKEN_OVER,
        cast["other"],
        cast["other"],
    )
    assert event.comment == REASON
    assert event.revision == article.submitted_revision
    latest = article.history.first()
    assert article.history.count() == before["history"] + 1
    assert latest.history_user == cast["other"]
    assert latest.history_change_reason == f"Review taken over from {cast['holder']}: {REASON}"
    assert workflow.holder_before(event) == cast["holder"]

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == sorted(
        [cast["holder"].email, cast["chief"].email, second_chief.email]
    )
    assert cast["other"].email not in mail.to
    assert "Review taken over" in mail.subject
    assert "Chen Li" in mail.body
    assert "It was held by Ana Ruiz, who can no longer approve it or request changes." in mail.body
    assert f"Reason:\n{REASON}" in mail.body


@pytest.mark.parametrize("decide", ["approve", "request_changes"])
def test_the_previous_holder_can_no_longer_decide(cast, decide):
    article = under_review(cast)
    services.take_over(article, by=cast["other"], reason=REASON)
    before = fingerprint(article)

    decision = getattr(services, decide)
    with pytest.raises(ConflictError) as lost:
        decision(article, by=cast["holder"], comment="Give the doses.")

    message = str(lost.value)
    assert message.startswith("Chen Li took over this review on ")
    assert f"(reason: “{REASON}”)" in message
    assert message.endswith(
        "You no longer hold it, so your "
        + ("approval" if decide == "approve" else "request for changes")
        + " was not recorded."
    )
    assert fingerprint(article) == before

    services.approve(article, by=cast["other"], comment="Checked.")  # the new holder decides
    article = fresh(article)
    assert (article.status, article.approval.actor) == (Status.APPROVED, cast["other"])
    assert article.assigned_reviewer is None


def test_the_previous_holder_posting_approve_is_told_the_review_was_taken_over(cast):
    article = under_review(cast)
    page = logged_in(cast["holder"]).get(review_url(article))  # the holder's open screen
    assert 'value="approve"' in page.content.decode()
    services.take_over(article, by=cast["other"], reason=REASON)

    response = logged_in(cast["holder"]).post(
        review_url(article),
        {"action": "approve", "seen_revision": str(article.submitted_revision_id)},
    )

    assert response.status_code == 409
    text = page_text(response)
    assert "Chen Li took over this review on " in text
    assert "You no longer hold it, so your approval was not recorded." in text
    assert 'value="approve"' not in text  # the screen now offers a take-over instead
    assert 'value="take_over"' in text
    assert fresh(article).status == Status.UNDER_REVIEW


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_a_take_over_needs_a_reason(cast, reason):
    article = under_review(cast)
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="a reason is required"):
        services.take_over(article, by=cast["other"], reason=reason)
    assert fingerprint(article) == before

    response = logged_in(cast["other"]).post(
        review_url(article), {"action": "take_over", "reason": reason}
    )
    assert response.status_code == 409
    assert "Say why you are taking over this review: a reason is required." in page_text(response)
    assert fingerprint(article) == before


def test_the_database_refuses_a_take_over_without_its_new_holder_or_reason(cast):
    article = under_review(cast)
    for fields in ({"assignee": None, "comment": REASON}, {"assignee": cast["other"]}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReviewEvent.objects.create(
                article=article, action=Action.TAKEN_OVER, actor=cast["other"], **fields
            )
    ReviewEvent.objects.create(
        article=article,
        action=Action.TAKEN_OVER,
        actor=cast["other"],
        assignee=cast["other"],
        comment=REASON,
    )


@pytest.mark.parametrize("who", ["author_on_the_board", "editor_on_the_board"])
def test_four_eyes_apply_to_a_take_over(cast, who):
    member = staff(EDITORS, BOARD, first_name="Dana", last_name="Dual")
    article = new_article(cast["author"])
    if who == "author_on_the_board":
        article.authors.add(member)
        expected = "You are an author of this article"
    else:
        section = article.sections.get()
        section.body = "Take a careful history."
        section.save()
        services.record_edit(article, by=member)
        expected = "You edited this article since its last approval"
    services.submit(article, by=cast["author"])
    services.start_review(article, by=cast["holder"])
    before = fingerprint(article)

    with pytest.raises(TransitionError, match=expected):
        services.take_over(article, by=member, reason=REASON)
    assert fingerprint(article) == before

    response = logged_in(member).get(review_url(article))
    text = page_text(response)
    assert expected in text
    assert 'value="take_over"' not in text
    assert 'value="approve"' not in text


def test_a_take_over_of_an_article_not_under_review_says_why(cast):
    submitted = new_article(cast["author"])
    services.submit(submitted, by=cast["author"])
    with pytest.raises(TransitionError) as refused:
        services.take_over(submitted, by=cast["other"], reason=REASON)
    assert not isinstance(refused.value, ConflictError)
    assert str(refused.value) == (
        "Nobody is reviewing this article yet, so there is no review to take over: start the "
        "review instead."
    )

    with pytest.raises(TransitionError, match="it is assigned to Ana Ruiz; a chief editor can"):
        services.take_over(reserved(cast), by=cast["other"], reason=REASON)

    approved = under_review(cast)
    services.approve(approved, by=cast["holder"])
    with pytest.raises(ConflictError, match=r"^Already approved by Ana Ruiz on .*: there is no"):
        services.take_over(approved, by=cast["other"], reason=REASON)

    sent_back = under_review(cast)
    services.request_changes(sent_back, by=cast["holder"], comment="Give the doses.")
    with pytest.raises(ConflictError, match=r"^Ana Ruiz requested changes on .*a draft again"):
        services.take_over(sent_back, by=cast["other"], reason=REASON)


def test_a_take_over_from_a_stale_screen_is_a_conflict(cast):
    article = under_review(cast)
    services.take_over(article, by=cast["third"], reason="Ben covers cardiology.")
    before = fingerprint(article)

    with pytest.raises(ConflictError) as stale:
        services.take_over(
            article, by=cast["other"], reason=REASON, seen_holder_id=cast["holder"].pk
        )

    assert str(stale.value) == (
        "The review changed hands while you were looking: Ben Okafor took over this review on "
        f"{guards.at(fresh(article).review_events.latest('pk').created_at)} (reason: “Ben "
        "covers cardiology.”). Look at who holds it now before taking it over."
    )
    assert fingerprint(article) == before


# --- a chief editor reassigns --------------------------------------------------------------


def test_reassigning_a_review_tells_the_previous_holder_who_can_no_longer_decide(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    article = under_review(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(cast["chief"]).post(
            review_url(article),
            {"action": "assign", "reviewer": str(cast["third"].pk)},
            follow=True,
        )

    assert response.status_code == 200
    assert (
        "Assigned to Ben Okafor. Ana Ruiz, who held the review, has been told and can no longer "
        "decide on it."
    ) in page_text(response)
    assert fresh(article).assigned_reviewer == cast["third"]
    assert [sorted(m.to) for m in mailoutbox] == [
        sorted([cast["third"].email, cast["holder"].email])
    ]
    assert "It was held by Ana Ruiz" in mailoutbox[0].body

    with pytest.raises(ConflictError, match=r"^Cleo Chief assigned this review to Ben Okafor on"):
        services.approve(article, by=cast["holder"])
    services.approve(article, by=cast["third"])
    assert fresh(article).approval.actor == cast["third"]


def test_a_first_assignment_tells_only_the_reviewer(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    article = new_article(cast["author"])
    services.submit(article, by=cast["author"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(article, cast["third"], by=cast["chief"])
    assert [m.to for m in mailoutbox] == [[cast["third"].email]]
    assert "It was held by" not in mailoutbox[0].body


def test_assigning_the_holder_again_or_an_account_administrator_is_refused(cast):
    article = under_review(cast)
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="^Ana Ruiz already holds this review.$"):
        services.assign(article, cast["holder"], by=cast["chief"])
    for reviewer in (cast["account_admin"], with_permissions(staff(BOARD), "auth.add_group")):
        with pytest.raises(TransitionError, match="account administrators take no part"):
            services.assign(article, reviewer, by=cast["chief"])
    assert fingerprint(article) == before


def test_the_reviewer_list_leaves_out_account_administrators(cast):
    article = new_article(cast["author"])
    services.submit(article, by=cast["author"])
    response = logged_in(cast["chief"]).get(review_url(article))
    offered = set(response.context["form"].fields["reviewer"].queryset)
    assert offered == {cast["holder"], cast["other"], cast["third"]}


# --- account administrators take no part in reviews ----------------------------------------


@pytest.mark.parametrize(
    "permission",
    ["auth.add_user", "auth.change_user", "auth.add_group", "auth.change_group",
     "auth.change_permission"],
)  # fmt: skip
def test_any_account_permission_bars_a_board_member_from_reviewing(cast, permission):
    member = with_permissions(staff(BOARD), permission)
    assert workflow.administers_accounts(member)
    article = new_article(cast["author"])
    services.submit(article, by=cast["author"])
    before = fingerprint(article)
    with pytest.raises(TransitionError, match=f"^{ACCOUNT_ADMIN}"):
        services.start_review(article, by=member)
    assert fingerprint(article) == before
    term = GlossaryTerm.objects.create(term="stent", definition="A small mesh tube.")
    with pytest.raises(TransitionError, match=f"^{ACCOUNT_ADMIN}"):
        services.approve_glossary_term(term, by=member)
    term.refresh_from_db()
    assert term.approval_id is None


def test_who_administers_accounts(cast):
    assert workflow.administers_accounts(cast["superuser"])
    assert workflow.administers_accounts(cast["account_admin"])
    for person in ("holder", "editor", "chief", "author"):
        assert not workflow.administers_accounts(cast[person]), person
    assert not workflow.administers_accounts(with_permissions(staff(BOARD), "auth.view_user"))


def test_the_review_and_approval_transitions_are_the_boards():
    reviewing = {t.action for t in workflow.TRANSITIONS if t.reviewing}
    assert reviewing == {
        "start_review",
        "take_over",
        "approve",
        "confirm_current",
        "request_changes",
    }


def test_a_superuser_may_still_comment_assign_and_unpublish(cast):
    article = under_review(cast)
    services.add_comment(article, by=cast["superuser"], comment="Please hurry.")
    services.assign(article, cast["other"], by=cast["superuser"])
    services.unpublish(article, by=cast["superuser"], comment="Withdrawn by the publisher.")
    assert fresh(article).status == Status.DRAFT


@pytest.mark.parametrize("person", ["account_admin", "superuser"])
def test_the_glossary_action_refuses_account_administrators(cast, person):
    """Not offered to them, and posting it anyway approves nothing; the service refuses
    too (test_glossary_approval)."""
    term = GlossaryTerm.objects.create(term="stent", definition="A small mesh tube.")
    client = logged_in(cast[person])
    changelist = reverse("admin:articles_glossaryterm_changelist")
    if person == "superuser":  # account administrators don't see the list at all
        assert 'value="approve_definitions"' not in page_text(client.get(changelist))
    client.post(changelist, {"action": "approve_definitions", "_selected_action": [str(term.pk)]})
    term.refresh_from_db()
    assert term.approval_id is None


# --- the review screen ---------------------------------------------------------------------


def buttons(response) -> list[str]:
    return re.findall(r'<button type="submit" name="action" value="([a-z_]+)"', page_text(response))


def test_the_holder_sees_the_claim_and_the_decisions(cast):
    article = under_review(cast)
    claimed = timezone.localtime(article.review_events.get(action=Action.REVIEW_STARTED).created_at)

    response = logged_in(cast["holder"]).get(review_url(article))

    text = page_text(response)
    assert buttons(response) == ["approve", "request_changes", "comment"]
    holder = re.search(r'<dd class="review-holder">(.*?)</dd>', text, re.S)[1]
    assert "<strong>Ana Ruiz</strong> (you), since" in holder
    assert f'<time datetime="{claimed.isoformat()[:19]}' in holder
    assert "(started the review)" in holder
    assert 'role="note"' not in text


def test_another_board_member_is_offered_the_take_over_and_told_why_not_approve(cast):
    article = under_review(cast)

    response = logged_in(cast["other"]).get(review_url(article))

    text = page_text(response)
    assert buttons(response) == ["comment", "take_over"]
    assert "Take over this review" in text
    assert '<label for="id_reason">Reason for taking over</label>' in text
    assert f'name="seen_holder" value="{cast["holder"].pk}"' in text
    assert re.search(
        r'role="note">Ana Ruiz holds this review \(since [^)]+\): only they can approve it or '
        r"request changes. To decide yourself, take the review over and give your reason; Ana "
        r"Ruiz and the chief editors will be told.</p>",
        text,
    )
    holder = re.search(r'<dd class="review-holder">(.*?)</dd>', text, re.S)[1]
    assert "<strong>Ana Ruiz</strong>, since" in holder
    assert "(you)" not in holder


def test_after_a_take_over_the_screen_shows_the_new_holder_and_the_reason(cast):
    article = under_review(cast)
    response = logged_in(cast["other"]).post(
        review_url(article),
        {"action": "take_over", "reason": REASON, "seen_holder": str(cast["holder"].pk)},
        follow=True,
    )

    text = page_text(response)
    assert (
        "You now hold this review: you can approve it or request changes. Ana Ruiz and the "
        "chief editors have been told why."
    ) in text
    assert buttons(response) == ["approve", "request_changes", "comment"]
    holder = re.search(r'<dd class="review-holder">(.*?)</dd>', text, re.S)[1]
    assert "<strong>Chen Li</strong> (you), since" in holder
    assert "(took the review over)" in holder
    event = re.search(r'<li class="review-event review-event--taken_over">(.*?)</li>', text, re.S)
    assert "Review taken over</strong> by Chen Li" in event[1]
    assert "(to " not in event[1]
    assert f"<blockquote>{REASON}</blockquote>" in event[1]

    screen = logged_in(cast["holder"]).get(review_url(article))
    assert buttons(screen) == ["comment", "take_over"]
    assert "Chen Li holds this review" in page_text(screen)


@pytest.mark.parametrize("person", ["account_admin", "superuser"])
@pytest.mark.parametrize("state", ["reserved", "under_review"])
def test_account_administrators_are_told_why_they_cannot_review(cast, person, state):
    article = under_review(cast) if state == "under_review" else reserved(cast)

    response = logged_in(cast[person]).get(review_url(article))

    text = page_text(response)
    assert f'role="note">{workflow.ACCOUNT_ADMINS_CANT_REVIEW}</p>' in text
    assert not {"start_review", "take_over", "approve", "confirm_current", "request_changes"} & set(
        buttons(response)
    )


def test_editors_and_chief_editors_see_no_review_notes(cast):
    article = under_review(cast)
    for person in ("editor", "chief"):
        response = logged_in(cast[person]).get(review_url(article))
        assert 'role="note"' not in page_text(response), person
        assert "take_over" not in buttons(response)

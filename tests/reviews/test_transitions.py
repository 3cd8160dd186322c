"""The review workflow in reviews.services: who may do what from which state, four eyes,
revision pinning, review dates, history, restore, unpublish, e-mails and the role groups.

Every starting state is reached by driving the real services, never by writing `status`."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from articles.models import Article, ReviewEvent
from articles.revisions import hash_of, snapshot
from reviews import roles, services
from reviews.services import ConflictError, TransitionError
from reviews.workflow import BY_ACTION
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SpecialtyFactory,
    StaffUserFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

Status = Article.Status
Action = ReviewEvent.Action
EDITORS, BOARD, CHIEFS = roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD, roles.CHIEF_EDITORS


# --- building blocks -----------------------------------------------------------------------


def staff(*groups, **fields):
    """A user in `groups`. Board members declare the factory topics' specialty, so their
    approvals are ordinary ones (test_specialties covers approving outside one's own)."""
    if BOARD in groups:
        fields.setdefault("specialties", [SpecialtyFactory().name])
    return StaffUserFactory(roles=groups, **fields)


def new_article(*authors, **fields):
    """A draft with two sections and no citations, written by `authors`."""
    article = ArticleFactory(status=Status.DRAFT, **fields)
    SectionFactory(article=article, position=1, heading="Assessment", body="Take a history.")
    SectionFactory(article=article, position=2, heading="Treatment", body="Start low, go slow.")
    article.authors.add(*authors)
    return article


def fresh(article):
    return Article.objects.select_related("approval__revision").get(pk=article.pk)


def edit(article, *, by, body="Start lower, go slower."):
    """What the admin does when an editor saves the working copy: change it, then record_edit."""
    section = article.sections.get(position=2)
    section.body = body
    section.save()
    return services.record_edit(article, by=by)


STATES = (
    "draft",  # never submitted
    "changes_requested",  # submitted, claimed, sent back: a draft again
    "submitted",
    "under_review",  # claimed by the setup's reviewer
    "approved",  # by the setup's reviewer
    "edited_after_approval",  # approved, then the author saved a change: a draft again
)


def article_in(state, *, author, reviewer, **fields):
    """An article in `state`, got there through the services by `author` and `reviewer`."""
    assert state in STATES
    article = new_article(author, **fields)
    if state == "draft":
        return fresh(article)
    services.submit(article, by=author)
    if state == "submitted":
        return fresh(article)
    services.start_review(article, by=reviewer)
    if state == "changes_requested":
        services.request_changes(article, by=reviewer, comment="Cite the 2024 guideline.")
    elif state in ("approved", "edited_after_approval"):
        services.approve(article, by=reviewer, comment="Accurate and current.")
        if state == "edited_after_approval":
            edit(article, by=author)
    return fresh(article)


def fingerprint(article) -> dict:
    """Everything a refused transition must leave alone."""
    article = fresh(article)
    return {
        "status": article.status,
        "submitted_revision": article.submitted_revision_id,
        "approval": article.approval_id,
        "assigned_reviewer": article.assigned_reviewer_id,
        "next_review_due": article.next_review_due,
        "version": article.version,
        "revisions": article.revisions.count(),
        "events": article.review_events.count(),
        "history": article.history.count(),
    }


def assert_one_step_recorded(article, before: dict, *, by, action):
    """A transition wrote exactly one history row (by `by`, with a reason) and one event."""
    article = fresh(article)
    assert article.history.count() == before["history"] + 1
    latest = article.history.first()
    assert latest.history_user == by
    assert latest.history_change_reason.strip()
    assert latest.status == article.status
    assert article.review_events.count() == before["events"] + 1
    event = article.review_events.order_by("-pk").first()
    assert (event.action, event.actor) == (action, by)
    return event


def assert_started_then_decided(article, before: dict, *, by, action):
    """A decision taken on a submitted article: the review was started by the decider, then
    decided, each step with its own event and history row (the claim stays in the log)."""
    article = fresh(article)
    assert article.history.count() == before["history"] + 2
    decided, started = article.history.all()[:2]
    assert (started.history_user, started.status) == (by, Status.UNDER_REVIEW)
    assert started.assigned_reviewer_id == by.pk
    assert started.history_change_reason == "Review started"
    assert (decided.history_user, decided.status) == (by, article.status)
    assert decided.history_change_reason.strip()
    assert article.review_events.count() == before["events"] + 2
    start, event = article.review_events.order_by("-pk")[:2][::-1]
    assert [(start.action, start.actor), (event.action, event.actor)] == [
        (Action.REVIEW_STARTED, by),
        (action, by),
    ]
    assert start.revision_id == event.revision_id == before["submitted_revision"]
    return event


def account_admin_on_the_board():
    """A board member who may also change user accounts: so they may not review."""
    user = staff(BOARD)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="auth", codename="change_user")
    )
    return type(user).objects.get(pk=user.pk)


ROLES = {
    "nobody": lambda: staff(),
    "inactive": lambda: staff(
        EDITORS, BOARD, CHIEFS, is_active=False, is_staff=True, is_superuser=True
    ),
    "editor": lambda: staff(EDITORS),
    "chief_editor": lambda: staff(CHIEFS),
    "board_member": lambda: staff(BOARD),  # another one: not the setup's reviewer
    "account_admin": account_admin_on_the_board,
    "superuser": lambda: staff(is_staff=True, is_superuser=True),
}


@pytest.fixture
def cast():
    """The setup's author and reviewer, and a second board member to assign."""
    return {
        "author": staff(EDITORS, first_name="Eva", last_name="Author"),
        "reviewer": staff(BOARD, first_name="Ana", last_name="Ruiz"),
        "assignee": staff(BOARD, first_name="Ben", last_name="Okafor"),
    }


@pytest.fixture
def people(cast):
    """The cast plus one user of each acting role of the matrix."""
    return {**cast, **{role: make() for role, make in ROLES.items()}}


# --- the transition matrix -----------------------------------------------------------------

D, S, U, A = Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED
NO = "refused"  # TransitionError, nothing written
CONFLICT = "conflict"  # ConflictError, nothing written

# For each transition: per acting role, the outcome from each starting state (columns as in
# STATES). A status means the transition is allowed and the article ends in that status.
# "nobody" is an active user in no group; "inactive" a deactivated superuser in every group;
# "reviewer" the board member who claimed/approved the article in the setup (and so holds the
# review under_review); "board_member" another board member; "account_admin" a board member
# who may also change user accounts. Account administrators and superusers never review.
MATRIX = {
    #                     draft  changes  submitted  under_review  approved  edited
    "submit": {
        "nobody":        (NO,    NO,      NO,        NO,           NO,       NO),
        "inactive":      (NO,    NO,      NO,        NO,           NO,       NO),
        "editor":        (S,     S,       NO,        NO,           NO,       S),
        "reviewer":      (NO,    NO,      NO,        NO,           NO,       NO),
        "board_member":  (NO,    NO,      NO,        NO,           NO,       NO),
        "account_admin": (NO,    NO,      NO,        NO,           NO,       NO),
        "chief_editor":  (S,     S,       NO,        NO,           NO,       S),
        "superuser":     (S,     S,       NO,        NO,           NO,       S),
    },
    "assign": {
        "nobody":        (NO,    NO,      NO,        NO,           NO,       NO),
        "inactive":      (NO,    NO,      NO,        NO,           NO,       NO),
        "editor":        (NO,    NO,      NO,        NO,           NO,       NO),
        "reviewer":      (NO,    NO,      NO,        NO,           NO,       NO),
        "board_member":  (NO,    NO,      NO,        NO,           NO,       NO),
        "account_admin": (NO,    NO,      NO,        NO,           NO,       NO),
        "chief_editor":  (NO,    NO,      U,         U,            NO,       NO),
        "superuser":     (NO,    NO,      U,         U,            NO,       NO),
    },
    "start_review": {
        "nobody":        (NO,    NO,      NO,        NO,           NO,       NO),
        "inactive":      (NO,    NO,      NO,        NO,           NO,       NO),
        "editor":        (NO,    NO,      NO,        NO,           NO,       NO),
        "reviewer":      (NO,    NO,      U,         NO,           NO,       NO),
        "board_member":  (NO,    NO,      U,         NO,           NO,       NO),
        "account_admin": (NO,    NO,      NO,        NO,           NO,       NO),
        "chief_editor":  (NO,    NO,      NO,        NO,           NO,       NO),
        "superuser":     (NO,    NO,      NO,        NO,           NO,       NO),
    },
    "take_over": {
        "nobody":        (NO,    NO,      NO,        NO,           NO,       NO),
        "inactive":      (NO,    NO,      NO,        NO,           NO,       NO),
        "editor":        (NO,    NO,      NO,        NO,           NO,       NO),
        "reviewer":      (NO,    CONFLICT, NO,       NO,           CONFLICT, NO),
        "board_member":  (NO,    CONFLICT, NO,       U,            CONFLICT, NO),
        "account_admin": (NO,    NO,      NO,        NO,           NO,       NO),
        "chief_editor":  (NO,    NO,      NO,        NO,           NO,       NO),
        "superuser":     (NO,    NO,      NO,        NO,           NO,       NO),
    },
    "approve": {
        "nobody":        (NO,    NO,      NO,        NO,           NO,       NO),
        "inactive":      (NO,    NO,      NO,        NO,           NO,       NO),
        "editor":        (NO,    NO,      NO,        NO,           NO,       NO),
        "reviewer":      (NO,    NO,      A,         A,            CONFLICT, NO),
        "board_member":  (NO,    NO,      A,         NO,           CONFLICT, NO),
        "account_admin": (NO,    NO,      NO,        NO,           NO,       NO),
        "chief_editor":  (NO,    NO,      NO,        NO,           NO,       NO),
        "superuser":     (NO,    NO,      NO,        NO,           NO,       NO),
    },
    "request_changes": {
        "nobody":        (NO,    NO,      NO,        NO,           NO,       NO),
        "inactive":      (NO,    NO,      NO,        NO,           NO,       NO),
        "editor":        (NO,    NO,      NO,        NO,           NO,       NO),
        "reviewer":      (NO,    NO,      D,         D,            NO,       NO),
        "board_member":  (NO,    NO,      D,         NO,           NO,       NO),
        "account_admin": (NO,    NO,      NO,        NO,           NO,       NO),
        "chief_editor":  (NO,    NO,      NO,        NO,           NO,       NO),
        "superuser":     (NO,    NO,      NO,        NO,           NO,       NO),
    },
    "unpublish": {
        "nobody":        (NO,    NO,      NO,        NO,           NO,       NO),
        "inactive":      (NO,    NO,      NO,        NO,           NO,       NO),
        "editor":        (NO,    NO,      NO,        NO,           NO,       NO),
        "reviewer":      (NO,    NO,      NO,        NO,           NO,       NO),
        "board_member":  (NO,    NO,      NO,        NO,           NO,       NO),
        "account_admin": (NO,    NO,      NO,        NO,           NO,       NO),
        "chief_editor":  (NO,    NO,      D,         D,            D,        D),
        "superuser":     (NO,    NO,      D,         D,            D,        D),
    },
}  # fmt: skip

EVENT_OF = {
    "submit": Action.SUBMITTED,
    "assign": Action.ASSIGNED,
    "start_review": Action.REVIEW_STARTED,
    "take_over": Action.TAKEN_OVER,
    "approve": Action.APPROVED,
    "request_changes": Action.CHANGES_REQUESTED,
    "unpublish": Action.UNPUBLISHED,
}


def perform(transition, article, *, by, cast):
    match transition:
        case "submit":
            return services.submit(article, by=by)
        case "assign":
            return services.assign(article, cast["assignee"], by=by)
        case "start_review":
            return services.start_review(article, by=by)
        case "take_over":
            return services.take_over(article, by=by, reason="Ana is away this month.")
        case "approve":
            return services.approve(article, by=by, comment="Accurate and current.")
        case "request_changes":
            return services.request_changes(article, by=by, comment="Add the dosing table.")
        case "unpublish":
            return services.unpublish(article, by=by, comment="The guidance was withdrawn.")
    raise AssertionError(transition)


MATRIX_CASES = [
    pytest.param(transition, state, role, expected, id=f"{transition}-{state}-{role}")
    for transition, by_role in MATRIX.items()
    for role, outcomes in by_role.items()
    for state, expected in zip(STATES, outcomes, strict=True)
]


def test_matrix_covers_every_transition_state_and_role():
    assert len(MATRIX_CASES) == 7 * 6 * 8
    for by_role in MATRIX.values():
        assert set(by_role) == {*ROLES, "reviewer"}


@pytest.mark.parametrize(("transition", "state", "role", "expected"), MATRIX_CASES)
def test_transition_matrix(cast, transition, state, role, expected):
    article = article_in(state, author=cast["author"], reviewer=cast["reviewer"])
    actor = cast["reviewer"] if role == "reviewer" else ROLES[role]()
    before = fingerprint(article)

    if expected in (NO, CONFLICT):
        error = ConflictError if expected == CONFLICT else TransitionError
        with pytest.raises(error) as raised:
            perform(transition, article, by=actor, cast=cast)
        if expected == NO:
            assert not isinstance(raised.value, ConflictError)
        assert str(raised.value)
        assert fingerprint(article) == before
        return

    perform(transition, article, by=actor, cast=cast)
    after = fresh(article)
    assert after.status == expected
    if BY_ACTION[transition].starts_review and state == "submitted":
        event = assert_started_then_decided(article, before, by=actor, action=EVENT_OF[transition])
    else:
        event = assert_one_step_recorded(article, before, by=actor, action=EVENT_OF[transition])
    match transition:
        case "submit":
            latest = after.revisions.order_by("-number").first()
            assert after.submitted_revision == latest == event.revision
            assert latest.content == snapshot(after)
        case "assign":
            assert after.assigned_reviewer == cast["assignee"] == event.assignee
        case "start_review":
            assert after.assigned_reviewer == actor
        case "take_over":
            assert after.assigned_reviewer == actor == event.assignee
            assert event.comment == "Ana is away this month."
            assert event.revision_id == before["submitted_revision"]
        case "approve":
            assert after.approval == event
            assert event.revision_id == before["submitted_revision"]
            assert after.next_review_due is not None
        case "request_changes":
            assert event.comment == "Add the dosing table."
            assert after.submitted_revision_id == before["submitted_revision"]
        case "unpublish":
            assert after.approval_id is None
            assert after.submitted_revision_id is None
            assert after.next_review_due is None
            assert after.revisions.count() == before["revisions"]


# --- four eyes -----------------------------------------------------------------------------


def chief_editor_without_account_rights(*more_roles):
    """A chief editor as `reviews.roles` has them now, with no account permissions (the group
    in the database may still carry the older ones: they are taken off here)."""
    user = staff(CHIEFS, *more_roles)
    Group.objects.get(name=CHIEFS).permissions.remove(
        *Permission.objects.filter(
            content_type__app_label="auth",
            codename__in=[code.split(".")[1] for code in roles.ACCOUNT_ADMINISTRATION],
        )
    )
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(
    "author_kind", ["chief_editor_on_the_board", "editor_on_the_board", "board_member"]
)
def test_an_author_never_reviews_their_own_article(people, author_kind):
    author = {
        "chief_editor_on_the_board": lambda: chief_editor_without_account_rights(BOARD),
        "editor_on_the_board": lambda: staff(EDITORS, BOARD),
        "board_member": lambda: staff(BOARD),
    }[author_kind]()
    article = new_article(author)
    services.submit(article, by=people["author"])

    before = fingerprint(article)
    with pytest.raises(TransitionError, match="You are an author"):
        services.start_review(article, by=author)
    assert fingerprint(article) == before

    services.start_review(article, by=people["reviewer"])
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="You are an author"):
        services.approve(article, by=author, comment="Fine by me.")
    with pytest.raises(TransitionError, match="You are an author"):
        services.request_changes(article, by=author, comment="Let me change it myself.")
    with pytest.raises(TransitionError, match="You are an author"):
        services.take_over(article, by=author, reason="I know this topic best.")
    assert fingerprint(article) == before
    assert not ReviewEvent.objects.filter(actor=author, action=Action.APPROVED).exists()


def test_a_superuser_who_wrote_an_article_may_not_review_it_or_any_other(people):
    superuser = staff(is_staff=True, is_superuser=True)
    own, other = new_article(superuser), new_article(people["author"])
    services.submit(own, by=superuser)
    services.submit(other, by=people["author"])
    for article in (own, other):
        before = fingerprint(article)
        with pytest.raises(TransitionError, match="^Account administrators can't review: "):
            services.start_review(article, by=superuser)
        assert fingerprint(article) == before


def test_an_editor_who_saved_a_revision_since_the_last_approval_cannot_approve(people):
    editor_reviewer = staff(EDITORS, BOARD)
    article = new_article(people["author"])
    edit(article, by=editor_reviewer)  # not an author, but wrote revision 1
    services.submit(article, by=people["author"])

    with pytest.raises(TransitionError, match="You edited this article"):
        services.start_review(article, by=editor_reviewer)
    services.start_review(article, by=people["reviewer"])
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="You edited this article"):
        services.approve(article, by=editor_reviewer)
    with pytest.raises(TransitionError, match="You edited this article"):
        services.request_changes(article, by=editor_reviewer, comment="Hmm.")
    assert fingerprint(article) == before
    services.approve(article, by=people["reviewer"])
    assert fresh(article).status == Status.APPROVED


def test_an_edit_by_the_reviewer_after_approval_bars_them_from_the_next_approval(people):
    reviewer = staff(EDITORS, BOARD)
    article = article_in("approved", author=people["author"], reviewer=reviewer)
    edit(article, by=reviewer)
    services.submit(article, by=people["author"])
    with pytest.raises(TransitionError, match="You edited this article"):
        services.start_review(article, by=reviewer)


def test_a_reviewer_who_edited_before_the_last_approval_may_approve_the_next_revision(people):
    editor_reviewer = staff(EDITORS, BOARD)
    article = new_article(people["author"])
    edit(article, by=editor_reviewer)
    services.submit(article, by=people["author"])
    services.start_review(article, by=people["reviewer"])
    services.approve(article, by=people["reviewer"])

    edit(article, by=people["author"], body="A newer text by the author alone.")
    services.submit(article, by=people["author"])
    services.assign(article, editor_reviewer, by=staff(CHIEFS))
    event = services.approve(article, by=editor_reviewer, comment="Checked.")
    article = fresh(article)
    assert article.approval == event
    assert article.approval.revision.number == 2
    assert article.approval.revision.created_by == people["author"]


def test_assign_refuses_an_author_someone_who_edited_and_a_non_member(people):
    chief = staff(CHIEFS)
    author_on_board = staff(EDITORS, BOARD)
    editor_on_board = staff(EDITORS, BOARD)
    article = new_article(author_on_board, people["author"])
    edit(article, by=editor_on_board)
    services.submit(article, by=people["author"])
    before = fingerprint(article)

    with pytest.raises(TransitionError, match="You are an author"):
        services.assign(article, author_on_board, by=chief)
    with pytest.raises(TransitionError, match="You edited this article"):
        services.assign(article, editor_on_board, by=chief)
    with pytest.raises(TransitionError, match="not a member of the Medical Advisory Board"):
        services.assign(article, people["editor"], by=chief)
    with pytest.raises(TransitionError, match="not a member of the Medical Advisory Board"):
        services.assign(article, staff(BOARD, is_active=False), by=chief)
    assert fingerprint(article) == before

    services.assign(article, people["reviewer"], by=chief)
    assert fresh(article).assigned_reviewer == people["reviewer"]


def test_a_withdrawn_and_resubmitted_article_goes_back_to_its_reviewer(people):
    article = article_in("under_review", author=people["author"], reviewer=people["reviewer"])
    edit(article, by=people["author"])  # withdrawn: not a decision, the claim stays
    services.submit(article, by=people["author"])
    assert fresh(article).assigned_reviewer == people["reviewer"]
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="assigned to"):
        services.start_review(article, by=people["assignee"])
    assert fingerprint(article) == before
    services.start_review(article, by=people["reviewer"])
    with pytest.raises(TransitionError, match="already reviewing"):
        services.start_review(article, by=people["reviewer"])


@pytest.mark.parametrize("state", ["changes_requested", "approved"])
def test_a_decision_ends_the_claim(people, state):
    article = article_in(state, author=people["author"], reviewer=people["reviewer"])
    assert article.assigned_reviewer is None
    if state == "approved":
        edit(article, by=people["author"])
    services.submit(article, by=people["author"])
    services.start_review(article, by=people["assignee"])  # any board member may pick it up
    assert fresh(article).assigned_reviewer == people["assignee"]


# --- revision pinning ----------------------------------------------------------------------


def test_submit_freezes_the_content_and_a_later_edit_withdraws_it(people):
    article = new_article(people["author"], headline="Treating mild hypertension")
    frozen = snapshot(article)
    revision = services.submit(article, by=people["author"])
    assert revision.content == frozen
    assert revision.content_hash == hash_of(frozen)

    # the working copy changes under the submitted revision
    article = fresh(article)
    article.headline = "Treating severe hypertension"
    article.save()
    question = article.question
    question.text = "How should severe hypertension be treated in adults?"
    question.save()
    section = article.sections.get(position=1)
    section.body = "Measure twice."
    section.save()

    revision.refresh_from_db()
    assert revision.content == frozen
    assert revision.headline == "Treating mild hypertension"
    assert revision.sections[0].body == "Take a history."
    assert fresh(article).status == Status.SUBMITTED
    assert fresh(article).public_revision == revision

    before = fingerprint(article)
    new = services.record_edit(article, by=people["author"])
    article = fresh(article)
    assert article.status == Status.DRAFT
    assert new.number == revision.number + 1
    assert new.headline == "Treating severe hypertension"
    assert new.question == "How should severe hypertension be treated in adults?"
    assert new.sections[0].body == "Measure twice."
    assert new.created_by == people["author"]
    event = assert_one_step_recorded(article, before, by=people["author"], action=Action.WITHDRAWN)
    assert event.revision == new
    assert article.public_revision is None
    assert article not in Article.objects.public(show_unapproved=True)


def test_record_edit_without_a_change_keeps_the_article_in_review(people):
    article = article_in("under_review", author=people["author"], reviewer=people["reviewer"])
    before = fingerprint(article)
    revision = services.record_edit(article, by=people["author"])
    assert revision == fresh(article).submitted_revision
    assert fingerprint(article) == before


def test_approval_is_a_signature_on_the_exact_revision(people):
    article = article_in("under_review", author=people["author"], reviewer=people["reviewer"])
    submitted = article.submitted_revision
    started = timezone.now()
    event = services.approve(article, by=people["reviewer"], comment="  Matches NICE NG136.  ")
    article = fresh(article)
    assert article.approval == event
    assert event.action == Action.APPROVED
    assert event.actor == people["reviewer"]
    assert event.comment == "Matches NICE NG136."
    assert event.revision == submitted
    assert started <= event.created_at <= timezone.now()
    assert article.public_revision == submitted
    assert article.public_status == Status.APPROVED


def test_editing_after_approval_keeps_the_approved_text_public_until_the_next_approval(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    approval = article.approval
    approved = approval.revision
    assert approved.sections[1].body == "Start low, go slow."

    before = fingerprint(article)
    new = edit(article, by=people["author"], body="Start at the lowest dose.")
    article = fresh(article)
    assert article.status == Status.DRAFT
    assert article.approval == approval
    assert article.approval.revision == approved != new
    assert article.approval.revision.sections[1].body == "Start low, go slow."
    assert article.public_revision == approved
    assert article.public_status == Status.APPROVED
    assert article in Article.objects.public(show_unapproved=False)
    # a status change after approval, in the history, and no review event (nothing to review)
    assert article.history.count() == before["history"] + 1
    assert article.history.first().history_user == people["author"]
    assert article.review_events.count() == before["events"]

    services.submit(article, by=people["author"])
    assert fresh(article).public_revision == approved  # pending revisions are staff-only
    services.start_review(article, by=people["reviewer"])
    second = services.approve(article, by=people["reviewer"])
    article = fresh(article)
    assert article.approval == second != approval
    assert article.public_revision == new
    assert article.public_revision.sections[1].body == "Start at the lowest dose."


def test_approving_a_revision_older_than_the_one_in_review_is_a_conflict(people):
    article = article_in("under_review", author=people["author"], reviewer=people["reviewer"])
    seen = article.submitted_revision_id  # what the reviewer has on screen
    edit(article, by=people["author"])  # withdrawn…
    services.submit(article, by=people["author"])  # …and resubmitted as revision 2
    assert fresh(article).submitted_revision_id != seen

    before = fingerprint(article)
    with pytest.raises(ConflictError, match="changed while you were reviewing"):
        services.approve(article, by=people["reviewer"], seen_revision_id=seen)
    assert fingerprint(article) == before

    services.start_review(article, by=people["reviewer"])
    before = fingerprint(article)
    with pytest.raises(ConflictError, match="revision 2 is now the one under review"):
        services.approve(article, by=people["reviewer"], seen_revision_id=seen)
    with pytest.raises(ConflictError):
        services.request_changes(article, by=people["reviewer"], comment="x", seen_revision_id=seen)
    assert fingerprint(article) == before

    current = fresh(article).submitted_revision_id
    services.approve(article, by=people["reviewer"], seen_revision_id=current)
    assert fresh(article).approval.revision_id == current


def test_approving_an_approved_article_names_the_first_approver(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    second = staff(BOARD, first_name="Chen", last_name="Li")
    before = fingerprint(article)
    with pytest.raises(ConflictError) as raised:
        services.approve(article, by=second, comment="Also fine.")
    assert "Already approved by Ana Ruiz" in str(raised.value)
    assert fingerprint(article) == before
    assert article.review_events.filter(action=Action.APPROVED).count() == 1


# --- request changes -----------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   ", "\n\t"])
def test_requesting_changes_needs_a_comment(people, comment):
    article = article_in("under_review", author=people["author"], reviewer=people["reviewer"])
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="comment is required"):
        services.request_changes(article, by=people["reviewer"], comment=comment)
    assert fingerprint(article) == before


def test_the_change_request_comment_is_on_the_event(people):
    article = article_in("under_review", author=people["author"], reviewer=people["reviewer"])
    event = services.request_changes(
        article, by=people["reviewer"], comment="  Section 2 needs the renal dose.\n"
    )
    article = fresh(article)
    assert article.status == Status.DRAFT
    assert event.comment == "Section 2 needs the renal dose."
    assert event.revision == article.submitted_revision
    assert article.review_events.get(action=Action.CHANGES_REQUESTED) == event


# --- next review due -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 11, 30), 3, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 12, 15), 1, datetime.date(2026, 1, 15)),
        (datetime.date(2025, 5, 15), 12, datetime.date(2026, 5, 15)),
        (datetime.date(2025, 3, 31), 60, datetime.date(2030, 3, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert services._add_months(start, months) == expected


@pytest.mark.parametrize(
    ("approved_on", "interval", "due"),
    [
        (datetime.date(2025, 5, 15), 12, datetime.date(2026, 5, 15)),
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
    ],
)
def test_next_review_due_is_the_approval_date_plus_the_topic_interval(
    people, approved_on, interval, due
):
    topic = TopicFactory(review_interval_months=interval)
    article = article_in(
        "under_review", author=people["author"], reviewer=people["reviewer"], topic=topic
    )
    with mock.patch.object(services.timezone, "localdate", return_value=approved_on):
        services.approve(article, by=people["reviewer"])
    assert fresh(article).next_review_due == due


def test_next_review_due_defaults_to_twelve_months_from_today(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    assert article.topic.review_interval_months == 12
    approved_on = timezone.localdate(article.approval.created_at)
    try:
        expected = approved_on.replace(year=approved_on.year + 1)
    except ValueError:  # approved on February 29
        expected = approved_on.replace(year=approved_on.year + 1, day=28)
    assert article.next_review_due == expected
    assert not article.is_review_overdue


def test_overdue_lists_approved_articles_past_their_review_date(people):
    author, reviewer = people["author"], people["reviewer"]
    overdue = article_in("under_review", author=author, reviewer=reviewer)
    with mock.patch.object(services.timezone, "localdate", return_value=datetime.date(2020, 3, 10)):
        services.approve(overdue, by=reviewer)
    current = article_in("approved", author=author, reviewer=reviewer)
    pending = article_in("under_review", author=author, reviewer=reviewer)

    assert fresh(overdue).next_review_due == datetime.date(2021, 3, 10)
    assert list(Article.objects.overdue()) == [fresh(overdue)]
    assert fresh(overdue).is_review_overdue
    assert not fresh(current).is_review_overdue
    assert pending not in Article.objects.overdue()
    later = current.next_review_due + datetime.timedelta(days=1)
    assert set(Article.objects.overdue(today=later)) == {fresh(overdue), fresh(current)}


# --- one history row and one event per transition -------------------------------------------


def test_every_transition_writes_one_history_row_and_one_event(people):
    author, reviewer, chief = people["author"], people["reviewer"], staff(CHIEFS)
    article = new_article(author)
    steps = [
        (author, Action.SUBMITTED, lambda: services.submit(article, by=author)),
        (reviewer, Action.REVIEW_STARTED, lambda: services.start_review(article, by=reviewer)),
        (
            reviewer,
            Action.CHANGES_REQUESTED,
            lambda: services.request_changes(article, by=reviewer, comment="Shorter, please."),
        ),
        (author, Action.SUBMITTED, lambda: services.submit(article, by=author)),
        (author, Action.WITHDRAWN, lambda: edit(article, by=author)),
        (author, Action.SUBMITTED, lambda: services.submit(article, by=author)),
        (
            chief,
            Action.ASSIGNED,
            lambda: services.assign(article, people["assignee"], by=chief),
        ),
        (
            reviewer,
            Action.TAKEN_OVER,
            lambda: services.take_over(article, by=reviewer, reason="Ben is away."),
        ),
        (
            reviewer,
            Action.APPROVED,
            lambda: services.approve(article, by=reviewer, comment="Good."),
        ),
        (
            author,
            Action.RESTORED,
            lambda: services.restore(article, article.revisions.get(number=1), by=author),
        ),
        (chief, Action.UNPUBLISHED, lambda: services.unpublish(article, by=chief, comment="Old.")),
    ]
    for actor, action, step in steps:
        before = fingerprint(article)
        step()
        assert_one_step_recorded(article, before, by=actor, action=action)
    reasons = [h.history_change_reason for h in fresh(article).history.all()[: len(steps)]]
    assert reasons[-1] == "Submitted revision 1 for review"
    assert "Approved revision 2" in reasons
    assert "Restored revision 1 as a new draft" in reasons


# --- restore -------------------------------------------------------------------------------


def test_restore_puts_old_text_back_as_a_draft_the_restorer_cannot_approve(people):
    author, reviewer = people["author"], people["reviewer"]
    article = new_article(
        author,
        headline="Old headline",
        bottom_line="Old bottom line.",
        question__text="What is the old question about dosing?",
    )
    old = services.submit(article, by=author)
    services.start_review(article, by=reviewer)
    services.approve(article, by=reviewer)

    # a new text, approved too
    article = fresh(article)
    article.headline, article.bottom_line = "New headline", "New bottom line."
    article.save()
    article.question.text = "What is the new question about dosing?"
    article.question.save()
    article.sections.get(position=1).delete()
    SectionFactory(article=article, position=3, heading="Monitoring", body="Check potassium.")
    services.record_edit(article, by=author)
    services.submit(article, by=author)
    services.start_review(article, by=reviewer)
    approval = services.approve(article, by=reviewer)
    approved = approval.revision
    assert approved.content != old.content

    restorer = staff(EDITORS, BOARD)
    before = fingerprint(article)
    restored = services.restore(article, old, by=restorer)
    article = fresh(article)

    assert snapshot(article) == old.content
    assert article.headline == "Old headline"
    assert article.bottom_line == "Old bottom line."
    assert article.question.text == "What is the old question about dosing?"
    assert [(s.position, s.heading, s.body) for s in article.sections.order_by("position")] == [
        (1, "Assessment", "Take a history."),
        (2, "Treatment", "Start low, go slow."),
    ]
    assert article.status == Status.DRAFT
    assert article.version == before["version"] + 1
    assert restored.number == approved.number + 1
    assert restored.content == old.content
    assert restored.content_hash == old.content_hash
    assert restored.created_by == restorer
    assert article.approval == approval
    assert article.public_revision == approved
    event = assert_one_step_recorded(article, before, by=restorer, action=Action.RESTORED)
    assert event.revision == restored

    services.submit(article, by=author)
    assert fresh(article).submitted_revision == restored
    with pytest.raises(TransitionError, match="You edited this article"):
        services.start_review(article, by=restorer)
    services.start_review(article, by=reviewer)
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="You edited this article"):
        services.approve(article, by=restorer)
    assert fingerprint(article) == before


def test_restore_refuses_another_articles_revision_and_readers(people):
    mine = article_in("submitted", author=people["author"], reviewer=people["reviewer"])
    other = article_in("submitted", author=people["author"], reviewer=people["reviewer"])
    before = fingerprint(mine)
    with pytest.raises(TransitionError, match="another article"):
        services.restore(mine, other.submitted_revision, by=people["author"])
    with pytest.raises(TransitionError, match="may not restore"):
        services.restore(mine, mine.submitted_revision, by=people["reviewer"])
    assert fingerprint(mine) == before


# --- unpublish -----------------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "  "])
def test_unpublish_needs_a_reason(people, comment):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="reason"):
        services.unpublish(article, by=people["chief_editor"], comment=comment)
    assert fingerprint(article) == before


@pytest.mark.parametrize("state", ["submitted", "approved", "edited_after_approval"])
def test_unpublish_takes_the_article_off_the_site_and_keeps_its_history(people, state):
    article = article_in(state, author=people["author"], reviewer=people["reviewer"])
    assert article in Article.objects.public(show_unapproved=True)
    revisions = set(article.revisions.values_list("pk", flat=True))
    events = set(article.review_events.values_list("pk", flat=True))

    event = services.unpublish(article, by=people["chief_editor"], comment="Superseded.")
    article = fresh(article)
    assert article not in Article.objects.public(show_unapproved=True)
    assert article not in Article.objects.public(show_unapproved=False)
    assert article.public_revision is None
    assert article.status == Status.DRAFT
    assert set(article.revisions.values_list("pk", flat=True)) == revisions
    assert set(article.review_events.values_list("pk", flat=True)) == events | {event.pk}
    assert event.comment == "Superseded."
    if state != "submitted":
        assert article.review_events.filter(action=Action.APPROVED).exists()
        assert event.revision == article.review_events.get(action=Action.APPROVED).revision


# --- e-mails -------------------------------------------------------------------------------


@pytest.fixture
def newsroom(people):
    """`people` plus a co-author and a second chief editor. Also in the Chief editors group,
    and never mailed: `people["inactive"]` and a chief editor without an e-mail address."""
    staff(CHIEFS, email="")
    return {
        **people,
        "coauthor": staff(EDITORS),
        "chief": people["chief_editor"],
        "chief2": staff(CHIEFS),
    }


def emails(*users):
    return sorted(user.email for user in users)


def outside_the_board():
    """A topic in a specialty no board member here declared: a submission goes to the chief
    editors (and a holder) only. Its announcement to a specialty: test_specialties."""
    return TopicFactory(specialty=SpecialtyFactory(name="Nephrology"))


def test_submit_mails_the_chief_editors(newsroom, mailoutbox, django_capture_on_commit_callbacks):
    n = newsroom
    article = new_article(n["author"], n["coauthor"], topic=outside_the_board())
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(article, by=n["author"])
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == emails(n["chief"], n["chief2"])
    assert article.headline in mailoutbox[0].subject
    assert "Submitted for review" in mailoutbox[0].subject


def test_resubmission_also_mails_the_assigned_reviewer(
    newsroom, mailoutbox, django_capture_on_commit_callbacks
):
    n = newsroom
    article = article_in(
        "under_review", author=n["author"], reviewer=n["reviewer"], topic=outside_the_board()
    )
    edit(article, by=n["author"])  # withdrawn from review; still assigned to the reviewer
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(article, by=n["author"])
    assert [sorted(m.to) for m in mailoutbox] == [emails(n["chief"], n["chief2"], n["reviewer"])]


def test_a_chief_editor_who_submits_is_not_mailed(
    newsroom, mailoutbox, django_capture_on_commit_callbacks
):
    n = newsroom
    article = new_article(n["chief"], topic=outside_the_board())
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(article, by=n["chief"])
    assert [m.to for m in mailoutbox] == [[n["chief2"].email]]


def test_assign_mails_the_reviewer(newsroom, mailoutbox, django_capture_on_commit_callbacks):
    n = newsroom
    article = article_in("submitted", author=n["author"], reviewer=n["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(article, n["assignee"], by=n["chief"])
    assert [m.to for m in mailoutbox] == [[n["assignee"].email]]
    assert "Ben Okafor" in mailoutbox[0].body


def test_request_changes_mails_the_authors(
    newsroom, mailoutbox, django_capture_on_commit_callbacks
):
    n = newsroom
    article = new_article(n["author"], n["coauthor"])
    services.submit(article, by=n["author"])
    services.start_review(article, by=n["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(article, by=n["reviewer"], comment="Cite the trial.")
    assert [sorted(m.to) for m in mailoutbox] == [emails(n["author"], n["coauthor"])]
    assert "Cite the trial." in mailoutbox[0].body


def test_approve_mails_the_authors_and_chief_editors(
    newsroom, mailoutbox, django_capture_on_commit_callbacks
):
    n = newsroom
    article = new_article(n["author"], n["coauthor"])
    services.submit(article, by=n["author"])
    services.start_review(article, by=n["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(article, by=n["reviewer"], comment="Sound.")
    assert [sorted(m.to) for m in mailoutbox] == [
        emails(n["author"], n["coauthor"], n["chief"], n["chief2"])
    ]


def test_a_chief_editor_on_the_board_who_approves_is_not_mailed(
    newsroom, mailoutbox, django_capture_on_commit_callbacks
):
    n = newsroom
    chief_reviewer = chief_editor_without_account_rights(BOARD)
    article = article_in("submitted", author=n["author"], reviewer=n["reviewer"])
    services.start_review(article, by=chief_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(article, by=chief_reviewer)
    assert [sorted(m.to) for m in mailoutbox] == [emails(n["author"], n["chief"], n["chief2"])]


@pytest.mark.parametrize(
    ("state", "attempt"),
    [
        ("under_review", lambda n, a: services.approve(a, by=n["author"])),
        ("approved", lambda n, a: services.approve(a, by=n["assignee"])),
        ("submitted", lambda n, a: services.submit(a, by=n["author"])),
        ("submitted", lambda n, a: services.assign(a, n["author"], by=n["chief"])),
        ("under_review", lambda n, a: services.request_changes(a, by=n["reviewer"], comment=" ")),
        ("under_review", lambda n, a: services.approve(a, by=n["assignee"])),
        ("under_review", lambda n, a: services.take_over(a, by=n["assignee"], reason=" ")),
        ("under_review", lambda n, a: services.take_over(a, by=n["superuser"], reason="Me.")),
    ],
    ids=[
        "approve-own",
        "approve-twice",
        "submit-twice",
        "assign-author",
        "blank-comment",
        "approve-not-holding",
        "take-over-without-reason",
        "take-over-by-superuser",
    ],
)
def test_a_refused_transition_sends_nothing(
    newsroom, mailoutbox, django_capture_on_commit_callbacks, state, attempt
):
    author_on_board = staff(EDITORS, BOARD)
    n = {**newsroom, "author": author_on_board}
    article = article_in(state, author=author_on_board, reviewer=n["reviewer"])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(TransitionError),
    ):
        attempt(n, article)
    assert callbacks == []
    assert mailoutbox == []


# --- the role groups -----------------------------------------------------------------------


def test_the_groups_in_the_database_match_the_roles_module():
    in_database = {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.prefetch_related("permissions")
    }
    assert in_database == {name: set(codes) for name, codes in roles.PERMISSIONS.items()}
    assert set(roles.PERMISSIONS) == {EDITORS, BOARD, CHIEFS, roles.ACCOUNT_ADMINISTRATORS}


def test_no_role_both_reviews_and_administers_accounts():
    for name, codes in roles.PERMISSIONS.items():
        assert not (set(codes) & roles.REVIEWING and set(codes) & roles.ACCOUNT_ADMINISTRATION), (
            name
        )
    assert set(roles.PERMISSIONS[BOARD]) & roles.REVIEWING
    assert set(roles.PERMISSIONS[roles.ACCOUNT_ADMINISTRATORS]) & roles.ACCOUNT_ADMINISTRATION

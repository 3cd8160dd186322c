"""The periodic review: "Confirm still current" (reviews.services.confirm_current) re-approves
an approved article's approved revision as it stands. From every state and for every role,
four eyes, the refusals (not approved, working copy changed, text tampered), a stale screen,
the new review date, and what readers, the catalogue, the page cache, the review screen and
the e-mails show afterwards."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Listing, ReviewEvent
from articles.revisions import Revision
from reviews import services, workflow
from reviews.services import ConflictError, TransitionError
from tests.factories import SectionFactory, TopicFactory, logged_in
from tests.factories import staff as admin_user
from tests.reviews import test_transitions
from tests.reviews.test_transitions import (
    BOARD,
    EDITORS,
    ROLES,
    STATES,
    article_in,
    edit,
    fingerprint,
    fresh,
    new_article,
    staff,
)
from tests.tampering import tamper

pytestmark = pytest.mark.django_db

Status = Article.Status
Action = ReviewEvent.Action
A, NO = Status.APPROVED, "refused"
LAST_YEAR = datetime.datetime(2025, 3, 10, 9, 30, tzinfo=datetime.UTC)


def approved_last_year(author, reviewer, **fields):
    """An article approved by `reviewer` on March 10, 2025 (so a confirmation today shows a
    different date)."""
    with mock.patch("django.utils.timezone.now", return_value=LAST_YEAR):
        return article_in("approved", author=author, reviewer=reviewer, **fields)


# test_transitions' cast (the setup's author and reviewer, a board member to assign) and
# people (the cast plus one user of each acting role of the matrix), shared, not copied.
cast = test_transitions.cast
people = test_transitions.people


# --- the transition from every state, for every role ---------------------------------------

#                  draft  changes  submitted  under_review  approved  edited
MATRIX = {
    "nobody":        (NO,   NO,      NO,        NO,           NO,       NO),
    "inactive":      (NO,   NO,      NO,        NO,           NO,       NO),
    "editor":        (NO,   NO,      NO,        NO,           NO,       NO),
    "reviewer":      (NO,   NO,      NO,        NO,           A,        NO),
    "board_member":  (NO,   NO,      NO,        NO,           A,        NO),
    "account_admin": (NO,   NO,      NO,        NO,           NO,       NO),
    "chief_editor":  (NO,   NO,      NO,        NO,           NO,       NO),
    "superuser":     (NO,   NO,      NO,        NO,           NO,       NO),
}  # fmt: skip

CASES = [
    pytest.param(state, role, expected, id=f"confirm_current-{state}-{role}")
    for role, outcomes in MATRIX.items()
    for state, expected in zip(STATES, outcomes, strict=True)
]


def test_the_row_is_in_the_workflow_table_and_the_matrix_covers_it():
    row = workflow.BY_ACTION["confirm_current"]
    assert (row.sources, row.target, row.comment) == ((A,), A, "optional")
    assert row.reviewing
    assert row.on_review_screen
    assert set(MATRIX) == {*ROLES, "reviewer"}
    assert len(CASES) == len(STATES) * len(MATRIX)


@pytest.mark.parametrize(("state", "role", "expected"), CASES)
def test_confirm_current_matrix(cast, state, role, expected):
    article = article_in(state, author=cast["author"], reviewer=cast["reviewer"])
    actor = cast["reviewer"] if role == "reviewer" else ROLES[role]()
    before = fingerprint(article)
    old_approval = article.approval

    if expected == NO:
        with pytest.raises(TransitionError) as raised:
            services.confirm_current(article, by=actor, comment="Still right.")
        assert not isinstance(raised.value, ConflictError)
        assert str(raised.value)
        assert fingerprint(article) == before
        return

    event = services.confirm_current(article, by=actor, comment="Checked against the sources.")
    after = fresh(article)
    assert after.status == Status.APPROVED
    assert after.approval == event != old_approval
    assert (event.action, event.actor, event.comment) == (
        Action.APPROVED,
        actor,
        "Checked against the sources.",
    )
    assert event.revision_id == old_approval.revision_id
    assert after.revisions.count() == before["revisions"]  # no edit, no new revision
    assert after.history.count() == before["history"] + 1
    latest = after.history.first()
    assert latest.history_user == actor
    assert latest.history_change_reason.startswith("Confirmed revision ")
    assert after.review_events.count() == before["events"] + 1
    assert workflow.is_confirmation(event)
    assert not workflow.is_confirmation(old_approval)


def test_the_comment_is_optional(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    event = services.confirm_current(article, by=people["board_member"])
    assert event.comment == ""


# --- four eyes -----------------------------------------------------------------------------


def test_an_author_on_the_board_may_not_confirm(people):
    author = staff(EDITORS, BOARD)
    article = article_in("approved", author=author, reviewer=people["reviewer"])
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="You are an author of this article"):
        services.confirm_current(article, by=author)
    assert fingerprint(article) == before


def test_whoever_saved_the_approved_text_may_not_confirm_it(people):
    """A board member who edited the text that was approved (not an author) is the last
    editor of that revision: four eyes, as for the approval itself."""
    helper = staff(EDITORS, BOARD)
    article = article_in(
        "edited_after_approval", author=people["author"], reviewer=people["reviewer"]
    )
    edit(article, by=helper, body="Start lower still.")
    services.submit(article, by=people["author"])
    services.approve(article, by=people["reviewer"])
    article = fresh(article)
    assert article.approval.revision.created_by == helper
    with pytest.raises(TransitionError, match="You edited the text approved as revision"):
        services.confirm_current(article, by=helper)
    services.confirm_current(article, by=people["board_member"])  # someone else may


def test_an_edit_before_an_earlier_approval_does_not_bar_confirming(people):
    """Four eyes look at the revisions the current text was approved over, since the approval
    of an earlier text: an old edit, approved by someone else since, does not count."""
    helper = staff(EDITORS, BOARD)
    article = new_article(people["author"])
    services.submit(article, by=people["author"])
    edit(article, by=helper)  # revision 2, withdrawn
    services.submit(article, by=people["author"])
    services.approve(article, by=people["reviewer"])  # revision 2: helper may not confirm it
    with pytest.raises(TransitionError, match="You edited"):
        services.confirm_current(fresh(article), by=helper)
    edit(fresh(article), by=people["author"], body="Revised by the author.")  # revision 3
    services.submit(article, by=people["author"])
    services.approve(article, by=people["reviewer"])
    event = services.confirm_current(fresh(article), by=helper)
    assert event.revision.number == 3


def test_account_administrators_are_refused_with_the_separation_of_duties_message(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    with pytest.raises(TransitionError, match="Account administrators can't review"):
        services.confirm_current(article, by=people["account_admin"])


# --- refusals and conflicts ----------------------------------------------------------------


def test_refused_when_the_working_copy_differs_from_the_approved_revision(people):
    """The working copy changed without a recorded edit (here written directly): the service
    compares the text itself, not only the status, and sends the editor to submit."""
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    article.sections.filter(position=1).update(body="Take a longer history.")
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="differs from the approved revision 1") as raised:
        services.confirm_current(article, by=people["board_member"])
    assert "submit it for review instead" in str(raised.value)
    assert fingerprint(article) == before


def test_refused_when_a_cited_reference_changed_in_the_library(people):
    from tests.factories import ReferenceFactory

    reference = ReferenceFactory(key="smith2020", title="Original title")
    article = new_article(people["author"])
    SectionFactory(article=article, position=3, heading="Evidence", body="As shown [@smith2020].")
    services.submit(article, by=people["author"])
    services.approve(article, by=people["reviewer"])
    reference.title = "Corrected title"
    reference.save()
    article = fresh(article)
    assert not workflow.BY_ACTION["confirm_current"].allows_state(article)  # no button
    with pytest.raises(TransitionError, match="a cited reference changed in the library"):
        services.confirm_current(article, by=people["board_member"])


def test_refused_when_the_approved_text_was_tampered_with(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    revision = article.approval.revision
    tamper(revision, {**revision.content, "headline": "Changed behind the app's back"})
    before = fingerprint(article)
    with pytest.raises(TransitionError, match="no longer matches what was approved"):
        services.confirm_current(article, by=people["board_member"])
    assert fingerprint(article) == before


def test_a_confirmation_from_a_stale_screen_is_a_conflict_naming_who_confirmed(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    seen = article.approval_id
    services.confirm_current(article, by=people["reviewer"], seen_approval_id=seen)
    before = fingerprint(article)
    with pytest.raises(ConflictError, match=r"^Ana Ruiz confirmed or approved this article on "):
        services.confirm_current(article, by=people["board_member"], seen_approval_id=seen)
    assert fingerprint(article) == before


def test_a_confirmation_of_an_article_unpublished_meanwhile_is_a_conflict(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    seen = article.approval_id
    services.unpublish(article, by=staff(roles_chief()), comment="Withdrawn guidance.")
    with pytest.raises(ConflictError, match="it is now draft"):
        services.confirm_current(article, by=people["board_member"], seen_approval_id=seen)


def roles_chief():
    from reviews import roles

    return roles.CHIEF_EDITORS


# --- the new review date -------------------------------------------------------------------


def test_the_next_review_is_due_one_topic_interval_from_the_confirmation(people):
    topic = TopicFactory(review_interval_months=6)
    article = approved_last_year(people["author"], people["reviewer"], topic=topic)
    assert article.next_review_due == datetime.date(2025, 9, 10)
    with mock.patch.object(services.timezone, "localdate", return_value=datetime.date(2026, 8, 31)):
        services.confirm_current(article, by=people["board_member"])
    assert fresh(article).next_review_due == datetime.date(2027, 2, 28)
    assert not Article.objects.overdue(datetime.date(2026, 9, 1)).filter(pk=article.pk).exists()


# --- what readers, the catalogue and the cached page show ----------------------------------


def test_readers_see_the_new_reviewer_and_date_at_once_even_from_the_page_cache(
    client, people, django_capture_on_commit_callbacks
):
    reviewer, confirmer = people["reviewer"], people["board_member"]
    confirmer.first_name, confirmer.last_name = "Chen", "Li"
    confirmer.save()
    confirmer.reviewer_profile.display_name = "Chen Li"  # readers see the profile's name
    confirmer.reviewer_profile.save()
    article = approved_last_year(people["author"], reviewer)
    first = client.get(article.get_absolute_url())
    assert first["X-Cache"] == "MISS"
    assert client.get(article.get_absolute_url())["X-Cache"] == "HIT"
    page = first.content.decode()
    assert "Medically reviewed by" in page
    assert "Ana Ruiz" in page
    assert "March 10, 2025" in page

    with django_capture_on_commit_callbacks(execute=True):
        event = services.confirm_current(article, by=confirmer)

    response = client.get(article.get_absolute_url())
    assert response["X-Cache"] != "HIT"  # the stored page went with the old state
    page = response.content.decode()
    today = f"{timezone.localtime(event.created_at):%B %-d, %Y}"
    reviewed_by = page[page.index('class="reviewed-by"') :][:600]
    assert "Chen Li" in reviewed_by
    assert today in reviewed_by
    assert "March 10, 2025" not in reviewed_by
    # Readers' review history: two reviews of revision 1, the newest one being the page's.
    history = page[page.index('class="review-history"') : page.index("</details>")]
    assert "2 reviews" in history
    assert history.index(today) < history.index("March 10, 2025")
    assert history.count("revision 1") == 2
    words = re.sub(r"<[^>]+>", "", history)  # both names link to their board profiles
    assert "Reviewed by Chen Li" in words
    assert "Reviewed by Ana Ruiz" in words
    # The confirmation says it changed nothing; the first review keeps its own summary.
    assert history.count("Confirmed still current: no change") == 1
    assert history.index("Confirmed still current") < history.index("March 10, 2025")
    assert client.get(article.get_absolute_url())["X-Cache"] == "HIT"  # stored again


def test_the_catalogue_shows_the_new_review_date_and_reviewer(people):
    article = approved_last_year(people["author"], people["reviewer"])
    listing = Listing.objects.get(article=article)
    assert listing.reviewed_at == LAST_YEAR
    event = services.confirm_current(article, by=people["board_member"])
    listing = Listing.objects.get(article=article)
    assert listing.reviewed_at == event.created_at
    assert listing.reviewer_id == people["board_member"].pk
    assert listing.status == Status.APPROVED


def test_the_approved_badge_stays_over_the_same_intact_text(people, client):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    services.confirm_current(article, by=people["board_member"])
    article = fresh(article)
    assert article.public_revision == Revision.objects.get(article=article, number=1)
    tamper(article.public_revision, {**article.public_revision.content, "headline": "Forged"})
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Medically reviewed by" not in page


# --- the review screen ---------------------------------------------------------------------


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def board_member(**fields):
    return staff(BOARD, is_staff=True, **fields)  # declares the specialty (test_transitions)


def test_the_review_screen_offers_confirm_and_records_it(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    member = board_member(first_name="Chen", last_name="Li")
    client = logged_in(member)
    page = client.get(review_url(article)).content.decode()
    assert 'value="confirm_current"' in page
    assert "Confirm still current (revision 1)" in page
    assert f'name="seen_approval" value="{article.approval_id}"' in page

    response = client.post(
        review_url(article),
        {"action": "confirm_current", "comment": "", "seen_approval": article.approval_id},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirmed revision 1 still current." in page
    assert fresh(article).approval.actor == member
    # The staff log tells the confirmation from the first approval.
    assert "<strong>Confirmed still current</strong> by Chen Li" in page
    assert "<strong>Approved</strong> by Ana Ruiz" in page


def test_the_review_screen_reports_a_stale_confirmation_as_a_conflict(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    seen = article.approval_id
    services.confirm_current(article, by=people["reviewer"])
    client = logged_in(board_member())
    response = client.post(
        review_url(article), {"action": "confirm_current", "seen_approval": seen}
    )
    assert response.status_code == 409
    assert "after you opened it: your confirmation was not recorded" in response.content.decode()
    assert fresh(article).approval.actor == people["reviewer"]


def test_the_review_screen_says_why_an_author_may_not_confirm(people):
    author = admin_user(EDITORS, BOARD)
    article = article_in("approved", author=author, reviewer=people["reviewer"])
    page = logged_in(author).get(review_url(article)).content.decode()
    assert 'value="confirm_current"' not in page
    assert "You are an author of this article; another board member must confirm it." in page


@pytest.mark.parametrize("state", ["submitted", "edited_after_approval"])
def test_no_confirm_button_unless_approved_and_unchanged(people, state):
    article = article_in(state, author=people["author"], reviewer=people["reviewer"])
    response = logged_in(board_member()).get(review_url(article))
    assert response.status_code == 200
    assert 'value="confirm_current"' not in response.content.decode()


def test_no_confirm_button_for_an_account_administrator(people):
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    admin = people["account_admin"]
    admin.is_staff = True
    admin.save()
    response = logged_in(admin).get(review_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="confirm_current"' not in page
    assert "Account administrators can" in page


# --- e-mail --------------------------------------------------------------------------------


def test_the_authors_and_chief_editors_hear_of_the_confirmation(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    chief = staff(roles_chief())
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_current(article, by=people["board_member"])
    (mail,) = mailoutbox
    assert mail.subject == f"[Vetted] Confirmed still current: {article.headline}"
    assert set(mail.to) == {people["author"].email, chief.email, people["chief_editor"].email}
    assert "confirmed still current" in mail.body


def test_approving_the_same_text_again_after_unpublishing_is_not_a_confirmation(people):
    """Unpublished, then submitted again unchanged: the same revision is approved anew, a
    fresh approval and not a confirmation; a confirmation after it is one."""
    article = article_in("approved", author=people["author"], reviewer=people["reviewer"])
    services.unpublish(article, by=staff(roles_chief()), comment="Under legal review.")
    services.submit(article, by=people["author"])
    again = services.approve(article, by=people["reviewer"])
    assert again.revision == fresh(article).revisions.get(number=1)
    assert not workflow.is_confirmation(again)
    confirmed = services.confirm_current(article, by=people["board_member"])
    assert workflow.is_confirmation(confirmed)
    events = list(fresh(article).review_events.all())
    assert workflow.confirmations(events) == {confirmed.pk}

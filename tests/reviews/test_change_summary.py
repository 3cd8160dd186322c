"""The editor's one-line summary of what changed, for readers' review history: written on
submitting and stored on that submission (its review event), never on the revision — a
revision is frozen text, and the one a save recorded is the one submitted. Checked like any
other input, only ever on a submission (a database constraint), and shown to the reviewer as
part of what they approve."""

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.models import Article, ReviewEvent
from articles.revisions import Revision, is_intact, record
from articles.validators import CHANGE_SUMMARY_MAX_LENGTH, clean_change_summary
from demo import data as demo_content
from reviews import roles, services
from reviews.forms import ReviewActionForm
from tests.demo.helpers import demo_article, load_demo
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    board_member,
    logged_in,
    user_with_role,
)

pytestmark = pytest.mark.django_db

SUMMARY = "Added advice for people over 80."
Action = ReviewEvent.Action


@pytest.fixture
def editor():
    return user_with_role(roles.EDITORS, first_name="Eve", last_name="Editor")


@pytest.fixture
def reviewer():
    # Declaring every factory topic's specialty: approvals are ordinary ones.
    return board_member(first_name="Ana", last_name="Ruiz", specialties=["General medicine"])


@pytest.fixture
def draft(editor):
    """A draft as an editor leaves it after saving in the admin: its working copy is recorded
    as revision 1."""
    article = ArticleFactory()
    SectionFactory(article=article, heading="Dose", body="Start low.")
    article.authors.add(editor)
    services.record_edit(article, by=editor)
    return article


def edit(article, editor, body: str) -> Article:
    section = article.sections.get()
    section.body = body
    section.save()
    services.record_edit(article, by=editor)
    article.refresh_from_db()
    return article


def send_back(article, reviewer):
    services.start_review(article, by=reviewer)
    services.request_changes(article, by=reviewer, comment="Check the dose.")


def submissions(article) -> list[tuple[int, str]]:
    """(revision number, summary) of every submission of `article`, oldest first."""
    return list(
        ReviewEvent.objects.filter(article=article, action=Action.SUBMITTED)
        .order_by("created_at", "pk")
        .values_list("revision__number", "change_summary")
    )


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


# -- the service -----------------------------------------------------------------------------


def test_a_first_submission_stores_the_summary_on_its_event(editor):
    article = ArticleFactory()
    SectionFactory(article=article)
    article.authors.add(editor)
    revision = services.submit(article, by=editor, change_summary=f"  {SUMMARY}  ")
    assert revision.number == 1
    assert submissions(article) == [(1, SUMMARY)]  # stripped


def test_a_submit_after_a_save_records_no_revision_of_its_own(draft, editor):
    saved = draft.revisions.get()
    revision = services.submit(draft, by=editor, change_summary=SUMMARY)
    assert revision == saved
    assert draft.revisions.count() == 1
    assert submissions(draft) == [(1, SUMMARY)]
    draft.refresh_from_db()
    assert draft.status == Article.Status.SUBMITTED
    assert draft.submitted_revision == saved


def test_revisions_carry_no_summary_and_stay_intact(draft, editor):
    revision = services.submit(draft, by=editor, change_summary=SUMMARY)
    assert "change_summary" not in {f.name for f in Revision._meta.get_fields()}
    assert SUMMARY not in str(revision.content)
    assert is_intact(revision)


def test_record_returns_the_latest_revision_when_the_text_is_unchanged(draft, editor):
    saved = draft.revisions.get()
    assert record(draft, by=editor) == saved
    assert draft.revisions.count() == 1


def test_submitting_without_a_summary_stores_an_empty_one(draft, editor):
    assert services.submit(draft, by=editor) == draft.revisions.get()
    assert submissions(draft) == [(1, "")]


def test_a_save_after_submitting_keeps_the_submitted_revision_and_its_summary(draft, editor):
    revision = services.submit(draft, by=editor, change_summary=SUMMARY)
    again = services.record_edit(draft, by=editor)  # a save that changes nothing
    assert again == revision
    draft.refresh_from_db()
    assert draft.status == Article.Status.SUBMITTED
    assert draft.revisions.count() == 1
    assert submissions(draft) == [(1, SUMMARY)]


def test_each_submission_of_the_same_revision_keeps_its_own_summary(draft, editor, reviewer):
    first = services.submit(draft, by=editor, change_summary=SUMMARY)
    send_back(draft, reviewer)
    again = services.submit(draft, by=editor, change_summary="Checked the dose again.")
    assert again == first
    assert draft.revisions.count() == 1
    assert submissions(draft) == [(1, SUMMARY), (1, "Checked the dose again.")]


def test_an_edit_is_submitted_with_its_own_summary(draft, editor, reviewer):
    services.submit(draft, by=editor, change_summary=SUMMARY)
    services.start_review(draft, by=reviewer)
    services.approve(draft, by=reviewer)
    edited = edit(draft, editor, "Start low; go slow.")
    revision = services.submit(
        edited, by=editor, change_summary="Said to increase the dose slowly."
    )
    assert revision.number == 2
    assert revision.content["sections"][0]["body"] == "Start low; go slow."
    assert submissions(draft) == [(1, SUMMARY), (2, "Said to increase the dose slowly.")]


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("First line.\nSecond line.", "Write the summary on one line"),
        ("First line.\rSecond line.", "Write the summary on one line"),
        ("First line.\u2028Second line.", "Write the summary on one line"),
        ("Tab\tinside.", "Write the summary on one line"),
        ("x" * 301, "Keep the summary to 300 characters or fewer (it has 301)"),
    ],
)
def test_a_summary_that_is_not_one_short_line_is_refused_and_nothing_changes(
    draft, editor, summary, message
):
    with pytest.raises(services.TransitionError, match=re.escape(message)):
        services.submit(draft, by=editor, change_summary=summary)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.submitted_revision is None
    assert draft.revisions.count() == 1
    assert not ReviewEvent.objects.filter(article=draft).exists()


def test_exactly_300_characters_are_allowed_once_stripped(draft, editor):
    summary = "y" * CHANGE_SUMMARY_MAX_LENGTH
    services.submit(draft, by=editor, change_summary=f"\t {summary} \n")
    assert submissions(draft) == [(1, summary)]


def test_an_empty_or_missing_summary_cleans_to_empty():
    assert clean_change_summary("  ") == ""
    assert clean_change_summary(None) == ""


# -- the constraint --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        (Action.APPROVED, {}),
        (Action.COMMENTED, {"comment": "A note."}),
        (Action.CHANGES_REQUESTED, {"comment": "Check the dose."}),
        (Action.REVIEW_STARTED, {}),
        (Action.RESTORED, {}),
    ],
)
def test_the_database_refuses_a_summary_on_any_other_action(draft, editor, action, fields):
    revision = draft.revisions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewEvent.objects.create(
            article=draft, revision=revision, action=action, actor=editor,
            change_summary=SUMMARY, **fields,
        )  # fmt: skip
    assert not ReviewEvent.objects.filter(article=draft).exists()


def test_the_database_takes_a_summary_on_a_submission_and_none_elsewhere(draft, editor):
    revision = draft.revisions.get()
    ReviewEvent.objects.create(
        article=draft, revision=revision, action=Action.SUBMITTED, actor=editor,
        change_summary=SUMMARY,
    )  # fmt: skip
    ReviewEvent.objects.create(
        article=draft, revision=revision, action=Action.COMMENTED, actor=editor, comment="Hi."
    )
    assert ReviewEvent.objects.filter(article=draft).count() == 2


# -- the form --------------------------------------------------------------------------------


def form(**data):
    return ReviewActionForm(data)


def test_the_form_refuses_a_second_line_when_submitting():
    bound = form(action="submit", change_summary="One.\nTwo.")
    assert not bound.is_valid()
    assert bound.errors["change_summary"] == [
        "Write the summary on one line, without line breaks or tabs."
    ]


def test_the_form_refuses_a_long_summary_naming_its_length():
    bound = form(action="submit", change_summary="z" * 310)
    assert not bound.is_valid()
    assert bound.errors["change_summary"] == [
        "Keep the summary to 300 characters or fewer (it has 310)."
    ]


def test_the_form_strips_the_summary_and_allows_it_empty():
    bound = form(action="submit", change_summary=f"   {SUMMARY}  ")
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["change_summary"] == SUMMARY
    empty = form(action="submit", change_summary="")
    assert empty.is_valid(), empty.errors
    assert empty.cleaned_data["change_summary"] == ""


def test_other_actions_ignore_the_summary():
    bound = form(action="comment", comment="A note.", change_summary="One.\nTwo.")
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["change_summary"] == ""


def test_the_field_is_labelled_one_line_with_help_described_to_screen_readers():
    rendered = str(form(action="submit", change_summary="x" * 301)["change_summary"])
    assert 'type="text"' in rendered
    assert 'maxlength="300"' in rendered
    assert 'aria-describedby="id_change_summary_helptext id_change_summary_error"' in rendered
    assert 'aria-invalid="true"' in rendered


# -- the review screen -----------------------------------------------------------------------


def summary_shown(page: str) -> str | None:
    """The review screen's line on what readers' review history will say, as text."""
    found = re.search(r'<p class="review-change-summary">(.*?)</p>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def test_the_editor_sees_the_field_with_its_help_and_the_reviewer_does_not(draft, editor, reviewer):
    page = logged_in(editor).get(review_url(draft)).content.decode()
    assert '<label for="id_change_summary">What changed, for readers</label>' in page
    assert 'id="id_change_summary_helptext"' in page
    assert "No material change" in page
    services.submit(draft, by=editor)
    page = logged_in(reviewer).get(review_url(draft)).content.decode()
    assert 'name="change_summary"' not in page


def test_submitting_on_the_review_screen_stores_the_summary_and_says_what_readers_will_see(
    draft, editor
):
    client = logged_in(editor)
    response = client.post(review_url(draft), {"action": "submit", "change_summary": SUMMARY})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.SUBMITTED
    assert draft.revisions.count() == 1
    assert submissions(draft) == [(1, SUMMARY)]
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "success"
    assert str(message) == (
        f"Revision 1 submitted for review. Once it is approved, readers’ review history will "
        f"say: “{SUMMARY}”."
    )


def test_submitting_without_a_summary_says_it_will_read_first_review(draft, editor):
    response = logged_in(editor).post(review_url(draft), {"action": "submit"})
    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert "It has no summary for readers; once approved, the history says “First review”." in str(
        message
    )


def test_resubmitting_unchanged_text_on_the_review_screen_stores_the_new_summary(
    draft, editor, reviewer
):
    services.submit(draft, by=editor, change_summary=SUMMARY)
    send_back(draft, reviewer)
    response = logged_in(editor).post(
        review_url(draft), {"action": "submit", "change_summary": "Checked the dose again."}
    )
    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "success"
    assert str(message) == (
        "Revision 1 submitted for review. Once it is approved, readers’ review history will "
        "say: “Checked the dose again.”."
    )
    assert submissions(draft) == [(1, SUMMARY), (1, "Checked the dose again.")]


TOO_LONG = "Keep the summary to 300 characters or fewer (it has 320)."
TWO_LINES = "Write the summary on one line, without line breaks or tabs."


@pytest.mark.parametrize(
    ("typed", "error"),
    [("<b>Safer</b> dosing " + "w" * 300, TOO_LONG), ("<b>Safer</b>\ndosing", TWO_LINES)],
)
def test_a_refused_summary_keeps_what_was_typed_and_says_why(draft, editor, typed, error):
    response = logged_in(editor).post(
        review_url(draft), {"action": "submit", "change_summary": typed}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{html.escape(typed.strip())}"' in page
    assert "<b>Safer</b>" not in page
    assert error in page
    assert 'id="id_change_summary_error"' in page
    assert 'href="#id_change_summary"' in page
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.revisions.count() == 1
    assert submissions(draft) == []


def test_a_refused_submission_keeps_the_summary_typed(editor):
    article = ArticleFactory()  # no section: the service refuses
    article.authors.add(editor)
    response = logged_in(editor).post(
        review_url(article), {"action": "submit", "change_summary": SUMMARY}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Add at least one section before submitting." in page
    assert f'value="{SUMMARY}"' in page


def test_the_reviewer_sees_the_summary_of_the_submission_under_review(draft, editor, reviewer):
    services.submit(draft, by=editor, change_summary="Dose for <kidney> disease & older people.")
    page = logged_in(reviewer).get(review_url(draft)).content.decode()
    assert summary_shown(page) == (
        "For readers’ review history (submitted with revision 1; part of what is approved): "
        "“Dose for &lt;kidney&gt; disease &amp; older people.”"
    )
    assert "<kidney>" not in page


def test_the_reviewer_sees_the_latest_submission_s_summary(draft, editor, reviewer):
    services.submit(draft, by=editor, change_summary="The first words.")
    send_back(draft, reviewer)
    services.submit(draft, by=editor, change_summary="The second words.")
    page = logged_in(reviewer).get(review_url(draft)).content.decode()
    assert "“The second words.”" in summary_shown(page)
    # The review log lists every submission with its own summary.
    log = page[page.index('id="events-title"') :]
    assert log.index("For readers: “The second words.”") < log.index(
        "For readers: “The first words.”"
    )


def test_the_reviewer_is_told_when_there_is_no_summary(draft, editor, reviewer):
    services.submit(draft, by=editor)
    services.start_review(draft, by=reviewer)
    services.approve(draft, by=reviewer)
    edited = edit(draft, editor, "Start low; go slow.")
    services.submit(edited, by=editor)
    page = logged_in(reviewer).get(review_url(edited)).content.decode()
    assert summary_shown(page).endswith("no summary; readers will see “No material change”.")


def test_nothing_is_said_for_readers_while_nothing_is_in_review(draft, editor, reviewer):
    assert summary_shown(logged_in(editor).get(review_url(draft)).content.decode()) is None
    services.submit(draft, by=editor, change_summary=SUMMARY)
    send_back(draft, reviewer)  # a draft again: the next submission brings its own summary
    assert summary_shown(logged_in(editor).get(review_url(draft)).content.decode()) is None


# -- the demo --------------------------------------------------------------------------------


def test_the_demo_resubmission_carries_its_summary_and_the_first_reviews_have_none():
    load_demo()
    resubmitted = demo_article("under_review")
    [data] = [a for a in demo_content.ARTICLES if a["slug"] == resubmitted.slug]
    assert data["change_summary"] == clean_change_summary(data["change_summary"])
    assert submissions(resubmitted) == [(1, ""), (2, data["change_summary"])]
    assert resubmitted.submitted_revision.number == 2
    approved = demo_article("approved")
    assert [a.submitted_summary for a in ReviewEvent.objects.approvals_of(approved)] == [""]
    load_demo()  # a second run records nothing new
    assert resubmitted.revisions.count() == 2
    assert len(submissions(resubmitted)) == 2

"""Readers' review history on the article page: every approval, newest first, with its date,
reviewer, revision and the editor's one-line summary (the one the approved revision was last
submitted with before the approval); never pending work or staff steps; one query however many
approvals; not on previews."""

import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import readers
from articles.models import ReviewerProfile, ReviewEvent
from articles.readers import show_article
from articles.templatetags.article_tags import machine_time
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SpecialtyFactory,
    user_with_role,
    workflow_to,
)
from tests.tampering import tamper

pytestmark = pytest.mark.django_db

MACHINE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


@pytest.fixture
def editor():
    return user_with_role(roles.EDITORS, first_name="Eve", last_name="Editor")


@pytest.fixture
def reviewer():
    user = user_with_role(roles.MEDICAL_ADVISORY_BOARD, first_name="Ana", last_name="Ruiz")
    profile = ReviewerProfile.objects.create(
        user=user,
        slug="ana-ruiz",
        display_name="Ana Ruiz",
        credentials="MD, PhD",
        disclosures="None declared.",
    )
    # The factories' topics are in General medicine: her approvals are ordinary ones.
    profile.specialties.add(SpecialtyFactory(name="General medicine"))
    return user


@pytest.fixture
def chief():
    return user_with_role(roles.CHIEF_EDITORS)


@pytest.fixture
def approved(editor, reviewer):
    article = ArticleFactory()
    SectionFactory(article=article, heading="Dose", body="Start low.")
    return workflow_to(article, "approved", editor=editor, reviewer=reviewer)


def reapprove(article, editor, reviewer, body: str, summary: str = ""):
    """The editor changes the section and submits it with `summary`; the reviewer approves."""
    section = article.sections.get()
    section.body = body
    section.save()
    services.record_edit(article, by=editor)
    services.submit(article, by=editor, change_summary=summary)
    services.start_review(article, by=reviewer)
    services.approve(article, by=reviewer)
    article.refresh_from_db()
    return article


def history(client, article, **params) -> str:
    """The review history part of the article page ("" when there is none)."""
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    page = response.content.decode()
    start = page.find('<details class="review-history">')
    if start == -1:
        assert "Review history" not in page
        return ""
    return page[start : page.index("</details>", start) + len("</details>")]


def entries(html: str) -> list[str]:
    return re.findall(r'<li class="review-history__entry.*?</li>', html, re.S)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# -- what an entry says ----------------------------------------------------------------------


def test_a_first_approval_reads_first_review_names_the_reviewer_and_is_marked(client, approved):
    html = history(client, approved)
    assert "<summary>Review history (1 review)</summary>" in html
    [entry] = entries(html)
    approval = approved.approval
    assert f'<time datetime="{machine_time(approval.created_at)}">' in entry
    assert MACHINE_TIME.match(machine_time(approval.created_at))
    assert approval.created_at.strftime("%B %-d, %Y") in entry
    assert "revision 1" in entry
    assert "First review" in entry
    profile = reverse("articles:profile", args=["ana-ruiz"])
    assert f'Reviewed by <a href="{profile}">Ana Ruiz, MD, PhD</a>' in entry
    assert 'aria-current="true"' in entry
    assert "the version you are reading" in entry
    assert "pending review" not in html


def test_approvals_are_listed_newest_first_with_their_summaries(client, approved, editor, reviewer):
    reapprove(approved, editor, reviewer, "Start low; go slow.", "Said to raise the dose slowly.")
    article = reapprove(approved, editor, reviewer, "Start low; go slow!")
    html = history(client, article)
    assert "<summary>Review history (3 reviews)</summary>" in html
    newest, middle, oldest = (text(entry) for entry in entries(html))
    # Each save records a revision; the summary comes with the submission of it.
    assert "revision 3" in newest
    assert "No material change" in newest
    assert "revision 2" in middle
    assert "Said to raise the dose slowly." in middle
    assert "revision 1" in oldest
    assert "First review" in oldest
    assert "the version you are reading" in newest
    assert "the version you are reading" not in middle + oldest
    assert html.count('aria-current="true"') == 1


def test_each_approval_shows_the_summary_its_revision_was_last_submitted_with(
    client, approved, editor, reviewer
):
    section = approved.sections.get()
    section.body = "Start low; go slow."
    section.save()
    services.record_edit(approved, by=editor)
    services.submit(approved, by=editor, change_summary="The first words for readers.")
    services.start_review(approved, by=reviewer)
    services.request_changes(approved, by=reviewer, comment="Say why.")
    services.submit(approved, by=editor, change_summary="The second words for readers.")
    services.start_review(approved, by=reviewer)
    services.approve(approved, by=reviewer)
    approved.refresh_from_db()
    assert approved.revisions.count() == 2  # the same revision, submitted twice
    newest, oldest = (text(entry) for entry in entries(history(client, approved)))
    assert "revision 2" in newest
    assert "The second words for readers." in newest
    assert "The first words for readers." not in newest
    assert "First review" in oldest


def test_a_summary_submitted_with_another_revision_is_not_shown(client, approved, editor, reviewer):
    section = approved.sections.get()
    section.body = "Start low; go slow."
    section.save()
    services.record_edit(approved, by=editor)
    services.submit(approved, by=editor, change_summary="Words for a text sent back.")
    services.start_review(approved, by=reviewer)
    services.request_changes(approved, by=reviewer, comment="Not like this.")
    article = reapprove(approved, editor, reviewer, "Start low.  Go slow.")
    html = history(client, article)
    newest, _ = (text(entry) for entry in entries(html))
    assert "revision 3" in newest
    assert "No material change" in newest
    assert "Words for a text sent back." not in html


def test_a_later_submission_never_changes_what_an_earlier_approval_says(
    client, approved, editor, reviewer, chief
):
    services.unpublish(approved, by=chief, comment="Checking a dose.")
    services.submit(approved, by=editor, change_summary="Doses checked again.")  # same text
    html = history(client, approved)  # pending: the first approval only
    assert "Doses checked again." not in html
    assert "First review" in html
    services.start_review(approved, by=reviewer)
    services.approve(approved, by=reviewer)
    newest, oldest = (text(entry) for entry in entries(history(client, approved)))
    assert "revision 1" in newest
    assert "revision 1" in oldest
    assert "Doses checked again." in newest
    assert "First review" in oldest


def test_only_approvals_are_shown_never_pending_work_comments_or_staff_steps(
    client, approved, editor, reviewer
):
    services.add_comment(approved, by=reviewer, comment="A staff-only remark.")
    section = approved.sections.get()
    section.body = "An unreviewed change."
    section.save()
    services.record_edit(approved, by=editor)
    services.submit(approved, by=editor, change_summary="A change nobody approved yet.")
    services.start_review(approved, by=reviewer)
    services.request_changes(approved, by=reviewer, comment="Not like this.")
    html = history(client, approved)
    assert "<summary>Review history (1 review)</summary>" in html
    assert len(entries(html)) == 1
    for unseen in ("A change nobody approved yet.", "A staff-only remark.", "Not like this."):
        assert unseen not in html
    assert ReviewEvent.objects.filter(article=approved).count() > 3


def test_an_article_never_approved_has_no_history(client, editor):
    article = workflow_to(ArticleFactory(), "submitted", editor=editor)  # public, pending
    assert history(client, article) == ""


def test_a_preview_of_the_working_copy_has_no_history(client, approved, staff_user, reviewer):
    client.force_login(staff_user)
    assert history(client, approved, preview=1) == ""
    assert show_article(approved, None, preview=True).review_history is None
    assert history(client, approved) != ""  # the public page, for the same staff member


def test_the_summary_is_escaped(client, approved, editor, reviewer):
    article = reapprove(approved, editor, reviewer, "Dose again.", "Doses for <script>x</script>")
    html = history(client, article)
    assert "<script>" not in html
    assert "Doses for &lt;script&gt;x&lt;/script&gt;" in html


# -- reviewers -------------------------------------------------------------------------------


def test_a_reviewer_without_a_public_profile_is_named_by_full_name(client, editor):
    reviewer = user_with_role(roles.MEDICAL_ADVISORY_BOARD, first_name="Raj", last_name="Patel")
    article = workflow_to(ArticleFactory(), "approved", editor=editor, reviewer=reviewer)
    assert "Reviewed by Raj Patel" in text(history(client, article))


def test_a_reviewer_without_a_name_is_not_named_by_their_username(client, editor):
    reviewer = user_with_role(
        roles.MEDICAL_ADVISORY_BOARD, username="login-name-7", first_name="", last_name=""
    )
    article = workflow_to(ArticleFactory(), "approved", editor=editor, reviewer=reviewer)
    html = history(client, article)
    assert "Reviewed by a member of the Medical Advisory Board" in text(html)
    assert "login-name-7" not in html


# -- unpublishing, integrity and bounds ------------------------------------------------------


def test_an_unpublished_then_reapproved_article_lists_every_approval(
    client, approved, editor, reviewer, chief
):
    first = approved.approval
    services.unpublish(approved, by=chief, comment="Checking a dose.")
    services.submit(approved, by=editor)  # the same text again
    approved.refresh_from_db()
    pending = history(client, approved)  # pending articles are public, with the caution
    assert "The text on this page is pending review" in pending
    assert "the version you are reading" not in pending
    assert len(entries(pending)) == 1
    services.start_review(approved, by=reviewer)
    services.approve(approved, by=reviewer)
    approved.refresh_from_db()
    html = history(client, approved)
    assert "<summary>Review history (2 reviews)</summary>" in html
    newest, oldest = entries(html)
    assert "the version you are reading" in newest
    assert f'<time datetime="{machine_time(first.created_at)}">' in oldest
    assert "revision 1" in newest
    assert "revision 1" in oldest
    assert "First review" in oldest
    assert "No material change" in newest


def test_an_approval_whose_revision_fails_its_hash_check_is_not_shown_as_approved(
    client, approved, editor, reviewer, caplog
):
    first = approved.approval.revision
    article = reapprove(approved, editor, reviewer, "Start low; go slow.", "Slower increases.")
    tamper(first, {**first.content, "bottom_line": "Words nobody reviewed."})
    with caplog.at_level(logging.ERROR, logger="vetted.integrity"):
        html = history(client, article)
    newest, oldest = entries(html)
    assert "Slower increases." in newest
    assert "Reviewed by" in newest
    assert "the version you are reading" in newest
    assert "no longer matches what was reviewed" in oldest
    assert "Reviewed by" not in oldest
    assert "First review" not in oldest
    [logged] = [r for r in caplog.records if r.name == "vetted.integrity"]
    assert f"Revision {first.pk} (number 1)" in logged.getMessage()


def test_a_shown_revision_that_fails_its_hash_check_is_not_marked_as_approved(
    client, approved, caplog
):
    revision = approved.approval.revision
    tamper(revision, {**revision.content, "bottom_line": "Words nobody reviewed."})
    with caplog.at_level(logging.ERROR, logger="vetted.integrity"):
        html = history(client, approved)
    assert len([r for r in caplog.records if r.name == "vetted.integrity"]) == 1  # not twice
    [entry] = entries(html)
    assert "no longer matches what was reviewed" in entry
    assert "the version you are reading" not in entry
    assert "The text on this page is pending review" in html


def test_only_the_latest_approvals_are_listed(client, approved, editor, reviewer, monkeypatch):
    reapprove(approved, editor, reviewer, "Second text.", "Second summary.")
    article = reapprove(approved, editor, reviewer, "Third text.", "Third summary.")
    monkeypatch.setattr(readers, "REVIEW_HISTORY_LENGTH", 2)
    html = history(client, article)
    assert "<summary>Review history (the latest 2 reviews)</summary>" in html
    assert [("Third" in e, "Second" in e) for e in entries(html)] == [(True, False), (False, True)]
    assert "First review" not in html


# -- cost ------------------------------------------------------------------------------------


def test_the_history_is_one_query(approved, editor, reviewer, django_assert_num_queries):
    article = reapprove(approved, editor, reviewer, "Second text.", "Second summary.")
    shown = show_article(article, None, preview=False)
    with django_assert_num_queries(1):
        history = shown.review_history
        summaries = []
        for entry in history.entries:  # everything the template reads
            entry.approval.revision.number, entry.approval.actor.get_full_name()
            entry.approval.actor.reviewer_profile.get_absolute_url()
            summaries.append(entry.summary)
    assert summaries == ["Second summary.", "First review"]


def test_the_page_costs_the_same_queries_however_many_approvals(client, editor, reviewer):
    def queries(article) -> int:
        client.get(article.get_absolute_url())  # fill the caches: the second request counts
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(captured)

    once = ArticleFactory()
    SectionFactory(article=once)
    once = workflow_to(once, "approved", editor=editor, reviewer=reviewer)
    often = ArticleFactory()
    SectionFactory(article=often)
    often = workflow_to(often, "approved", editor=editor, reviewer=reviewer)
    for n in range(4):
        often = reapprove(often, editor, reviewer, f"Text {n}.", f"Summary {n}.")
    assert len(entries(history(client, often))) == 5
    assert queries(often) == queries(once)

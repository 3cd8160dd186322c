"""What readers see is decided by the workflow: the approved revision, or a pending one with the
caution banner when the site allows it; never an Approved badge over unapproved text."""

import datetime

import pytest
from django.urls import reverse

from articles.models import Article, ReviewerProfile, SiteSettings
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SpecialtyFactory,
    board_member,
    user_with_role,
    workflow_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    user = user_with_role(roles.MEDICAL_ADVISORY_BOARD, first_name="Ana", last_name="Ruiz")
    ReviewerProfile.objects.create(
        user=user,
        slug="ana-ruiz",
        display_name="Ana Ruiz",
        credentials="MD, PhD",
        disclosures="None declared.",
    ).specialties.add(SpecialtyFactory(name="Infectious diseases"))
    return user


@pytest.fixture
def editor():
    return user_with_role(roles.EDITORS, first_name="Eve", last_name="Editor")


@pytest.fixture
def approved(editor, reviewer):
    article = ArticleFactory(bottom_line="Approved answer text.")
    SectionFactory(article=article, heading="Approved heading", body="Approved body.")
    return workflow_to(article, "approved", editor=editor, reviewer=reviewer)


def page(client, article, **params):
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def edit_working_copy(article, editor):
    section = article.sections.get()
    section.body = "Unreviewed new body."
    section.save()
    article.bottom_line = "Unreviewed new answer."
    article.save()
    services.record_edit(article, by=editor)
    article.refresh_from_db()
    return article


def test_approved_page_names_the_reviewer_with_credentials_and_date(client, approved):
    html = page(client, approved)
    assert "Exercise caution" not in html
    assert "Medically reviewed by" in html
    assert (
        f'<a href="{reverse("articles:profile", args=["ana-ruiz"])}">Ana Ruiz, MD, PhD</a>' in html
    )
    assert approved.approval.created_at.strftime("%B %-d, %Y") in html
    assert "tracker__step--current" in html
    assert html.index("tracker__step--current") > html.index(">Under review<")


def test_edit_after_approval_keeps_the_approved_text_public(client, approved, editor, staff_user):
    edited = edit_working_copy(approved, editor)
    assert edited.status == Article.Status.DRAFT
    html = page(client, edited)
    assert "Approved answer text." in html
    assert "Approved body." in html
    assert "Unreviewed new" not in html
    assert "Medically reviewed by" in html
    # Readers can't ask for the preview…
    assert "Unreviewed new" not in page(client, edited, preview=1)
    # …staff can, and it is never dressed as approved.
    client.force_login(staff_user)
    preview = page(client, edited, preview=1)
    assert "Unreviewed new answer." in preview
    assert "Preview of the working copy (draft)" in preview
    assert "Medically reviewed by" not in preview
    assert "Exercise caution" in preview
    assert "tracker__step--current" not in preview


def test_new_revision_becomes_public_only_when_approved(client, approved, editor):
    edited = edit_working_copy(approved, editor)
    services.submit(edited, by=editor)
    assert "Unreviewed new" not in page(client, edited)
    second = board_member(specialties=[edited.topic.specialty])
    services.start_review(edited, by=second)
    services.approve(edited, by=second)
    html = page(client, edited)
    assert "Unreviewed new answer." in html
    assert "Approved answer text." not in html


def test_pending_article_shows_its_submitted_revision_not_later_edits(client, editor):
    article = workflow_to(ArticleFactory(bottom_line="Submitted text."), "submitted", editor=editor)
    article.bottom_line = "Edited after submitting."
    article.save()
    services.record_edit(article, by=editor)
    article.refresh_from_db()
    # The edit withdrew it from review: a never-approved draft is not public.
    assert article.status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404


def test_site_setting_hides_never_approved_articles(client, approved):
    pending = workflow_to(ArticleFactory(), "under_review")
    settings = SiteSettings.load()
    settings.show_unapproved_articles = False
    settings.save()
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert client.get(approved.get_absolute_url()).status_code == 200
    home = client.get("/").content.decode()
    assert pending.headline not in home
    assert approved.headline in home
    settings.show_unapproved_articles = True
    settings.save()
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_review_overdue_is_shown_to_readers(client, approved):
    approved.next_review_due = datetime.date.today() - datetime.timedelta(days=1)
    approved.save()
    assert "Review overdue." in page(client, approved)
    approved.next_review_due = datetime.date.today() + datetime.timedelta(days=30)
    approved.save()
    assert "Review overdue." not in page(client, approved)


def test_unpublished_article_is_gone_for_readers(client, approved):
    chief = user_with_role(roles.CHIEF_EDITORS)
    services.unpublish(approved, by=chief, comment="Superseded by new evidence.")
    assert client.get(approved.get_absolute_url()).status_code == 404
    assert approved.headline not in client.get("/").content.decode()


def test_home_shows_the_public_headline_not_the_working_copy(client, approved, editor):
    approved.headline = "A headline nobody approved"
    approved.save()
    services.record_edit(approved, by=editor)
    home = client.get("/").content.decode()
    assert "A headline nobody approved" not in home
    assert approved.revisions.get(number=1).headline in home


def test_board_and_profile_pages(client, reviewer):
    board = client.get(reverse("articles:board")).content.decode()
    assert "Ana Ruiz, MD, PhD" in board
    profile = client.get(reverse("articles:profile", args=["ana-ruiz"])).content.decode()
    assert "Infectious diseases" in profile
    assert "None declared." in profile
    assert client.get(reverse("articles:profile", args=["nobody"])).status_code == 404


def test_an_approved_revision_whose_text_was_altered_in_the_database_is_never_shown_as_approved(
    client,
):
    """The hash is checked before the badge: content changed behind the application's back
    (a manual UPDATE) loses "Medically reviewed by" and gets the caution banner once the
    nightly check finds it. Until then the page cache serves the page as it was approved:
    the signed text under the badge, never the altered one."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from tests.factories import ArticleFactory, SectionFactory, workflow_to
    from tests.tampering import tamper

    article = ArticleFactory(bottom_line="The approved answer.")
    SectionFactory(article=article)
    article = workflow_to(article, "approved")
    url = article.get_absolute_url()
    assert "Medically reviewed by" in client.get(url).content.decode()
    revision = article.approval.revision
    tamper(revision, {**revision.content, "bottom_line": "An altered answer."})
    stored = client.get(url).content.decode()
    assert "Medically reviewed by" in stored
    assert "The approved answer." in stored
    assert "An altered answer." not in stored
    with pytest.raises(CommandError):
        call_command("verify_revisions")
    html = client.get(url).content.decode()
    assert "Medically reviewed by" not in html
    assert "pending human review" in html

"""The staff workplace in the admin, driven through the test client as each role: editing the
working copy (stale forms, revisions, approval turning into a draft), the review screen and
its actions, revisions (compare, restore), the reviewer's queue, the editors' work filter, and
history that can be read but never rewritten."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import formats, timezone

from articles.models import Article, ReviewEvent, Revision
from articles.revisions import snapshot
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    StaffUserFactory,
    logged_in,
    staff,
    workflow_to,
)
from tests.tampering import behind_the_apps_back

pytestmark = pytest.mark.django_db

Status = Article.Status
Action = ReviewEvent.Action
EDITORS, BOARD, CHIEFS = roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD, roles.CHIEF_EDITORS
GENERAL = "General medicine"  # the specialty of every factory topic (SpecialtyFactory)


# --- building blocks -----------------------------------------------------------------------


def new_article(*authors, bottom_line="Start with the simplest effective option.", **fields):
    """A draft with one section, written by `authors`."""
    article = ArticleFactory(bottom_line=bottom_line, **fields)
    SectionFactory(article=article, position=1, heading="Assessment", body="Take a history.")
    article.authors.add(*authors)
    return article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def revisions_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def form_data(article, **changes):
    """The change form as the admin renders it for `article` now, with `changes` typed in.
    `edit_version` is the version the form was opened at (the article's current one)."""
    sections = list(article.sections.order_by("position"))
    data = {
        "question": str(article.question_id),
        "headline": article.headline,
        "slug": article.slug,
        "topic": str(article.topic_id),
        "bottom_line": article.bottom_line,
        "authors": [str(pk) for pk in article.authors.values_list("pk", flat=True)],
        "edit_version": str(article.version),
        "sections-TOTAL_FORMS": str(len(sections)),
        "variants-TOTAL_FORMS": "0",
        "variants-INITIAL_FORMS": "0",
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "1",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, section in enumerate(sections):
        data |= {
            f"sections-{i}-id": str(section.pk),
            f"sections-{i}-article": str(article.pk),
            f"sections-{i}-position": str(section.position),
            f"sections-{i}-heading": section.heading,
            f"sections-{i}-kind": section.kind,
            f"sections-{i}-body": section.body,
        }
    return data | changes


def save(client, article, **changes):
    """Save the working copy through the admin; the save must succeed."""
    response = client.post(change_url(article), form_data(article, **changes))
    assert response.status_code == 302, response.context and response.context["errors"]
    article.refresh_from_db()
    return response


def messages_of(response):
    return [(message.level, message.message) for message in get_messages(response.wsgi_request)]


def result_pks(response):
    assert response.status_code == 200
    return [obj.pk for obj in response.context["cl"].result_list]


# --- editing the working copy ----------------------------------------------------------------


def test_a_stale_form_is_refused_and_keeps_what_was_typed():
    alice, bob = staff(EDITORS, username="alice"), staff(EDITORS, username="bob")
    article = new_article(alice)
    as_alice, as_bob = logged_in(alice), logged_in(bob)

    page = as_alice.get(change_url(article)).content.decode()
    opened = int(re.search(r'name="edit_version" value="(\d+)"', page)[1])
    assert opened == article.version
    alices_form = form_data(article, bottom_line="Answer typed by Alice.")
    save(as_bob, article, bottom_line="Answer saved by Bob first.")
    assert article.version == opened + 1
    revisions = article.revisions.count()

    response = as_alice.post(change_url(article), alices_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{bob.get_full_name()} saved this article at" in html  # a name, not "bob"
    assert "after you opened it" in html
    assert "Answer typed by Alice." in html  # still in the form
    article.refresh_from_db()
    assert article.bottom_line == "Answer saved by Bob first."
    assert article.version == opened + 1
    assert article.revisions.count() == revisions

    # Re-opened (the current version), Alice's save goes through.
    response = as_alice.post(
        change_url(article), form_data(article, bottom_line="Answer by Alice.")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.bottom_line == "Answer by Alice."
    assert article.version == opened + 2


def test_a_save_without_the_form_version_is_refused():
    editor = staff(EDITORS)
    article = new_article(editor)
    data = form_data(article, bottom_line="Posted without a version.")
    del data["edit_version"]

    response = logged_in(editor).post(change_url(article), data)

    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    article.refresh_from_db()
    assert article.bottom_line == "Start with the simplest effective option."
    assert article.version == 1
    assert article.revisions.count() == 0


def test_saving_a_change_records_a_revision_of_the_working_copy():
    editor = staff(EDITORS)
    article = new_article(editor)
    client = logged_in(editor)

    save(client, article, bottom_line="A clearer answer.")
    save(client, article, **{"sections-0-body": "Take a careful history."})

    first, second = article.revisions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.content["bottom_line"] == "A clearer answer."
    assert second.content == snapshot(article)
    assert second.content["sections"][0]["body"] == "Take a careful history."
    assert second.created_by == editor
    assert article.status == Status.DRAFT


def test_editing_an_approved_article_makes_a_draft_and_warns():
    author, reviewer = staff(EDITORS), staff(BOARD)
    article = workflow_to(new_article(author), Status.APPROVED, editor=author, reviewer=reviewer)
    approval = article.approval_id

    response = save(logged_in(author), article, bottom_line="An updated answer.")

    assert article.status == Status.DRAFT
    assert article.approval_id == approval  # the approved text stays public
    latest = article.revisions.order_by("-number").first()
    assert latest.number == 2
    assert latest.content == snapshot(article)
    assert (
        messages.WARNING,
        "Your edit made a new draft. It needs review again before readers see it; "
        "the approved text stays public until then.",
    ) in messages_of(response)


def test_saving_without_a_content_change_records_nothing_and_keeps_the_status():
    author, co_author, reviewer = staff(EDITORS), staff(EDITORS), staff(BOARD)
    article = workflow_to(new_article(author), Status.APPROVED, editor=author, reviewer=reviewer)

    response = save(logged_in(author), article, authors=[str(author.pk), str(co_author.pk)])

    assert set(article.authors.all()) == {author, co_author}
    assert article.status == Status.APPROVED
    assert article.revisions.count() == 1
    assert [level for level, _ in messages_of(response)] == [messages.SUCCESS]


# --- the review screen ---------------------------------------------------------------------


def test_review_screen_shows_the_revision_what_changed_and_the_comments():
    author, reviewer = staff(EDITORS), staff(BOARD)
    article = workflow_to(new_article(author), Status.APPROVED, editor=author, reviewer=reviewer)
    save(
        logged_in(author),
        article,
        bottom_line="Start with the safest effective option.",
        **{"sections-0-body": "Take a careful history."},
    )
    services.submit(article, by=author)
    services.add_comment(article, by=reviewer, comment="Which trial supports this?")

    response = logged_in(reviewer).get(review_url(article))

    assert response.status_code == 200
    html = response.content.decode()
    assert "What changed since the approved revision 1" in html
    assert "<del>simplest</del><ins>safest</ins>" in html
    assert "Revision 2 as readers will see it" in html
    assert "<p>Take a careful history.</p>" in html
    assert "<blockquote>Checked against the sources.</blockquote>" in html  # the approval
    assert "<blockquote>Which trial supports this?</blockquote>" in html
    assert html.index("Which trial supports this?") < html.index("Checked against the sources.")


def test_reviewer_starts_a_review_then_approves():
    author, reviewer = staff(EDITORS), staff(BOARD, specialties=[GENERAL])
    article = workflow_to(new_article(author), Status.SUBMITTED, editor=author)
    client = logged_in(reviewer)
    seen = str(article.submitted_revision_id)

    response = client.post(review_url(article), {"action": "start_review", "seen_revision": seen})
    assert response.status_code == 302
    assert response["Location"] == review_url(article)
    article.refresh_from_db()
    assert (article.status, article.assigned_reviewer) == (Status.UNDER_REVIEW, reviewer)

    response = client.post(
        review_url(article),
        {"action": "approve", "comment": "Matches the guideline.", "seen_revision": seen},
        follow=True,
    )

    assert response.status_code == 200
    assert "Approved revision 1. It is now the public text." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert article.approval.actor == reviewer
    assert article.approval.revision_id == article.submitted_revision_id
    assert article.approval.comment == "Matches the guideline."


def test_request_changes_needs_a_comment_and_keeps_the_reviewers_inputs():
    author, reviewer = staff(EDITORS), staff(BOARD)
    article = workflow_to(
        new_article(author), Status.UNDER_REVIEW, editor=author, reviewer=reviewer
    )
    client = logged_in(reviewer)
    seen = str(article.submitted_revision_id)

    response = client.post(
        review_url(article),
        {
            "action": "request_changes",
            "comment": "  ",
            "section_position": "1",
            "seen_revision": seen,
        },
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Say what needs to change: a comment is required." in html
    assert '<option value="1" selected>1. Assessment</option>' in html
    assert f'name="seen_revision" value="{seen}"' in html
    article.refresh_from_db()
    assert article.status == Status.UNDER_REVIEW
    assert not article.review_events.filter(action=Action.CHANGES_REQUESTED).exists()

    response = client.post(
        review_url(article),
        {"action": "request_changes", "comment": "Give the doses.", "seen_revision": seen},
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    html = logged_in(author).get(review_url(article)).content.decode()
    assert "<strong>Changes requested</strong>" in html
    assert "<blockquote>Give the doses.</blockquote>" in html


def test_approving_a_revision_other_than_the_one_seen_is_a_conflict():
    author, reviewer = staff(EDITORS), staff(BOARD)
    article = workflow_to(
        new_article(author), Status.UNDER_REVIEW, editor=author, reviewer=reviewer
    )
    seen = article.submitted_revision_id  # the reviewer's form was opened on revision 1
    services.request_changes(article, by=reviewer, comment="Give the doses.")
    save(logged_in(author), article, **{"sections-0-body": "Take a history; dose by weight."})
    services.submit(article, by=author)
    services.start_review(article, by=reviewer)

    response = logged_in(reviewer).post(
        review_url(article), {"action": "approve", "seen_revision": str(seen)}
    )

    assert response.status_code == 409
    assert "The article changed while you were reviewing it" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.UNDER_REVIEW
    assert article.approval_id is None


def test_an_author_on_the_board_sees_the_objection_and_cannot_approve():
    author_on_board, other = staff(EDITORS, BOARD), staff(BOARD)
    article = workflow_to(
        new_article(author_on_board), Status.UNDER_REVIEW, editor=author_on_board, reviewer=other
    )
    client = logged_in(author_on_board)
    objection = "You are an author of this article; another board member must review it."

    assert objection in client.get(review_url(article)).content.decode()
    response = client.post(
        review_url(article),
        {"action": "approve", "seen_revision": str(article.submitted_revision_id)},
    )

    assert response.status_code == 409
    assert objection in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.UNDER_REVIEW
    assert article.approval_id is None


def test_chief_editor_assigns_a_board_member():
    chief, editor = staff(CHIEFS), staff(EDITORS, username="just-an-editor")
    reviewer = staff(BOARD, username="dr-ruiz")
    article = workflow_to(new_article(editor), Status.SUBMITTED, editor=editor)
    client = logged_in(chief)

    response = client.get(review_url(article))

    assert list(response.context["form"].fields["reviewer"].queryset) == [reviewer]
    html = response.content.decode()
    assert f'<option value="{reviewer.pk}">{reviewer.get_full_name()}</option>' in html
    assert "just-an-editor</option>" not in html

    response = client.post(review_url(article), {"action": "assign", "reviewer": str(reviewer.pk)})

    assert response.status_code == 302
    assert (messages.SUCCESS, f"Assigned to {reviewer.get_full_name()}.") in messages_of(response)
    article.refresh_from_db()
    assert (article.status, article.assigned_reviewer) == (Status.UNDER_REVIEW, reviewer)


def test_unpublishing_needs_a_reason():
    author, reviewer, chief = staff(EDITORS), staff(BOARD), staff(CHIEFS)
    article = workflow_to(new_article(author), Status.APPROVED, editor=author, reviewer=reviewer)
    client = logged_in(chief)

    response = client.post(review_url(article), {"action": "unpublish", "comment": ""})

    assert response.status_code == 409
    assert "Give the reason for unpublishing." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.APPROVED

    response = client.post(review_url(article), {"action": "unpublish", "comment": "Withdrawn."})

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.approval_id) == (Status.DRAFT, None)
    event = article.review_events.get(action=Action.UNPUBLISHED)
    assert (event.actor, event.comment) == (chief, "Withdrawn.")


# --- revisions: list, compare, restore -----------------------------------------------------


@pytest.fixture
def two_revisions():
    """An article approved at revision 1, then edited and submitted as revision 2."""
    author, reviewer = staff(EDITORS), staff(BOARD)
    article = workflow_to(new_article(author), Status.APPROVED, editor=author, reviewer=reviewer)
    save(logged_in(author), article, bottom_line="Start with the safest effective option.")
    services.submit(article, by=author)
    article.refresh_from_db()
    return article, author, reviewer


def test_revisions_are_listed_and_compared_field_by_field(two_revisions):
    article, author, _ = two_revisions
    client = logged_in(author)

    html = client.get(revisions_url(article)).content.decode()
    assert f"1 — {article.headline}" in html
    assert f"2 — {article.headline}" in html
    assert "<strong>Approved · public</strong>" in html

    response = client.get(revisions_url(article), {"a": "1", "b": "2"})

    html = response.content.decode()
    assert "Revision 1 → revision 2" in html
    assert "<del>simplest</del><ins>safest</ins>" in html
    assert 'Headline <span class="help">(unchanged)</span>' in html
    changed = [field.label for field in response.context["compare"]["fields"] if field.changed]
    assert changed == ["Bottom line"]


def test_an_editor_restores_an_old_revision_as_a_new_draft(two_revisions):
    article, author, _ = two_revisions
    editor = staff(EDITORS)
    first = article.revisions.get(number=1)
    approval = article.approval_id

    response = logged_in(editor).post(revisions_url(article), {"revision": str(first.pk)})

    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    assert (
        messages.SUCCESS,
        "Revision 1 restored as revision 3, a draft. It needs review before readers see it.",
    ) in messages_of(response)
    article.refresh_from_db()
    restored = article.revisions.get(number=3)
    assert restored.content == first.content
    assert restored.created_by == editor
    assert article.status == Status.DRAFT
    assert article.bottom_line == "Start with the simplest effective option."
    assert article.approval_id == approval


def test_a_reviewer_cannot_restore(two_revisions):
    article, _, reviewer = two_revisions
    first = article.revisions.get(number=1)

    response = logged_in(reviewer).post(revisions_url(article), {"revision": str(first.pk)})

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.revisions.count() == 2
    assert article.status == Status.SUBMITTED


@pytest.mark.parametrize("revision", ["not-a-number", "", "other-article"])
def test_restoring_a_revision_that_is_not_this_articles_is_not_found(revision, two_revisions):
    article, author, _ = two_revisions
    if revision == "other-article":
        other = workflow_to(new_article(author), Status.SUBMITTED, editor=author)
        revision = str(other.submitted_revision_id)

    response = logged_in(author).post(revisions_url(article), {"revision": revision})

    assert response.status_code == 404
    assert article.revisions.count() == 2


# --- the reviewer's queue ------------------------------------------------------------------

QUEUE_URL = "admin:reviews_reviewqueueitem_changelist"


def submitted_days_ago(article, days):
    with behind_the_apps_back(Revision):  # revisions are append-only
        Revision.objects.filter(pk=article.submitted_revision_id).update(
            created_at=timezone.now() - datetime.timedelta(days=days)
        )
    return article


def test_the_queue_holds_the_reviewers_and_unclaimed_articles_oldest_first():
    author, reviewer, other = staff(EDITORS), staff(BOARD), staff(BOARD)
    # Neither the order of creation (pk) nor of the last update matches the submission order.
    claimed, newest, oldest = new_article(author), new_article(author), new_article(author)
    workflow_to(oldest, Status.SUBMITTED, editor=author)
    workflow_to(claimed, Status.UNDER_REVIEW, editor=author, reviewer=reviewer)
    workflow_to(newest, Status.SUBMITTED, editor=author)
    submitted_days_ago(newest, 1)  # the dates the list shows, as submitted
    submitted_days_ago(claimed, 5)
    submitted_days_ago(oldest, settings.REVIEW_TURNAROUND_DAYS + 6)
    for article, hours in [(newest, 0), (oldest, 1), (claimed, 2)]:
        Article.objects.filter(pk=article.pk).update(
            updated_at=timezone.now() - datetime.timedelta(hours=hours)
        )
    others = workflow_to(new_article(author), Status.UNDER_REVIEW, editor=author, reviewer=other)
    submitted_days_ago(others, 30)
    draft = new_article(author)
    approved = workflow_to(new_article(author), Status.APPROVED, editor=author, reviewer=other)

    response = logged_in(reviewer).get(reverse(QUEUE_URL))

    assert result_pks(response) == [oldest.pk, claimed.pk, newest.pk]
    assert not {others.pk, draft.pk, approved.pk} & set(result_pks(response))
    html = response.content.decode()
    assert f'href="{review_url(oldest)}"' in html
    assert html.count("(late)") == 1
    # The late date reads as the list's other dates do ("Nov. 3, 2026"), not as ISO.
    oldest.refresh_from_db()
    due = oldest.submitted_revision.created_at.date() + datetime.timedelta(
        days=settings.REVIEW_TURNAROUND_DAYS
    )
    assert f"<strong>{formats.date_format(due)} (late)</strong>" in html


def submitted_at(article, moment):
    with behind_the_apps_back(Revision):  # revisions are append-only
        Revision.objects.filter(pk=article.submitted_revision_id).update(created_at=moment)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Adak"])  # UTC+14, UTC-10/-9
def test_the_queue_dates_a_submission_and_its_review_in_the_sites_time_zone(zone):
    """A review is due REVIEW_TURNAROUND_DAYS after the day it was submitted, the day as the
    site's time zone reads it; late only once that day has passed, there too."""
    author, reviewer = staff(EDITORS), staff(BOARD)
    on_time, late = (workflow_to(new_article(author), Status.SUBMITTED) for _ in range(2))
    with timezone.override(zone):
        today = timezone.localdate()
        first_day = today - datetime.timedelta(days=settings.REVIEW_TURNAROUND_DAYS)

        def local(day, hour, minute):
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

        # Due today: the first minutes of its day (another day in UTC, 9 to 14 hours away).
        submitted_at(on_time, local(first_day, 0, 5))
        # Due yesterday: the last minutes of the day before.
        submitted_at(late, local(first_day - datetime.timedelta(days=1), 23, 55))
    with override_settings(TIME_ZONE=zone):
        response = logged_in(reviewer).get(reverse(QUEUE_URL))
        html = response.content.decode()
        due_today = formats.date_format(today)
        due_yesterday = formats.date_format(today - datetime.timedelta(days=1))
    rows = {row.pk: row for row in response.context["cl"].result_list}
    assert rows[on_time.pk].submitted_on == first_day
    assert rows[late.pk].submitted_on == first_day - datetime.timedelta(days=1)
    assert html.count("(late)") == 1
    assert f"<strong>{due_yesterday} (late)</strong>" in html
    assert f'<td class="field-due nowrap">{due_today}</td>' in html


@pytest.mark.parametrize("group", [EDITORS, CHIEFS])
def test_editors_have_no_review_queue(group):
    assert logged_in(staff(group)).get(reverse(QUEUE_URL)).status_code == 403


# --- the editors' work filter --------------------------------------------------------------


def test_the_work_filter():
    editor, colleague = staff(EDITORS), staff(EDITORS)
    reviewer = staff(BOARD, specialties=[GENERAL])
    my_draft = new_article(editor)
    colleagues_draft = new_article(colleague)
    my_approved = workflow_to(
        new_article(editor), Status.APPROVED, editor=editor, reviewer=reviewer
    )
    submitted = workflow_to(new_article(colleague), Status.SUBMITTED, editor=colleague)
    under_review = workflow_to(
        new_article(colleague), Status.UNDER_REVIEW, editor=colleague, reviewer=reviewer
    )

    def sent_back():
        article = workflow_to(
            new_article(colleague), Status.UNDER_REVIEW, editor=colleague, reviewer=reviewer
        )
        services.request_changes(article, by=reviewer, comment="Give the doses.")
        return article

    changes = sent_back()
    changes_then_comment = sent_back()
    services.add_comment(changes_then_comment, by=colleague, comment="On it.")
    resubmitted = sent_back()
    services.submit(resubmitted, by=colleague)
    approved_after_changes = sent_back()
    services.submit(approved_after_changes, by=colleague)
    services.start_review(approved_after_changes, by=reviewer)
    services.approve(approved_after_changes, by=reviewer)
    save(logged_in(colleague), approved_after_changes, bottom_line="Edited after approval.")
    assert approved_after_changes.status == Status.DRAFT
    overdue = workflow_to(
        new_article(colleague), Status.APPROVED, editor=colleague, reviewer=reviewer
    )
    Article.objects.filter(pk=overdue.pk).update(
        next_review_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = logged_in(editor)
    url = reverse("admin:articles_article_changelist")

    def work(value):
        return set(result_pks(client.get(url, {"work": value})))

    assert work("mine") == {my_draft.pk}
    assert colleagues_draft.pk not in work("mine")
    assert work("changes") == {changes.pk, changes_then_comment.pk}
    assert work("awaiting") == {submitted.pk, under_review.pk, resubmitted.pk}
    assert work("overdue") == {overdue.pk}
    assert my_approved.next_review_due > timezone.localdate()


# --- history is append-only ----------------------------------------------------------------


@pytest.fixture
def approved_article():
    author, reviewer = staff(EDITORS), staff(BOARD)
    return workflow_to(new_article(author), Status.APPROVED, editor=author, reviewer=reviewer)


@pytest.mark.parametrize("model", ["reviewevent", "revision"])
def test_review_log_and_revisions_cannot_be_changed_even_by_a_superuser(
    model, approved_article, admin_client
):
    obj = approved_article.approval if model == "reviewevent" else approved_article.revisions.get()
    change = reverse(f"admin:articles_{model}_change", args=[obj.pk])

    response = admin_client.get(change)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert 'name="_continue"' not in html
    assert 'class="deletelink"' not in html
    assert admin_client.post(change, {"comment": "Rewritten"}).status_code == 403
    assert admin_client.get(reverse(f"admin:articles_{model}_add")).status_code == 403
    delete = reverse(f"admin:articles_{model}_delete", args=[obj.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    obj.refresh_from_db()
    assert approved_article.approval.comment == "Checked against the sources."


def test_article_history_shows_versions_without_a_revert(approved_article, admin_client):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    history = reverse("admin:articles_article_history", args=[approved_article.pk])
    oldest = approved_article.history.last()
    version = reverse(
        "admin:articles_article_simple_history", args=[approved_article.pk, oldest.history_id]
    )

    response = admin_client.get(history)
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    assert "to revert to a previous version" not in response.content.decode()

    response = admin_client.get(version)
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    html = response.content.decode()
    assert 'value="Revert"' not in html
    assert "Press the &#x27;Revert&#x27; button" not in html
    assert "Press the 'Revert' button" not in html

    # Posting the version page anyway (what the hidden button would do) is refused.
    data = form_data(approved_article, headline="Reverted behind the workflow's back")
    assert admin_client.post(version, data).status_code == 403
    approved_article.refresh_from_db()
    assert approved_article.headline != "Reverted behind the workflow's back"
    assert approved_article.status == Status.APPROVED


@pytest.mark.django_db
def test_review_screen_of_an_edited_draft_shows_the_new_revision_against_the_approved():
    editor = StaffUserFactory(roles=[roles.EDITORS], is_staff=True)
    article = workflow_to(new_article(editor), Status.APPROVED, editor=editor)
    section = article.sections.get()
    section.body = "A brand new sentence."
    section.save()
    services.record_edit(article, by=editor)
    client = Client()
    client.force_login(editor)
    html = client.get(review_url(article)).content.decode()
    assert "What changed since the approved revision 1" in html
    diff = html[html.index("What changed since") : html.index("Review history and comments")]
    assert "<ins>" in diff
    assert "brand" in diff
    assert "<del>" in diff
    assert "history" in diff
    assert "Revision 2 as readers will see it" in html
    assert "A brand new sentence." in html


def test_the_review_log_is_browsed_by_year_without_a_date_hierarchy():
    """The log's years come from its first and last event; a year shows only its events; a
    year that can't be one is ignored, never an error."""
    editor, chief = staff(EDITORS), staff(CHIEFS)
    old, new = (workflow_to(new_article(editor), Status.SUBMITTED, editor=editor) for _ in "ab")
    with behind_the_apps_back(ReviewEvent):  # the log is append-only
        ReviewEvent.objects.filter(article=old).update(
            created_at=datetime.datetime(2023, 6, 1, 12, tzinfo=datetime.UTC)
        )
    url = reverse("admin:articles_reviewevent_changelist")
    client = logged_in(chief)

    page = client.get(url)
    years = [
        choice["display"]
        for choice in page.context["cl"].filter_specs[1].choices(page.context["cl"])
    ]
    this_year = timezone.localdate().year
    assert years == ["All", *(str(y) for y in range(this_year, 2022, -1))]

    shown = client.get(url, {"year": "2023"}).context["cl"].result_list
    assert {event.article_id for event in shown} == {old.pk}
    shown = client.get(url, {"year": str(this_year)}).context["cl"].result_list
    assert {event.article_id for event in shown} == {new.pk}
    assert client.get(url, {"year": "99999"}).status_code == 200

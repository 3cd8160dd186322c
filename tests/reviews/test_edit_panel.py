"""The workflow where the work is: the article's edit form shows its review state in words, the
review's holder and the open comments, and submits (saving and submitting in one post, or
neither); lists say "Changes requested" instead of "Draft"; the holder-to-be approves a
submitted article in one step from the review screen."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ReviewEvent
from reviews import roles, services
from reviews.edit_panel import SUBMIT
from tests.factories import (
    ArticleFactory,
    QuestionFactory,
    SectionFactory,
    TopicFactory,
    logged_in,
    staff,
    workflow_to,
)
from tests.reviews.test_admin import change_url, form_data, new_article, review_url

pytestmark = pytest.mark.django_db

Status = Article.Status
Action = ReviewEvent.Action
EDITORS, BOARD = roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD
GENERAL = "General medicine"  # the specialty of every factory topic (SpecialtyFactory)


@pytest.fixture
def cast():
    return {
        "editor": staff(EDITORS, username="eve", first_name="Eve", last_name="Editor"),
        # Board members declaring every factory topic's specialty: approvals are ordinary.
        "reviewer": staff(
            BOARD, username="rita", first_name="Rita", last_name="Reviewer", specialties=[GENERAL]
        ),
        "other": staff(
            BOARD, username="omar", first_name="Omar", last_name="Other", specialties=[GENERAL]
        ),
    }


def sent_back(cast, *, section_comment="Cite the 2024 guideline here."):
    """A two-section article the reviewer commented on (one section) and sent back."""
    article = new_article(cast["editor"])
    SectionFactory(article=article, position=2, heading="Treatment", body="Start low.")
    services.submit(article, by=cast["editor"])
    services.add_comment(article, by=cast["reviewer"], comment=section_comment, section_position=2)
    services.request_changes(article, by=cast["reviewer"], comment="Fix the dose, please.")
    article.refresh_from_db()
    return article


def panel_of(response):
    assert response.status_code == 200
    return response.context["workflow_panel"]


# --- the panel -------------------------------------------------------------------------------


def test_a_sent_back_draft_shows_changes_requested_the_reviewer_and_the_open_comments(cast):
    article = sent_back(cast)

    response = logged_in(cast["editor"]).get(change_url(article))

    panel = panel_of(response)
    assert panel["state"] == "Changes requested"
    assert panel["detail"].startswith("Changes requested by Rita Reviewer on ")
    assert "rita" not in panel["detail"]
    assert panel["holder"] is None  # the decision ended the claim
    comments = panel["comments"]
    assert [(c["by"], c["text"]) for c in comments] == [
        ("Rita Reviewer", "Cite the 2024 guideline here."),
        ("Rita Reviewer", "Fix the dose, please."),
    ]
    assert comments[0]["section"] == {
        "label": "Section 2: Treatment",
        "anchor": "id_sections-1-body",
    }
    assert comments[1]["section"] is None
    html = response.content.decode()
    assert (
        'class="review-status review-status--changes_requested workflow-state">Changes requested<'
        in html
    )
    assert '<a href="#id_sections-1-body">Section 2: Treatment</a>' in html
    assert 'id="id_sections-1-body"' in html  # the link's target is on the page
    assert "<blockquote>Fix the dose, please.</blockquote>" in html


def test_comments_from_before_the_last_submission_are_no_longer_open(cast):
    article = sent_back(cast)
    services.submit(article, by=cast["editor"])
    services.add_comment(article, by=cast["other"], comment="Looks better.")

    panel = panel_of(logged_in(cast["editor"]).get(change_url(article)))

    assert [c["text"] for c in panel["comments"]] == ["Looks better."]
    assert panel["state"] == "Submitted"


def test_the_holder_is_named_not_by_username(cast):
    article = workflow_to(new_article(cast["editor"]), Status.UNDER_REVIEW, editor=cast["editor"],
                          reviewer=cast["reviewer"])  # fmt: skip

    response = logged_in(cast["editor"]).get(change_url(article))

    panel = panel_of(response)
    assert panel["holder"]["name"] == "Rita Reviewer"
    assert panel["holder"]["since"] is not None
    assert panel["detail"] == "Rita Reviewer is reviewing revision 1."
    assert '<dd class="workflow-holder"><strong>Rita Reviewer</strong>, since' in (
        response.content.decode()
    )


def test_comment_text_is_escaped_on_the_form(cast):
    article = sent_back(cast, section_comment='<script>alert("x")</script>')

    html = logged_in(cast["editor"]).get(change_url(article)).content.decode()

    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_reviewers_see_the_panel_but_no_submit_button(cast):
    article = sent_back(cast)

    response = logged_in(cast["reviewer"]).get(change_url(article))

    panel = panel_of(response)
    assert panel["state"] == "Changes requested"
    assert not panel["can_submit"]
    assert SUBMIT not in response.content.decode()
    editor_page = logged_in(cast["editor"]).get(change_url(article)).content.decode()
    assert f'name="{SUBMIT}"' in editor_page
    assert 'form="article_form"' in editor_page


# --- submitting from the edit form -------------------------------------------------------------


def submit_from_form(client, article, summary="", **changes):
    data = form_data(article, **changes) | {SUBMIT: "1", "submit_change_summary": summary}
    return client.post(change_url(article), data)


def test_save_and_submit_saves_the_edit_and_submits_it_in_one_post(cast):
    article = sent_back(cast)
    client = logged_in(cast["editor"])

    response = submit_from_form(
        client, article, "Corrected the dose.", **{"sections-0-body": "Take a careful history."}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(article)  # the editor stays on the form
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED
    revision = article.submitted_revision
    assert revision.sections[0].body == "Take a careful history."
    assert revision.number == 2
    submission = article.review_events.order_by("-pk").first()
    assert (submission.action, submission.actor) == (Action.SUBMITTED, cast["editor"])
    assert submission.change_summary == "Corrected the dose."
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Saved. Revision 2 submitted for review. Once it is approved, readers’ review history "
        "will say: “Corrected the dose.”."
    ]
    panel = panel_of(client.get(change_url(article)))
    assert panel["state"] == "Submitted"
    assert panel["comments"] == []  # that round's comments are closed


def test_a_refused_submission_saves_nothing_and_keeps_what_was_typed(cast):
    """Under review with no change to the text, submitting is refused by the service: the
    whole post is rolled back (the other edits too) and the form comes back as typed."""
    article = workflow_to(new_article(cast["editor"]), Status.UNDER_REVIEW, editor=cast["editor"],
                          reviewer=cast["reviewer"])  # fmt: skip
    before = (article.version, article.revisions.count(), article.history.count())
    extra_author = staff(EDITORS)

    response = submit_from_form(
        logged_in(cast["editor"]),
        article,
        "A summary I typed.",
        authors=[str(cast["editor"].pk), str(extra_author.pk)],  # not part of the text
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved and not submitted: You can’t submit an article that is under review." in html
    assert 'value="A summary I typed."' in html
    article.refresh_from_db()
    assert (article.version, article.revisions.count(), article.history.count()) == before
    assert list(article.authors.all()) == [cast["editor"]]
    assert article.status == Status.UNDER_REVIEW


def test_someone_without_the_submit_permission_cannot_submit_from_the_form(cast):
    from django.contrib.auth.models import Permission

    writer = staff(username="writer", first_name="Wes", last_name="Writer")
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    article = new_article(writer)

    response = submit_from_form(logged_in(writer), article, bottom_line="Typed by Wes.")

    assert response.status_code == 200
    assert "Not saved and not submitted: You may not submit articles" in response.content.decode()
    assert "Typed by Wes." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.bottom_line == "Start with the simplest effective option."
    assert not panel_of(logged_in(writer).get(change_url(article)))["can_submit"]


def test_an_invalid_summary_keeps_everything_and_submits_nothing(cast):
    article = new_article(cast["editor"])

    response = submit_from_form(
        logged_in(cast["editor"]), article, "x" * 400, bottom_line="Typed before the error."
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Typed before the error." in html
    assert response.context["adminform"].form.errors["submit_change_summary"]
    article.refresh_from_db()
    assert (article.status, article.revisions.count()) == (Status.DRAFT, 0)


def test_an_approved_article_edited_and_submitted_from_the_form_keeps_its_public_text(cast):
    article = workflow_to(new_article(cast["editor"]), Status.APPROVED, editor=cast["editor"],
                          reviewer=cast["reviewer"])  # fmt: skip
    approval = article.approval_id

    response = submit_from_form(
        logged_in(cast["editor"]), article, "Updated the dose.", bottom_line="A newer answer."
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.approval_id) == (Status.SUBMITTED, approval)
    assert article.public_revision.number == 1  # approved text stays public until approved
    assert article.submitted_revision.number == 2
    events = article.review_events.order_by("-pk").values_list("action", flat=True)[:1]
    assert list(events) == [Action.SUBMITTED]


def new_article_data(editor, **changes):
    """The add form as an editor fills it in: a new question's article with one section."""
    question = QuestionFactory()
    return {
        "question": str(question.pk),
        "headline": "Treating a first episode",
        "slug": "treating-a-first-episode",
        "topic": str(TopicFactory().pk),
        "bottom_line": "Start with the simplest effective option.",
        "authors": [str(editor.pk)],
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "1",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-position": "",
        "sections-0-heading": "Assessment",
        "sections-0-kind": "standard",
        "sections-0-body": "Take a history.",
        "variants-TOTAL_FORMS": "0",
        "variants-INITIAL_FORMS": "0",
    } | changes


def test_the_add_page_offers_save_and_submit(cast):
    response = logged_in(cast["editor"]).get(reverse("admin:articles_article_add"))

    panel = response.context["workflow_panel"]
    assert (panel["new"], panel["can_submit"]) == (True, True)
    html = response.content.decode()
    assert "save and submit it for review at once" in html
    assert f'name="{SUBMIT}"' in html
    assert 'name="submit_change_summary"' in html


def test_a_new_article_is_saved_and_submitted_in_one_post(cast):
    client = logged_in(cast["editor"])
    data = new_article_data(cast["editor"]) | {SUBMIT: "1", "submit_change_summary": "First."}

    response = client.post(reverse("admin:articles_article_add"), data)

    article = Article.objects.get(slug="treating-a-first-episode")
    assert response.status_code == 302
    assert response["Location"] == change_url(article)  # the editor stays on the form
    assert (article.status, article.submitted_revision.number) == (Status.SUBMITTED, 1)
    submission = article.review_events.get()
    assert (submission.action, submission.change_summary) == ("submitted", "First.")
    page = client.get(response["Location"]).content.decode()
    assert "Revision 1 submitted for review." in page


def test_a_new_article_refused_on_submitting_is_not_created_and_keeps_what_was_typed(cast):
    from django.contrib.auth.models import Permission

    writer = staff(username="writer", first_name="Wes", last_name="Writer")
    may_write_not_submit = ["add_article", "change_article", "add_section", "change_section"]
    writer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=[*may_write_not_submit, "view_article", "view_topic", "view_question"],
        )
    )
    data = new_article_data(writer, bottom_line="Typed by Wes.") | {SUBMIT: "1"}

    response = logged_in(writer).post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved and not submitted: You may not submit articles" in html
    assert "Typed by Wes." in html
    assert not Article.objects.filter(slug="treating-a-first-episode").exists()
    assert not response.context["workflow_panel"]["can_submit"]


def test_a_plain_save_ignores_the_summary_and_does_not_submit(cast):
    article = new_article(cast["editor"])
    data = form_data(article, bottom_line="Saved only.") | {"submit_change_summary": "x" * 400}

    response = logged_in(cast["editor"]).post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.bottom_line) == (Status.DRAFT, "Saved only.")
    assert not article.review_events.exists()


# --- "Changes requested" in lists --------------------------------------------------------------


def changelist(client, **query):
    response = client.get(reverse("admin:articles_article_changelist"), query)
    assert response.status_code == 200
    return response


def test_the_article_list_says_changes_requested_and_filters_on_it(cast):
    back = sent_back(cast)
    plain = new_article(cast["editor"])
    submitted = workflow_to(new_article(cast["editor"]), Status.SUBMITTED, editor=cast["editor"])
    client = logged_in(cast["editor"])

    response = changelist(client)

    rows = {a.pk: a for a in response.context["cl"].result_list}
    admin_ = response.context["cl"].model_admin
    assert admin_.state(rows[back.pk]) == "Changes requested"
    assert admin_.state(rows[plain.pk]) == "Draft"
    assert admin_.state(rows[submitted.pk]) == "Submitted"
    assert '<td class="field-state">Changes requested</td>' in response.content.decode()
    pks = lambda r: {a.pk for a in r.context["cl"].result_list}  # noqa: E731
    assert pks(changelist(client, state="changes_requested")) == {back.pk}
    assert pks(changelist(client, state="draft")) == {plain.pk}
    assert pks(changelist(client, state="submitted")) == {submitted.pk}
    # Resubmitted, it is no longer "changes requested".
    services.submit(back, by=cast["editor"])
    assert pks(changelist(client, state="changes_requested")) == set()


def test_the_article_list_runs_as_many_queries_for_many_articles_as_for_few(
    cast, django_assert_num_queries
):
    client = logged_in(cast["editor"])
    sent_back(cast)
    changelist(client)  # the first request reads more
    with CaptureQueriesContext(connection) as captured:
        rows = len(changelist(client).context["cl"].result_list)
    few = len(captured)
    for _ in range(4):
        sent_back(cast)
        ArticleFactory()

    with django_assert_num_queries(few):
        response = changelist(client, o="1")  # ordered by headline: any order costs the same

    assert len(response.context["cl"].result_list) == rows + 8
    assert response.content.decode().count("Changes requested</td>") == 5


def test_the_queue_says_a_submission_follows_changes_requested(cast):
    back = sent_back(cast)
    services.submit(back, by=cast["editor"])
    fresh_one = workflow_to(new_article(cast["editor"]), Status.SUBMITTED, editor=cast["editor"])

    response = logged_in(cast["other"]).get(reverse("admin:reviews_reviewqueueitem_changelist"))

    assert response.status_code == 200
    rows = {a.pk: a for a in response.context["cl"].result_list}
    queue = response.context["cl"].model_admin
    assert queue.state(rows[back.pk]) == "Submitted again, after changes were requested"
    assert queue.state(rows[fresh_one.pk]) == "Submitted"


def test_the_review_screen_says_changes_requested(cast):
    article = sent_back(cast)

    html = logged_in(cast["reviewer"]).get(review_url(article)).content.decode()

    assert 'review-status--draft">Changes requested</strong>' in html


# --- approving in one step ---------------------------------------------------------------------


def test_a_board_member_approves_a_submitted_article_in_one_step(cast):
    article = workflow_to(new_article(cast["editor"]), Status.SUBMITTED, editor=cast["editor"])
    client = logged_in(cast["reviewer"])
    page = client.get(review_url(article))
    assert {t.action for t in page.context["actions"]} >= {"start_review", "approve"}

    response = client.post(
        review_url(article),
        {
            "action": "approve",
            "comment": "Accurate.",
            "seen_revision": article.submitted_revision_id,
        },
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    events = list(article.review_events.order_by("pk").values_list("action", "actor"))
    assert events[-2:] == [
        (Action.REVIEW_STARTED, cast["reviewer"].pk),
        (Action.APPROVED, cast["reviewer"].pk),
    ]
    assert article.assigned_reviewer is None


def test_one_step_approval_keeps_four_eyes_and_the_assignment(cast):
    author_on_board = staff(EDITORS, BOARD, first_name="Ann", last_name="Both")
    article = workflow_to(new_article(author_on_board), Status.SUBMITTED, editor=author_on_board)

    page = logged_in(author_on_board).get(review_url(article))
    assert "approve" not in {t.action for t in page.context["actions"]}
    with pytest.raises(services.TransitionError, match="You are an author"):
        services.approve(article, by=author_on_board)

    # Withdrawn by an edit and resubmitted, it stays with the board member who held it.
    held = workflow_to(new_article(cast["editor"]), Status.UNDER_REVIEW, editor=cast["editor"],
                       reviewer=cast["reviewer"])  # fmt: skip
    section = held.sections.get()
    section.body = "Changed while under review."
    section.save()
    services.record_edit(held, by=cast["editor"])
    services.submit(held, by=cast["editor"])
    held.refresh_from_db()
    assert (held.status, held.assigned_reviewer) == (Status.SUBMITTED, cast["reviewer"])
    with pytest.raises(services.TransitionError, match="assigned to Rita Reviewer"):
        services.approve(held, by=cast["other"])
    page = logged_in(cast["other"]).get(review_url(held))
    assert "approve" not in {t.action for t in page.context["actions"]}
    held.refresh_from_db()
    assert held.status == Status.SUBMITTED
    services.approve(held, by=cast["reviewer"])
    held.refresh_from_db()
    assert held.status == Status.APPROVED

"""A question's text is part of its article's revision: changing it in the Question admin is an
edit of the article — recorded as a revision by the editor, a draft again, the approved
question public until the next approval, and four eyes for whoever changed it. Triage fields
(status, note) are not part of any revision."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, Question
from reviews import roles, services
from reviews.services import TransitionError
from tests.factories import (
    ArticleFactory,
    QuestionFactory,
    SectionFactory,
    logged_in,
    staff,
)

pytestmark = pytest.mark.django_db

Status = Article.Status
EDITORS, BOARD = roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD
GENERAL = "General medicine"  # the specialty of every factory topic (SpecialtyFactory)

APPROVED_QUESTION = "Should adults with mild hypertension start medication straight away?"
EDITED_QUESTION = "Should adults with stage 1 hypertension start medication straight away?"


# --- building blocks -----------------------------------------------------------------------


def question_url(question):
    return reverse("admin:articles_question_change", args=[question.pk])


def question_data(question, **changes):
    """The Question change form as the admin renders it now, with `changes` typed in."""
    data = {
        "text": question.text,
        "source": question.source,
        "status": question.status,
        "follow_up_to": str(question.follow_up_to_id or ""),
        "asker_email": question.asker_email,
        "triage_note": question.triage_note,
    }
    return data | changes


def save_question(user, question, **changes):
    response = logged_in(user).post(question_url(question), question_data(question, **changes))
    assert response.status_code == 302, response.context and response.context["errors"]
    question.refresh_from_db()
    return response


def messages_of(response):
    return [m.message for m in get_messages(response.wsgi_request)]


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def shown_question(html):
    start = html.index('<p class="question">')
    return html[start : html.index("</p>", start)]


@pytest.fixture
def cast():
    return {
        "author": staff(EDITORS, first_name="Eva", last_name="Author"),
        "editor": staff(EDITORS, first_name="Ed", last_name="Itor"),
        # Board members declare the factory topics' specialty: their approvals are ordinary.
        "reviewer": staff(BOARD, first_name="Ana", last_name="Ruiz", specialties=[GENERAL]),
        "second_reviewer": staff(
            BOARD, first_name="Ben", last_name="Okafor", specialties=[GENERAL]
        ),
        # Edits and sits on the board.
        "both": staff(EDITORS, BOARD, first_name="Dana", last_name="Dual", specialties=[GENERAL]),
    }


@pytest.fixture
def approved(cast):
    """An article approved through the services, by its author and a board member."""
    question = QuestionFactory(text=APPROVED_QUESTION, status=Question.Status.ACCEPTED)
    article = ArticleFactory(question=question, bottom_line="Usually lifestyle first.")
    SectionFactory(article=article, position=1, heading="Why", body="Risk is low.")
    article.authors.add(cast["author"])
    services.submit(article, by=cast["author"])
    services.start_review(article, by=cast["reviewer"])
    services.approve(article, by=cast["reviewer"], comment="Checked.")
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    return article


def test_the_form_names_the_fields_this_module_posts(approved, cast):
    html = logged_in(cast["editor"]).get(question_url(approved.question)).content.decode()
    for name in question_data(approved.question):
        assert f'name="{name}"' in html, name


# --- editing the question text -------------------------------------------------------------


def test_editing_the_question_records_a_revision_by_the_editor_and_makes_a_draft(
    client, approved, cast
):
    question = approved.question

    response = save_question(cast["editor"], question, text=EDITED_QUESTION)

    assert question.text == EDITED_QUESTION
    approved.refresh_from_db()
    assert approved.status == Status.DRAFT
    assert approved.revisions.count() == 2
    latest = approved.revisions.order_by("-number").first()
    assert (latest.number, latest.created_by) == (2, cast["editor"])
    assert latest.content["question"] == EDITED_QUESTION
    assert approved.approval.revision.content["question"] == APPROVED_QUESTION
    assert any("now has a new draft with this question" in m for m in messages_of(response))
    history = approved.history.first()
    assert (history.status, history.history_user) == (Status.DRAFT, cast["editor"])
    # Readers still see the approved question, as approved.
    html = page(client, approved)
    assert APPROVED_QUESTION in shown_question(html)
    assert EDITED_QUESTION not in html
    assert "Medically reviewed by" in html
    assert "pending human review" not in html


def test_the_new_question_is_public_once_the_new_revision_is_approved(client, approved, cast):
    save_question(cast["editor"], approved.question, text=EDITED_QUESTION)
    services.submit(approved, by=cast["author"])
    assert EDITED_QUESTION not in page(client, approved)
    services.start_review(approved, by=cast["second_reviewer"])
    assert EDITED_QUESTION not in page(client, approved)

    services.approve(approved, by=cast["second_reviewer"])

    html = page(client, approved)
    assert EDITED_QUESTION in shown_question(html)
    assert APPROVED_QUESTION not in html
    assert "Medically reviewed by" in html


def test_editing_the_question_of_an_article_in_review_withdraws_it(approved, cast):
    save_question(cast["editor"], approved.question, text=EDITED_QUESTION)
    services.submit(approved, by=cast["author"])
    approved.refresh_from_db()
    assert approved.status == Status.SUBMITTED

    save_question(cast["editor"], approved.question, text=EDITED_QUESTION + " Daily?")

    approved.refresh_from_db()
    assert approved.status == Status.DRAFT
    assert approved.revisions.count() == 3
    with pytest.raises(TransitionError):
        services.start_review(approved, by=cast["reviewer"])


# --- four eyes -----------------------------------------------------------------------------


def test_a_board_member_who_edited_the_question_cannot_review_the_article(approved, cast):
    both = cast["both"]
    save_question(both, approved.question, text=EDITED_QUESTION)
    assert approved.revisions.order_by("-number").first().created_by == both
    services.submit(approved, by=cast["author"])

    with pytest.raises(TransitionError, match="You edited this article"):
        services.start_review(approved, by=both)

    approved.refresh_from_db()
    assert (approved.status, approved.assigned_reviewer) == (Status.SUBMITTED, None)
    services.start_review(approved, by=cast["second_reviewer"])

    with pytest.raises(TransitionError, match="You edited this article"):
        services.approve(approved, by=both)

    approved.refresh_from_db()
    assert approved.status == Status.UNDER_REVIEW
    assert approved.approval.revision.number == 1
    services.approve(approved, by=cast["second_reviewer"])
    approved.refresh_from_db()
    assert (approved.status, approved.approval.revision.number) == (Status.APPROVED, 2)


def test_the_review_screen_tells_the_board_member_who_edited_the_question(approved, cast):
    both = cast["both"]
    save_question(both, approved.question, text=EDITED_QUESTION)
    services.submit(approved, by=cast["author"])
    url = reverse("admin:articles_article_review", args=[approved.pk])

    response = logged_in(both).post(
        url, {"action": "start_review", "seen_revision": str(approved.submitted_revision_id)}
    )

    assert response.status_code == 409
    assert "You edited this article" in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == Status.SUBMITTED


# --- triage fields ---------------------------------------------------------------------------


def test_changing_only_the_triage_fields_records_no_revision(client, approved, cast):
    question = approved.question
    before = list(approved.revisions.values_list("pk", flat=True))

    response = save_question(
        cast["editor"],
        question,
        status=Question.Status.ANSWERED,
        triage_note="Answered by the hypertension article.",
    )

    assert (question.status, question.triage_note) == (
        Question.Status.ANSWERED,
        "Answered by the hypertension article.",
    )
    assert question.text == APPROVED_QUESTION
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    assert list(approved.revisions.values_list("pk", flat=True)) == before
    assert not any("new draft" in m for m in messages_of(response))
    assert "Medically reviewed by" in page(client, approved)


def test_saving_the_question_unchanged_records_no_revision(approved, cast):
    save_question(cast["editor"], approved.question)
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    assert approved.revisions.count() == 1


def test_a_question_without_an_article_is_edited_freely(cast):
    question = QuestionFactory(text=APPROVED_QUESTION)
    save_question(cast["editor"], question, text=EDITED_QUESTION)
    assert question.text == EDITED_QUESTION

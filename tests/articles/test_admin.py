"""The editorial admin, driven as a superuser: writing an article with its sections, citation
checks that keep the editor's text, section order, and the reference and question lists."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.html import escape

from articles.models import Article, Question, Section
from tests.factories import (
    ArticleFactory,
    QuestionFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
)

ADD_URL = "/admin/articles/article/add/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def article_data(sections, initial=0, **fields):
    """POST data for the article form and its section inline.

    `sections` is a list of dicts with position/heading/body (and optionally id, kind)."""
    data = {
        "headline": "Anticoagulation in atrial fibrillation",
        "slug": "anticoagulation-in-af",
        "bottom_line": "Most patients benefit.",
        "sections-TOTAL_FORMS": str(len(sections)),
        "variants-TOTAL_FORMS": "0",
        "variants-INITIAL_FORMS": "0",
        "sections-INITIAL_FORMS": str(initial),
        "sections-MIN_NUM_FORMS": "1",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, section in enumerate(sections):
        data |= {
            f"sections-{i}-id": str(section.get("id", "")),
            f"sections-{i}-article": str(section.get("article", "")),
            f"sections-{i}-position": str(section["position"]),
            f"sections-{i}-heading": section["heading"],
            f"sections-{i}-kind": section.get("kind", Section.Kind.STANDARD),
            f"sections-{i}-body": section["body"],
        }
    return data | fields


@pytest.fixture
def new_article_fields(db):
    return {"question": str(QuestionFactory().pk), "topic": str(TopicFactory().pk)}


@pytest.mark.django_db
def test_add_form_names_the_fields_this_module_posts(admin_client):
    response = admin_client.get(ADD_URL)
    assert response.status_code == 200
    content = response.content.decode()
    for name in [
        "question",
        "headline",
        "slug",
        "topic",
        "edit_version",
        "bottom_line",
        "authors",
        "sections-TOTAL_FORMS",
        "sections-INITIAL_FORMS",
        "sections-MIN_NUM_FORMS",
        "sections-MAX_NUM_FORMS",
        "sections-0-position",
        "sections-0-heading",
        "sections-0-kind",
        "sections-0-body",
        "sections-0-id",
    ]:
        assert f'name="{name}"' in content, name


@pytest.mark.django_db
def test_add_article_with_sections_and_the_author(admin_client, admin_user, new_article_fields):
    ReferenceFactory(key="ruff2014")
    data = article_data(
        [
            {"position": 1, "heading": "Who benefits", "body": "Most patients [@ruff2014]."},
            {"position": 2, "heading": "Pitfalls", "body": "- bleeding", "kind": "pitfalls"},
        ],
        bottom_line="Anticoagulate most patients [@ruff2014].",
        **new_article_fields,
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    article = Article.objects.get(slug="anticoagulation-in-af")
    assert article.bottom_line == "Anticoagulate most patients [@ruff2014]."
    assert list(article.sections.values_list("position", "heading", "kind")) == [
        (1, "Who benefits", "standard"),
        (2, "Pitfalls", "pitfalls"),
    ]
    assert list(article.authors.all()) == [admin_user]


@pytest.mark.django_db
def test_editing_does_not_add_the_editor_as_author(admin_client, admin_user):
    article = ArticleFactory()
    section = SectionFactory(article=article, position=1)
    data = article_data(
        [{"id": section.pk, "article": article.pk, "position": 1, "heading": "H", "body": "B"}],
        initial=1,
        question=str(article.question.pk),
        topic=str(article.topic.pk),
        slug=article.slug,
        edit_version=str(article.version),
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302
    assert not article.authors.filter(pk=admin_user.pk).exists()


@pytest.mark.django_db
def test_unknown_key_in_a_section_keeps_the_text_and_saves_nothing(
    admin_client, new_article_fields
):
    ReferenceFactory(key="ruff2014")
    body = "Warfarin & DOACs compared [@ruff2014].\nThe older <trial> [@nope-1999] says so."
    data = article_data(
        [{"position": 1, "heading": "Evidence", "body": body}], **new_article_fields
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Unknown citation key “@nope-1999” on line 2" in content
    assert "@ruff2014”" not in content
    assert escape(body) in content  # what the editor typed is still in the textarea
    assert Article.objects.count() == 0
    assert Section.objects.count() == 0


@pytest.mark.django_db
def test_unknown_key_in_the_bottom_line_keeps_the_text_and_saves_nothing(
    admin_client, new_article_fields
):
    bottom_line = "Treat early [@ghost-2020]."
    data = article_data(
        [{"position": 1, "heading": "Why", "body": "Because."}],
        bottom_line=bottom_line,
        **new_article_fields,
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Unknown citation key “@ghost-2020” on line 1" in content
    assert escape(bottom_line) in content
    assert "Because." in content  # the valid section is kept too
    assert response.context["adminform"].form.errors["bottom_line"]
    assert Article.objects.count() == 0
    assert Section.objects.count() == 0


@pytest.mark.django_db
def test_two_sections_with_the_same_position_are_refused(admin_client, new_article_fields):
    data = article_data(
        [
            {"position": 1, "heading": "First", "body": "One."},
            {"position": 1, "heading": "Also first", "body": "Two."},
        ],
        **new_article_fields,
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for position." in response.content.decode()
    assert Article.objects.count() == 0
    assert Section.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_position_against_an_existing_section_is_refused(admin_client):
    article = ArticleFactory()
    first = SectionFactory(article=article, position=1, heading="First")
    data = article_data(
        [
            {"id": first.pk, "article": article.pk, "position": 1, "heading": "First", "body": "1"},
            {"article": article.pk, "position": 1, "heading": "New", "body": "2"},
        ],
        initial=1,
        question=str(article.question.pk),
        topic=str(article.topic.pk),
        slug=article.slug,
        edit_version=str(article.version),
    )

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for position." in response.content.decode()
    assert list(article.sections.values_list("heading", flat=True)) == ["First"]


@pytest.mark.django_db
def test_swapping_two_section_positions_in_one_save(admin_client):
    article = ArticleFactory()
    first = SectionFactory(article=article, position=1, heading="First", body="One.")
    second = SectionFactory(article=article, position=2, heading="Second", body="Two.")
    data = article_data(
        [
            {"id": first.pk, "article": article.pk, "position": 2, "heading": "First", "body": "1"},
            {
                "id": second.pk,
                "article": article.pk,
                "position": 1,
                "heading": "Second",
                "body": "2",
            },
        ],
        initial=2,
        question=str(article.question.pk),
        topic=str(article.topic.pk),
        slug=article.slug,
        headline=article.headline,
        edit_version=str(article.version),
    )

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 302
    # On PostgreSQL the unique constraint is deferred: force the commit-time check.
    connection.check_constraints()
    assert list(article.sections.values_list("heading", "position")) == [
        ("Second", 1),
        ("First", 2),
    ]


# --- reference library ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ruff2014", ["ruff2014"]),
        ("RUFF", ["ruff2014"]),
        ("nccn", ["nccn-rectal-2025"]),
        ("warfarin", ["ruff2014"]),
        ("Rectal Cancer", ["nccn-rectal-2025"]),
        ("nothing-matches", []),
    ],
)
def test_reference_changelist_search_by_key_and_title(admin_client, query, expected):
    ReferenceFactory(key="ruff2014", title="New oral anticoagulants versus warfarin")
    ReferenceFactory(key="nccn-rectal-2025", title="Rectal cancer guideline")
    ReferenceFactory(key="unrelated", title="Something else entirely")

    response = admin_client.get("/admin/references/reference/", {"q": query})

    assert response.status_code == 200
    found = [ref.key for ref in response.context["cl"].result_list]
    assert found == expected


# --- question triage -----------------------------------------------------------------------

QUESTIONS_URL = "/admin/articles/question/"


@pytest.fixture
def questions(db):
    return {
        "new": QuestionFactory(text="Is aspirin still useful for primary prevention?"),
        "also_new": QuestionFactory(
            text="How long should DOACs be held before surgery?", source="reader"
        ),
        "declined": QuestionFactory(
            text="What is the airspeed of an unladen swallow?", status="declined"
        ),
    }


@pytest.mark.django_db
def test_question_changelist_filters_by_status(admin_client, questions):
    response = admin_client.get(QUESTIONS_URL, {"status__exact": "new"})
    assert response.status_code == 200
    assert {q.pk for q in response.context["cl"].result_list} == {
        questions["new"].pk,
        questions["also_new"].pk,
    }

    response = admin_client.get(QUESTIONS_URL, {"status__exact": "declined"})
    assert [q.pk for q in response.context["cl"].result_list] == [questions["declined"].pk]


@pytest.mark.django_db
def test_accept_for_answering_action(admin_client, questions):
    selected = [questions["new"].pk, questions["declined"].pk]

    response = admin_client.post(
        QUESTIONS_URL,
        {"action": "mark_accepted", "_selected_action": [str(pk) for pk in selected]},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 questions marked “Accepted — to be answered”." in response.content.decode()
    statuses = dict(Question.objects.values_list("pk", "status"))
    assert statuses[questions["new"].pk] == Question.Status.ACCEPTED
    assert statuses[questions["declined"].pk] == Question.Status.ACCEPTED
    assert statuses[questions["also_new"].pk] == Question.Status.NEW


@pytest.mark.django_db
def test_accept_action_is_offered_with_its_label(admin_client, questions):
    response = admin_client.get(QUESTIONS_URL)
    assert '<option value="mark_accepted">Accept for answering</option>' in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_non_staff_user_cannot_reach_the_admin(client):
    user = get_user_model().objects.create_user("reader", password="x-long-password-1")
    client.force_login(user)
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

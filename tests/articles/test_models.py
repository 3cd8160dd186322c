"""Articles, sections, questions, topics and pages: database constraints, citation-key
validation, __str__ and URLs."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from articles.models import Article, Question, Section
from articles.validators import validate_citation_keys
from tests.factories import (
    ArticleFactory,
    PageFactory,
    QuestionFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)

# --- check constraints ---------------------------------------------------------------------


CHOICE_FIELDS = [
    # (factory, field, a value outside the choices, the declared choices)
    (ArticleFactory, "status", "published", Article.Status.values),
    (SectionFactory, "kind", "sidebar", Section.Kind.values),
    (QuestionFactory, "source", "twitter", Question.Source.values),
    (QuestionFactory, "status", "spam", Question.Status.values),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("factory", "field", "bad", "_"), CHOICE_FIELDS)
def test_check_constraint_rejects_values_outside_the_choices(factory, field, bad, _):
    obj = factory()
    before = getattr(obj, field)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(**{field: bad})
    obj.refresh_from_db()
    assert getattr(obj, field) == before


@pytest.mark.django_db
# Article.status is left out: its states need the workflow's revisions (tests/reviews).
@pytest.mark.parametrize(("factory", "field", "_", "values"), CHOICE_FIELDS[1:])
def test_check_constraint_accepts_every_declared_choice(factory, field, _, values):
    obj = factory()
    for value in values:
        type(obj).objects.filter(pk=obj.pk).update(**{field: value})
        obj.refresh_from_db()
        assert getattr(obj, field) == value


@pytest.mark.django_db
def test_one_article_per_question():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(question=article.question)


# --- section order: (article, position) unique ---------------------------------------------


def section_formset(article, rows):
    """The admin's own inline formset for `article`, bound to `rows` [(section|None, position)]."""
    request = RequestFactory().post("/admin/")
    request.user = UserFactory(username="formset-admin", is_staff=True, is_superuser=True)
    inline = admin.site._registry[Article].get_inline_instances(request, article)[0]
    formset_class = inline.get_formset(request, article)
    existing = sum(1 for section, _ in rows if section is not None)
    data = {
        "sections-TOTAL_FORMS": str(len(rows)),
        "sections-INITIAL_FORMS": str(existing),
        "sections-MIN_NUM_FORMS": "1",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, (section, position) in enumerate(rows):
        data |= {
            f"sections-{i}-id": str(section.pk) if section else "",
            f"sections-{i}-article": str(article.pk),
            f"sections-{i}-position": str(position),
            f"sections-{i}-heading": section.heading if section else f"New {i}",
            f"sections-{i}-kind": Section.Kind.STANDARD,
            f"sections-{i}-body": section.body if section else "Text.",
        }
    return formset_class(data, instance=article, prefix="sections")


@pytest.mark.django_db
def test_section_position_unique_per_article():
    article = ArticleFactory()
    first = SectionFactory(article=article, position=1)
    second = SectionFactory(article=article, position=2)

    if connection.features.supports_deferrable_unique_constraints:
        # PostgreSQL: the constraint exists, deferred; it fires when checked (at commit).
        with transaction.atomic():
            Section.objects.filter(pk=second.pk).update(position=1)  # accepted for now ...
            with pytest.raises(IntegrityError), transaction.atomic():
                connection.check_constraints()  # ... refused when checked
            transaction.set_rollback(True)
        second.refresh_from_db()
        assert second.position == 2
    else:
        # SQLite cannot create the deferrable constraint: the database accepts a duplicate
        # (models.W038 is silenced on purpose), so the admin formset must refuse it.
        with transaction.atomic():
            Section.objects.filter(pk=second.pk).update(position=1)
            assert Section.objects.filter(article=article, position=1).count() == 2
            transaction.set_rollback(True)
        formset = section_formset(article, [(first, 1), (second, 1)])
        assert not formset.is_valid()
        assert "Please correct the duplicate data for position." in str(formset.non_form_errors())


@pytest.mark.django_db
def test_same_position_in_different_articles_is_fine():
    SectionFactory(position=1)
    SectionFactory(position=1)
    assert Section.objects.filter(position=1).count() == 2
    connection.check_constraints()


@pytest.mark.django_db
def test_swapping_two_positions_in_one_transaction():
    article = ArticleFactory()
    first = SectionFactory(article=article, position=1)
    second = SectionFactory(article=article, position=2)

    with transaction.atomic():
        Section.objects.filter(pk=first.pk).update(position=2)
        Section.objects.filter(pk=second.pk).update(position=1)
        connection.check_constraints()  # on PostgreSQL: the deferred check passes

    assert list(article.sections.values_list("pk", flat=True)) == [second.pk, first.pk]


@pytest.mark.django_db
def test_admin_formset_refuses_duplicate_positions_on_every_database():
    article = ArticleFactory()
    first = SectionFactory(article=article, position=1)
    formset = section_formset(article, [(first, 1), (None, 1)])
    assert not formset.is_valid()
    assert "Please correct the duplicate data for position." in str(formset.non_form_errors())


@pytest.mark.django_db
def test_admin_formset_accepts_a_swap():
    article = ArticleFactory()
    first = SectionFactory(article=article, position=1)
    second = SectionFactory(article=article, position=2)
    formset = section_formset(article, [(first, 2), (second, 1)])
    assert formset.is_valid(), formset.errors
    formset.save()
    connection.check_constraints()
    assert list(article.sections.values_list("pk", flat=True)) == [second.pk, first.pk]


# --- __str__ and URLs ----------------------------------------------------------------------


def test_topic_str():
    assert str(TopicFactory.build(name="Cardiology")) == "Cardiology"


def test_question_str_short():
    text = "Should all adults with atrial fibrillation be anticoagulated?"
    assert str(QuestionFactory.build(text=text)) == text


def test_question_str_exactly_80_characters_is_not_shortened():
    text = "x" * 80
    assert str(QuestionFactory.build(text=text)) == text


def test_question_str_long_is_shortened_with_an_ellipsis():
    text = "y" * 81
    shown = str(QuestionFactory.build(text=text))
    assert shown == "y" * 79 + "…"
    assert len(shown) == 80


def test_article_str():
    assert str(ArticleFactory.build(headline="Anticoagulation in AF")) == "Anticoagulation in AF"


def test_section_str():
    assert str(SectionFactory.build(heading="Pitfalls")) == "Pitfalls"


def test_page_str():
    assert str(PageFactory.build(title="Editorial policy")) == "Editorial policy"


def test_article_get_absolute_url():
    assert ArticleFactory.build(slug="af-anticoagulation").get_absolute_url() == (
        "/articles/af-anticoagulation/"
    )


def test_page_get_absolute_url():
    assert PageFactory.build(slug="disclaimer").get_absolute_url() == "/pages/disclaimer/"


# --- citation-key validation ---------------------------------------------------------------


@pytest.mark.django_db
def test_article_full_clean_rejects_unknown_key_naming_key_and_line():
    ReferenceFactory(key="known2020")
    article = ArticleFactory()
    article.bottom_line = "First line cites [@known2020].\nSecond line cites [@nope-2019]."

    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()

    messages = excinfo.value.message_dict["bottom_line"]
    assert len(messages) == 1
    assert "@nope-2019" in messages[0]
    assert "line 2" in messages[0]
    assert "known2020" not in messages[0]
    assert excinfo.value.error_dict["bottom_line"][0].code == "unknown_citation"


@pytest.mark.django_db
def test_article_full_clean_with_known_keys_passes():
    ReferenceFactory(key="known2020")
    ReferenceFactory(key="other.2021")
    article = ArticleFactory()
    article.bottom_line = "Cites [@known2020; @other.2021].\n\nAnd again [@known2020]."
    article.full_clean()  # no ValidationError


@pytest.mark.django_db
def test_section_full_clean_rejects_unknown_key():
    section = SectionFactory()
    section.body = "Intro.\n\n- item\n- item citing [@ghost]"
    with pytest.raises(ValidationError) as excinfo:
        section.full_clean()
    messages = excinfo.value.message_dict["body"]
    assert messages == [
        "Unknown citation key “@ghost” on line 4. Add it to the reference library or "
        "correct the key."
    ]


@pytest.mark.django_db
def test_validator_reports_each_unknown_key_once_at_its_first_line():
    ReferenceFactory(key="real")
    text = "Line one [@a1].\nLine two [@real; @b2].\n\n| x |\n|---|\n| [@c3] [@a1] |"
    with pytest.raises(ValidationError) as excinfo:
        validate_citation_keys(text)
    assert [(e.params["key"], e.params["line"]) for e in excinfo.value.error_list] == [
        ("a1", 1),
        ("b2", 2),
        ("c3", 6),
    ]


@pytest.mark.django_db
def test_validator_line_number_matches_the_whole_key_not_a_prefix():
    """Regression: "@a" used to be found on a line that cites "@ab"."""
    ReferenceFactory(key="ab")
    text = "First line cites [@ab] only.\nSecond line cites [@a]."
    with pytest.raises(ValidationError) as excinfo:
        validate_citation_keys(text)
    assert [(e.params["key"], e.params["line"]) for e in excinfo.value.error_list] == [("a", 2)]


@pytest.mark.django_db
def test_validator_ignores_citations_in_code_and_runs_one_query(django_assert_num_queries):
    ReferenceFactory(key="real")
    with django_assert_num_queries(1):
        validate_citation_keys("Use `[@example]` to cite, e.g. [@real].\n\n```\n[@other]\n```")


@pytest.mark.django_db
def test_validator_without_citations_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        validate_citation_keys("No citations, only me@example.org and [see @x].")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "bad", "line"),
    [
        ("Trailing dot [@real.]", "[@real.]", 1),
        ("Comma not semicolon\n[@real, @real]", "[@real, @real]", 2),
        ("Prose inside [@real p. 4]", "[@real p. 4]", 1),
        ("- a bullet\n- another [@ real]", "[@ real]", 2),
    ],
)
def test_validator_names_malformed_citations_and_their_line(text, bad, line):
    ReferenceFactory(key="real")
    with pytest.raises(ValidationError) as excinfo:
        validate_citation_keys(text)
    (error,) = excinfo.value.error_list
    assert error.code == "malformed_citation"
    assert (error.params["text"], error.params["line"]) == (bad, line)
    assert f"“{bad}” on line {line} is not a valid citation" in error.message % error.params


@pytest.mark.django_db
def test_citation_like_text_in_code_is_not_malformed():
    validate_citation_keys("Write `[@key.]` wrong like this, never in prose.")

"""Reference: database constraints, field validators, __str__ and identifier URLs."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from references.models import Reference
from tests.factories import ReferenceFactory


def reference(**overrides):
    """An unsaved, otherwise valid reference."""
    fields = {"key": "smith2020", "kind": Reference.Kind.RESEARCH, "title": "A trial"}
    return Reference(**(fields | overrides))


# --- database constraints ------------------------------------------------------------------


@pytest.mark.django_db
def test_kind_check_constraint():
    ref = ReferenceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reference.objects.filter(pk=ref.pk).update(kind="bogus")
    ref.refresh_from_db()
    assert ref.kind == Reference.Kind.RESEARCH


@pytest.mark.django_db
@pytest.mark.parametrize("kind", Reference.Kind.values)
def test_every_declared_kind_is_accepted(kind):
    ref = ReferenceFactory()
    Reference.objects.filter(pk=ref.pk).update(kind=kind)
    ref.refresh_from_db()
    assert ref.kind == kind


@pytest.mark.django_db
@pytest.mark.parametrize("year", [1799, 2101, 0])
def test_year_check_constraint_rejects(year):
    ref = ReferenceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reference.objects.filter(pk=ref.pk).update(year=year)


@pytest.mark.django_db
@pytest.mark.parametrize("year", [None, 1800, 1999, 2100])
def test_year_check_constraint_accepts(year):
    ref = ReferenceFactory()
    Reference.objects.filter(pk=ref.pk).update(year=year)
    ref.refresh_from_db()
    assert ref.year == year


@pytest.mark.django_db
def test_key_unique():
    ReferenceFactory(key="smith2020")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(key="smith2020")
    assert Reference.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["Smith2020", "SMITH2020", "smith2020"])
def test_key_unique_case_insensitively(other):
    ReferenceFactory(key="smith2020")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(key=other)
    assert Reference.objects.count() == 1


@pytest.mark.django_db
def test_key_case_clash_is_a_validation_error_before_it_reaches_the_database():
    ReferenceFactory(key="smith2020")
    with pytest.raises(ValidationError) as excinfo:
        reference(key="Smith2020").full_clean()
    assert "reference_key_unique_ci" in str(excinfo.value) or "already exists" in str(excinfo.value)


@pytest.mark.django_db
def test_distinct_keys_coexist():
    ReferenceFactory(key="smith2020")
    ReferenceFactory(key="smith2020a")
    assert Reference.objects.count() == 2


# --- validators ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    ["smith2020", "nccn-rectal-2025", "who:2021", "a.b.c", "chapter/3", "_x", "7", "x_y-z9"],
)
def test_key_validator_accepts(key):
    reference(key=key).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    [
        "smith2020.",  # a key never ends in punctuation: it could never be cited
        "smith2020-",
        "-smith",
        ".smith",
        "has space",
        "semi;colon",
        "br[ack]et",
        "a,b",
        "@smith",
    ],
)
def test_key_validator_rejects(key):
    with pytest.raises(ValidationError) as excinfo:
        reference(key=key).full_clean()
    (message,) = excinfo.value.message_dict["key"]
    assert message.startswith("A key starts with a letter, digit or underscore")
    assert "# $ % &" in message


@pytest.mark.django_db
def test_empty_key_is_required():
    with pytest.raises(ValidationError) as excinfo:
        reference(key="").full_clean()
    assert excinfo.value.message_dict["key"] == ["This field cannot be blank."]


@pytest.mark.django_db
@pytest.mark.parametrize("doi", ["10.1056/NEJMoa1511939", "10.1001/jama.2020.1234", ""])
def test_doi_validator_accepts(doi):
    reference(doi=doi).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "doi",
    [
        "https://doi.org/10.1056/NEJMoa1511939",
        "doi:10.1056/NEJMoa1511939",
        "10.1056",
        "10.1056/",
        "10.1056/NEJM oa",
        "11.1056/NEJMoa1511939",
    ],
)
def test_doi_validator_rejects(doi):
    with pytest.raises(ValidationError) as excinfo:
        reference(doi=doi).full_clean()
    assert excinfo.value.message_dict["doi"] == ["A DOI looks like 10.1056/NEJMoa1511939."]


@pytest.mark.django_db
@pytest.mark.parametrize("pmid", ["1", "26039523", "1234567890", ""])
def test_pmid_validator_accepts(pmid):
    reference(pmid=pmid).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pmid", ["PMID26039523", "26039523a", "12345678901", "-1", "2603 9523", "123\n", "١٢٣"]
)
def test_pmid_validator_rejects(pmid):
    with pytest.raises(ValidationError) as excinfo:
        reference(pmid=pmid).full_clean()
    assert "pmid" in excinfo.value.message_dict


# --- __str__ and URLs ----------------------------------------------------------------------


def test_str_with_year():
    ref = reference(title="A trial", source="NEJM", year=2020)
    assert str(ref) == "A trial (NEJM, 2020)"


def test_str_without_year():
    assert str(reference(title="Undated guideline", source="WHO", year=None)) == (
        "Undated guideline"
    )


def test_doi_url():
    assert reference(doi="10.1056/NEJMoa1511939").doi_url == (
        "https://doi.org/10.1056/NEJMoa1511939"
    )
    assert reference(doi="").doi_url == ""


def test_pubmed_url():
    assert reference(pmid="26039523").pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/26039523/"
    assert reference(pmid="").pubmed_url == ""


@pytest.mark.django_db
def test_default_ordering_is_by_key():
    for key in ["c", "a", "b"]:
        ReferenceFactory(key=key)
    assert list(Reference.objects.values_list("key", flat=True)) == ["a", "b", "c"]


@pytest.mark.django_db
def test_history_is_recorded():
    ref = ReferenceFactory(title="Old title")
    ref.title = "New title"
    ref.save()
    assert [h.title for h in ref.history.order_by("history_id")] == ["Old title", "New title"]

"""The reference form: pasted identifiers stored in one form, and every constraint of
`Reference` reported on its field, in words, before the database is asked."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from references.forms import ReferenceForm
from references.models import Reference
from reviews import roles
from tests.factories import ReferenceFactory, logged_in, staff

pytestmark = pytest.mark.django_db


def data(**overrides):
    return {"key": "smith-2020", "kind": "research", "title": "A trial", "year": "2020"} | overrides


def test_doi_pasted_as_a_link_is_accepted_and_stored_bare_through_the_admin():
    client = logged_in(staff(roles.EDITORS))
    response = client.post(
        reverse("admin:references_reference_add"),
        data(doi="https://doi.org/10.1056/NEJMoa1511939", pmid="PMID: 26551272"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ref = Reference.objects.get(key="smith-2020")
    assert (ref.doi, ref.pmid) == ("10.1056/nejmoa1511939", "26551272")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doi", "not a doi", "A DOI looks like"),
        ("pmid", "12ab", "PubMed ID"),
        ("url", "javascript:alert(1)", "https://"),
        ("url", "data:text/html,hi", "https://"),
    ],
)
def test_bad_identifiers_are_field_errors(field, value, message):
    form = ReferenceForm(data(**{field: value}))
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    assert set(form.errors) == {field}


def test_a_year_of_3025_is_a_field_error_not_a_database_message():
    client = logged_in(staff(roles.EDITORS))
    response = client.post(reverse("admin:references_reference_add"), data(year="3025"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "3025 is not a plausible publication year" in form.errors["year"][0]
    assert "reference_year_plausible" not in response.content.decode()
    assert 'value="A trial"' in response.content.decode()  # what was typed is kept
    assert not Reference.objects.exists()


@pytest.mark.parametrize("year", ["1799", "2101"])
def test_years_just_outside_the_range_are_refused(year):
    form = ReferenceForm(data(year=year))
    assert not form.is_valid()
    assert list(form.errors) == ["year"]


def test_a_key_differing_only_in_case_names_the_clash_on_the_key():
    ReferenceFactory(key="nccn-rectal-2025", title="Rectal cancer guideline")
    client = logged_in(staff(roles.EDITORS))
    response = client.post(reverse("admin:references_reference_add"), data(key="NCCN-Rectal-2025"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["key"]
    assert errors["key"][0].startswith("“nccn-rectal-2025” is already the key of “Rectal cancer")
    assert "reference_key_unique_ci" not in response.content.decode()
    assert Reference.objects.count() == 1


def test_editing_a_reference_keeps_its_own_key_without_a_clash():
    ref = ReferenceFactory(key="own-key")
    form = ReferenceForm(data(key="Own-Key"), instance=ref)
    assert form.is_valid(), form.errors
    assert form.save().key == "own-key"


def test_an_unknown_kind_is_a_field_error():
    form = ReferenceForm(data(kind="bogus"))
    assert not form.is_valid()
    assert list(form.errors) == ["kind"]


def test_keys_are_saved_lowercase_whatever_path_writes_them():
    assert ReferenceFactory(key="WHO-Guideline-2023").key == "who-guideline-2023"
    form = ReferenceForm(data(key="Mixed-Case"))
    assert form.is_valid()
    assert form.save().key == "mixed-case"


def test_volume_issue_and_pages_are_on_the_form():
    form = ReferenceForm(data(volume="373", issue="22", pages="2103-2116"))
    assert form.is_valid(), form.errors
    ref = form.save()
    assert (ref.volume, ref.issue, ref.pages) == ("373", "22", "2103-2116")


# Every database constraint of Reference has words for editors, where the model checks it
# itself (full_clean, as the import does), not only in this form.
CONSTRAINT_CASES = {
    "reference_kind_valid": ({"kind": "bogus"}, "Choose one of the listed types."),
    "reference_year_plausible": ({"year": 3025}, "between 1800 and 2100"),
    "reference_key_unique_ci": ({"key": "TAKEN"}, "already exists"),
}


def test_every_constraint_has_a_message():
    names = {c.name for c in Reference._meta.constraints}
    assert names == {*CONSTRAINT_CASES, "reference_not_merged_into_itself"}
    for constraint in Reference._meta.constraints:
        assert "is violated" not in constraint.get_violation_error_message()


@pytest.mark.parametrize("name", CONSTRAINT_CASES)
def test_model_validation_words_each_constraint(name):
    ReferenceFactory(key="taken")
    overrides, message = CONSTRAINT_CASES[name]
    fields = {"key": "fresh", "kind": "research", "title": "T"} | overrides
    with pytest.raises(ValidationError) as raised:
        Reference(**fields).validate_constraints()
    assert message in str(raised.value)
    assert name not in str(raised.value)


def test_merging_into_itself_is_refused_by_the_database_with_a_message():
    ref = ReferenceFactory()
    ref.merged_into_id = ref.pk
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        ref.validate_constraints()

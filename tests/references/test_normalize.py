"""DOI, PMID and URL normalization: the common forms people paste, and properties that hold
for any input (round trips, idempotence, garbage never accepted)."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from references import normalize
from references.models import Reference

# A DOI as registries issue them: 10.<4-9 digits>[.<digits>]/<printable suffix>.
registrant = st.from_regex(r"10\.[0-9]{4,9}(\.[0-9]{1,3})?", fullmatch=True)
# Brackets are tested with real, balanced examples below: an unbalanced one at the end is
# ambiguous ("(10.1/a(" could be either).
suffix_chars = string.ascii_letters + string.digits + "-._;/:#+"
suffix = st.text(suffix_chars, min_size=1, max_size=40).filter(
    lambda s: s[0] not in "([{<\"'" and s[-1] not in ".,;:)]}>\"'"
)
dois = st.builds(lambda r, s: f"{r}/{s}", registrant, suffix)


@pytest.mark.parametrize(
    "pasted",
    [
        "10.1056/NEJMoa1511939",
        "https://doi.org/10.1056/NEJMoa1511939",
        "http://dx.doi.org/10.1056/NEJMoa1511939",
        "https://www.doi.org/10.1056/nejmoa1511939",
        "doi:10.1056/NEJMoa1511939",
        "DOI: 10.1056/NEJMoa1511939",
        "doi 10.1056/NEJMoa1511939",
        "  10.1056/NEJMoa1511939.  ",
        "(doi:10.1056/NEJMoa1511939)",
        "https://doi.org/10.1056%2FNEJMoa1511939",
        "doi: https://doi.org/10.1056/NEJMoa1511939",
        "info:doi/10.1056/NEJMoa1511939",
    ],
)
def test_doi_common_forms(pasted):
    assert normalize.doi(pasted) == "10.1056/nejmoa1511939"


@pytest.mark.parametrize(
    "bad",
    [
        "nejm",
        "10.1056",
        "11.1056/abc",
        "https://example.org/10.1056/x",
        "doi:",
        "10.12/abc",
        "javascript:alert(1)",
        "10.1056/ has space",
    ],
)
def test_doi_refuses_what_is_not_a_doi(bad):
    with pytest.raises(ValueError, match="A DOI looks like"):
        normalize.doi(bad)


@pytest.mark.parametrize(
    "doi",
    [
        "10.1016/S0140-6736(20)30183-5",
        "10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E",
        "10.1093/eurheartj/ehy339",
    ],
)
def test_doi_keeps_its_own_brackets(doi):
    for pasted in (doi, f"({doi})", f"(doi: {doi}).", f"https://doi.org/{doi}"):
        assert normalize.doi(pasted) == doi.lower()


def test_doi_blank_is_blank():
    assert normalize.doi("  ") == normalize.doi("") == ""


@given(dois)
def test_doi_round_trips_through_every_wrapper(value):
    canonical = normalize.doi(value)
    assert canonical == value.lower()
    for wrapped in (
        f"https://doi.org/{value}",
        f"http://dx.doi.org/{value}",
        f"doi:{value}",
        f"DOI: {value}",
        f" {value.upper()} ",
        f"({value})",
    ):
        assert normalize.doi(wrapped) == canonical


@given(dois)
def test_doi_is_idempotent_and_valid_for_the_model(value):
    once = normalize.doi(value)
    assert normalize.doi(once) == once
    Reference._meta.get_field("doi").run_validators(once)


@given(st.text(max_size=60))
def test_doi_never_accepts_garbage(text):
    try:
        result = normalize.doi(text)
    except ValueError:
        return
    assert result == "" or (normalize.DOI_RE.fullmatch(result) and result == result.lower())
    assert not any(ch.isspace() for ch in result)


@pytest.mark.parametrize(
    "pasted",
    [
        "26551272",
        "PMID: 26551272",
        "PMID:26551272",
        "pmid26551272",
        "PubMed 26551272",
        "https://pubmed.ncbi.nlm.nih.gov/26551272/",
        "https://pubmed.ncbi.nlm.nih.gov/26551272/?from=search",
        "https://www.ncbi.nlm.nih.gov/pubmed/26551272",
        " 026551272. ",
    ],
)
def test_pmid_common_forms(pasted):
    assert normalize.pmid(pasted) == "26551272"


@pytest.mark.parametrize("bad", ["abc", "PMID:", "12a", "0", "-5", "12345678901", "1.5"])
def test_pmid_refuses_what_is_not_a_pmid(bad):
    with pytest.raises(ValueError, match="PubMed ID"):
        normalize.pmid(bad)


@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_pmid_round_trips(number):
    for pasted in (str(number), f"PMID: {number}", f"https://pubmed.ncbi.nlm.nih.gov/{number}/"):
        assert normalize.pmid(pasted) == str(number)
    assert normalize.pmid(normalize.pmid(str(number))) == str(number)


@given(st.text(max_size=40))
def test_pmid_never_accepts_garbage(text):
    try:
        result = normalize.pmid(text)
    except ValueError:
        return
    assert result == "" or (result.isdigit() and not result.startswith("0"))
    if result:
        Reference._meta.get_field("pmid").run_validators(result)


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("  http://www.nhs.uk/conditions/  ", "http://www.nhs.uk/conditions/"),
        ("HTTPS://Example.org/", "HTTPS://Example.org/"),
    ],
)
def test_url_accepts_web_addresses(pasted, stored):
    assert normalize.url(pasted) == stored


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/file",
        "example.org",
        "https://",
        "https://[oops",
        "https://exa mple.org",
        "https://localhost/",
        "vbscript:msgbox",
        "https://example.org/\x00",
    ],
)
def test_url_refuses_anything_but_http_links(bad):
    with pytest.raises(ValueError, match="web address"):
        normalize.url(bad)


@given(st.text(max_size=80))
def test_url_never_accepts_a_non_http_scheme(text):
    try:
        result = normalize.url(text)
    except ValueError:
        return
    assert result == "" or result.lower().startswith(("http://", "https://"))
    assert normalize.url(result) == result  # idempotent


def test_title_for_matching_ignores_case_punctuation_and_spacing():
    a = normalize.title_for_matching("Home readings: a Pragmatic  Trial.")
    b = normalize.title_for_matching("home readings -- a pragmatic trial")
    assert a == b == "home readings a pragmatic trial"

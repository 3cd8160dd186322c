"""AMA-style formatting (references/formatting.py).

The expected strings are written by hand from the AMA Manual of Style (11th ed.) rules:
authors as "Family Initials" separated by commas, more than six listed as the first three
and "et al"; a journal article's title in sentence case, the abbreviated journal in italics,
then "Year;Volume(Issue):Pages" and "doi:…"; a book's (and an organisation's report's) title
in italics and title case, then "Publisher; Year"; a web page's title plain, the site's name,
"Published/Updated date", then the URL."""

import re

import nh3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from references.formatting import (
    Name,
    Work,
    WorkType,
    _formatted,
    ama_html,
    ama_text,
    parse_authors,
    reference_html,
    work,
)
from references.models import FrozenReference


def frozen(**fields):
    data = {"key": "k", "kind": "research", "title": "A title", **fields}
    return FrozenReference(**data)


# -- authors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Smith J", [Name("Smith", "J")]),
        ("Smith JA, Lee K", [Name("Smith", "JA"), Name("Lee", "K")]),
        ("Smith J, Lee K, et al.", [Name("Smith", "J"), Name("Lee", "K"), Name(literal="et al")]),
        ("Smith J; Lee K; et al", [Name("Smith", "J"), Name("Lee", "K"), Name(literal="et al")]),
        ("van der Berg AM", [Name("van der Berg", "AM")]),
        ("Müller Ö, Ó Súilleabháin S", [Name("Müller", "Ö"), Name("Ó Súilleabháin", "S")]),
        ("Smith J.A.", [Name("Smith", "JA")]),
        ("Wright JT Jr, Doe J", [Name("Wright", "JT", suffix="Jr"), Name("Doe", "J")]),
        ("Jr", [Name(literal="Jr")]),
        ("World Health Organization", [Name(literal="World Health Organization")]),
        ("American Diabetes Association.", [Name(literal="American Diabetes Association")]),
        ("Smith John", [Name(literal="Smith John")]),  # not initials: printed as written
        ("", []),
        ("et al.", []),  # nobody to follow
    ],
)
def test_printed_authors_become_csl_names(printed, expected):
    assert list(parse_authors(printed)) == expected


def test_a_person_is_a_family_name_and_one_given_initial_a_word():
    assert Name("Smith", "JA").csl() == {"family": "Smith", "given": "J A"}
    assert Name(literal="WHO").csl() == {"literal": "WHO"}


# -- AMA output for each kind, against hand-written strings --------------------------------------


def test_journal_article():
    ref = frozen(
        title="Total neoadjuvant therapy for rectal cancer",
        authors="Smith JA, Lee K, Müller Ö",
        source="N Engl J Med",
        year=2021,
        volume="384",
        issue="12",
        pages="1165-1175",
        doi="10.1056/NEJMoa2022",
        pmid="33725374",
    )
    assert ama_text(work(ref)) == (
        "Smith JA, Lee K, Müller Ö. Total neoadjuvant therapy for rectal cancer. "
        "N Engl J Med. 2021;384(12):1165-1175. doi:10.1056/NEJMoa2022"
    )
    html = reference_html(ref)
    assert html == (
        'Smith JA, Lee K, Müller Ö. <cite class="reference__title">Total neoadjuvant therapy '
        "for rectal cancer</cite>. <i>N Engl J Med</i>. 2021;384(12):1165-1175. "
        'doi:<a href="https://doi.org/10.1056/NEJMoa2022" rel="noopener noreferrer">'
        "10.1056/NEJMoa2022</a>"
    )


def test_journal_article_with_et_al_and_an_electronic_page():
    ref = frozen(
        kind="systematic_review",
        title="Screening intervals: a systematic review",
        authors="Okafor B, Chen L, Patel R, et al.",
        source="BMJ",
        year=2023,
        volume="380",
        pages="e072341",
    )
    assert ama_text(work(ref)) == (
        "Okafor B, Chen L, Patel R, et al. Screening intervals: a systematic review. "
        "BMJ. 2023;380:e072341."
    )


def test_more_than_six_authors_are_cut_to_three_and_et_al():
    authors = ", ".join(f"Author{i} A" for i in range(1, 8))
    ref = frozen(authors=authors, source="Lancet", year=2020, volume="395", pages="1-9")
    assert ama_text(work(ref)).startswith("Author1 A, Author2 A, Author3 A, et al. A title.")


def test_a_suffix_follows_the_initials():
    ref = frozen(authors="Wright JT Jr, Lee K", source="N Engl J Med", year=2015)
    assert ama_text(work(ref)).startswith("Wright JT Jr, Lee K. A title.")


def test_six_authors_are_all_listed():
    authors = ", ".join(f"Author{i} A" for i in range(1, 7))
    assert ama_text(work(frozen(authors=authors))).startswith(f"{authors}. A title.")


def test_journal_article_known_only_by_its_year_is_not_called_online_ahead_of_print():
    ref = frozen(
        title="An older trial", authors="Doe J, Roe R", source="Journal of Examples", year=2019
    )
    assert ama_text(work(ref)) == "Doe J, Roe R. An older trial. Journal of Examples. 2019."


def test_guideline_of_an_organisation_is_a_report_in_italics_and_title_case():
    ref = frozen(
        kind="guideline",
        title="Clinical practice guidelines in oncology: rectal cancer",
        authors="National Comprehensive Cancer Network",
        source="NCCN",
        year=2025,
        url="https://www.example.org/guidelines/rectal",
    )
    assert ama_text(work(ref)) == (
        "National Comprehensive Cancer Network. Clinical Practice Guidelines in Oncology: "
        "Rectal Cancer. NCCN; 2025. https://www.example.org/guidelines/rectal"
    )
    assert "<i><cite" in reference_html(ref)


def test_guideline_printed_in_a_journal_is_cited_as_a_journal_article():
    ref = frozen(
        kind="guideline",
        title="2024 guideline for the management of heart failure",
        authors="Heart Guideline Panel",
        source="Circulation",
        year=2024,
        volume="149",
        issue="4",
        pages="e100-e180",
        doi="10.1161/CIR.0000000000001000",
    )
    assert ama_text(work(ref)) == (
        "Heart Guideline Panel. 2024 guideline for the management of heart failure. "
        "Circulation. 2024;149(4):e100-e180. doi:10.1161/CIR.0000000000001000"
    )


def test_guideline_with_only_a_doi_is_cited_as_a_journal_article():
    ref = frozen(
        kind="guideline",
        title="2025 guideline for high blood pressure in adults",
        authors="Jones DW, Ferdinand KC",
        source="Hypertension",
        year=2025,
        doi="10.1161/HYP.0000000000000249",
    )
    assert ama_text(work(ref)) == (
        "Jones DW, Ferdinand KC. 2025 guideline for high blood pressure in adults. "
        "Hypertension. 2025. doi:10.1161/HYP.0000000000000249"
    )


def test_book():
    ref = frozen(
        kind="textbook",
        title="Principles of internal medicine",
        authors="Loscalzo J, Fauci AS",
        source="McGraw Hill",
        year=2022,
    )
    assert ama_text(work(ref)) == (
        "Loscalzo J, Fauci AS. Principles of Internal Medicine. McGraw Hill; 2022."
    )
    assert reference_html(ref) == (
        'Loscalzo J, Fauci AS. <i><cite class="reference__title">Principles of Internal '
        "Medicine</cite></i>. McGraw Hill; 2022."
    )


def test_title_case_keeps_words_written_with_capitals_inside():
    ref = frozen(kind="textbook", title="eGFR and HbA1c at low pH", source="P", year=2020)
    assert ama_text(work(ref)).startswith("eGFR and HbA1c at Low pH.")


def test_web_page():
    ref = frozen(
        kind="other",
        title="Colorectal cancer screening",
        authors="Centers for Disease Control and Prevention",
        source="CDC",
        year=2024,
        url="https://www.example.gov/screening",
    )
    assert ama_text(work(ref)) == (
        "Centers for Disease Control and Prevention. Colorectal cancer screening. CDC. "
        "Published 2024. https://www.example.gov/screening"
    )
    assert (
        '<a href="https://www.example.gov/screening" rel="noopener noreferrer">'
        "https://www.example.gov/screening</a>" in reference_html(ref)
    )


def test_web_page_with_a_full_date_and_an_update_label():
    page = Work(
        type=WorkType.WEBPAGE,
        title="Should I take aspirin?",
        authors=(Name(literal="Vetted Editorial Team"),),
        container="Vetted",
        date=(2026, 3, 5),
        date_label="Updated",
        url="https://vetted.example/articles/aspirin/",
    )
    # The headline's own "?" ends it: no "?." before the site's name.
    assert ama_text(page) == (
        "Vetted Editorial Team. Should I take aspirin? Vetted. Updated March 5, 2026. "
        "https://vetted.example/articles/aspirin/"
    )


def test_without_authors_the_title_comes_first_once():
    ref = frozen(title="Anonymous report", kind="other", source="Ministry", year=2010)
    assert ama_text(work(ref)) == "Anonymous Report. Ministry; 2010."


@pytest.mark.parametrize("field", ["source", "year", "authors", "volume"])
def test_missing_fields_leave_no_empty_punctuation(field):
    full = {
        "title": "A trial",
        "authors": "Doe J",
        "source": "Journal of Examples",
        "year": 2020,
        "volume": "12",
        "pages": "1-10",
    }
    full.pop(field)
    text = ama_text(work(frozen(**full)))
    assert ". ." not in text
    assert ";;" not in text
    assert not text.startswith(".")
    assert "None" not in text


def test_a_title_that_ends_with_a_period_gets_no_second_one():
    text = ama_text(work(frozen(title="Outcomes after surgery.", authors="Doe J", source="BMJ")))
    assert "surgery.." not in text
    assert "Outcomes after surgery. " in text


# -- safety ------------------------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script> \"quoted\" & <b onmouseover=alert(1)>bold</b>"


@pytest.mark.parametrize("kind", ["research", "textbook", "guideline", "other"])
def test_every_value_is_escaped(kind):
    ref = frozen(
        kind=kind,
        title=HOSTILE,
        authors="<img src=x onerror=alert(1)> J, Doe J",
        source="<svg onload=alert(1)>",
        year=2020,
        volume="<i>1</i>",
        issue='"><script>',
        pages="1-2",
        doi="10.1000/<script>",
    )
    html = str(reference_html(ref))
    assert "<script" not in html
    assert "<img" not in html
    assert "<svg" not in html
    assert "<b" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    # The only tags are ours.
    assert set(re.findall(r"</?([a-z]+)", html)) <= {"i", "cite", "a"}


def test_a_placeholder_character_in_the_input_cannot_forge_markup():
    ref = frozen(title="\ue010 fake \ue011 \ue000script\ue001", authors="Doe J")
    html = str(reference_html(ref))
    assert html.count("<cite") == 1
    assert "<script" not in html


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "https://[oops", "ftp://x"],
)
def test_a_url_that_is_not_http_is_neither_linked_nor_printed(url):
    html = str(reference_html(frozen(kind="other", title="Odd", url=url)))
    assert "href" not in html
    assert "alert" not in html
    assert "data:" not in html


def test_a_line_break_in_a_value_is_a_space():
    assert ama_text(work(frozen(title="Two\nlines", authors="Doe J"))).startswith(
        "Doe J. Two lines."
    )


# -- speed -------------------------------------------------------------------------------------


def test_a_reference_is_formatted_once_per_process():
    ref = frozen(title="Cached formatting", authors="Doe J", source="BMJ", year=2020)
    first = reference_html(ref)
    # The same displayed fields from another object: the cached result.
    again = reference_html(FrozenReference(**ref.__dict__))
    assert again == first
    assert _formatted.cache_info().hits >= 1


def test_the_work_is_the_same_for_a_library_row_and_its_frozen_copy(db):
    from tests.factories import ReferenceFactory

    row = ReferenceFactory(key="same", volume="3", pages="4-5")
    copy = FrozenReference(key="same", **row.displayed())
    assert work(row) == work(copy)
    assert reference_html(row) == reference_html(copy)


def test_html_and_plain_text_agree():
    ref = frozen(title="A & B", authors="Doe J", source="BMJ", year=2020, doi="10.1/x")
    assert ama_text(work(ref)) == nh3.clean(str(ama_html(work(ref))), tags=set()).replace(
        "&amp;", "&"
    )


def test_a_second_pass_over_the_same_references_runs_no_citeproc():
    refs = [
        frozen(key=f"k{i}", title=f"Speed {i}", authors="Doe J", year=2000 + i) for i in range(50)
    ]
    first = [reference_html(ref) for ref in refs]
    misses = _formatted.cache_info().misses
    assert [reference_html(ref) for ref in refs] == first
    assert _formatted.cache_info().misses == misses


# -- any input ---------------------------------------------------------------------------------

_text = st.text(max_size=40)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["research", "guideline", "textbook", "other", "review", "unknown"]),
    title=_text,
    authors=_text,
    source=_text,
    year=st.none() | st.integers(0, 3000),
    volume=_text,
    issue=_text,
    pages=_text | st.from_regex(r"[0-9e]{0,4}[-–]{0,2}[0-9a-z]{0,4}", fullmatch=True),
    doi=_text,
    url=_text,
)
def test_any_displayed_fields_format_without_error_and_without_markup_of_theirs(**fields):
    html = str(reference_html(FrozenReference(key="k", **fields)))
    assert set(re.findall(r"<([a-zA-Z][^\s>/]*)", html)) <= {"i", "cite", "a"}

"""Reading the four formats and sorting their entries against the library: new, duplicate
(same DOI, PMID or title and year, in the library or earlier in the file), conflicting, and
errors with their line numbers. Sample files in tests/references/samples/ (invented)."""

import re
from pathlib import Path

import pytest

from references import importers, importing
from references.models import Reference
from tests.factories import ReferenceFactory

SAMPLES = Path(__file__).parent / "samples"
FILES = {
    "ris": "library.ris",
    "bibtex": "library.bib",
    "medline": "library.nbib",
    "csl": "library.json",
}

# (line, status, key for new entries) per format, as the samples are written.
EXPECTED = {
    "ris": [
        (1, "new", "okafor2021"),
        (15, "new", "2024-adult"),
        (23, "new", "odegard-2022-salt"),
        (38, "duplicate", ""),
        (45, "error", ""),
        (50, "error", ""),
        (55, "conflict", ""),
        (63, "error", ""),
        (66, "duplicate", ""),
    ],
    "bibtex": [
        (2, "new", "okafor2021"),
        (13, "new", "ostergaard2022"),
        (22, "duplicate", ""),
        (28, "error", ""),
        (33, "error", ""),
        (37, "conflict", ""),
        (44, "error", ""),
    ],
    "medline": [
        (1, "new", "okafor-2021-home"),
        (21, "new", "odegard-2022-salt"),
        (36, "duplicate", ""),
        (41, "error", ""),
        (45, "error", ""),
        (49, "error", ""),
        (53, "new", "respiratory-2024-adult"),
    ],
    "csl": [
        (2, "new", "okafor2021"),
        (16, "new", "odegard-2022-salt"),
        (31, "duplicate", ""),
        (38, "error", ""),
        (44, "error", ""),
        (49, "conflict", ""),
        (57, "new", "who-2023"),
        (65, "error", ""),
    ],
}


def text(fmt):
    return (SAMPLES / FILES[fmt]).read_text(encoding="utf-8")


@pytest.fixture
def library(db):
    """What the samples meet in the library: a key they reuse for something else, and one
    of their entries already there under another key."""
    ReferenceFactory(key="esh-2023", kind="guideline", title="ESH hypertension guideline")
    ReferenceFactory(
        key="tanaka-2017",
        title="Ambulatory monitoring in older adults",
        year=2017,
        doi="10.5555/VETTED.2017.777",
    )


@pytest.mark.parametrize("fmt", FILES)
def test_format_is_recognized_from_content_and_name(fmt):
    assert importers.detect(text(fmt)) == fmt
    assert importers.detect("", FILES[fmt]) == fmt


@pytest.mark.parametrize("fmt", FILES)
def test_every_entry_is_sorted_with_its_line(fmt, library):
    plan = importing.plan(text(fmt), fmt, FILES[fmt])
    assert [(r.line, r.status, r.key) for r in plan.rows] == EXPECTED[fmt]
    for row in plan.rows:
        assert row.reasons if row.status != "new" else not row.reasons


@pytest.mark.parametrize("fmt", FILES)
def test_fields_authors_kinds_and_non_ascii_names(fmt, library):
    rows = importing.plan(text(fmt), fmt).rows
    okafor, review = rows[0].entry.fields, rows[1 if fmt != "ris" else 2].entry.fields
    assert okafor["title"] == (
        "Home readings before the first antihypertensive: a pragmatic trial in general practice"
    )
    assert okafor["authors"] == "Okafor C, Müller AL"
    assert okafor["year"] == 2021
    assert okafor["doi"] == "10.5555/vetted.2021.014"
    assert okafor["source"] == "J Hypertens Pract"
    assert okafor["kind"] == Reference.Kind.RESEARCH
    assert (okafor["volume"], okafor["issue"], okafor["pages"]) == ("14", "3", "201-209")
    # Seven authors: the first three and "et al.", diacritics kept.
    assert review["authors"] == "Ødegård K, Çelik E, Nguyễn TL, et al."
    assert review["kind"] == Reference.Kind.SYSTEMATIC_REVIEW


def test_guidelines_textbooks_and_organizations(library):
    ris = importing.plan(text("ris"), "ris").rows
    assert ris[1].entry.fields["kind"] == Reference.Kind.GUIDELINE  # M3 Practice Guideline
    assert ris[6].entry.fields["kind"] == Reference.Kind.TEXTBOOK  # TY BOOK
    csl = importing.plan(text("csl"), "csl").rows
    assert csl[6].entry.fields["authors"] == "World Health Organization"
    assert csl[6].entry.fields["kind"] == Reference.Kind.GUIDELINE
    medline = importing.plan(text("medline"), "medline").rows
    assert medline[6].entry.fields["authors"] == "Respiratory Working Group"
    assert medline[0].entry.fields["pmid"] == "31234567"


def test_error_messages_say_what_is_wrong(library):
    rows = {r.line: r for r in importing.plan(text("bibtex"), "bibtex").rows}
    assert rows[28].reasons == ["Year 3025 is outside 1800–2100."]
    assert rows[33].reasons[0].startswith("Malformed entry:")
    assert "https://" in rows[44].reasons[0]  # the javascript: URL
    rows = {r.line: r for r in importing.plan(text("ris"), "ris").rows}
    assert rows[50].reasons == ["No title."]
    assert "no end" in rows[63].reasons[0]
    rows = {r.line: r for r in importing.plan(text("medline"), "medline").rows}
    assert any("Line 51" in reason for reason in rows[49].reasons)


def test_duplicates_and_conflicts_name_what_they_match(library):
    rows = {r.line: r for r in importing.plan(text("ris"), "ris").rows}
    assert rows[38].earlier.line == 1
    assert "line 1" in rows[38].reasons[0]
    assert rows[66].match.key == "tanaka-2017"
    assert "same DOI" in rows[66].reasons[0]
    assert rows[55].match.key == "esh-2023"
    assert rows[55].reasons == [
        "Its key “esh-2023” is already the key of “ESH hypertension guideline”."
    ]


@pytest.mark.django_db
def test_doi_of_one_reference_and_pmid_of_another_is_a_conflict():
    ReferenceFactory(key="by-doi", doi="10.5555/vetted.2021.014")
    ReferenceFactory(key="by-pmid", pmid="31234567")
    row = importing.plan(text("csl"), "csl").rows[0]
    assert row.status == "conflict"
    assert row.reasons == ["Its DOI is that of [@by-doi] but its PMID is that of [@by-pmid]."]


@pytest.mark.django_db
def test_same_title_and_year_with_another_doi_is_a_conflict():
    ReferenceFactory(
        key="lookalike",
        title="Home readings before the first antihypertensive — a pragmatic trial in "
        "general practice",
        year=2021,
        doi="10.9999/other",
    )
    row = importing.plan(text("bibtex"), "bibtex").rows[0]
    assert (row.status, row.match.key) == ("conflict", "lookalike")
    assert "DOI" in row.reasons[0]


@pytest.mark.django_db
def test_generated_keys_avoid_library_keys_and_each_other():
    ReferenceFactory(key="okafor-2021-home")
    ReferenceFactory(key="okafor-2021-home-2")
    plan = importing.plan(text("medline"), "medline")
    assert plan.rows[0].key == "okafor-2021-home-3"


@pytest.mark.django_db
def test_merged_references_are_not_matched_as_duplicates():
    target = ReferenceFactory(key="target")
    ReferenceFactory(key="gone", doi="10.5555/vetted.2017.777", merged_into=target)
    rows = importing.plan(text("ris"), "ris").rows
    assert rows[-1].status == "new"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [("", "ris", "No entries were found"), ("not json", "csl", "starts with “[”")],
)
def test_unreadable_files(content, fmt, message):
    with pytest.raises(importing.ImportFailed, match=re.escape(message)):
        importing.plan(content, fmt)


@pytest.mark.django_db
def test_malformed_json_is_an_entry_error_with_its_line():
    rows = importing.plan('[\n{"title": "Fine", "type": "book"},\n{"oops": ', "csl").rows
    assert [(r.line, r.status) for r in rows] == [(2, "new"), (3, "error")]
    assert rows[1].reasons[0].startswith("Malformed JSON")


def test_decoding_errors_name_the_line():
    with pytest.raises(importing.ImportFailed, match="not UTF-8 text .* line 2"):
        importing.decode(b"TY  - JOUR\nTI  - caf\xe9\n")
    assert importing.decode("\ufeffTY  - JOUR".encode()) == "TY  - JOUR"


def test_page_ranges_are_written_out():
    assert importers.pages("1165-75") == "1165-1175"
    assert importers.pages("201", "9") == "201-209"
    assert importers.pages("e123") == "e123"
    assert importers.pages("S12", "S19") == "S12-S19"

"""RIS, BibTeX and CSL-JSON writers (references/export.py): what is written parses back, with
the libraries reference managers use (rispy, bibtexparser), to the same fields."""

import json

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares

from references.export import bibtex_key, latex, to_bibtex, to_csl_json, to_ris
from references.formatting import Name, Work, WorkType, work
from references.models import FrozenReference

JOURNAL = work(
    FrozenReference(
        key="nccn-rectal-2025",
        kind="research",
        title="Total neoadjuvant therapy & watch-and-wait: 100% of {cases}",
        authors="Müller Ö, Ó Súilleabháin S, van der Berg AM, Øster J-P, et al.",
        source="Zeitschrift für Gastroenterologie",
        year=2021,
        volume="59",
        issue="Suppl 2",
        pages="1165-1175",
        doi="10.1055/a-1234-5678",
        pmid="33725374",
        url="https://example.org/paper?id=1&v=2",
    )
)
BOOK = work(
    FrozenReference(
        key="harrison",
        kind="textbook",
        title="Principles of internal medicine",
        authors="Loscalzo J, Fauci AS",
        source="McGraw Hill",
        year=2022,
    )
)
GUIDELINE = work(
    FrozenReference(
        key="who-2024",
        kind="guideline",
        title="Guidelines on hypertension",
        authors="World Health Organization",
        source="WHO",
        year=2024,
        url="https://example.int/hypertension",
    )
)
WEB = Work(
    type=WorkType.WEBPAGE,
    key="an-article",
    title="Should I take aspirin?",
    authors=(Name(literal="Vetted Editorial Team"),),
    container="Vetted",
    date=(2026, 3, 5),
    date_label="Updated",
    url="https://vetted.example/articles/an-article/",
)
SUFFIXED = work(
    FrozenReference(key="sprint", kind="research", title="A trial", authors="Wright JT Jr, Lee K")
)
BARE = work(FrozenReference(key="bare", kind="other", title="Only a title"))


# -- RIS -----------------------------------------------------------------------------------


def ris(works):
    return rispy.loads(to_ris(works))


def test_ris_round_trip_of_a_journal_article():
    [entry] = ris([JOURNAL])
    assert entry["type_of_reference"] == "JOUR"
    assert entry["id"] == "nccn-rectal-2025"
    assert entry["title"] == JOURNAL.title
    # Non-ASCII names survive; "et al." is not an author.
    assert entry["authors"] == [
        "Müller, Ö.",
        "Ó Súilleabháin, S.",
        "van der Berg, A. M.",
        "Øster, J. P.",
    ]
    assert entry["secondary_title"] == "Zeitschrift für Gastroenterologie"
    assert entry["year"] == "2021"
    assert entry["volume"] == "59"
    assert entry["number"] == "Suppl 2"
    assert (entry["start_page"], entry["end_page"]) == ("1165", "1175")
    assert entry["doi"] == "10.1055/a-1234-5678"
    assert entry["accession_number"] == "33725374"
    assert entry["urls"] == ["https://example.org/paper?id=1&v=2"]


def test_ris_types_for_each_kind():
    assert [e["type_of_reference"] for e in ris([JOURNAL, BOOK, GUIDELINE, WEB, BARE])] == [
        "JOUR",
        "BOOK",
        "RPRT",
        "ELEC",
        "RPRT",
    ]


def test_ris_book_guideline_and_web_page_fields():
    book, guideline, web = ris([BOOK, GUIDELINE, WEB])
    assert book["authors"] == ["Loscalzo, J.", "Fauci, A. S."]
    assert book["publisher"] == "McGraw Hill"
    assert "secondary_title" not in book
    assert guideline["authors"] == ["World Health Organization"]
    assert guideline["publisher"] == "WHO"
    assert web["date"] == "2026/03/05"
    assert web["year"] == "2026"
    assert web["secondary_title"] == "Vetted"
    assert web["urls"] == ["https://vetted.example/articles/an-article/"]


def test_ris_missing_fields_are_left_out():
    [entry] = ris([BARE])
    assert entry == {"type_of_reference": "RPRT", "id": "bare", "title": "Only a title"}


def test_ris_a_line_break_cannot_start_a_record():
    hostile = Work(type=WorkType.JOURNAL, key="x", title="Title\nER  - \n\nTY  - BOOK\nTI  - Evil")
    entries = ris([hostile, BOOK])
    assert len(entries) == 2
    assert entries[0]["title"] == "Title ER - TY - BOOK TI - Evil"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "https://[oops"])
def test_ris_writes_only_web_addresses(url):
    [entry] = ris([Work(type=WorkType.WEBPAGE, title="Odd", url=url)])
    assert "urls" not in entry


# -- BibTeX ----------------------------------------------------------------------------------


def bibtex(works):
    library = bibtexparser.parse_string(
        to_bibtex(works), append_middleware=[middlewares.LatexDecodingMiddleware()]
    )
    assert not library.failed_blocks
    return [(e.entry_type, e.key, {f.key: f.value for f in e.fields}) for e in library.entries]


def raw_bibtex(works):
    library = bibtexparser.parse_string(to_bibtex(works))
    assert not library.failed_blocks
    return [{f.key: f.value for f in e.fields} for e in library.entries]


def test_bibtex_round_trip_of_a_journal_article():
    [(kind, key, fields)] = bibtex([JOURNAL])
    assert kind == "article"
    assert key == "nccn-rectal-2025"
    assert fields["title"] == "Total neoadjuvant therapy & watch-and-wait: 100% of {cases}"
    assert fields["journal"] == "Zeitschrift für Gastroenterologie"
    assert fields["year"] == "2021"
    assert fields["volume"] == "59"
    assert fields["number"] == "Suppl 2"
    assert fields["doi"] == "10.1055/a-1234-5678"
    assert fields["pmid"] == "33725374"
    assert fields["url"] == "https://example.org/paper?id=1&v=2"
    [raw] = raw_bibtex([JOURNAL])
    assert raw["pages"] == "1165--1175"
    assert raw["author"] == (
        "Müller, Ö. and Ó Súilleabháin, S. and van der Berg, A. M. and Øster, J. P. and others"
    )


def test_bibtex_names_parse_as_people_and_an_organisation():
    library = bibtexparser.parse_string(
        to_bibtex([JOURNAL, GUIDELINE]),
        append_middleware=[
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    people = library.entries[0]["author"]
    assert [" ".join(p.last) for p in people] == [
        "Müller",
        "Ó Súilleabháin",
        "Berg",
        "Øster",
        "others",
    ]
    assert [" ".join(p.von) for p in people][2] == "van der"
    assert [" ".join(p.first) for p in people][:2] == ["Ö.", "S."]
    organisation = library.entries[1]["author"]
    assert len(organisation) == 1  # kept whole by its braces, not split into names
    assert organisation[0].last == ["{World Health Organization}"]


def test_bibtex_types_and_fields_for_each_kind():
    book, guideline, web, bare = bibtex([BOOK, GUIDELINE, WEB, BARE])
    assert book[0] == "book"
    assert book[2]["publisher"] == "McGraw Hill"
    assert guideline[0] == "techreport"
    assert guideline[2]["institution"] == "WHO"
    assert web[0] == "misc"
    assert web[2]["howpublished"] == "Vetted"
    assert web[2]["date"] == "2026-03-05"
    assert bare == ("techreport", "bare", {"title": "Only a title"})


def test_bibtex_braces_always_balance():
    hostile = Work(type=WorkType.JOURNAL, key="x", title="a } b { c \\ d } ,@misc{evil,", year=1)
    entries = bibtex([hostile, BOOK])
    assert [key for _, key, _ in entries] == ["x", "harrison"]
    assert entries[0][2]["title"].startswith("a } b { c")


def test_latex_escapes_the_special_characters_and_keeps_unicode():
    assert latex("50% & $5 #1 a_b ~ ^ {x} \\") == (
        r"50\% \& \$5 \#1 a\_b \textasciitilde{} \textasciicircum{} \{x\} \textbackslash{}"
    )
    assert latex("Ø Müller") == "Ø Müller"


def test_bibtex_keys_are_valid_and_unique():
    taken = set()
    assert bibtex_key("nccn-rectal-2025", taken) == "nccn-rectal-2025"
    assert bibtex_key("NCCN-rectal-2025", taken) == "NCCN-rectal-2025-2"
    assert bibtex_key("a key, with {braces}", taken) == "a-key-with-braces"
    assert bibtex_key("%#", taken) == "ref"


# -- CSL-JSON ------------------------------------------------------------------------------


def test_csl_json_round_trip():
    [entry] = json.loads(to_csl_json([JOURNAL]))
    assert entry["type"] == "article-journal"
    assert entry["title"] == JOURNAL.title
    assert entry["author"][0] == {"family": "Müller", "given": "Ö."}
    assert len(entry["author"]) == 4
    assert entry["issued"] == {"date-parts": [[2021]]}
    assert entry["DOI"] == "10.1055/a-1234-5678"
    assert entry["PMID"] == "33725374"
    assert entry["page"] == "1165-1175"


def test_csl_json_organisation_and_full_date():
    [entry] = json.loads(to_csl_json([WEB]))
    assert entry["author"] == [{"literal": "Vetted Editorial Team"}]
    assert entry["issued"] == {"date-parts": [[2026, 3, 5]]}
    assert entry["URL"] == WEB.url


def test_a_suffix_in_every_format():
    assert ris([SUFFIXED])[0]["authors"] == ["Wright, J. T., Jr", "Lee, K."]
    [raw] = raw_bibtex([SUFFIXED])
    assert raw["author"] == "Wright, Jr, J. T. and Lee, K."
    library = bibtexparser.parse_string(
        to_bibtex([SUFFIXED]),
        append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
    )
    wright = library.entries[0]["author"][0]
    assert (wright.last, wright.jr, wright.first) == (["Wright"], ["Jr"], ["J.", "T."])
    assert json.loads(to_csl_json([SUFFIXED]))[0]["author"][0] == {
        "family": "Wright",
        "given": "J. T.",
        "suffix": "Jr",
    }


def test_ris_records_start_with_their_type_line():
    text = to_ris(
        [
            work(FrozenReference(key="a", kind="research", title="One")),
            work(FrozenReference(key="b", kind="textbook", title="Two")),
        ]
    )
    records = [record.strip() for record in text.split("ER  -") if record.strip()]
    assert len(records) == 2
    assert all(record.startswith("TY  - ") for record in records)

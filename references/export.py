"""Works (`references.formatting.Work`) as files reference managers read: RIS (rispy),
BibTeX (bibtexparser) and CSL-JSON.

Every value is put on one line first: a title holding a line break and "ER  -" must not end
a RIS record early, nor a "}" close a BibTeX field. Only http(s) URLs are written.
"""

import json
import re

import bibtexparser
import rispy
from bibtexparser import middlewares
from bibtexparser.model import Entry, Field

from .formatting import ET_AL, Name, Work, WorkType

RIS_CONTENT_TYPE = "application/x-research-info-systems; charset=utf-8"
BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"
CSL_JSON_CONTENT_TYPE = "application/vnd.citationstyles.csl+json; charset=utf-8"

_RIS_TYPES = {
    WorkType.JOURNAL: "JOUR",
    WorkType.BOOK: "BOOK",
    WorkType.REPORT: "RPRT",
    WorkType.WEBPAGE: "ELEC",
}
_BIBTEX_TYPES = {
    WorkType.JOURNAL: "article",
    WorkType.BOOK: "book",
    WorkType.REPORT: "techreport",
    WorkType.WEBPAGE: "misc",
}


def _line(value) -> str:
    return " ".join(str(value or "").split())


def _people(work: Work) -> list[Name]:
    """The named authors; "et al" is a mark of the printed list, not an author."""
    return [name for name in work.authors if name.literal != ET_AL]


def _has_et_al(work: Work) -> bool:
    return any(name.literal == ET_AL for name in work.authors)


def _dotted(initials: str) -> str:
    """ "JA" as "J. A.": every reference manager reads that as two initials."""
    return " ".join(f"{letter}." for letter in initials.replace("-", ""))


def _page_range(pages: str) -> tuple[str, str]:
    first, _, last = _line(pages).partition("-")
    return first.strip(), last.strip()


# -- RIS -----------------------------------------------------------------------------------


def ris_entry(work: Work) -> dict:
    """One work as rispy's fields (the RIS tags are in rispy.TAG_KEY_MAPPING)."""
    entry = {"type_of_reference": _RIS_TYPES.get(work.type, "GEN"), "title": _line(work.title)}
    if work.key:
        entry["id"] = _line(work.key)
    authors = [
        _line(n.literal)
        if n.literal
        else ", ".join(filter(None, (_line(n.family), _dotted(n.initials), _line(n.suffix))))
        for n in _people(work)
    ]
    if authors:
        entry["authors"] = authors
    if work.container:
        entry["secondary_title"] = _line(work.container)
    if work.publisher:
        entry["publisher"] = _line(work.publisher)
    if work.year or work.date:
        entry["year"] = str(work.date_parts[0])
    if len(work.date) == 3:
        entry["date"] = "{:04d}/{:02d}/{:02d}".format(*work.date)
    for name, value in (("volume", work.volume), ("number", work.issue)):
        if value:
            entry[name] = _line(value)
    if work.pages:
        first, last = _page_range(work.pages)
        entry["start_page"] = first
        if last:
            entry["end_page"] = last
    if work.doi:
        entry["doi"] = _line(work.doi)
    if work.pmid:
        entry["accession_number"] = _line(work.pmid)
    if url := work.safe_url:
        entry["urls"] = [url]
    return entry


class _RisWriter(rispy.RisWriter):
    """rispy puts a number ("1.") on a line before each record; RIS has no such line, and a
    reference manager may read it as junk before the first record."""

    def set_header(self, count):
        return ""


def to_ris(works: list[Work]) -> str:
    return rispy.dumps([ris_entry(work) for work in works], implementation=_RisWriter)


# -- BibTeX --------------------------------------------------------------------------------

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIAL))


def latex(value) -> str:
    """A value as BibTeX field text: LaTeX's special characters escaped, so braces always
    balance; other Unicode (Müller, Ó) kept as UTF-8, which biber and every reference
    manager read."""
    return _LATEX_SPECIAL_RE.sub(lambda m: _LATEX_SPECIAL[m.group()], _line(value))


def bibtex_key(key: str, taken: set[str]) -> str:
    """A citation key BibTeX accepts (no spaces, commas, braces, quotes, %, #), unique in
    the file."""
    base = re.sub(r"[^A-Za-z0-9_:.+/-]+", "-", key).strip("-") or "ref"
    found, n = base, 1
    while found.lower() in taken:
        n += 1
        found = f"{base}-{n}"
    taken.add(found.lower())
    return found


def bibtex_authors(work: Work) -> str:
    names = [
        f"{{{latex(n.literal)}}}"
        if n.literal
        # BibTeX's "von Last, Jr, First".
        else ", ".join(filter(None, (latex(n.family), latex(n.suffix), _dotted(n.initials))))
        for n in _people(work)
    ]
    if names and _has_et_al(work):
        names.append("others")  # BibTeX's own "et al."
    return " and ".join(names)


def bibtex_entry(work: Work, key: str) -> Entry:
    fields = []

    def add(name, value):
        if value:
            fields.append(Field(name, value))

    add("author", bibtex_authors(work))
    add("title", latex(work.title))
    if work.type == WorkType.JOURNAL:
        add("journal", latex(work.container))
    elif work.type == WorkType.WEBPAGE:
        add("howpublished", latex(work.container))
    if work.type == WorkType.REPORT:
        add("institution", latex(work.publisher))
    else:
        add("publisher", latex(work.publisher))
    if work.date_parts:
        add("year", str(work.date_parts[0]))
    if len(work.date) == 3:
        add("date", "{:04d}-{:02d}-{:02d}".format(*work.date))  # biblatex's full date
    add("volume", latex(work.volume))
    add("number", latex(work.issue))
    if work.pages:
        first, last = _page_range(work.pages)
        add("pages", f"{latex(first)}--{latex(last)}" if last else latex(first))
    add("doi", latex(work.doi))
    add("pmid", latex(work.pmid))
    add("url", latex(work.safe_url))
    return Entry(_BIBTEX_TYPES.get(work.type, "misc"), key, fields)


def to_bibtex(works: list[Work]) -> str:
    library = bibtexparser.Library()
    taken: set[str] = set()
    for work in works:
        library.add(bibtex_entry(work, bibtex_key(work.key or work.title[:30], taken)))
    enclose = middlewares.AddEnclosingMiddleware(
        reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{"
    )
    return bibtexparser.write_string(library, unparse_stack=[enclose])


# -- CSL-JSON ------------------------------------------------------------------------------


def csl_entry(work: Work) -> dict:
    data = {"id": work.key or work.title[:30], "type": work.type, "title": _line(work.title)}
    if people := _people(work):
        data["author"] = [
            {"literal": _line(n.literal)}
            if n.literal
            else {
                "family": _line(n.family),
                "given": _dotted(n.initials),
                **({"suffix": n.suffix} if n.suffix else {}),
            }
            for n in people
        ]
    for name, value in (
        ("container-title", work.container),
        ("publisher", work.publisher),
        ("volume", work.volume),
        ("issue", work.issue),
        ("page", work.pages),
        ("DOI", work.doi),
        ("PMID", work.pmid),
        ("URL", work.safe_url),
    ):
        if value:
            data[name] = _line(value)
    if work.date_parts:
        data["issued"] = {"date-parts": [list(work.date_parts)]}
    return data


def to_csl_json(works: list[Work]) -> str:
    return json.dumps([csl_entry(work) for work in works], ensure_ascii=False, indent=2)

"""RIS through rispy. Records are split here first (TY … ER), so each keeps its line number
and one malformed record does not stop the others."""

import re

import rispy

from ..models import ReferenceKind
from . import Person, Record, pages

KINDS = {
    **dict.fromkeys(["JOUR", "JFULL", "EJOUR", "INPR", "ABST", "MGZN"], ReferenceKind.RESEARCH),
    **dict.fromkeys(["BOOK", "CHAP", "EBOOK", "ECHAP", "EDBOOK"], ReferenceKind.TEXTBOOK),
    **dict.fromkeys(["STAND", "GOVDOC"], ReferenceKind.GUIDELINE),
}
_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


def _chunks(text: str):
    lines = text.splitlines()
    start, current = None, []
    for number, line in enumerate(lines, start=1):
        tag = _TAG_RE.match(line)
        if tag and tag.group(1) == "TY":
            if start is not None:
                yield start, current, "This record has no end (ER  - ) before the next one."
            start, current = number, [line]
        elif start is not None:
            current.append(line)
            if tag and tag.group(1) == "ER":
                yield start, current, None
                start, current = None, []
        elif line.strip():
            yield number, [line], "Text outside a record (records start with “TY  - ”)."
    if start is not None:
        yield start, current, "This record has no end (ER  - )."


def _first(data: dict, *names: str) -> str:
    for name in names:
        value = data.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value:
            return str(value)
    return ""


def _person(name: str) -> Person:
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return Person(family=family, given=given)
    return Person(literal=name)


def records(text: str):
    for line, chunk, problem in _chunks(text):
        if problem and len(chunk) == 1 and not chunk[0].startswith("TY"):
            yield Record(line=line, errors=[problem])
            continue
        body = chunk if chunk[-1].startswith("ER") else [*chunk, "ER  - "]
        try:
            data = rispy.loads("\n".join(body))[0]
        except Exception as error:  # noqa: BLE001 — rispy raises plain exceptions for bad input
            yield Record(line=line, errors=[f"Unreadable record: {error}"])
            continue
        type_ = data.get("type_of_reference", "")
        yield Record(
            line=line,
            key=_first(data, "id"),
            kind=KINDS.get(type_, ReferenceKind.OTHER),
            type_hints=[_first(data, "type_of_work")],
            title=_first(data, "title", "primary_title"),
            people=[_person(n) for n in (data.get("authors") or data.get("first_authors") or [])],
            source=_first(
                data, "journal_name", "alternate_title3", "alternate_title1", "secondary_title"
            )
            or _first(data, "publisher"),
            year=_first(data, "year", "publication_year", "date"),
            volume=_first(data, "volume"),
            issue=_first(data, "number"),
            pages=pages(_first(data, "start_page"), _first(data, "end_page")),
            doi=_first(data, "doi"),
            pmid=_pmid(data),
            url=_first(data, "urls"),
            errors=[problem] if problem else [],
        )


def _pmid(data: dict) -> str:
    # PubMed's RIS export puts the PMID in AN; other databases use AN for their own numbers.
    number = _first(data, "accession_number")
    return (
        number
        if number.isdigit()
        and data.get("name_of_database", "").lower()
        in (
            "",
            "pubmed",
            "medline",
        )
        else ""
    )

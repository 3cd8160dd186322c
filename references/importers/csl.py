"""CSL-JSON (what Zotero, Mendeley and citeproc exchange): a JSON array of items. Each item
is decoded on its own so its line number is known and one bad item does not hide the rest."""

import json

from ..models import ReferenceKind
from . import FormatError, Person, Record

KINDS = {
    "article-journal": ReferenceKind.RESEARCH,
    "article": ReferenceKind.RESEARCH,
    "book": ReferenceKind.TEXTBOOK,
    "chapter": ReferenceKind.TEXTBOOK,
    "standard": ReferenceKind.GUIDELINE,
    "review": ReferenceKind.REVIEW,
}
_decoder = json.JSONDecoder()


def _items(text: str):
    """(line, item or None, error) for each element of the top-level array."""
    text = text.lstrip("\ufeff")
    position = len(text) - len(text.lstrip())
    if text[position : position + 1] == "{":  # a single item
        text = f"{text[:position]}[{text[position:]}]"
    if text[position : position + 1] != "[":
        raise FormatError("A CSL-JSON file holds a list of items: it starts with “[”.")
    position += 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            raise FormatError("The list of items is not closed with “]”.")
        if text[position] == "]":
            return
        line = text.count("\n", 0, position) + 1
        try:
            item, position = _decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            yield (
                line,
                None,
                f"Malformed JSON: {error.msg} (line {error.lineno}); the items after it "
                "were not read.",
            )
            return  # the rest of the array cannot be located reliably
        yield line, item, None


def _person(name) -> Person:
    if not isinstance(name, dict):
        return Person(literal=str(name))
    if name.get("literal"):
        return Person(literal=str(name["literal"]))
    family = " ".join(str(name.get(p, "")) for p in ("non-dropping-particle", "family"))
    return Person(family=family.strip(), given=str(name.get("given", "")))


def _year(issued) -> str:
    if not isinstance(issued, dict):
        return str(issued or "")
    parts = issued.get("date-parts")
    if parts and parts[0]:
        return str(parts[0][0])
    return str(issued.get("raw") or issued.get("literal") or "")


def _str(value) -> str:
    return "" if value is None else str(value)


def records(text: str):
    for line, item, error in _items(text):
        if error or not isinstance(item, dict):
            yield Record(line=line, errors=[error or "An item must be a JSON object."])
            continue
        people = item.get("author") or []
        yield Record(
            line=line,
            key=_str(item.get("id")),
            kind=KINDS.get(_str(item.get("type")), ReferenceKind.OTHER),
            type_hints=[_str(item.get("genre"))],
            title=_str(item.get("title")),
            people=[_person(p) for p in people] if isinstance(people, list) else [],
            source=_str(
                item.get("container-title-short")
                or item.get("container-title")
                or item.get("publisher")
            ),
            year=_year(item.get("issued")),
            volume=_str(item.get("volume")),
            issue=_str(item.get("issue")),
            pages=_str(item.get("page")),
            doi=_str(item.get("DOI")),
            pmid=_str(item.get("PMID")),
            url=_str(item.get("URL")),
        )

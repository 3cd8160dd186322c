"""BibTeX through bibtexparser (v2): entries with their line numbers, failed blocks reported
as errors, LaTeX accents decoded so non-ASCII names survive."""

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares.names import parse_single_name_into_parts
from bibtexparser.model import DuplicateBlockKeyBlock
from pylatexenc.latex2text import LatexNodes2Text

from ..models import ReferenceKind
from . import Person, Record, pages

KINDS = {
    "article": ReferenceKind.RESEARCH,
    **dict.fromkeys(["book", "inbook", "incollection", "booklet"], ReferenceKind.TEXTBOOK),
}
_latex = LatexNodes2Text()


def _text(value) -> str:
    return _latex.latex_to_text(str(value or "")).strip()


def _person(name: str) -> Person:
    name = name.strip()
    if name.startswith("{") and name.endswith("}"):  # {World Health Organization}
        return Person(literal=_text(name[1:-1]))
    try:
        parts = parse_single_name_into_parts(name)
    except Exception:  # noqa: BLE001 — an odd name is shown as written, not dropped
        return Person(literal=_text(name))
    family = " ".join([*parts.von, *parts.last])
    return Person(family=_text(family), given=_text(" ".join(parts.first)))


def records(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[middlewares.SeparateCoAuthors()])
    found = []
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            problem = (
                f"The key “{block.key}” is already used by the entry on line "
                f"{block.previous_block.start_line + 1}."
            )
        else:
            reason = getattr(getattr(block, "error", None), "abort_reason", "")
            problem = f"Malformed entry: {reason.strip() or 'it could not be read'}"
        found.append(Record(line=block.start_line + 1, errors=[problem]))
    for entry in library.entries:
        values = {f.key.lower(): f.value for f in entry.fields}

        def get(*names, values=values):
            for name in names:
                if values.get(name):
                    return _text(values[name])
            return ""

        people = values.get("author") or []
        if isinstance(people, str):
            people = [people]
        found.append(
            Record(
                line=entry.start_line + 1,
                key=entry.key,
                kind=KINDS.get(entry.entry_type.lower(), ReferenceKind.OTHER),
                type_hints=[get("type"), get("pubtype")],
                title=get("title"),
                people=[_person(p) for p in people],
                source=get("journal", "journaltitle", "booktitle", "publisher", "institution"),
                year=get("year", "date"),
                volume=get("volume"),
                issue=get("number", "issue"),
                # "201--209" before LaTeX decoding turns the "--" into an en dash.
                pages=pages(_text(str(values.get("pages") or "").replace("--", "-"))),
                doi=get("doi"),
                pmid=get("pmid"),
                url=str(values.get("url") or "").strip(),
            )
        )
    return sorted(found, key=lambda record: record.line)

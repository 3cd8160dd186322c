"""PubMed's MEDLINE format (.nbib, "PubMed" export). Read here rather than with a library:
the format is a few lines of grammar (a tag, "- ", the value, continuation lines indented
six spaces; records separated by blank lines), and the only maintained reader, Biopython's,
would add a large dependency for it."""

import re

from ..models import ReferenceKind
from . import Person, Record, pages

_LINE_RE = re.compile(r"^([A-Z][A-Z0-9]{0,3})\s*- (.*)$")


def _records(text: str):
    """(first line number, [(tag, value, line)]) per record."""
    current, start = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if current:
                yield start, current
            current, start = [], None
            continue
        match = _LINE_RE.match(line)
        if match:
            current.append([match.group(1), match.group(2).strip(), number])
            start = start or number
        elif line.startswith("      ") and current:
            current[-1][1] += " " + line.strip()
        else:
            current.append(["?", line.strip(), number])
            start = start or number
    if current:
        yield start, current


def _identifier(values: list[str], kind: str) -> str:
    for value in values:
        if value.endswith(f"[{kind}]"):
            return value[: -len(kind) - 2].strip()
    return ""


def records(text: str):
    for start, lines in _records(text):
        tags: dict[str, list[str]] = {}
        errors = [f"Line {n}: not a MEDLINE field (TAG - value)." for t, _, n in lines if t == "?"]
        for tag, value, _ in lines:
            tags.setdefault(tag, []).append(value)

        def first(tag, tags=tags):
            return tags.get(tag, [""])[0]

        if "PMID" not in tags:
            errors.append("No PMID line: a MEDLINE record starts with “PMID- ”.")
        people = [Person(literal=name) for name in tags.get("AU", [])]
        if not people:  # full names only: "Family, Given"
            people = [
                Person(family=n.split(",", 1)[0], given=n.split(",", 1)[1] if "," in n else "")
                for n in tags.get("FAU", [])
            ]
        people += [Person(literal=name) for name in tags.get("CN", [])]
        types = tags.get("PT", [])
        yield Record(
            line=start,
            kind=ReferenceKind.TEXTBOOK if "Book" in types else ReferenceKind.RESEARCH,
            type_hints=types,
            title=first("TI") or first("BTI"),
            people=people,
            source=first("TA") or first("JT"),
            year=first("DP"),
            volume=first("VI"),
            issue=first("IP"),
            pages=pages(first("PG")),
            doi=_identifier(tags.get("LID", []) + tags.get("AID", []), "doi"),
            pmid=first("PMID"),
            errors=errors,
        )

"""Reading reference files — RIS, BibTeX, PubMed MEDLINE (.nbib) and CSL-JSON — into
`Entry` rows the library can take, each with the line it starts on and what is wrong with it.

Each format module turns its records into `Record`s (raw values as the file has them);
`build_entry` cleans one up the same way for every format: identifiers through
`references.normalize`, authors into the displayed "Family AB, Family CD, et al.", the kind
from the format's type, the year checked. Nothing here touches the database.
"""

import re
from dataclasses import dataclass, field

from .. import normalize
from ..citations import KEY_PATTERN, canonical_key
from ..models import YEAR_MAX, YEAR_MIN, Reference, ReferenceKind

FORMATS = {
    "ris": "RIS (.ris)",
    "bibtex": "BibTeX (.bib)",
    "medline": "PubMed MEDLINE (.nbib, .txt)",
    "csl": "CSL-JSON (.json)",
}

# AMA style: up to six authors are listed; more are cut to three and "et al."
ALL_AUTHORS_UP_TO, LISTED_BEFORE_ET_AL = 6, 3

# Keys a file gives are kept when they read like citation keys; identifiers such as Zotero's
# "http://zotero.org/users/1/items/ABCD" are replaced by a generated key.
_KEY_RE = re.compile(rf"(?!.*[/:])(?:{KEY_PATTERN})\Z")


@dataclass(frozen=True)
class Person:
    family: str = ""
    given: str = ""
    literal: str = ""  # an organization, or a name already written as printed ("Smith JA")

    def displayed(self) -> str:
        if self.literal:
            return " ".join(self.literal.split())
        initials = "".join(part[0] for part in re.split(r"[\s.\-]+", self.given) if part)
        return " ".join(f"{self.family} {initials}".split())


@dataclass
class Record:
    """One entry as a file holds it, before clean-up."""

    line: int
    key: str = ""
    kind: str = ReferenceKind.OTHER
    type_hints: list[str] = field(default_factory=list)  # publication types, genres
    title: str = ""
    people: list[Person] = field(default_factory=list)
    source: str = ""
    year: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Entry:
    """One entry ready for the library, or with the reasons it is not."""

    line: int
    fields: dict
    file_key: str = ""  # the key the file gave, if it is a usable one
    errors: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.fields.get("title", "")


class FormatError(ValueError):
    """The whole file cannot be read (not one entry of it)."""


def detect(text: str, filename: str = "") -> str | None:
    """The format of `text`, from its content first and its file name second."""
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    if head.startswith(("[", "{")):
        return "csl"
    if re.search(r"^TY  - ", head, re.MULTILINE):
        return "ris"
    if re.search(r"^PMID- ", head, re.MULTILINE):
        return "medline"
    if re.search(r"^\s*@\w+\s*[{(]", head, re.MULTILINE):
        return "bibtex"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {"ris": "ris", "bib": "bibtex", "nbib": "medline", "json": "csl"}.get(extension)


def parse(text: str, fmt: str) -> list[Entry]:
    from . import bibtex, csl, medline, ris

    reader = {"ris": ris, "bibtex": bibtex, "medline": medline, "csl": csl}[fmt]
    return [build_entry(record) for record in reader.records(text)]


def kind_for(base: str, hints) -> str:
    """The library's kind: what the publication types say it is, else the format's type."""
    text = " | ".join(h.lower() for h in hints if h)
    if "guideline" in text or "consensus statement" in text:
        return ReferenceKind.GUIDELINE
    if "systematic review" in text or "meta-analysis" in text:
        return ReferenceKind.SYSTEMATIC_REVIEW
    if "review" in text:
        return ReferenceKind.REVIEW
    return base


def authors(people: list[Person]) -> str:
    names = [p.displayed() for p in people if p.displayed()]
    if len(names) > ALL_AUTHORS_UP_TO:
        return ", ".join(names[:LISTED_BEFORE_ET_AL]) + ", et al."
    return ", ".join(names)


def pages(first: str, last: str = "") -> str:
    """ "1165", "75" -> "1165-1175": MEDLINE and some journals shorten the last page."""
    first, last = first.strip(), last.strip()
    if "-" in first and not last:
        first, last = (part.strip() for part in first.split("-", 1))
    if not last or last == first:
        return first
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{first}-{last}"


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def build_entry(record: Record) -> Entry:
    errors = list(record.errors)
    title = _clean(record.title)
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    if not title and not record.errors:  # a malformed record's title is not the news
        errors.append("No title.")
    data = {
        "kind": kind_for(record.kind, record.type_hints),
        "title": title,
        "authors": authors(record.people),
        "source": _clean(record.source),
        "year": None,
        "volume": _clean(record.volume),
        "issue": _clean(record.issue),
        "pages": _clean(record.pages),
        "doi": "",
        "pmid": "",
        "url": "",
    }
    year = _clean(record.year)
    if year:
        found = re.search(r"\d{4}", year)
        if not found:
            errors.append(f"Year “{year}” is not a year.")
        elif not YEAR_MIN <= int(found.group()) <= YEAR_MAX:
            errors.append(f"Year {found.group()} is outside {YEAR_MIN}–{YEAR_MAX}.")
        else:
            data["year"] = int(found.group())
    for name, normalizer in (
        ("doi", normalize.doi),
        ("pmid", normalize.pmid),
        ("url", normalize.url),
    ):
        raw = getattr(record, name)
        try:
            data[name] = normalizer(raw)
        except ValueError as error:
            errors.append(f"{name.upper()} “{_clean(raw)[:80]}”: {error}")
    for name in ("title", "authors", "source", "volume", "issue", "pages", "doi", "pmid", "url"):
        limit = Reference._meta.get_field(name).max_length
        if len(data[name]) > limit:
            errors.append(f"The {name} is longer than {limit} characters.")
    key = canonical_key(_clean(record.key))
    usable = key if key and len(key) <= 80 and _KEY_RE.match(key) else ""
    data["pages"] = data["pages"].replace("\u2013", "-")
    return Entry(line=record.line, fields=data, file_key=usable, errors=errors)

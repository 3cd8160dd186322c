"""An import from upload to library: read the file, sort each entry into new / duplicate /
conflicting / error against the library and the earlier entries of the same file, then
write the new ones in one transaction.

The preview and the confirmation are two requests. The confirmation trusts nothing the
browser sends back except the file itself, signed by the server for this user (Django's
signing: tampering or another user's copy fails the signature) and read again from scratch:
statuses, keys and matches are worked out anew against the library as it is at that moment,
under the import's transaction. The upload is not kept server-side, so several web processes
need no shared storage; the signed copy is compressed and fits the request size limit.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from . import importers
from .citations import canonical_key
from .importers import Entry, FormatError
from .models import Reference, digest
from .normalize import title_for_matching

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
SIGNED_MAX_AGE = 60 * 60  # an hour from preview to confirmation

NEW, DUPLICATE, CONFLICT, ERROR = "new", "duplicate", "conflict", "error"


class ImportFailed(Exception):
    """Nothing was written; the message says why."""


@dataclass
class Row:
    entry: Entry
    status: str = NEW
    reasons: list[str] = field(default_factory=list)
    match: Reference | None = None  # the library's entry, for duplicates and conflicts
    earlier: Entry | None = None  # the same file's entry it repeats
    key: str = ""

    @property
    def line(self) -> int:
        return self.entry.line


@dataclass
class Plan:
    fmt: str
    filename: str
    rows: list[Row]

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def new(self) -> list[Row]:
        return [row for row in self.rows if row.status == NEW]

    def fingerprint(self) -> str:
        """What the editor saw and agreed to: if the library changed since, the plan differs
        and the confirmation shows the new preview instead of writing."""
        seen = [(r.line, r.status, r.key, r.match.pk if r.match else None) for r in self.rows]
        return hashlib.sha256(repr(seen).encode()).hexdigest()


# -- reading the upload ----------------------------------------------------------------------


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(
            f"The file is not UTF-8 text (a byte it cannot read is on line {line}). Export it "
            "again as UTF-8 (Unicode), which every reference manager offers."
        ) from None


def sign(fmt: str, filename: str, text: str, user) -> str:
    return signing.dumps(
        {"fmt": fmt, "name": filename, "text": text}, salt=_salt(user), compress=True
    )


def unsign(token: str, user) -> tuple[str, str, str]:
    try:
        data = signing.loads(token, salt=_salt(user), max_age=SIGNED_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportFailed("The preview is more than an hour old: upload the file again.") from None
    except signing.BadSignature:
        raise ImportFailed("The import could not be verified: upload the file again.") from None
    return data["fmt"], data["name"], data["text"]


def _salt(user) -> str:
    return f"references.import:{user.pk}"


# -- sorting entries -------------------------------------------------------------------------


def plan(text: str, fmt: str, filename: str = "") -> Plan:
    try:
        entries = importers.parse(text, fmt)
    except FormatError as error:
        raise ImportFailed(str(error)) from None
    if not entries:
        raise ImportFailed(
            f"No entries were found: is this a {importers.FORMATS[fmt]} file? "
            "Choose the format by hand if it was guessed wrong."
        )
    rows = [Row(e, ERROR, list(e.errors)) if e.errors else Row(e) for e in entries]
    library = _Library([row.entry for row in rows if row.status != ERROR])
    seen = _Seen()
    file_keys: dict[str, Entry] = {}
    for row in rows:
        if row.status == ERROR:
            continue
        _classify(row, library, seen, file_keys)
        seen.add(row.entry)
        if row.entry.file_key:
            file_keys.setdefault(row.entry.file_key, row.entry)
    _assign_keys(rows, library)
    return Plan(fmt, filename, rows)


def _identity(fields: dict) -> tuple:
    return (title_for_matching(fields["title"]), fields["year"])


# Up to this many entries, titles are looked up with one OR'ed condition each.
TITLE_BATCH = 100


class _Library:
    """The library's references that could match the file's entries, fetched in a few
    queries however many entries there are."""

    def __init__(self, entries: list[Entry]):
        dois = {e.fields["doi"] for e in entries if e.fields["doi"]}
        pmids = {e.fields["pmid"] for e in entries if e.fields["pmid"]}
        current = Reference.objects.current()
        self.by_doi = {
            r.doi.lower(): r
            for r in current.annotate(doi_lower=Lower("doi")).filter(doi_lower__in=dois)
        }
        self.by_pmid = {r.pmid: r for r in current.filter(pmid__in=pmids)}
        self.by_identity = {}
        wanted = {_identity(e.fields) for e in entries if e.fields["title"]}
        if len(entries) <= TITLE_BATCH:
            # A few entries: one query, a LIKE per entry on its longest word.
            title_query = Q()
            for title, year in wanted:
                if title:  # a title of punctuation only matches nothing
                    title_query |= Q(year=year, title__icontains=max(title.split(), key=len))
            candidates = current.filter(title_query) if title_query else current.none()
        else:
            # Many: one pass over the titles of the years concerned beats hundreds of LIKEs
            # (3,000 entries against 20,000 references: 3.5 s of queries -> well under 1 s).
            years = {year for _, year in wanted}
            in_years = Q(year__in=years - {None})
            if None in years:
                in_years |= Q(year__isnull=True)
            rows = current.filter(in_years).values_list("pk", "title", "year")
            pks = [
                pk for pk, t, y in rows.iterator() if _identity({"title": t, "year": y}) in wanted
            ]
            candidates = current.filter(pk__in=pks)
        for reference in candidates:
            identity = _identity({"title": reference.title, "year": reference.year})
            if identity in wanted:
                self.by_identity.setdefault(identity, reference)
        self.keys = {
            r.key.lower(): r
            for r in Reference.objects.filter(key__in={e.file_key for e in entries if e.file_key})
        }


class _Seen:
    """The file's earlier entries, by DOI, PMID and title and year (the first of each)."""

    def __init__(self):
        self.by: dict[tuple, Entry] = {}

    @staticmethod
    def _marks(entry: Entry):
        fields = entry.fields
        if fields["doi"]:
            yield ("doi", fields["doi"])
        if fields["pmid"]:
            yield ("pmid", fields["pmid"])
        yield ("identity", _identity(fields))

    def find(self, entry: Entry) -> Entry | None:
        found = [self.by[m] for m in self._marks(entry) if m in self.by]
        return min(found, key=lambda e: e.line) if found else None

    def add(self, entry: Entry) -> None:
        for mark in self._marks(entry):
            self.by.setdefault(mark, entry)


def _same(a: str, b: str) -> bool:
    return not a or not b or a.lower() == b.lower()


def _classify(row: Row, library: _Library, seen: _Seen, file_keys: dict) -> None:
    fields = row.entry.fields
    by_doi = library.by_doi.get(fields["doi"]) if fields["doi"] else None
    by_pmid = library.by_pmid.get(fields["pmid"]) if fields["pmid"] else None
    by_identity = library.by_identity.get(_identity(fields)) if fields["title"] else None
    if by_doi and by_pmid and by_doi.pk != by_pmid.pk:
        row.status, row.match = CONFLICT, by_doi
        row.reasons.append(
            f"Its DOI is that of [@{by_doi.key}] but its PMID is that of [@{by_pmid.key}]."
        )
        return
    match = by_doi or by_pmid or by_identity
    if match is not None:
        row.match = match
        clashes = [
            name.upper()
            for name in ("doi", "pmid")
            if not _same(fields[name], getattr(match, name))
        ]
        if clashes:
            row.status = CONFLICT
            row.reasons.append(
                f"It looks like [@{match.key}] but its {' and '.join(clashes)} differ(s)."
            )
        else:
            row.status = DUPLICATE
            how = "DOI" if by_doi else "PMID" if by_pmid else "title and year"
            row.reasons.append(f"Already in the library as [@{match.key}] (same {how}).")
        return
    earlier = seen.find(row.entry)
    if earlier is not None:
        row.status, row.earlier = DUPLICATE, earlier
        row.reasons.append(f"Repeats the entry on line {earlier.line} of this file.")
        return
    key = row.entry.file_key
    if key and key in library.keys:
        other = library.keys[key]
        row.status, row.match = CONFLICT, other
        row.reasons.append(f"Its key “{key}” is already the key of “{other.title}”.")
    elif key and key in file_keys:
        row.status, row.earlier = CONFLICT, file_keys[key]
        row.reasons.append(f"Its key “{key}” is used by the entry on line {file_keys[key].line}.")


# Letters Unicode does not decompose into an ASCII letter and a mark (slugify would drop them).
_ASCII = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "Th",
        "œ": "oe",
    }
)


def _base_key(fields: dict) -> str:
    """firstauthor-year-firstword, e.g. okafor-2021-home; ASCII so anyone can type it."""
    first_author = re.split(r"[ ,]", fields["authors"].strip(), maxsplit=1)[0].translate(_ASCII)
    words = [w for w in title_for_matching(fields["title"]).split() if len(w) > 3]
    word = words[0].translate(_ASCII) if words else ""
    parts = [slugify(first_author), str(fields["year"] or ""), slugify(word)]
    base = "-".join(p for p in parts if p)[:70].strip("-")
    return base or "ref"


def _assign_keys(rows: list[Row], library: _Library) -> None:
    new = [row for row in rows if row.status == NEW]
    for row in new:
        row.key = row.entry.file_key
    generated = [(row, _base_key(row.entry.fields)) for row in new if not row.key]
    used = {row.key for row in new if row.key}
    if generated:
        bases = {base for _, base in generated}
        used |= {
            key.lower()
            for key in Reference.objects.filter(key__regex=_prefix_regex(bases)).values_list(
                "key", flat=True
            )
        }
    for row, base in generated:
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}-{n}"
        row.key = key
        used.add(key)


def _prefix_regex(bases: set[str]) -> str:
    return r"^(" + "|".join(re.escape(b) for b in sorted(bases)) + r")(-[0-9]+)?$"


# -- writing ---------------------------------------------------------------------------------


def apply(text: str, fmt: str, filename: str, *, by, expected: str | None = None) -> Plan:
    """Write the file's new entries into the library, all or nothing. With `expected` (the
    fingerprint of the plan the editor confirmed), a plan that has changed since is not
    written: `ImportFailed` says the library changed, and the caller shows the new preview."""
    with transaction.atomic():
        _lock()
        result = plan(text, fmt, filename)
        if expected is not None and result.fingerprint() != expected:
            raise PlanChanged(result)
        reason = f"Imported from {filename or 'an upload'} ({importers.FORMATS[fmt]})"
        references = [_reference(row) for row in result.new]
        try:
            with transaction.atomic():
                # In bulk, with one history row each (who, why): saving one by one cost
                # 3 ms a reference on PostgreSQL, too slow for a 2 MB file in one request.
                bulk_create_with_history(
                    references,
                    Reference,
                    batch_size=WRITE_BATCH,
                    default_user=by,
                    default_change_reason=reason,
                )
        except DatabaseError as error:
            raise ImportFailed(
                "Nothing was imported: the library refused an entry (most likely someone "
                "added a reference with one of these keys meanwhile). Upload the file again "
                "to see the new preview."
            ) from error
    return result


WRITE_BATCH = 500


def _reference(row: Row) -> Reference:
    """The unsaved reference of a new entry, as `Reference.save` would store it. Field
    validators run here (no queries): the plan has checked keys against the library and the
    database's constraints catch the rest."""
    reference = Reference(key=canonical_key(row.key), **row.entry.fields)
    reference.displayed_hash = digest(reference.displayed())
    try:
        reference.clean_fields()
    except ValidationError as error:
        raise ImportFailed(
            f"Nothing was imported: the entry on line {row.line} is not valid "
            f"({'; '.join(error.messages)})."
        ) from error
    return reference


class PlanChanged(ImportFailed):
    def __init__(self, plan: Plan):
        super().__init__(
            "The library changed since the preview (someone added or edited a reference): "
            "nothing was imported. Check the updated preview and confirm again."
        )
        self.plan = plan


def _lock() -> None:
    """Two editors importing the same file at once must not both add it: on PostgreSQL the
    imports take turns (a transaction-scoped advisory lock); SQLite writes one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


_LOCK_ID = 0x5EF1_0001  # any constant, used for this lock only

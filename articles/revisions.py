"""A revision: everything medical an article page shows, frozen as plain data.

This module is the one owner of the revision's stored shape. It builds it from the working
copy (`snapshot`, `record`), reads it for a reader type (`Content`), writes it back into the
working copy (`restore_working_copy`) and compares two of them (`diff`). Nothing else reads
or writes revision JSON. The shape:

    {"question": str, "headline": str, "bottom_line": str,
     "bottom_line_variants": {reader-type slug: str},                  # only if any
     "sections": [{"position": int, "heading": str, "kind": str, "body": str,
                   "variants": {slug: {"heading": str, "body": str}}}],  # only if any
     "references": {key: {kind, title, authors, source, year, doi, pmid, url}}}  # if cited

Optional keys are left out when empty, so an article without variants or citations hashes
as it always did.
"""

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from references.citations import canonical_key
from references.models import DISPLAYED_FIELDS, FrozenReference, Reference, digest

from .models.content import Article, ReaderType, Section, Variant
from .rendering import cited_keys

# -- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionSnapshot:
    """One section as frozen in a revision; quacks like `Section` for rendering."""

    position: int
    heading: str
    kind: str
    body: str
    variants: dict = field(default_factory=dict)  # reader-type slug -> {"heading", "body"}

    def for_reader(self, slug: str | None) -> "SectionSnapshot":
        """This section as a reader of type `slug` sees it (the default where no variant)."""
        variant = self.variants.get(slug) if slug else None
        if not variant:
            return self
        return replace(self, heading=variant["heading"] or self.heading, body=variant["body"])


class Content:
    """Read access to a revision's content, for every reader type."""

    def __init__(self, data: dict):
        self.data = data

    @property
    def question(self) -> str:
        return self.data["question"]

    @property
    def headline(self) -> str:
        return self.data["headline"]

    @property
    def bottom_line(self) -> str:
        return self.data["bottom_line"]

    @cached_property
    def sections(self) -> list[SectionSnapshot]:
        return [SectionSnapshot(**section) for section in self.data["sections"]]

    @cached_property
    def references(self) -> dict[str, FrozenReference]:
        """The cited references' displayed fields, as frozen; the library is never read.
        Keyed canonically (lowercase), as the citation parser hands keys out: revisions frozen
        before keys were stored lowercase keep their old spelling in the stored content (and
        its hash), and still resolve."""
        return {
            canonical_key(key): FrozenReference(key=canonical_key(key), **fields)
            for key, fields in self.data.get("references", {}).items()
        }

    @property
    def bottom_line_variants(self) -> dict[str, str]:
        return self.data.get("bottom_line_variants", {})

    def bottom_line_for(self, slug: str | None) -> str:
        return self.bottom_line_variants.get(slug) or self.bottom_line

    def sections_for(self, slug: str | None) -> list[SectionSnapshot]:
        return [section.for_reader(slug) for section in self.sections]

    @property
    def reader_types_with_variants(self) -> set[str]:
        slugs = set(self.data.get("bottom_line_variants", {}))
        for section in self.data["sections"]:
            slugs |= set(section.get("variants", {}))
        return slugs

    def texts(self) -> list[tuple[str, str]]:
        """(where, Markdown) for every text some reader sees: defaults and variants."""
        found = [("Bottom line", self.bottom_line)]
        found += [
            (f"Bottom line for {slug}", text)
            for slug, text in sorted(self.data.get("bottom_line_variants", {}).items())
        ]
        for s in self.sections:
            found.append((f"Section {s.position} “{s.heading}”", s.body))
            found += [
                (f"Section {s.position} for {slug}", variant["body"])
                for slug, variant in sorted(s.variants.items())
            ]
        return found

    def cited_keys(self) -> set[str]:
        return cited_keys(text for _, text in self.texts())


def hash_of(data: dict) -> str:
    return digest(data)


def is_intact(revision: "Revision") -> bool:
    """Whether the stored content is still what was frozen (and, if approved, signed)."""
    return hash_of(revision.content) == revision.content_hash


# -- the model -----------------------------------------------------------------------------


class Revision(models.Model):
    """A frozen copy of everything medical an article page shows — question, headline, bottom
    line, sections, reader-type variants and the cited references' displayed fields — as it
    was saved. Reviewers approve a revision, never the live rows, so the Approved badge can
    only sit on what a reviewer saw. Read it through `shown`."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
        ]

    def __str__(self):
        return f"{self.content.get('headline', self.article_id)} — revision {self.number}"

    @property
    def shown(self) -> Content:
        cached = self.__dict__.get("_shown")
        if cached is None or cached.data is not self.content:
            cached = self.__dict__["_shown"] = Content(self.content)
        return cached

    # Shorthands for templates and the admin.
    @property
    def question(self) -> str:
        return self.shown.question

    @property
    def headline(self) -> str:
        return self.shown.headline

    @property
    def sections(self) -> list[SectionSnapshot]:
        return self.shown.sections


class Citation(models.Model):
    """A reference cited by a revision, in any text a reader can see (variants included),
    with the digest of its displayed fields as frozen there. It protects the reference — no
    deleting it or changing its key while cited — and tells editors when the library changed
    since (`displayed_hash` differs from the reference's own)."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="citations")
    reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="citations")
    displayed_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "reference"], name="citation_once_per_revision"
            ),
        ]

    def __str__(self):
        return f"Revision {self.revision.number} of “{self.revision.headline}”"


# -- writing -------------------------------------------------------------------------------


def snapshot(article: Article) -> dict:
    """The whole working copy as plain data, with the cited references as the library has
    them now: what a revision freezes."""
    variants = list(article.variants.select_related("reader_type"))
    return snapshot_unsaved(
        question=article.question.text,
        headline=article.headline,
        bottom_line=article.bottom_line,
        sections=[
            (s, [v for v in variants if v.section_id == s.pk])
            for s in article.sections.order_by("position")
        ],
        bottom_line_variants=[v for v in variants if not v.section_id],
    )


def snapshot_unsaved(
    *, question: str, headline: str, bottom_line: str, sections, bottom_line_variants
) -> dict:
    """What `snapshot` would freeze for a working copy that is not saved (yet): the article
    form's live preview renders it without writing anything. `sections` are (Section-like,
    [its Variant-likes]) in order; a variant needs `.reader_type.slug`, `.heading` and
    `.text`. `snapshot` builds its data here too, so the shape has this one writer."""
    data = {
        "question": question,
        "headline": headline,
        "bottom_line": bottom_line,
        "sections": [],
    }
    line_variants = {v.reader_type.slug: v.text for v in bottom_line_variants}
    if line_variants:
        data["bottom_line_variants"] = line_variants
    for s, variants in sections:
        section = {"position": s.position, "heading": s.heading, "kind": s.kind, "body": s.body}
        own = {v.reader_type.slug: {"heading": v.heading, "body": v.text} for v in variants}
        if own:
            section["variants"] = own
        data["sections"].append(section)
    keys = Content(data).cited_keys()
    if keys:
        library = Reference.objects.filter(key__in=keys).order_by("key")
        references = {r.key: r.displayed() for r in library}
        if references:
            data["references"] = references
    return data


def record(article: Article, *, by) -> Revision:
    """Freeze the working copy as the article's next revision, unless it is identical to the
    latest one (then that one is returned)."""
    data = snapshot(article)
    content_hash = hash_of(data)
    latest = article.revisions.order_by("-number").first()
    if latest and latest.content_hash == content_hash:
        return latest
    revision = Revision.objects.create(
        article=article,
        number=(latest.number + 1) if latest else 1,
        content=data,
        content_hash=content_hash,
        created_by=by,
    )
    frozen = data.get("references", {})
    library = Reference.objects.filter(key__in=frozen)
    Citation.objects.bulk_create(
        Citation(revision=revision, reference=r, displayed_hash=digest(frozen[r.key]))
        for r in library
    )
    return revision


def restore_working_copy(article: Article, data: dict, *, by, reason: str) -> None:
    """Write a revision's content back into the working copy: question text, headline,
    bottom line, sections and variants, each change in history with `by` and `reason`. The
    article row itself is left for the caller to save. References are the library's: a
    restored text cites them as they are now."""
    question = article.question
    question.text = data["question"]
    question._history_user, question._change_reason = by, reason
    question.save(update_fields=["text"])
    article.headline = data["headline"]
    article.bottom_line = data["bottom_line"]
    for section in article.sections.all():  # its variants go with it
        section._history_user, section._change_reason = by, reason
        section.delete()
    for variant in article.variants.all():  # the bottom line's
        variant._history_user, variant._change_reason = by, reason
        variant.delete()
    reader_types = {t.slug: t for t in ReaderType.objects.all()}

    def add_variant(slug, **fields):
        if slug in reader_types:  # a reader type deleted since then has nobody to show it to
            variant = Variant(article=article, reader_type=reader_types[slug], **fields)
            variant._history_user, variant._change_reason = by, reason
            variant.save()

    for slug, text in data.get("bottom_line_variants", {}).items():
        add_variant(slug, text=text)
    for frozen in data["sections"]:
        frozen = dict(frozen)
        section_variants = frozen.pop("variants", {})
        section = Section(article=article, **frozen)
        section._history_user, section._change_reason = by, reason
        section.save()
        for slug, variant in section_variants.items():
            add_variant(slug, section=section, heading=variant["heading"], text=variant["body"])


# -- comparing -----------------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    html: SafeString  # the new text with <ins>/<del> marks; the whole text when unchanged
    changed: bool


def diff_text(old: str, new: str) -> SafeString:
    """Word-level diff: deletions in <del>, insertions in <ins>, the rest as is (escaped)."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 — every piece of text is escaped above


def _reference_line(reference: FrozenReference | None) -> str:
    if reference is None:
        return ""
    values = [(name, getattr(reference, name)) for name in DISPLAYED_FIELDS]
    return " · ".join(f"{name}: {value}" for name, value in values if value not in ("", None))


def diff(old: dict | None, new: dict) -> list[FieldDiff]:
    """Compare two revision contents: question, headline, bottom line, every section by
    position (added and removed sections included), every variant, and the cited references'
    displayed fields. `old=None` shows everything as new."""
    before = Content(old or {"question": "", "headline": "", "bottom_line": "", "sections": []})
    after = Content(new)
    fields = [
        FieldDiff(label, diff_text(o, n), o != n)
        for label, o, n in (
            ("Question", before.question, after.question),
            ("Headline", before.headline, after.headline),
            ("Bottom line", before.bottom_line, after.bottom_line),
        )
    ]
    old_lines = before.data.get("bottom_line_variants", {})
    new_lines = after.data.get("bottom_line_variants", {})
    for slug in sorted(old_lines.keys() | new_lines.keys()):
        o, n = old_lines.get(slug, ""), new_lines.get(slug, "")
        fields.append(FieldDiff(f"Bottom line — for {slug}", diff_text(o, n), o != n))
    old_sections = {s.position: s for s in before.sections}
    new_sections = {s.position: s for s in after.sections}
    empty = SectionSnapshot(position=0, heading="", kind="", body="")
    for position in sorted(old_sections.keys() | new_sections.keys()):
        o, n = old_sections.get(position), new_sections.get(position)
        o_, n_ = o or empty, n or empty
        label = f"Section {position}: {n_.heading or o_.heading}"
        if o is None:
            label += " (added)"
        elif n is None:
            label += " (removed)"
        for attr, part in (("heading", "heading"), ("kind", "kind"), ("body", "text")):
            a, b = getattr(o_, attr), getattr(n_, attr)
            if attr == "kind" and a == b:
                continue
            fields.append(FieldDiff(f"{label} — {part}", diff_text(a, b), a != b))
        for slug in sorted(o_.variants.keys() | n_.variants.keys()):
            ov = o_.variants.get(slug, {"heading": "", "body": ""})
            nv = n_.variants.get(slug, {"heading": "", "body": ""})
            for key, part in (("heading", "heading"), ("body", "text")):
                fields.append(
                    FieldDiff(
                        f"{label} — {part} for {slug}",
                        diff_text(ov[key], nv[key]),
                        ov[key] != nv[key],
                    )
                )
    for key in sorted(before.references.keys() | after.references.keys()):
        o = _reference_line(before.references.get(key))
        n = _reference_line(after.references.get(key))
        fields.append(FieldDiff(f"Reference [@{key}]", diff_text(o, n), o != n))
    return fields

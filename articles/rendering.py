"""Article Markdown to safe HTML: CommonMark (plus tables) with citations, then sanitized.

Rendering is two passes over the whole article: parse every text (bottom line first, then
sections in order) to number citations by first appearance, then render each with those
numbers. Everything leaves through nh3, so whatever an editor types, no script, event handler
or `javascript:` link reaches a reader.
"""

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

from references.citations import (
    CitationNumbering,
    citations_plugin,
    keys_in_line,
    keys_in_tokens,
    malformed_groups,
)
from references.formatting import reference_html
from references.models import DisplayedReference, Reference

from .glossary import Glossary, GlossaryEntry, render_glossary_mark

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
_md.use(citations_plugin)
_md.add_render_rule("glossary", render_glossary_mark)

_ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "a", "sup", "span",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6",
    "div", "table", "caption", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# `class` is governed by _ALLOWED_CLASSES alone: nh3 (ammonia) panics if a tag allows `class`
# in both, and then every render fails. Editors can't write HTML (markdown-it escapes it), so
# the ids and ARIA attributes below only ever come from our own render rules.
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "aria-describedby", "aria-label"},
    "ol": {"start"},
    "sup": {"id"},
    "span": {"aria-hidden"},
    # A table's scroll box: a named region that keyboard users can focus and scroll.
    "div": {"role", "tabindex", "aria-labelledby", "aria-label"},
    "caption": {"id"},
    "th": {"scope"},
}
_ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
_ALLOWED_CLASSES = {
    "a": {"citation-link", "glossary-term"},
    "sup": {"citation"},
    "span": {"visually-hidden", "citation-missing", "citation-to"},
    "div": {"table-scroll"},
    "th": _ALIGN_CLASSES,
    "td": _ALIGN_CLASSES,
}
# A table's caption is a paragraph starting "Table:" right before it (as Pandoc writes one).
CAPTION_PREFIX = "Table:"


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _parse(text: str, top_level: int = 3, tables: Iterator[int] | None = None) -> list:
    """Parse Markdown; headings never rise above `top_level`, so they nest under the page's
    own headings (an article section's heading is an <h2>, a site page's title an <h1>).
    `tables` numbers the tables of one page (their ids must be unique on it)."""
    tokens = _md.parse(text or "", {})
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{max(int(token.tag[1]), top_level)}"
        elif token.type in ("th_open", "td_open") and "style" in token.attrs:
            # A column's alignment as a class: the Content-Security-Policy allows no inline
            # style (static/css has the classes).
            align = str(token.attrs.pop("style")).removeprefix("text-align:").strip()
            token.attrs["class"] = f"align-{align}"
        if token.type == "th_open":
            token.attrs["scope"] = "col"  # Markdown tables have one header row
    return _frame_tables(tokens, tables if tables is not None else itertools.count(1))


def _is_caption(tokens: list, table_open: Token) -> bool:
    """The last three tokens are a paragraph "Table: …" at the table's own level."""
    return (
        len(tokens) >= 3
        and tokens[-3].type == "paragraph_open"
        and tokens[-3].level == table_open.level
        and tokens[-2].type == "inline"
        and tokens[-2].content.startswith(CAPTION_PREFIX)
        and bool(tokens[-2].content.removeprefix(CAPTION_PREFIX).strip())
    )


def _frame_tables(tokens: list, tables: Iterator[int]) -> list:
    """Each table goes in a scroll box (a narrow screen scrolls the table, never the page)
    that is a named region keyboard users can focus; a "Table: …" paragraph right before a
    table becomes its <caption> and names the region. Without one, the region is named by
    the table's column headings."""
    out: list = []
    for index, token in enumerate(tokens):
        if token.type == "table_close":
            out += [token, Token("table_scroll_close", "div", -1, block=True)]
            continue
        if token.type != "table_open":
            out.append(token)
            continue
        number = next(tables)
        caption = out[-3:] if _is_caption(out, token) else []
        if caption:
            del out[-3:]
            opening, inline, closing = caption
            caption_id = f"table-{number}-caption"
            opening.type, opening.tag, opening.attrs = "caption_open", "caption", {"id": caption_id}
            closing.type, closing.tag = "caption_close", "caption"
            _drop_caption_prefix(inline)
            name = {"aria-labelledby": caption_id}
        else:
            name = {"aria-label": _table_name(tokens, index, number)}
        scroll = Token("table_scroll_open", "div", 1, block=True)
        scroll.attrs = {"class": "table-scroll", "role": "region", "tabindex": "0", **name}
        out += [scroll, token, *caption]
    return out


def _drop_caption_prefix(inline: Token) -> None:
    inline.content = inline.content.removeprefix(CAPTION_PREFIX).lstrip()
    first = inline.children[0] if inline.children else None
    if first is not None and first.type == "text":
        first.content = first.content.removeprefix(CAPTION_PREFIX).lstrip()
        if not first.content:
            inline.children.pop(0)


def _table_name(tokens: list, table_open: int, number: int) -> str:
    headings = []
    for token in tokens[table_open + 1 :]:
        if token.type in ("thead_close", "table_close"):
            break
        if token.type == "inline" and token.content.strip():
            headings.append(plain_text(token.content))
    return f"Table: {', '.join(headings)}" if headings else f"Table {number}"


def _render(tokens: list, numbering: CitationNumbering) -> SafeString:
    html = _md.renderer.render(tokens, _md.options, {"citations": numbering})
    return mark_safe(sanitize(html))  # noqa: S308 — sanitized by nh3 on the line above


def render_markdown(text: str) -> SafeString:
    """Plain Markdown with no citations to number (site pages)."""
    return _render(_parse(text, top_level=2), CitationNumbering(known=set()))


def use_letter(index: int) -> str:
    """a, b, … z, aa, ab, …: the letters that tell a reference's back-links apart."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


@dataclass(frozen=True)
class CitedReference:
    number: int
    reference: DisplayedReference
    backlink: str  # the id of the first citation of this reference in the text
    backlinks: tuple[str, ...] = ()  # the ids of every citation of it, in reading order
    # In AMA style (references.formatting): formatted here, so it is cached with the
    # rendering (readers.render_revision), as citeproc costs a few ms per reference.
    formatted: SafeString = SafeString("")

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"

    @property
    def uses(self) -> list[tuple[str, str]]:
        """(letter, citation id) for each place the text cites this reference."""
        return [
            (use_letter(i), anchor) for i, anchor in enumerate(self.backlinks or (self.backlink,))
        ]


@dataclass(frozen=True)
class RenderedArticle:
    bottom_line: SafeString
    sections: list  # [(section, html)], in order
    references: list[CitedReference]
    glossary: list[GlossaryEntry]  # terms marked, in order of first use


def render_article(
    bottom_line: str,
    sections,
    references: dict[str, DisplayedReference],
    glossary: Glossary | None = None,
) -> RenderedArticle:
    """Render the texts a reader sees; `sections` are Section-like objects with `.body`, in
    order, and `references` the citable references by key (a revision's frozen copies). With
    a `glossary` (lay readers), first uses of its terms are marked. No queries."""
    sections = list(sections)
    tables = itertools.count(1)
    streams = [_parse(bottom_line, tables=tables)] + [
        _parse(s.body, tables=tables) for s in sections
    ]
    marked = glossary.mark(streams) if glossary else []
    keys = [key for tokens in streams for key in keys_in_tokens(tokens)]
    library = {key: references[key] for key in keys if key in references}
    numbering = CitationNumbering(known=set(library))
    numbering.number(keys)
    rendered = [_render(tokens, numbering) for tokens in streams]
    references = [
        CitedReference(
            number,
            library[key],
            numbering.first_anchor[key],
            tuple(numbering.anchors[key]),
            reference_html(library[key]),
        )
        for key, number in sorted(numbering.numbers.items(), key=lambda item: item[1])
    ]
    return RenderedArticle(
        rendered[0], list(zip(sections, rendered[1:], strict=True)), references, marked
    )


def cited_keys(texts) -> set[str]:
    return {key for text in texts for key in keys_in_tokens(_md.parse(text or "", {}))}


def malformed_citations(text: str) -> list[tuple[str, int]]:
    """(text, line number) for each `[@…]` that is not a valid citation group."""
    found = []
    for block in _md.parse(text or "", {}):
        if block.type != "inline" or not block.map:
            continue
        for offset, line in enumerate(block.content.splitlines()):
            found += [(bad, block.map[0] + offset + 1) for bad in malformed_groups(line)]
    return found


def _cited_lines(text: str) -> dict[str, int]:
    """Each key `text` cites, with the line number of its first use."""
    lines = (text or "").splitlines()
    located: dict[str, int] = {}
    for block in _md.parse(text or "", {}):
        if block.children is None or not block.map:
            continue
        start, end = block.map
        for key in keys_in_tokens([block]):
            if key not in located:
                # The block's first line that cites the key (a paragraph spans lines). Whole
                # keys are compared: "@a" must not be found on a line that cites "@ab".
                located[key] = next(
                    (i + 1 for i in range(start, end) if key in keys_in_line(lines[i])),
                    start + 1,
                )
    return located


def checked_citations(text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int, str]]]:
    """The cited keys that new text may not cite, first use only, in one query: (key, line)
    for each key not in the reference library, and (key, line, the key it was merged into)
    for each reference a chief editor merged into another (`reviews.merging`), which stays
    for the revisions that froze it while new text cites the one kept."""
    located = _cited_lines(text)
    if not located:
        return [], []
    found = dict(Reference.objects.filter(key__in=located).values_list("key", "merged_into__key"))
    unknown = [(key, line) for key, line in located.items() if key not in found]
    merged = [(key, line, found[key]) for key, line in located.items() if found.get(key)]
    return unknown, merged


def unknown_citations(text: str) -> list[tuple[str, int]]:
    """(key, line number) for every cited key not in the reference library, first use only."""
    return checked_citations(text)[0]


def plain_text(text: str) -> str:
    """The words a reader reads in a Markdown text, without markup or citation keys: for the
    search index and meta descriptions."""
    words = []
    for block in _md.parse(text or "", {}):
        for child in block.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if block.type == "inline":
            words.append(" ")
    # A citation leaves a gap before the punctuation that followed it: "early [@a]." → "early".
    return re.sub(r" ([.,;:!?)])", r"\1", " ".join("".join(words).split()))

"""Plain-language glossary marks for lay readers.

The first use of each glossary term in an article (bottom line first, then sections, as the
reader reads it) becomes a link to its definition, with `aria-describedby` so screen readers
announce the definition with the word; the definition links back to that first use. Marks are
made in markdown-it's token stream, where headings, links, code and citations are separate
tokens, so they are never marked.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from markdown_it.token import Token


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    anchor: str  # id of the definition's <dt>; the <dd> is `{anchor}-def`

    @property
    def use_anchor(self) -> str:
        """The id of the term's marked first use in the text (the definition links back)."""
        return f"{self.anchor}-use"


class Glossary:
    """Finds glossary terms in text. `terms` are approved glossary texts (`forms`,
    `matches_case`, `term`, `definition`, `pk`). A form written with a capital letter matches
    only as written, so the acronym EGFR (a tumour receptor) never gets the definition of eGFR
    (a kidney test); an all-lowercase form matches in any case, as at a sentence's start."""

    def __init__(self, terms):
        self.exact: dict = {}  # form -> term, for forms that match case
        self.folded: dict = {}  # lowercased form -> term, for the others
        patterns = {}
        for term in terms:
            for form in term.forms:
                if term.matches_case(form):
                    self.exact.setdefault(form, term)
                    patterns.setdefault((form, True), re.escape(form))
                else:
                    self.folded.setdefault(form.lower(), term)
                    patterns.setdefault((form.lower(), False), f"(?i:{re.escape(form)})")
        # Longest first ("blood pressure" before "blood"); at equal length, exact forms first.
        ordered = sorted(patterns, key=lambda k: (-len(k[0]), not k[1]))
        self.pattern = (
            re.compile(r"(?<!\w)(" + "|".join(patterns[f] for f in ordered) + r")(?!\w)")
            if ordered
            else None
        )

    def mark(self, streams: list[list[Token]]) -> list[GlossaryEntry]:
        """Mark first uses in `streams` (parsed texts, in reading order), in place."""
        entries: dict[int, GlossaryEntry] = {}
        if self.pattern is None:
            return []
        for tokens in streams:
            in_heading = False
            for token in tokens:
                if token.type in ("heading_open", "heading_close"):
                    in_heading = token.type == "heading_open"
                elif token.type == "inline" and not in_heading and token.children:
                    token.children = self._mark_inline(token.children, entries)
        return list(entries.values())

    def _mark_inline(self, children: list[Token], entries: dict) -> list[Token]:
        out, link_depth = [], 0
        for child in children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type == "text" and link_depth == 0:
                out += self._mark_text(child.content, entries)
            else:
                out.append(child)
        return out

    def _term_for(self, matched: str):
        term = self.exact.get(matched) or self.folded.get(matched.lower())
        if term is None:
            # re's case-insensitive match folds some letters that str.lower() spells otherwise
            # ("İNSULIN" matches "insulin" but lowers to "i̇nsulin"; "ſ" matches "s"): find the
            # form the pattern matched, longest first as in the pattern.
            term = next(
                candidate
                for form, candidate in sorted(self.folded.items(), key=lambda i: -len(i[0]))
                if re.fullmatch(re.escape(form), matched, re.IGNORECASE)
            )
        return term

    def _mark_text(self, text: str, entries: dict) -> list[Token]:
        out, start = [], 0
        for match in self.pattern.finditer(text):
            term = self._term_for(match.group(0))
            if term.pk in entries:
                continue
            entry = GlossaryEntry(term.term, term.definition, f"gloss-{len(entries) + 1}")
            entries[term.pk] = entry
            if match.start() > start:
                out.append(Token("text", "", 0, content=text[start : match.start()]))
            out.append(Token("glossary", "", 0, content=match.group(0), meta={"entry": entry}))
            start = match.end()
        if start < len(text):
            out.append(Token("text", "", 0, content=text[start:]))
        return out


def render_glossary_mark(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    entry = token.meta["entry"]
    return (
        f'<a href="#{entry.anchor}" class="glossary-term" aria-describedby="{entry.anchor}-def" '
        f'id="{entry.use_anchor}">{escape(token.content)}</a>'
    )

"""Pandoc-style citations — `[@key]`, `[@a; @b]` — for Markdown rendered by markdown-it-py.

There is no maintained markdown-it-py plugin for Pandoc citations, so this module adds one
small inline rule. Citations become `citation` tokens carrying their keys; numbering happens
across the whole article (see `CitationNumbering`), so parsing and rendering are two passes.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape

# Pandoc's key grammar: starts with a letter, digit or underscore; inner punctuation allowed,
# but a key never ends in punctuation. Groups take no prefix or suffix text, so the key must be
# followed by `;` or `]`: "[@smith2020.]" is not a citation at all (it stays plain text).
KEY_PATTERN = r"[A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*\w)?"
_GROUP_RE = re.compile(rf"\[[ \t]*@{KEY_PATTERN}(?:[ \t]*;[ \t]*@{KEY_PATTERN})*[ \t]*\]")
_KEY_RE = re.compile(rf"@({KEY_PATTERN})")


def canonical_key(key: str) -> str:
    """The one stored form of a citation key. Keys are unique regardless of case, so
    `[@NCCN-Rectal-2025]` and `[@nccn-rectal-2025]` cite the same reference; everything that
    compares keys (numbering, frozen copies, checks) compares this form."""
    return (key or "").lower()


def _keys(group: str) -> list[str]:
    return [canonical_key(key) for key in _KEY_RE.findall(group)]


def _citation_rule(state, silent: bool) -> bool:
    if state.src[state.pos] != "[":
        return False
    match = _GROUP_RE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"keys": _keys(match.group(0))}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _render_citation(renderer, tokens, idx, options, env) -> str:
    return env["citations"].group_html(tokens[idx].meta["keys"])


def citations_plugin(md) -> None:
    """markdown-it-py plugin: parse `[@key; …]` before links get a chance to."""
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.add_render_rule("citation", _render_citation)


def keys_in_tokens(tokens: Iterable) -> list[str]:
    """Every cited key, in reading order, repeats included."""
    keys: list[str] = []
    for token in tokens:
        if token.type == "citation":
            keys.extend(token.meta["keys"])
        elif token.children:
            keys.extend(keys_in_tokens(token.children))
    return keys


def keys_in_line(text: str) -> list[str]:
    """Keys of the citation groups in one line of raw text (no Markdown parsing), in order,
    in their canonical form."""
    return [key for group in _GROUP_RE.finditer(text) for key in _keys(group.group(0))]


def replace_key(text: str, old: str, new: str) -> str:
    """`text` with every citation of `old` citing `new` instead (keys compared in canonical
    form); a group citing both keeps one. Only citation groups change: "@old" elsewhere
    (an e-mail address, prose) is left alone."""
    old, new = canonical_key(old), canonical_key(new)

    def rewrite(match: re.Match) -> str:
        keys = _keys(match.group(0))
        if old not in keys:
            return match.group(0)
        kept: list[str] = []
        for key in (new if key == old else key for key in keys):
            if key not in kept:
                kept.append(key)
        return "[" + "; ".join(f"@{key}" for key in kept) + "]"

    return _GROUP_RE.sub(rewrite, text or "")


_CODE_SPAN_RE = re.compile(r"(`+).*?\1")
_CITATION_LIKE_RE = re.compile(r"\[[ \t]*@[^\[\]\n]*\]")


def malformed_groups(inline_source: str) -> list[str]:
    """Bracketed text that looks like a citation (`[@…]`) but is not a valid group, such as
    `[@smith2020.]` or `[@a, @b]`: it would reach readers as raw text, so editors must see it."""
    source = _CODE_SPAN_RE.sub("", inline_source)
    return [
        m.group(0)
        for m in _CITATION_LIKE_RE.finditer(source)
        if not _GROUP_RE.fullmatch(m.group(0))
    ]


def compress(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted, de-duplicated runs: [5, 1, 3, 4] -> [(1, 1), (3, 5)]."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [(start, end) for start, end in runs]


def format_numbers(numbers: Iterable[int]) -> str:
    """The journal form of a citation group: [1, 3, 4, 5] -> "1,3-5" (two in a row: "1,2")."""
    parts = []
    for start, end in compress(numbers):
        if end == start:
            parts.append(str(start))
        elif end == start + 1:
            parts.append(f"{start},{end}")
        else:
            parts.append(f"{start}-{end}")
    return ",".join(parts)


@dataclass
class CitationNumbering:
    """Numbers keys by first appearance and renders each citation group as links.

    `known` is the set of keys that exist in the library: an unknown key gets no number (a
    number must always point at the right reference) and renders as a visible marker.
    """

    known: set[str]
    numbers: dict[str, int] = field(default_factory=dict)
    first_anchor: dict[str, str] = field(default_factory=dict)
    anchors: dict[str, list[str]] = field(default_factory=dict)  # every group citing a key
    _groups: int = 0

    def number(self, keys: Sequence[str]) -> None:
        for key in keys:
            if key in self.known and key not in self.numbers:
                self.numbers[key] = len(self.numbers) + 1

    def group_html(self, keys: Sequence[str]) -> str:
        self._groups += 1
        anchor = f"cite-{self._groups}"
        for key in keys:
            self.first_anchor.setdefault(key, anchor)
            if key in self.numbers and anchor not in self.anchors.setdefault(key, []):
                self.anchors[key].append(anchor)
        missing = [k for k in keys if k not in self.numbers]
        numbers = sorted({self.numbers[k] for k in keys if k in self.numbers})
        links = []
        for start, end in compress(numbers):
            if end == start + 1:
                links += [self._link(start), self._link(end)]
            elif end > start:
                # Seen as "3-5", heard as "Reference 3 to Reference 5".
                links.append(
                    f'{self._link(start)}<span class="citation-to" aria-hidden="true">-</span>'
                    f'<span class="visually-hidden"> to </span>{self._link(end)}'
                )
            else:
                links.append(self._link(start))
        links += [
            f'<span class="citation-missing">[unknown reference: {escape(k)}]</span>'
            for k in missing
        ]
        return f'<sup class="citation" id="{anchor}">{",".join(links)}</sup>'

    @staticmethod
    def _link(n: int) -> str:
        """Each number is a link named for its reference ("Reference 3"), not a bare "3"."""
        return f'<a href="#ref-{n}" class="citation-link" aria-label="Reference {n}">{n}</a>'

"""Unit tests of references/citations.py: number formatting, the key grammar and the
markdown-it inline rule (through the parser instance the site renders with)."""

import re

import pytest

from articles.rendering import _md
from references.citations import (
    KEY_PATTERN,
    CitationNumbering,
    compress,
    format_numbers,
    keys_in_line,
    keys_in_tokens,
)


def keys(text):
    return keys_in_tokens(_md.parse(text, {}))


def citation_tokens(text):
    found = []

    def walk(tokens):
        for token in tokens:
            if token.type == "citation":
                found.append(token)
            elif token.children:
                walk(token.children)

    walk(_md.parse(text, {}))
    return found


# --- format_numbers / compress -------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ([1], "1"),
        ([1, 2], "1,2"),
        ([1, 2, 3], "1-3"),
        ([1, 3, 4, 5], "1,3-5"),
        ([5, 4, 3, 1], "1,3-5"),
        ([3, 1, 3, 1, 2], "1-3"),
        ([2, 2, 2], "2"),
        ([2, 3, 4, 7, 8, 10], "2-4,7,8,10"),
        ([10, 8, 7, 4, 3, 2], "2-4,7,8,10"),
        ([9, 10, 11, 12], "9-12"),
        ([], ""),
    ],
)
def test_format_numbers(numbers, expected):
    assert format_numbers(numbers) == expected


def test_format_numbers_accepts_any_iterable():
    assert format_numbers(n for n in (4, 2, 3)) == "2-4"
    assert format_numbers({7, 6}) == "6,7"


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ([], []),
        ([1], [(1, 1)]),
        ([5, 1, 3, 4], [(1, 1), (3, 5)]),
        ([1, 2, 2, 3, 3], [(1, 3)]),
        ([8, 2, 3, 7, 10, 4], [(2, 4), (7, 8), (10, 10)]),
    ],
)
def test_compress(numbers, expected):
    assert compress(numbers) == expected


def test_compress_returns_tuples_not_the_internal_lists():
    assert all(type(run) is tuple for run in compress([1, 2, 5]))


# --- key grammar ---------------------------------------------------------------------------

KEY_RE = re.compile(rf"^{KEY_PATTERN}$")


@pytest.mark.parametrize(
    "key",
    [
        "a",
        "7",
        "_private",
        "smith2020",
        "nccn-rectal-2025",
        "doi:10.1056/NEJMoa1511939",
        "who.guidelines.2021",
        "chapter/3/section_2",
        "a_b-c.d:e/f9",
        "x#1",
        "q?a",
        "a~b",
    ],
)
def test_key_grammar_accepts(key):
    assert KEY_RE.match(key)
    assert keys(f"[@{key}]") == [key.lower()]  # handed out in canonical (lowercase) form


@pytest.mark.parametrize(
    "key",
    [
        "",
        "-leading-dash",
        ".leading-dot",
        ":colon",
        "smith2020.",  # a key never ends in punctuation
        "smith2020:",
        "smith2020-",
        "smith2020/",
        "has space",
        "semi;colon",
        "brack]et",
    ],
)
def test_key_grammar_rejects(key):
    assert not KEY_RE.match(key)


@pytest.mark.parametrize("text", ["[@smith2020.]", "[@smith2020:]", "[@smith2020-]", "[@a/]"])
def test_trailing_punctuation_is_not_part_of_a_key_so_the_group_is_plain_text(text):
    """Groups carry no suffix, so `]` (or `;`) must follow the key: nothing is cited, and in
    particular no key ending in punctuation is ever produced."""
    assert keys(text) == []
    assert citation_tokens(text) == []
    assert keys_in_line(text) == []


def test_inner_punctuation_is_kept_in_the_key():
    assert keys("[@smith.2020.b]") == ["smith.2020.b"]
    assert keys("[@a:b; @c/d; @e-f_g]") == ["a:b", "c/d", "e-f_g"]


# --- parsing through the site's markdown-it instance ---------------------------------------


def test_single_citation():
    tokens = citation_tokens("Treat early [@a].")
    assert len(tokens) == 1
    assert tokens[0].meta == {"keys": ["a"]}
    assert tokens[0].content == "[@a]"


def test_group_of_three():
    assert keys("Evidence [@a; @b; @c] agrees.") == ["a", "b", "c"]
    assert len(citation_tokens("Evidence [@a; @b; @c] agrees.")) == 1


@pytest.mark.parametrize(
    "text",
    ["[@a;@b;@c]", "[@a ; @b ;  @c]", "[ @a; @b; @c ]", "[@a;\t@b ;\t@c]"],
)
def test_spaces_around_semicolons(text):
    assert keys(text) == ["a", "b", "c"]


def test_repeats_and_reading_order_are_kept():
    text = "First [@b].\n\nThen [@a; @b].\n\n- item [@c]\n- item [@a]"
    assert keys(text) == ["b", "a", "b", "c", "a"]


def test_citation_in_a_code_span_is_not_parsed():
    assert keys("Write `[@a]` to cite.") == []
    assert keys("Write `[@a]` to cite, like this [@b].") == ["b"]


def test_citation_in_fenced_code_is_not_parsed():
    assert keys("```\n[@a]\n```\n\nOutside [@b].") == ["b"]
    assert keys("    [@a] indented code") == []


def test_citation_next_to_a_link_both_work():
    tokens = _md.parse("See [@a] and [text](http://x) and [@b].", {})
    inline = next(t for t in tokens if t.type == "inline")
    types = [child.type for child in inline.children]
    assert types.count("citation") == 2
    assert "link_open" in types
    link = next(child for child in inline.children if child.type == "link_open")
    assert link.attrs["href"] == "http://x"
    assert keys_in_tokens(tokens) == ["a", "b"]


def test_citation_directly_followed_by_link():
    tokens = _md.parse("[@a][text](http://x)", {})
    inline = next(t for t in tokens if t.type == "inline")
    types = [child.type for child in inline.children]
    assert types[0] == "citation"
    assert "link_open" in types


def test_email_address_is_not_a_citation():
    assert keys("Write to me@example.org or [me@example.org].") == []


def test_prefix_text_makes_plain_text():
    assert keys("[see @a]") == []
    inline = next(t for t in _md.parse("[see @a]", {}) if t.type == "inline")
    assert [child.type for child in inline.children] == ["text"]
    assert inline.children[0].content == "[see @a]"


def test_escaped_bracket_is_not_a_citation():
    assert keys(r"\[@a]") == []


@pytest.mark.parametrize("text", ["[@]", "[@ a]", "[@a; b]", "[@a;]", "[@a", "@a]", "[@a\n@b]"])
def test_malformed_groups_are_not_citations(text):
    assert keys(text) == []


def test_citation_in_table_cell_heading_and_list():
    text = "# Title [@h]\n\n| a | b |\n|---|---|\n| x [@t] | y |\n\n1. step [@l]"
    assert keys(text) == ["h", "t", "l"]


def test_keys_in_line_matches_whole_keys_only():
    assert keys_in_line("First [@ab] here and [@c; @a.b]") == ["ab", "c", "a.b"]
    assert "a" not in keys_in_line("First [@ab] here")
    assert keys_in_line("no citations, me@example.org") == []


# --- CitationNumbering (used by render_article) --------------------------------------------


def test_numbering_by_first_appearance_skips_unknown_keys():
    numbering = CitationNumbering(known={"a", "b", "c"})
    numbering.number(["c", "x", "a", "c", "b"])
    assert numbering.numbers == {"c": 1, "a": 2, "b": 3}


def test_group_html_ranges_links_and_marks_unknown_keys():
    numbering = CitationNumbering(known={"a", "b", "c"})
    numbering.number(["a", "b", "c"])
    html = numbering.group_html(["c", "zz<b>", "a", "b"])
    assert 'id="cite-1"' in html
    assert '<a href="#ref-1" class="citation-link" aria-label="Reference 1">1</a><span' in html
    assert '<a href="#ref-3" class="citation-link" aria-label="Reference 3">3</a>' in html
    assert '<span class="visually-hidden"> to </span>' in html  # heard "1 to 3", seen "1-3"
    assert 'href="#ref-2"' not in html
    assert "[unknown reference: zz&lt;b&gt;]" in html
    assert "<b>" not in html
    second = numbering.group_html(["b"])
    assert 'id="cite-2"' in second
    assert numbering.first_anchor["a"] == "cite-1"
    assert numbering.first_anchor["b"] == "cite-1"
    assert numbering.anchors == {"a": ["cite-1"], "b": ["cite-1", "cite-2"], "c": ["cite-1"]}


def test_group_html_two_in_a_row_prints_both():
    numbering = CitationNumbering(known={"a", "b"})
    numbering.number(["a", "b"])
    html = numbering.group_html(["b", "a"])
    assert html.index('href="#ref-1"') < html.index('href="#ref-2"')
    assert "</a>-<a" not in html
    assert "</a>,<a" in html

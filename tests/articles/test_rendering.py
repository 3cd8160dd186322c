"""render_article: citation numbering across the whole article, the reference list, the query
budget, and the Markdown features editors use."""

import re

import pytest
from django.utils.safestring import SafeString

from articles.models import Section
from articles.rendering import RenderedArticle, render_article, render_markdown
from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory, library

SUP_RE = re.compile(r'<sup class="citation" id="(cite-\d+)">(.*?)</sup>', re.S)


def groups(html):
    """{anchor id: set of reference numbers shown by that citation group} for some HTML."""
    shown = {}
    for anchor, inner in SUP_RE.findall(html):
        inner = re.sub(r'<span class="visually-hidden">.*?</span>', "", inner)
        inner = re.sub(r'<span class="citation-missing">.*?</span>', "", inner)
        text = re.sub(r"<[^>]+>", "", inner)
        numbers = set()
        for part in filter(None, text.split(",")):
            start, _, end = part.partition("-")
            numbers.update(range(int(start), int(end or start) + 1))
        shown[anchor] = numbers
    return shown


def all_html(rendered):
    return rendered.bottom_line + "".join(html for _, html in rendered.sections)


def refs(*keys):
    return {key: ReferenceFactory(key=key) for key in keys}


def numbers_of(rendered):
    return {cited.reference.key: cited.number for cited in rendered.references}


def sections_of(article):
    return list(article.sections.all())


@pytest.mark.django_db
def test_numbering_by_first_appearance_bottom_line_first_then_sections_in_position_order():
    refs("a", "b", "c", "d", "e")
    article = ArticleFactory(bottom_line="Short answer [@c].")
    # Created out of order: the position, not the creation order, decides.
    SectionFactory(article=article, position=2, body="Later [@e] and [@a].")
    SectionFactory(article=article, position=1, body="Earlier [@b; @c] then [@d].")

    rendered = render_article(article.bottom_line, sections_of(article), library())

    assert numbers_of(rendered) == {"c": 1, "b": 2, "d": 3, "e": 4, "a": 5}
    assert [cited.number for cited in rendered.references] == [1, 2, 3, 4, 5]
    assert [section.position for section, _ in rendered.sections] == [1, 2]
    assert groups(rendered.bottom_line) == {"cite-1": {1}}
    assert groups(rendered.sections[0][1]) == {"cite-2": {1, 2}, "cite-3": {3}}
    assert groups(rendered.sections[1][1]) == {"cite-4": {4}, "cite-5": {5}}


@pytest.mark.django_db
def test_repeated_key_reuses_its_number():
    refs("a", "b")
    sections = [SectionFactory.build(body="Again [@a], then [@b], and [@a] once more.")]

    rendered = render_article("First [@a].", sections, library())

    assert numbers_of(rendered) == {"a": 1, "b": 2}
    shown = groups(all_html(rendered))
    assert shown == {"cite-1": {1}, "cite-2": {1}, "cite-3": {2}, "cite-4": {1}}
    assert all_html(rendered).count('href="#ref-1"') == 3
    assert len(rendered.references) == 2


@pytest.mark.django_db
def test_group_prints_sorted_and_ranged():
    refs("a", "b", "c")
    sections = [SectionFactory.build(body="All three [@c; @a; @b].")]

    rendered = render_article("Start [@a]. Then [@b]. Then [@c].", sections, library())

    assert numbers_of(rendered) == {"a": 1, "b": 2, "c": 3}
    html = rendered.sections[0][1]
    group = SUP_RE.search(html).group(2)
    assert (
        '<a href="#ref-1" class="citation-link" aria-label="Reference 1" '
        'rel="noopener noreferrer">1</a>'
        '<span class="citation-to" aria-hidden="true">-</span>'
        '<span class="visually-hidden"> to </span>'
        '<a href="#ref-3" class="citation-link" aria-label="Reference 3" '
        'rel="noopener noreferrer">3</a>'
    ) in group
    assert 'href="#ref-2"' not in group


@pytest.mark.django_db
def test_two_consecutive_numbers_print_as_a_pair_not_a_range():
    refs("a", "b")
    rendered = render_article("[@b; @a]", [], library())
    group = SUP_RE.search(rendered.bottom_line).group(2)
    assert re.sub(r"<[^>]+>", "", group) == "1,2"
    assert re.findall(r'aria-label="([^"]+)"', group) == ["Reference 1", "Reference 2"]


@pytest.mark.django_db
def test_references_in_citation_order_with_backlinks_to_the_first_citation():
    cited = refs("k1", "k2", "k3", "k4")
    article = ArticleFactory(bottom_line="Treat early [@k2].")
    SectionFactory(article=article, position=1, body="Because [@k1; @k3].\n\nAnd [@k2].")
    SectionFactory(article=article, position=2, body="Like this [@k4; @k2] and [@k1].")

    rendered = render_article(article.bottom_line, sections_of(article), library())

    assert [(c.number, c.reference) for c in rendered.references] == [
        (1, cited["k2"]),
        (2, cited["k1"]),
        (3, cited["k3"]),
        (4, cited["k4"]),
    ]
    assert [c.backlink for c in rendered.references] == ["cite-1", "cite-2", "cite-2", "cite-4"]
    # One back-link per place a reference is cited, in reading order, lettered a, b, c…
    assert [c.uses for c in rendered.references] == [
        [("a", "cite-1"), ("b", "cite-3"), ("c", "cite-4")],
        [("a", "cite-2"), ("b", "cite-5")],
        [("a", "cite-2")],
        [("a", "cite-4")],
    ]
    assert [c.anchor for c in rendered.references] == ["ref-1", "ref-2", "ref-3", "ref-4"]
    html = all_html(rendered)
    shown = groups(html)
    for c in rendered.references:
        # The backlink target exists exactly once and shows this reference's number ...
        assert html.count(f'id="{c.backlink}"') == 1
        assert c.number in shown[c.backlink]
        # ... and it is the first group that shows it.
        first = next(anchor for anchor, numbers in shown.items() if c.number in numbers)
        assert first == c.backlink


@pytest.mark.django_db
def test_key_cited_in_bottom_line_only():
    ref = ReferenceFactory(key="only-here")
    sections = [SectionFactory.build(body="No citations here."), SectionFactory.build(body="x")]

    rendered = render_article("The answer [@only-here].", sections, library())

    assert len(rendered.references) == 1
    assert rendered.references[0].reference == ref
    assert rendered.references[0].number == 1
    assert rendered.references[0].backlink == "cite-1"
    assert 'id="cite-1"' in rendered.bottom_line
    assert all("<sup" not in html for _, html in rendered.sections)


@pytest.mark.django_db
def test_reference_cited_only_in_the_last_section_gets_the_last_number():
    refs("a", "b", "c", "last")
    sections = [
        SectionFactory.build(body="[@a]"),
        SectionFactory.build(body="[@b; @c] and [@a]"),
        SectionFactory.build(body="Finally [@b] and [@last]."),
    ]

    rendered = render_article("No citation in the bottom line.", sections, library())

    assert rendered.references[-1].reference.key == "last"
    assert rendered.references[-1].number == 4
    assert numbers_of(rendered)["last"] == max(numbers_of(rendered).values())
    assert rendered.references[-1].backlink in rendered.sections[-1][1]


@pytest.mark.django_db
def test_unknown_key_gets_no_number_a_visible_marker_and_does_not_shift_numbers():
    refs("a", "b")
    sections = [SectionFactory.build(body="Then [@ghost; @b] and [@ghost].")]

    rendered = render_article("First [@a] and [@missing-2020].", sections, library())

    assert numbers_of(rendered) == {"a": 1, "b": 2}
    html = all_html(rendered)
    assert "[unknown reference: missing-2020]" in rendered.bottom_line
    assert html.count("[unknown reference: ghost]") == 2
    assert '<span class="citation-missing">' in html
    assert 'href="#ref-3"' not in html
    assert groups(rendered.sections[0][1])["cite-3"] == {2}
    assert all(c.reference.key in {"a", "b"} for c in rendered.references)


@pytest.mark.django_db
def test_no_query_for_one_section(django_assert_num_queries):
    refs("a", "b")
    article = ArticleFactory(bottom_line="[@a]")
    SectionFactory(article=article, position=1, body="[@b; @a]")
    sections = sections_of(article)

    citable = library()
    with django_assert_num_queries(0):
        rendered = render_article(article.bottom_line, sections, citable)

    assert len(rendered.references) == 2


@pytest.mark.django_db
def test_no_query_for_thirty_sections_and_sixty_references(django_assert_num_queries):
    keys = [f"r{i:02d}" for i in range(60)]
    refs(*keys)
    article = ArticleFactory(bottom_line="No citation here.")
    for position in range(1, 31):
        first, second = keys[2 * (position - 1)], keys[2 * position - 1]
        SectionFactory(
            article=article, position=position, body=f"Part [@{first}], part [@{second}; @r00]."
        )
    sections = sections_of(article)
    assert len(sections) == 30

    citable = library()
    with django_assert_num_queries(0):
        rendered = render_article(article.bottom_line, sections, citable)

    assert len(rendered.references) == 60
    assert [c.reference.key for c in rendered.references] == keys
    assert [c.number for c in rendered.references] == list(range(1, 61))


@pytest.mark.django_db
def test_no_query_when_nothing_is_cited(django_assert_num_queries):
    sections = [SectionFactory.build(body="Plain text."), SectionFactory.build(body="`[@a]`")]

    with django_assert_num_queries(0):
        rendered = render_article("Nothing cited.", sections, {})

    assert rendered.references == []
    assert isinstance(rendered, RenderedArticle)
    assert "<sup" not in all_html(rendered)


def test_outputs_are_safe_strings_and_keep_the_section_objects():
    sections = [SectionFactory.build(heading="One"), SectionFactory.build(heading="Two")]
    rendered = render_article("**Bold** answer.", sections, {})
    assert isinstance(rendered.bottom_line, SafeString)
    assert [section for section, _ in rendered.sections] == sections
    assert all(isinstance(html, SafeString) for _, html in rendered.sections)
    assert rendered.bottom_line == "<p><strong>Bold</strong> answer.</p>\n"


def test_empty_texts_render_to_empty_strings():
    rendered = render_article("", [Section(body="")], {})
    assert rendered.bottom_line == ""
    assert rendered.sections[0][1] == ""


# --- Markdown features ---------------------------------------------------------------------


def body_html(body):
    return render_article("", [SectionFactory.build(body=body)], {}).sections[0][1]


def test_bullet_list():
    html = body_html("- first\n- second\n- third")
    assert html.count("<li>") == 3
    assert "<ul>" in html
    assert "<li>second</li>" in html


def test_ordered_list_and_start_number():
    html = body_html("1. check airway\n2. check breathing")
    assert "<ol>" in html
    assert "<li>check breathing</li>" in html
    started = body_html("3. third step\n4. fourth step")
    assert '<ol start="3">' in started
    assert started.count("<li>") == 2


def test_table_with_alignment():
    html = body_html("| Drug | Dose |\n|:-----|-----:|\n| Amoxicillin | 500 mg |")
    assert "<table>" in html
    assert "<thead>" in html
    assert "<tbody>" in html
    # As classes: the Content-Security-Policy allows no style attribute.
    assert '<th class="align-left" scope="col">Drug</th>' in html
    assert '<td class="align-right">500 mg</td>' in html
    assert "style=" not in html


def test_a_table_scrolls_in_a_named_focusable_region_never_the_page():
    html = body_html("| Drug | Dose |\n|---|---|\n| Amoxicillin | 500 mg |")
    assert html.startswith(
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Table: Drug, Dose">'
        "\n<table>"
    )
    assert html.rstrip().endswith("</table>\n</div>")
    assert "<caption" not in html


def test_table_caption_is_the_table_paragraph_right_before_it():
    html = body_html(
        "Doses are for adults.\n\nTable: First-line doses *for adults* [@x]\n\n"
        "| Drug | Dose |\n|---|---|\n| Amoxicillin | 500 mg |"
    )
    assert "<p>Doses are for adults.</p>" in html
    assert "Table:" not in html
    assert (
        '<div class="table-scroll" role="region" tabindex="0" aria-labelledby="table-1-caption">'
        '\n<table>\n<caption id="table-1-caption">First-line doses <em>for adults</em> '
    ) in html
    assert html.index("<caption") < html.index("<thead>")


def test_table_caption_may_follow_without_a_blank_line():
    html = body_html("Table: Doses\n| Drug | Dose |\n|---|---|\n| A | 1 |")
    assert '<caption id="table-1-caption">Doses</caption>' in html
    assert "<p>" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        "Table:\n\n| a |\n|---|\n| 1 |",  # nothing after the prefix: not a caption
        "Table: far away\n\n- a list between\n\n| a |\n|---|\n| 1 |",
        "The table: below\n\n| a |\n|---|\n| 1 |",
        "- Table: in a list\n\n| a |\n|---|\n| 1 |",
    ],
)
def test_only_a_table_paragraph_right_before_a_table_is_a_caption(markdown):
    html = body_html(markdown)
    assert "<caption" not in html
    assert 'aria-label="Table: a"' in html


def test_tables_are_numbered_across_the_whole_article():
    table = "Table: {}\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    sections = [
        SectionFactory.build(body=table.format("Second") + "\n\n" + table.format("Third")),
        SectionFactory.build(body="| c |\n|---|\n| 3 |"),
    ]
    rendered = render_article(table.format("First"), sections, {})
    html = all_html(rendered)
    assert re.findall(r'<caption id="(table-\d+)-caption">(\w+)', html) == [
        ("table-1", "First"),
        ("table-2", "Second"),
        ("table-3", "Third"),
    ]
    assert 'aria-label="Table: c"' in html
    assert html.count('role="region"') == 4


def test_a_table_without_headings_is_named_by_its_number():
    html = body_html("Intro.\n\n| |\n|---|\n| 1 |")
    assert 'aria-label="Table 1"' in html


def test_emphasis():
    html = body_html("*em* and _also em_ and **strong** and `code`")
    assert "<em>em</em>" in html
    assert "<em>also em</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<code>code</code>" in html


def test_links_keep_href_and_get_rel():
    html = body_html("See [the guideline](https://example.org/guide?a=1&b=2 'Title').")
    assert (
        '<a href="https://example.org/guide?a=1&amp;b=2" title="Title" '
        'rel="noopener noreferrer">the guideline</a>'
    ) in html


@pytest.mark.parametrize(
    ("markdown", "tag"),
    [
        ("# Top", "h3"),
        ("## Second", "h3"),
        ("### Third", "h3"),
        ("#### Fourth", "h4"),
        ("##### Fifth", "h5"),
        ("###### Sixth", "h6"),
    ],
)
def test_headings_in_a_section_body_never_rise_above_h3(markdown, tag):
    """A section's own heading is an <h2>: body headings nest below it (clamped, not shifted)."""
    html = body_html(f"{markdown}\n\nText.")
    assert html.startswith(f"<{tag}>")
    assert f"</{tag}>" in html
    assert "<h1" not in html
    assert "<h2" not in html


def test_heading_in_the_bottom_line_is_also_nested():
    rendered = render_article("# Answer\n\nYes.", [], {})
    assert rendered.bottom_line.startswith("<h3>Answer</h3>")


def test_blockquote_rule_and_line_break():
    html = body_html("> quoted\n\n---\n\nline one  \nline two")
    assert "<blockquote>" in html
    assert "<hr>" in html or "<hr />" in html
    assert "<br" in html


@pytest.mark.parametrize(
    ("markdown", "tag"), [("# Policy", "h2"), ("## Policy", "h2"), ("### Policy", "h3")]
)
def test_render_markdown_site_page_headings_nest_below_the_page_title(markdown, tag):
    html = render_markdown(f"{markdown}\n\nWe *review* everything.")
    assert isinstance(html, SafeString)
    assert f"<{tag}>Policy</{tag}>" in html
    assert "<h1" not in html
    assert "<em>review</em>" in html

"""Whatever an editor types, no script, event handler, dangerous URL or active element reaches
a reader: hostile Markdown through render_markdown and render_article."""

import html as html_lib
import re
from html.parser import HTMLParser

import pytest

from articles.rendering import render_article, render_markdown
from tests.factories import ReferenceFactory, SectionFactory, library

# What the sanitizer may ever let through (tag -> attributes).
ALLOWED = {
    "p": set(),
    "br": set(),
    "hr": set(),
    "strong": set(),
    "em": set(),
    "code": set(),
    "pre": set(),
    "blockquote": set(),
    "a": {"href", "title", "class", "rel", "id", "aria-label", "aria-describedby"},
    "sup": {"id", "class"},
    "span": {"class", "aria-hidden"},
    "ul": set(),
    "ol": {"start"},
    "li": set(),
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "h5": set(),
    "h6": set(),
    # Only our own scroll box around a table (see TABLE_BOX below).
    "div": {"class", "role", "tabindex", "aria-label", "aria-labelledby"},
    "table": set(),
    "caption": {"id"},
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": {"class", "scope"},
    "td": {"class"},
}
FORBIDDEN_TAGS = [
    "<script",
    "<iframe",
    "<style",
    "<object",
    "<embed",
    "<svg",
    "<math",
    "<form",
    "<input",
    "<img",
    "<details",
    "<!--",
]
# The one <div> rendering writes: a table's named, focusable scroll box.
TABLE_BOX = re.compile(
    r'<div class="table-scroll" role="region" tabindex="0" '
    r'(aria-label="Table[^"<>]*"|aria-labelledby="table-\d+-caption")>'
)
SAFE_SCHEMES = {None, "http", "https", "mailto"}
C0_CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, [(name, value)])
        self.text = []
        self.comments = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


def collect(markup):
    parser = Collector()
    parser.feed(markup)
    parser.close()
    return parser


def url_scheme(url):
    """The scheme a browser would see (WHATWG URL parsing: leading/trailing C0 controls and
    spaces are stripped, tabs and newlines removed anywhere), lower-cased; None if relative."""
    url = re.sub(r"[\t\n\r]", "", url.strip(C0_CONTROLS_AND_SPACE))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def assert_harmless(markup):
    markup = str(markup)
    lowered = markup.lower()
    for forbidden in FORBIDDEN_TAGS:
        assert forbidden not in lowered, forbidden
    assert lowered.count("<div") == len(TABLE_BOX.findall(markup)), markup
    # Inside markup (tags and their attributes, entity-decoded) no javascript: at all.
    for tag in re.findall(r"<[^>]*>", markup):
        decoded = re.sub(r"\s", "", html_lib.unescape(tag)).lower()
        assert "javascript:" not in decoded, tag
        assert "vbscript:" not in decoded, tag
    parsed = collect(markup)
    assert parsed.comments == []
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED, tag
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name)
            assert name in ALLOWED[tag], (tag, name)
            if name in ("href", "src"):
                assert url_scheme(value or "") in SAFE_SCHEMES, value
            if tag in ("th", "td") and name == "class":
                assert value in ("align-left", "align-center", "align-right"), value
        if tag == "a":
            assert dict(attrs).get("rel") == "noopener noreferrer"
    return parsed


def visible_text(parsed):
    return "".join(parsed.text)


SCRIPT = "<script>alert(1)</script>"

# (markdown, text a reader must still see)
HOSTILE = [
    pytest.param(SCRIPT, SCRIPT, id="script"),
    pytest.param("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param("[x](javascript:alert(1))", "[x](javascript:alert(1))", id="js-link"),
    pytest.param("[x](JAVASCRIPT:alert(1))", "[x](JAVASCRIPT:alert(1))", id="js-link-upper"),
    pytest.param("[x](  javascript:alert(1))", "javascript:alert(1))", id="js-link-spaces"),
    pytest.param("[x](jav&#x09;ascript:alert(1))", "x", id="js-link-tab-entity"),
    pytest.param("[x](&#106;avascript:alert(1))", "[x](javascript:alert(1))", id="js-link-entity"),
    pytest.param(
        "[x](javascript&colon;alert(1))", "[x](javascript:alert(1))", id="js-colon-entity"
    ),
    pytest.param("[x](java\nscript:alert(1))", "script:alert(1))", id="js-link-newline"),
    pytest.param("[x](<javascript:alert(1)>)", "[x](<javascript:alert(1)>)", id="js-link-angle"),
    pytest.param("[x][r]\n\n[r]: javascript:alert(1)", "[x][r]", id="js-reference-link"),
    pytest.param(
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](data:text/html;base64,",
        id="data-link",
    ),
    pytest.param("[x](vbscript:msgbox(1))", "[x](vbscript:msgbox(1))", id="vbscript-link"),
    pytest.param("[x](file:///etc/passwd)", "[x](file:///etc/passwd)", id="file-link"),
    pytest.param(
        '<a href="javascript:alert(1)">x</a>', '<a href="javascript:alert(1)">x</a>', id="raw-a"
    ),
    pytest.param("<svg onload=alert(1)>", "<svg onload=alert(1)>", id="svg-onload"),
    pytest.param(
        '<iframe src="https://evil.example">', '<iframe src="https://evil.example">', id="iframe"
    ),
    pytest.param(
        "<style>body{display:none}</style>", "<style>body{display:none}</style>", id="style"
    ),
    pytest.param(
        '<div style="background:url(javascript:alert(1))">',
        '<div style="background:url(javascript:alert(1))">',
        id="div-style-url",
    ),
    pytest.param("<javascript:alert(1)>", "<javascript:alert(1)>", id="js-autolink"),
    pytest.param("![x](javascript:alert(1))", "![x](javascript:alert(1))", id="js-image"),
    pytest.param(
        "![<svg onload=alert(1)>](https://example.org/a.png)", "", id="image-with-svg-alt"
    ),
    pytest.param(
        "<details open ontoggle=alert(1)>", "<details open ontoggle=alert(1)>", id="details"
    ),
    pytest.param(
        "<form action=https://evil.example><input></form>",
        "<form action=https://evil.example><input></form>",
        id="form",
    ),
    pytest.param("<object data=x>", "<object data=x>", id="object"),
    pytest.param(
        '<math><mi xlink:href="javascript:alert(1)">',
        '<math><mi xlink:href="javascript:alert(1)">',
        id="mathml",
    ),
    pytest.param(f"<!-- {SCRIPT} -->", f"<!-- {SCRIPT} -->", id="html-comment"),
    pytest.param(
        '[x](https://example.org "a\\" onmouseover=\\"alert(1)")', "x", id="title-breakout"
    ),
    pytest.param(
        "[x](https://example.org ' onmouseover='alert(1)')", "onmouseover", id="title-single"
    ),
    pytest.param("<p onclick=alert(1)>hi</p>", "<p onclick=alert(1)>hi</p>", id="p-onclick"),
    pytest.param(
        "[<img src=x onerror=alert(1)>](https://example.org)",
        "<img src=x onerror=alert(1)>",
        id="img-in-link-text",
    ),
    pytest.param(f"| a |\n|---|\n| {SCRIPT} |", SCRIPT, id="script-in-table"),
    pytest.param(f"```html\n{SCRIPT}\n```", SCRIPT, id="script-in-fence"),
    pytest.param(f"`{SCRIPT}`", SCRIPT, id="script-in-code-span"),
    pytest.param("[@x<svg/onload>y]", "[unknown reference: x<svg/onload>y]", id="hostile-key"),
    pytest.param("[@a<script>b; @c]", "[unknown reference: a<script>b]", id="hostile-key-in-group"),
]


@pytest.mark.parametrize(("markdown", "shown"), HOSTILE)
def test_render_markdown_neutralises(markdown, shown):
    markup = render_markdown(markdown)
    parsed = assert_harmless(markup)
    assert shown in visible_text(parsed)


@pytest.mark.django_db
@pytest.mark.parametrize(("markdown", "shown"), HOSTILE)
def test_render_article_neutralises(markdown, shown):
    sections = [
        SectionFactory.build(body=markdown),
        SectionFactory.build(body=f"Intro paragraph.\n\n- item\n- {markdown}"),
    ]
    rendered = render_article(markdown, sections, library())
    for markup in [rendered.bottom_line] + [html for _, html in rendered.sections]:
        parsed = assert_harmless(markup)
        assert shown in visible_text(parsed)
    assert rendered.references == []


def test_hostile_text_is_kept_as_escaped_text():
    markup = render_markdown(f"Before {SCRIPT} after")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert visible_text(collect(markup)) == f"Before {SCRIPT} after\n"


def test_raw_anchor_is_escaped_not_a_link():
    markup = render_markdown('<a href="javascript:alert(1)">x</a>')
    assert "&lt;a href=" in markup
    assert [tag for tag, _ in collect(markup).tags] == ["p"]


def test_title_breakout_stays_inside_the_title_attribute():
    markup = render_markdown('[x](https://example.org "a\\" onmouseover=\\"alert(1)")')
    (_, p_attrs), (tag, attrs) = collect(markup).tags
    assert tag == "a"
    assert dict(attrs) == {
        "href": "https://example.org",
        "title": 'a" onmouseover="alert(1)',
        "rel": "noopener noreferrer",
    }


def test_percent_encoded_scheme_is_only_a_relative_url():
    markup = render_markdown("[x](jav&#x09;ascript:alert(1))")
    (_, attrs) = collect(markup).tags[1]
    href = dict(attrs)["href"]
    assert href == "jav%09ascript:alert(1)"
    assert url_scheme(href) is None


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[guideline](https://example.org/guide)", "https://example.org/guide"),
        ("[plain](http://example.org/)", "http://example.org/"),
        ("<https://example.org/auto>", "https://example.org/auto"),
        ("[write](mailto:editor@example.org)", "mailto:editor@example.org"),
        ("[query](https://example.org/s?q=a&b=c)", "https://example.org/s?q=a&b=c"),
    ],
)
def test_safe_links_survive_with_rel(markdown, href):
    markup = render_markdown(markdown)
    parsed = assert_harmless(markup)
    anchors = [dict(attrs) for tag, attrs in parsed.tags if tag == "a"]
    assert anchors == [{"href": href, "rel": "noopener noreferrer"}]


@pytest.mark.django_db
def test_safe_content_survives_around_a_real_citation():
    ReferenceFactory(key="smith2020")
    body = f"**Dose** matters [@smith2020]. {SCRIPT}\n\n[more](https://example.org/more)"
    rendered = render_article("Answer [@smith2020].", [SectionFactory.build(body=body)], library())
    markup = rendered.sections[0][1]
    parsed = assert_harmless(markup)
    assert "<strong>Dose</strong>" in markup
    assert (
        '<a href="#ref-1" class="citation-link" aria-label="Reference 1" '
        'rel="noopener noreferrer">1</a>'
    ) in markup
    assert '<sup class="citation" id="cite-2">' in markup
    assert '<a href="https://example.org/more" rel="noopener noreferrer">more</a>' in markup
    assert SCRIPT in visible_text(parsed)


def test_classes_outside_the_allowlist_are_dropped():
    from articles.rendering import sanitize

    cleaned = sanitize(
        '<a href="#ref-1" class="citation-link evil" onclick="x()">1</a>'
        '<span class="visually-hidden hidden-trap">t</span><p class="lead">p</p>'
    )
    assert 'class="citation-link"' in cleaned
    assert "evil" not in cleaned
    assert "hidden-trap" not in cleaned
    assert "lead" not in cleaned
    assert "onclick" not in cleaned

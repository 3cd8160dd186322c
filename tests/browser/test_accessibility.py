"""Accessibility in a real browser (WCAG 2.2 AA): axe-core finds no violation on any public page
type, for every reader type and none, nor on the admin pages used daily; pages reflow at 320 CSS
px and at 200 % zoom without sideways scrolling; the focus ring stands out (3:1) on every
background; citations and their back-links lead where the reader came from; the headline is on
the first screen; choosing a reader type moves focus to the sentence that says so; the printout
says where, when, for whom and in which review state it was printed.

axe-core comes from its npm package (package.json, installed by `make test`); it is injected
into a browser context that bypasses the Content-Security-Policy, for the axe runs only (the
policy itself is tested in test_csp.py).
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, ReaderType, ReviewerProfile, Topic
from demo.data import DEMO_PASSWORD
from tests.demo.helpers import load_demo
from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory, workflow_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
READERS = [None, "patient", "student", "nurse", "physician"]
FIRST_SCREENS = [(1280, 800), (375, 667)]

DEMO_APPROVED = "hypertension-adults-starting-treatment"
DEMO_SUBMITTED = "type-2-diabetes-add-on-to-metformin-cardiorenal"


@pytest.fixture
def demo():
    """The demo site: an approved, an under-review and a submitted article with tables,
    citations, glossary terms and patient and student versions; board members with profiles;
    topics; site pages. A transactional test starts from an empty database: load it anew."""
    load_demo()
    return {
        "approved": Article.objects.get(slug=DEMO_APPROVED),
        "submitted": Article.objects.get(slug=DEMO_SUBMITTED),
        "topic": Topic.objects.get(articles__slug=DEMO_APPROVED),
        "profile": ReviewerProfile.objects.order_by("slug").first(),
    }


class Axe:
    """Runs axe-core on pages of one browser context (one person) and keeps what it finds."""

    def __init__(self, browser, base_url, source, **context_options):
        self.base_url = base_url
        self.source = source
        self.context = browser.new_context(bypass_csp=True, **context_options)
        self.page = self.context.new_page()
        self.found: dict[str, list[str]] = {}
        self.checked: list[str] = []

    def check(self, path: str, status: int = 200) -> None:
        response = self.page.goto(f"{self.base_url}{path}")
        assert response is not None, path
        assert response.status == status, (path, response.status)
        self.page.add_script_tag(content=self.source)
        result = self.page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
        )
        self.checked.append(path)
        for violation in result["violations"]:
            nodes = "; ".join(
                f"{node['target']}: {node['failureSummary']}" for node in violation["nodes"][:3]
            )
            self.found.setdefault(path, []).append(f"{violation['id']} — {nodes}")

    def log_in(self, username: str) -> None:
        self.page.goto(f"{self.base_url}/admin/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("button", name="Log out")).to_be_visible()

    def report(self) -> str:
        return "\n".join(f"{path}\n  " + "\n  ".join(found) for path, found in self.found.items())


@pytest.fixture
def axe(browser, live_server, axe_source):
    opened = []

    def open_axe(**context_options):
        opened.append(Axe(browser, live_server.url, axe_source, **context_options))
        return opened[-1]

    yield open_axe
    for each in opened:
        each.context.close()


def test_axe_sees_a_violation(axe, demo):
    """The harness reports what axe finds (so the empty results below mean something)."""
    reader = axe()
    reader.page.goto(f"{reader.base_url}/")
    reader.page.add_script_tag(content=reader.source)
    reader.page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                         "'<a href=\"/x\"></a><img src=\"/static/img/favicon.svg\">')")  # fmt: skip
    result = reader.page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    assert {"link-name", "image-alt"} <= {v["id"] for v in result["violations"]}


def test_public_pages_have_no_axe_violations(axe, demo):
    approved = demo["approved"].get_absolute_url()
    submitted = demo["submitted"].get_absolute_url()
    reader = axe(viewport={"width": 1280, "height": 800})
    reader.check("/")
    reader.check("/articles/")
    reader.check("/articles/?q=blood+pressure")
    reader.check(demo["topic"].get_absolute_url())
    for slug in READERS:
        query = f"?reader={slug}" if slug else ""
        reader.check(f"{approved}{query}")
        reader.check(f"{submitted}{query}")
    reader.check("/board/")
    reader.check(demo["profile"].get_absolute_url())
    reader.check("/pages/editorial-policy/")
    reader.check("/no-such-page/", status=404)
    assert len(reader.checked) == 18
    # On a phone, where targets and layout differ most.
    phone = axe(viewport={"width": 375, "height": 667})
    for path in ["/", "/articles/?q=blood+pressure", approved, f"{submitted}?reader=patient"]:
        phone.check(path)
    assert reader.found == {}, reader.report()
    assert phone.found == {}, phone.report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_admin_pages_used_daily_have_no_axe_violations(axe, demo, scheme):
    approved, submitted = demo["approved"], demo["submitted"]
    under_review = Article.objects.get(status=Article.Status.UNDER_REVIEW)
    options = {"color_scheme": scheme, "viewport": {"width": 1280, "height": 800}}
    board = axe(**options)
    board.log_in("reviewer")
    board.check("/admin/")
    board.check("/admin/reviews/reviewqueueitem/")
    board.check(f"/admin/articles/article/{under_review.pk}/review/")
    board.check(f"/admin/articles/article/{approved.pk}/review/")  # "Approved", comments
    board.check(f"/admin/articles/article/{submitted.pk}/review/?reader=patient")
    editor = axe(**options)
    editor.log_in("editor")
    editor.check("/admin/")
    editor.check("/admin/articles/article/")
    editor.check("/admin/articles/article/?q=blood")
    editor.check(f"/admin/articles/article/{approved.pk}/change/")
    editor.check(f"/admin/articles/article/{approved.pk}/revisions/")
    assert board.found == {}, board.report()
    assert editor.found == {}, editor.report()


def test_the_review_queue_shows_every_column_and_names_at_1280_px(page, live_server, demo):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/reviews/reviewqueueitem/")
    expect(page).to_have_title(re.compile(r"^Review queue \|"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    due = page.get_by_role("columnheader", name="Review due")
    results = page.locator(".results")
    due_box, results_box = due.bounding_box(), results.bounding_box()
    assert due_box["x"] + due_box["width"] <= results_box["x"] + results_box["width"] + 0.5
    assert page.evaluate("(el) => el.scrollWidth <= el.clientWidth", results.element_handle())
    # People by name, never by username.
    held = Article.objects.get(status=Article.Status.UNDER_REVIEW).assigned_reviewer
    reviewers = page.locator("#result_list td.field-reviewer").all_inner_texts()
    assert held.get_full_name() in reviewers
    assert held.username not in reviewers


# -- reflow ----------------------------------------------------------------------------------

LONG_WORD = "Pharmacokinetic" * 12  # one word wider than any phone
LONG_URL = "https://example.org/" + "very-long-path-segment-" * 12


@pytest.fixture
def wide_article(demo):
    """An article whose reference has an unbreakable title, a long DOI and a long address, and
    whose table is far wider than a phone."""
    ReferenceFactory(
        key="unbreakable", title=f"{LONG_WORD} outcomes", doi="10.1000/" + "x" * 150, url=LONG_URL
    )
    ReferenceFactory(key="address-only", title=LONG_WORD, url=LONG_URL)
    article = ArticleFactory(
        slug="wide", headline=f"Wide content {LONG_WORD}", bottom_line="Answer [@unbreakable]."
    )
    columns = " | ".join(f"Column {n} heading" for n in range(1, 11))
    cells = " | ".join(f"cell {n} value" for n in range(1, 11))
    SectionFactory(
        article=article, position=1, heading="Doses",
        body=f"Table: A wide table\n\n| {columns} |\n|{'---|' * 10}\n| {cells} |\n\n"
        f"See {LONG_URL} and [@address-only].",
    )  # fmt: skip
    return workflow_to(article, "approved")


@pytest.mark.parametrize(
    "viewport",
    [{"width": 320, "height": 640}, {"width": 640, "height": 400}],  # 200 % zoom of 1280 x 800
    ids=["320px", "200-percent-zoom"],
)
def test_pages_reflow_without_sideways_scrolling(
    browser, live_server, demo, wide_article, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    paths = [
        "/",
        "/articles/",
        "/articles/?q=blood+pressure",
        demo["topic"].get_absolute_url(),
        wide_article.get_absolute_url(),
        f"{demo['approved'].get_absolute_url()}?reader=patient",
        f"{demo['submitted'].get_absolute_url()}?reader=student",
        "/board/",
        demo["profile"].get_absolute_url(),
        "/pages/editorial-policy/",
    ]
    too_wide = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            too_wide[path] = width
    # The wide table scrolls inside its own box, which keyboard users can focus and scroll.
    page.goto(f"{live_server.url}{wide_article.get_absolute_url()}")
    region = page.get_by_role("region", name="A wide table")
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    expect(region).to_be_focused()
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle())
    context.close()
    assert too_wide == {}


# -- focus ring ------------------------------------------------------------------------------

CONTRAST = """(el) => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  let behind = el.parentElement;
  let background = getComputedStyle(behind).backgroundColor;
  while (behind && (background === "rgba(0, 0, 0, 0)" || background === "transparent")) {
    behind = behind.parentElement;
    background = behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)";
  }
  const style = getComputedStyle(el);
  const [a, b] = [luminance(rgb(style.outlineColor)), luminance(rgb(background))];
  return {
    visible: el.matches(":focus-visible"),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    background,
    ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
  };
}"""


def test_the_focus_ring_has_3_to_1_contrast_on_every_background(page, live_server, demo):
    page.goto(f"{live_server.url}{demo['submitted'].get_absolute_url()}?reader=patient")
    targets = {
        "white (the article)": page.get_by_role("link", name="View editorial policy"),
        "green (the site header)": page.locator(".site-nav a").first,
        "grey (an algorithm box)": page.locator(".section--algorithm a").first,
        "green-grey (the board badge)": page.get_by_role("link", name="Medical Advisory Board"),
        "the glossary box": page.locator(".glossary a").first,
        "a table's scroll box": page.locator(".table-scroll").first,
    }
    page.keyboard.press("Tab")  # keyboard use: focus rings show from here on
    results = {}
    for where, target in targets.items():
        target.focus()
        results[where] = target.evaluate(CONTRAST)
    for where, found in results.items():
        assert found["visible"], where
        assert found["style"] != "none", (where, found)
        assert found["width"] >= 2, (where, found)
        assert found["ratio"] >= 3, (where, found)
    backgrounds = {found["background"] for found in results.values()}
    assert len(backgrounds) >= 3, backgrounds  # the backgrounds really differ


# -- citations -------------------------------------------------------------------------------


@pytest.fixture
def cited_twice():
    """Reference 1 cited in the bottom line and again in the last of many sections."""
    ReferenceFactory(key="first", title="The first reference")
    ReferenceFactory(key="other", title="Another reference")
    article = ArticleFactory(bottom_line="Short answer [@first].")
    for position in range(1, 8):
        SectionFactory(article=article, position=position, body="Filler paragraph.\n\n" * 12)
    SectionFactory(
        article=article, position=8, heading="Last", body="Finally [@other; @first] again."
    )
    return workflow_to(article, "submitted")


def test_citation_links_are_named_and_24_px_targets_without_taller_lines(
    page, live_server, cited_twice
):
    page.goto(f"{live_server.url}{cited_twice.get_absolute_url()}")
    last = page.locator("section", has=page.get_by_role("heading", name="Last"))
    links = last.get_by_role("link", name=re.compile(r"^Reference \d$"))
    expect(links).to_have_count(2)
    for link in links.all():
        box = link.bounding_box()
        assert box["width"] >= 24, box
        assert box["height"] >= 24, box
    # The line keeps its height: a paragraph with a citation is as tall as one without.
    heights = page.evaluate("""() => {
      const p = document.createElement("p");
      const cited = [...document.querySelectorAll(".section p")]
        .find((e) => e.querySelector("sup"));
      p.textContent = "Finally again.";
      cited.after(p);
      return [cited.getBoundingClientRect().height, p.getBoundingClientRect().height];
    }""")
    assert heights[0] == heights[1]


@pytest.mark.parametrize("script", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_back_link_returns_to_the_citation_followed(browser, live_server, cited_twice, script):
    context = browser.new_context(java_script_enabled=script)
    page = context.new_page()
    page.goto(f"{live_server.url}{cited_twice.get_absolute_url()}")
    last = page.locator("section", has=page.get_by_role("heading", name="Last"))
    followed = last.locator("sup.citation").get_attribute("id")
    assert followed != "cite-1"  # reference 1 was first cited in the bottom line
    last.get_by_role("link", name="Reference 1", exact=True).click()
    page.wait_for_url("**#ref-1")
    reference = page.locator("#ref-1")
    if script:
        back = reference.get_by_role("link", name="Back to where you were reading")
    else:
        # One back-link per use, lettered in reading order: b is the second.
        expect(reference.get_by_role("link", name=re.compile("^Back to citation"))).to_have_text(
            ["a", "b"]
        )
        back = reference.get_by_role("link", name="Back to citation b of reference 1 in the text")
    back.click()
    page.wait_for_url(f"**#{followed}")
    assert (
        page.locator(":target").evaluate("el => el.closest('section').innerText").count("Finally")
    )
    context.close()


def test_words_explained_lead_back_to_the_word_in_the_text(page, live_server, demo):
    page.goto(f"{live_server.url}{demo['approved'].get_absolute_url()}?reader=patient")
    glossary = page.locator(".glossary")
    backs = glossary.get_by_role("link", name=re.compile(r"^Back to “.+” in the text$"))
    expect(backs).to_have_count(glossary.locator("dt").count())
    back = backs.nth(2)
    use = back.get_attribute("href")
    back.click()
    page.wait_for_url(f"**{use}")
    target = page.locator(":target")
    expect(target).to_have_class(re.compile("glossary-term"))
    expect(target).to_be_in_viewport()
    # …the word whose entry it was, which leads down to that entry again.
    assert target.get_attribute("href") == use.replace("-use", "")


# -- the first screen, headings and the chooser -----------------------------------------------


@pytest.mark.parametrize(("width", "height"), FIRST_SCREENS, ids=["1280x800", "375x667"])
@pytest.mark.parametrize("which", ["approved", "submitted"])
def test_the_headline_is_on_the_first_screen_with_valid_heading_order(
    browser, live_server, demo, width, height, which
):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    for slug in READERS:
        query = f"?reader={slug}" if slug else ""
        page.goto(f"{live_server.url}{demo[which].get_absolute_url()}{query}")
        box = page.get_by_role("heading", level=1).bounding_box()
        assert box["y"] >= 0, (slug, box)
        assert box["y"] + box["height"] <= height, (slug, box)
        levels = page.evaluate(
            "() => [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, "
            "main h6')].map((h) => Number(h.tagName[1]))"
        )
        assert levels[0] == 1, levels
        assert levels.count(1) == 1, levels
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        # The caution comes before the board badge on a page not yet approved.
        caution = page.locator(".caution")
        if which == "submitted":
            badge_y = page.locator(".board-badge").bounding_box()["y"]
            assert caution.bounding_box()["y"] < badge_y
        else:
            expect(caution).to_have_count(0)
    context.close()


def test_choosing_a_reader_type_focuses_and_says_what_is_shown(page, live_server, demo):
    article = demo["approved"]
    types = {t.slug: t for t in ReaderType.objects.all()}
    has_own = article.public_revision.shown.reader_types_with_variants
    assert "patient" in has_own
    assert "nurse" not in has_own
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    page.get_by_label(types["patient"].label).check()
    page.get_by_role("button", name="Show this article for me").click()
    page.wait_for_url(re.compile(r"\?reader=patient#reader-choice$"))
    choice = page.locator("#reader-choice")
    expect(choice).to_be_focused()
    expect(choice).to_contain_text(f"Showing this article for: {types['patient'].label}.")
    expect(choice).not_to_contain_text("no version")
    assert choice.is_visible()

    page.get_by_label(types["nurse"].label).check()
    page.get_by_role("button", name="Change").click()
    page.wait_for_url(re.compile(r"\?reader=nurse#reader-choice$"))
    expect(choice).to_be_focused()
    expect(choice).to_contain_text(f"Showing this article for: {types['nurse'].label}.")
    expect(choice).to_contain_text(
        "This article has no version written for nurse or allied health professional yet, "
        "so you are reading the standard text for health professionals."
    )

    page.get_by_role("button", name="Clear my choice").click()
    page.wait_for_url(re.compile(r"/#reader-choice$"))
    expect(choice).to_be_focused()
    expect(choice).to_have_text("Showing the standard text for health professionals.")


# -- print -----------------------------------------------------------------------------------


def test_the_printout_says_where_when_for_whom_and_its_review_status(page, live_server, demo):
    article = demo["submitted"]
    address = f"{live_server.url}{article.get_absolute_url()}?reader=patient"
    page.goto(address)
    source = page.locator(".print-source")
    expect(source).to_be_hidden()  # on screen, the page itself says all this

    page.emulate_media(media="print")
    expect(source).to_be_visible()
    expect(source).to_contain_text(f"Printed from Vetted: {address}")
    expect(source).to_contain_text("Version for: Patient or caregiver")
    expect(source).to_contain_text("Review status: not yet approved")
    # The date is the day it is printed, which only the browser knows (the page is stored).
    expect(source).not_to_contain_text("Printed on", use_inner_text=True)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    today = datetime.date.today()
    expect(source).to_contain_text(f"Printed on {today:%B} {today.day}, {today.year}")
    for hidden in [".site-nav", ".chooser", ".follow-up form", ".skip-link"]:
        expect(page.locator(hidden).first).to_be_hidden()
    for shown in [".caution", ".tracker", "h1", ".references"]:
        expect(page.locator(shown).first).to_be_visible()

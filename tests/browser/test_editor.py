"""The article form in a real browser (static/js/article-editor.js): the live preview follows
what the editor types (citation numbers and references, unknown keys flagged, reader types),
citation keys are completed from the library with the keyboard, sections move by drag and by
keyboard and keep the new order when saved, the form still works without JavaScript, and axe
finds nothing on the page with the preview and the key list open."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from articles.models import ReaderType, Section, Variant
from reviews import roles
from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory, staff

from .test_accessibility import WCAG_22_AA

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def article():
    article = ArticleFactory(headline="Anticoagulation in atrial fibrillation")
    for position, heading in enumerate(("Who benefits", "How to start", "Pitfalls"), start=1):
        SectionFactory(article=article, position=position, heading=heading, body=f"{heading}.")
    ReferenceFactory(
        key="ruff2014", title="Oral anticoagulants versus warfarin", year=2014, pmid="24315724"
    )
    ReferenceFactory(key="rudd2019", title="Rudd's review of stroke prevention", year=2019)
    return article


@pytest.fixture
def editor_page(browser, live_server):
    """Open a page signed in as an editor: `editor_page(path, javascript=True)`."""
    user = staff(roles.EDITORS, username="eve", first_name="Eve", last_name="Editor")
    contexts = []

    def open_page(path, *, javascript=True, **options):
        client = Client()
        client.force_login(user)
        context = browser.new_context(java_script_enabled=javascript, **options)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value,
              "url": live_server.url}]
        )  # fmt: skip
        contexts.append(context)
        page = context.new_page()
        # Anything the Content-Security-Policy refuses (an inline style or script) is logged
        # to the console: kept for the tests to check.
        page.csp_refusals = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and page.csp_refusals.append(message.text)
            ),
        )
        page.goto(f"{live_server.url}{path}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def change_path(article):
    return f"/admin/articles/article/{article.pk}/change/"


def body_of(page, index):
    return page.locator(f"#id_sections-{index}-body")


def preview(page):
    return page.locator("#editor-preview-page")


def save(page):
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def headings_in_order(article):
    return list(article.sections.order_by("position").values_list("heading", flat=True))


def test_typing_a_citation_shows_its_number_and_the_reference(editor_page, article):
    page = editor_page(change_path(article))
    expect(preview(page)).to_contain_text("Who benefits")  # the first preview, on opening
    body = body_of(page, 0)
    body.click()
    body.press("End")
    body.press_sequentially(" Fewer strokes than warfarin [@ruff2014].", delay=20)
    citation = preview(page).locator("sup.citation").first
    expect(citation).to_have_text("1")
    expect(citation.get_by_role("link", name="Reference 1")).to_be_visible()
    references = preview(page).locator(".references")
    expect(references).to_contain_text("Oral anticoagulants versus warfarin")
    expect(preview(page)).to_contain_text("Fewer strokes than warfarin")
    # A source's link opens beside the form, which keeps what is typed and not saved.
    expect(references.get_by_role("link", name="PubMed 24315724")).to_have_attribute(
        "target", "_blank"
    )


def test_an_unknown_key_is_flagged_in_place_and_listed(editor_page, article):
    page = editor_page(change_path(article))
    expect(preview(page)).to_contain_text("Who benefits")
    page.get_by_label("Bottom line").fill("Treat early [@no-such-trial].")
    marker = preview(page).locator(".citation-missing")
    expect(marker).to_have_text("[unknown reference: no-such-trial]")
    expect(preview(page).locator("#editor-unknown-keys")).to_contain_text(
        "@no-such-trial in Bottom line"
    )
    # Said once to screen readers, not on every keystroke.
    expect(page.locator("#editor-announce")).to_have_text(
        "1 unknown citation key, listed at the top of the preview."
    )


def test_switching_the_reader_type_shows_their_variant(editor_page, article):
    patient = ReaderType.objects.get(slug="patient")
    section = article.sections.get(position=2)
    Variant.objects.create(
        article=article, section=section, reader_type=patient, text="Your doctor starts a pill."
    )
    page = editor_page(change_path(article))
    expect(preview(page)).to_contain_text("How to start.")
    page.get_by_label("Show as").select_option(label="Patient or caregiver")
    expect(preview(page)).to_contain_text("Your doctor starts a pill.")
    expect(preview(page)).not_to_contain_text("How to start.")
    page.get_by_label("Show as").select_option(label="Default text (professional)")
    expect(preview(page)).to_contain_text("How to start.")


def test_a_key_is_completed_with_the_keyboard(editor_page, article):
    page = editor_page(change_path(article))
    line = page.get_by_label("Bottom line")
    line.fill("")
    line.press_sequentially("Treat early [@RU", delay=20)
    options = page.get_by_role("listbox", name="References in the library").get_by_role("option")
    expect(options).to_have_count(2)  # found whatever the case: ruff2014 and rudd2019
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(line).to_have_attribute("aria-activedescendant", "editor-key-0")
    line.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(line).to_have_attribute("aria-activedescendant", "editor-key-1")
    chosen = options.nth(1).locator(".editor-keys__key").inner_text()
    line.press("Enter")
    expect(line).to_have_value(f"Treat early [@{chosen}]")
    expect(page.locator("#editor-keys")).to_be_hidden()
    # Inside a group, after "; @"; Escape closes the list and leaves the text alone.
    line.press_sequentially(" and [@ruff2014; @ru", delay=20)
    expect(options.first).to_be_visible()
    line.press("Escape")
    expect(page.locator("#editor-keys")).to_be_hidden()
    line.press_sequentially("d", delay=20)
    expect(options).to_have_count(1)
    line.press("Tab")
    expect(line).to_have_value(f"Treat early [@{chosen}] and [@ruff2014; @rudd2019]")
    expect(preview(page).locator(".bottom-line sup.citation")).to_have_count(2)
    assert page.csp_refusals == []


def test_sections_move_with_the_keyboard_and_keep_the_order_when_saved(editor_page, article):
    page = editor_page(change_path(article))
    expect(page.get_by_label("Position").first).to_be_hidden()  # placed for the editor
    third = page.get_by_role("group", name="Order of section 3, “Pitfalls”")
    expect(third).to_be_visible()
    move_up = page.locator("#sections-2").get_by_role("button", name="Move up", exact=True)
    move_up.press("Enter")
    expect(move_up).to_be_focused()  # the focus stays on the button that moved it
    move_up.press("Enter")
    expect(page.locator("#editor-announce")).to_have_text("Section “Pitfalls” is now 1 of 3.")
    # Alt+arrow from inside a section's fields moves it too.
    page.locator("#id_sections-0-heading").press("Alt+ArrowDown")  # "Who benefits": 2 -> 3
    expect(page.locator(".section-mover__place").first).to_have_text("Section 1 of 3")
    expect(preview(page).locator("section h2")).to_have_text(
        ["Pitfalls", "How to start", "Who benefits"]
    )
    save(page)
    assert headings_in_order(article) == ["Pitfalls", "How to start", "Who benefits"]
    assert sorted(Section.objects.filter(article=article).values_list("position", flat=True)) == [
        1,
        2,
        3,
    ]


def test_sections_move_by_drag_and_keep_the_order_when_saved(editor_page, article):
    page = editor_page(change_path(article), viewport={"width": 1280, "height": 4000})
    handle = page.get_by_role("button", name="Drag section “Who benefits”")
    target = page.locator("#sections-2")  # "Pitfalls", the last
    start = handle.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(start["x"] + 5, end["y"] + end["height"] - 5, steps=12)
    page.mouse.up()
    expect(page.locator("#editor-announce")).to_have_text("Section “Who benefits” is now 3 of 3.")
    assert page.csp_refusals == []
    save(page)
    assert headings_in_order(article) == ["How to start", "Pitfalls", "Who benefits"]


def test_a_new_section_moved_first_is_saved_first(editor_page, article):
    page = editor_page(change_path(article))
    page.get_by_role("button", name="Add another Section").click()
    new = page.locator("#sections-3")
    page.locator("#id_sections-3-heading").fill("In short")
    page.locator("#id_sections-3-body").fill("Anticoagulate most people [@ruff2014].")
    expect(page.get_by_role("group", name="Order of section 4, “In short”")).to_be_visible()
    for _ in range(3):
        new.get_by_role("button", name="Move up", exact=True).click()
    expect(preview(page).locator("section h2").first).to_have_text("In short")
    save(page)
    assert headings_in_order(article) == ["In short", "Who benefits", "How to start", "Pitfalls"]


def test_removing_a_new_section_after_a_move_keeps_every_saved_one(editor_page, article):
    """Django numbers the forms again in screen order when an unsaved one is removed; after a
    move that would give a new section a saved one's number. The script gives them back."""
    page = editor_page(change_path(article))
    add = page.get_by_role("button", name="Add another Section")
    add.click()
    add.click()
    page.locator("#id_sections-3-heading").fill("Dropped")
    page.locator("#id_sections-3-body").fill("Never saved.")
    page.locator("#id_sections-4-heading").fill("In short")
    page.locator("#id_sections-4-body").fill("Anticoagulate most people.")
    kept = page.locator("#sections-4")
    for _ in range(4):
        kept.get_by_role("button", name="Move up", exact=True).click()
    expect(page.locator(".section-mover__place").first).to_have_text("Section 1 of 5")
    page.locator("#sections-3 .inline-deletelink").click()
    expect(page.locator("#id_sections-TOTAL_FORMS")).to_have_value("4")
    # The saved sections have their own form numbers again; the new one follows them.
    for index, heading in enumerate(["Who benefits", "How to start", "Pitfalls", "In short"]):
        expect(page.locator(f"#id_sections-{index}-heading")).to_have_value(heading)
    save(page)
    assert headings_in_order(article) == ["In short", "Who benefits", "How to start", "Pitfalls"]
    assert Section.objects.filter(article=article).count() == 4


def test_without_javascript_the_form_is_djangos_own_and_saves(editor_page, article):
    page = editor_page(change_path(article), javascript=False)
    expect(page.locator("#editor-preview")).to_be_hidden()
    expect(page.locator(".section-mover")).to_have_count(0)
    page.locator("#id_sections-0-position").fill("4")  # typed by hand, as before
    save(page)
    assert headings_in_order(article) == ["How to start", "Pitfalls", "Who benefits"]


def test_typing_a_paragraph_costs_one_preview_per_pause(editor_page, article):
    """How many previews writing costs: keystrokes closer together than the script's delay
    (400 ms) ask nothing; each pause asks once."""
    page = editor_page(change_path(article))
    shown = page.locator("#editor-preview")
    expect(shown).to_have_attribute("data-requests", "1")  # the preview on opening
    body = body_of(page, 1)
    body.fill("")
    sentences = [
        "Start a direct oral anticoagulant when the stroke risk score is two or more.",
        " Check kidney function first and adjust the dose to it.",
        " Review bleeding risk at every visit [@ruff2014].",
    ]
    for sentence in sentences:
        body.press_sequentially(sentence, delay=30)  # ~50 words a minute, no pause
        # A pause: the preview catches up (the citation shows as its number).
        expect(preview(page)).to_contain_text(sentence.strip().removesuffix(" [@ruff2014]."))
    requests = int(shown.get_attribute("data-requests"))
    print(f"\npreview requests for {sum(map(len, sentences))} characters typed: {requests - 1}")
    assert requests - 1 <= len(sentences) + 1  # one per pause, at most one more in flight


def test_the_form_with_the_preview_and_key_list_open_has_no_axe_violations(
    editor_page, article, axe_source
):
    ReferenceFactory(key="gone", title="Not in the text")
    page = editor_page(change_path(article), bypass_csp=True)  # bypass: for axe's script only
    page.get_by_label("Bottom line").fill("Treat early [@unknown-key].")
    expect(preview(page).locator(".citation-missing")).to_be_visible()
    line = page.get_by_label("Bottom line")
    line.press("End")
    line.press_sequentially(" [@ru", delay=20)
    expect(page.get_by_role("option").first).to_be_visible()
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    found = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]
    assert found == []

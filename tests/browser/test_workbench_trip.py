"""Issue 11's yardstick, in chromium: a six-reference article rebuilt and taken through review
by a new editorial team. The editor imports the references from an RIS file, writes the
article citing all six (keys completed from the library while typing `[@`, the live preview
numbering them), and submits it from the form; a board member approves it from the queue.
Clicks and page loads are counted and printed (`-s`); before this work the same trip took
about 36 clicks and 13 page loads (reference forms one by one, looking up keys, the review
screen to submit, "Start review" before "Approve")."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from references.models import Reference
from reviews import roles
from tests.browser.admin_login import log_in
from tests.browser.autocomplete import choose_autocomplete
from tests.browser.test_review_workflow import expect_message, staff
from tests.browser.test_workflow_panel import Counter
from tests.factories import QuestionFactory, SpecialtyFactory, TopicFactory, declare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Should adults with newly diagnosed atrial fibrillation take an anticoagulant?"
# Six references as a reference manager exports them (invented entries, our own words).
RIS = """\
TY  - JOUR
ID  - af-score-2019
AU  - Lindqvist, Maja
AU  - Osei, Kwame
TI  - A stroke risk score for atrial fibrillation checked in two registries
JO  - Cardiology Methods
PY  - 2019
VL  - 12
IS  - 4
SP  - 301
EP  - 309
DO  - https://doi.org/10.5555/vetted.trip.1
ER  -

TY  - JOUR
M3  - Practice Guideline
ID  - af-guideline-2024
AU  - Working Group on Rhythm Care
TI  - Atrial fibrillation in adults: a working group's advice
JO  - Rhythm Care Notes
PY  - 2024
UR  - https://example.org/af-advice-2024
ER  -

TY  - JOUR
M3  - Systematic Review
ID  - doac-review-2022
AU  - Haddad, Rana
TI  - Direct oral anticoagulants against warfarin: a systematic review of bleeding
JO  - Reviews in Thrombosis
PY  - 2022
ER  -

TY  - JOUR
ID  - bleed-score-2020
AU  - Ferreira, Lúcia
TI  - Bleeding risk scores and the decision to anticoagulate
JO  - Journal of Examples
PY  - 2020
ER  -

TY  - JOUR
ID  - elderly-af-2021
AU  - Tanaka, Hiro
TI  - Anticoagulation after eighty: outcomes in a practice cohort
JO  - Age and Heart
PY  - 2021
ER  -

TY  - BOOK
ID  - rhythm-textbook-2023
AU  - Brennan, Cara
TI  - Rhythm disorders for the generalist
PB  - Example Press
PY  - 2023
ER  -
"""
KEYS = [
    "af-score-2019",
    "af-guideline-2024",
    "doac-review-2022",
    "bleed-score-2020",
    "elderly-af-2021",
    "rhythm-textbook-2023",
]


def cite_by_completion(field, typed_before: str, start: str):
    """Type `typed_before`, then `[@` and the first letters of a key; Enter takes the first
    suggestion (the list offers keys starting with what was typed first)."""
    field.press_sequentially(f"{typed_before} [@{start}", delay=15)
    field.page.get_by_role("listbox", name="References in the library").get_by_role(
        "option"
    ).first.wait_for()
    field.press("Enter")


def test_a_six_reference_article_from_import_to_approval(live_server, new_page, tmp_path):
    url = live_server.url
    editor = staff(roles.EDITORS, "editor", first_name="Eve", last_name="Editor")
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, "reviewer", first_name="Rob", last_name="Ng")
    cardiology = SpecialtyFactory(name="Cardiology")
    declare(reviewer, cardiology)  # his field: approving is the one step, nothing to confirm
    TopicFactory(name="Cardiology", specialty=cardiology)
    QuestionFactory(text=QUESTION)
    library = tmp_path / "af-library.ris"
    library.write_text(RIS, encoding="utf-8")

    editor_page, reviewer_page = new_page(), new_page()
    log_in(editor_page, url, editor)
    log_in(reviewer_page, url, reviewer)
    editor_count, reviewer_count = Counter(), Counter()
    editor_count.watch(editor_page)
    reviewer_count.watch(reviewer_page)

    # The references, all six at once, from the reference manager's file.
    editor_page.goto(f"{url}/admin/references/reference/")
    editor_count.click(editor_page.get_by_role("link", name="Import from a file"))
    editor_count.clicks += 1  # choosing the file in the file dialog
    editor_page.get_by_label("File").set_input_files(library)
    editor_count.click(editor_page.get_by_role("button", name="Show the preview"))
    editor_count.click(editor_page.get_by_role("button", name="Add 6 new references"))
    expect_message(editor_page, "6")
    assert set(Reference.objects.values_list("key", flat=True)) == set(KEYS)

    # The article, citing all six, keys completed from the library.
    editor_page.goto(f"{url}/admin/articles/article/add/")
    editor_count.clicks += 2  # the autocomplete: open, choose
    choose_autocomplete(editor_page, "question", "anticoagulant", QUESTION)
    editor_page.get_by_label("Headline").fill("Anticoagulation in new atrial fibrillation")
    editor_count.clicks += 2
    choose_autocomplete(editor_page, "topic", "Cardio", "Cardiology")
    line = editor_page.get_by_label("Bottom line")
    cite_by_completion(line, "Most adults with a raised stroke score should.", "af-g")
    first = editor_page.locator("#sections-0")
    first.get_by_label("Heading").fill("Who benefits")
    body = first.get_by_label("Body")
    cite_by_completion(body, "Score the stroke risk first.", "af-s")
    cite_by_completion(body, " Direct agents bleed less.", "doac")
    cite_by_completion(body, " Weigh the bleeding risk.", "blee")
    editor_count.click(editor_page.get_by_role("button", name="Add another Section"))
    second = editor_page.locator("#sections-1")
    second.get_by_label("Heading").fill("Older adults")
    body = second.get_by_label("Body")
    cite_by_completion(body, "Age alone is no reason to withhold it.", "elde")
    cite_by_completion(body, " Review the doses yearly.", "rhyt")
    preview = editor_page.locator("#editor-preview-page")
    expect(preview.locator(".references li")).to_have_count(6)
    expect(editor_page.locator("#editor-unknown-keys")).to_be_hidden()
    # The new article is saved and submitted in one step, from the add page.
    panel = editor_page.locator("#workflow-panel")
    panel.get_by_label("What changed, for readers").fill("First version.")
    editor_count.click(panel.get_by_role("button", name="Save and submit for review"))
    expect_message(editor_page, "submitted for review")
    article = Article.objects.get()
    assert editor_page.url.endswith(f"/admin/articles/article/{article.pk}/change/")
    assert article.status == Article.Status.SUBMITTED
    assert set(article.submitted_revision.content["references"]) == set(KEYS)

    # The board member approves it from the queue, in one step.
    reviewer_page.goto(f"{url}/admin/reviews/reviewqueueitem/")
    reviewer_count.click(reviewer_page.get_by_role("link", name=article.headline))
    reviewer_count.click(reviewer_page.get_by_role("button", name="Approve revision 1"))
    expect_message(reviewer_page, "Approved revision 1")
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED

    clicks = editor_count.clicks + reviewer_count.clicks
    loads = editor_count.loads + reviewer_count.loads
    print(
        f"\nSix-reference article, import to approval: {clicks} clicks, {loads} page loads "
        f"(editor {editor_count.clicks}/{editor_count.loads}, "
        f"reviewer {reviewer_count.clicks}/{reviewer_count.loads})"
    )
    # The trip the issue measured took about 36 clicks and 13 page loads.
    assert clicks < 36
    assert loads < 13

"""A lay reader chooses "Patient or caregiver" on an article page, reads the patient text with
its glossary marks (reachable from the keyboard, described for screen readers), keeps the
choice on the bare address through the cookie, and clears it again."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import ReaderType, Variant
from tests.factories import ArticleFactory, SectionFactory, approved_term, workflow_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DEFAULT = "Aim for a systolic target below 130 mmHg in most adults."
PATIENT = "Hypertension means your blood pressure stays too high; medicines can lower it."
DEFINITION = "Blood pressure that stays higher than it should, most of the time."
READER_TYPES = [
    ("patient", "Patient or caregiver", False),
    ("student", "Student", False),
    ("nurse", "Nurse or allied health professional", True),
    ("physician", "Physician or other prescriber", True),
]


def reader_types():
    """The migration's reader types; an earlier transactional test may have flushed them."""
    for order, (slug, label, professional) in enumerate(READER_TYPES, start=1):
        ReaderType.objects.get_or_create(
            slug=slug, defaults={"label": label, "order": order, "is_professional": professional}
        )
    return {t.slug: t for t in ReaderType.objects.all()}


def reader_cookie(page):
    return [c for c in page.context.cookies() if c["name"] == "vetted_reader"]


def test_patient_chooses_reads_with_glossary_keeps_the_choice_and_clears_it(live_server, page):
    types = reader_types()
    approved_term(term="hypertension", definition=DEFINITION)
    approved_term(term="medicine", synonyms="medicines", definition="A drug.")
    article = ArticleFactory(bottom_line=DEFAULT)
    SectionFactory(article=article, position=1, heading="Hypertension", body="Treat hypertension.")
    Variant.objects.create(article=article, reader_type=types["patient"], text=PATIENT)
    article = workflow_to(article, "approved")
    address = f"{live_server.url}{article.get_absolute_url()}"
    bottom_line = page.locator(".bottom-line")

    # Anonymous, no choice: the default text, no glossary.
    page.goto(address)
    expect(bottom_line).to_contain_text(DEFAULT)
    expect(page.locator(".chooser__current")).to_contain_text(
        "Showing the standard text for health professionals."
    )
    expect(page.locator("a.glossary-term")).to_have_count(0)
    assert reader_cookie(page) == []

    # Choose, as a reader would: the radio by its label, then the button.
    page.get_by_label("Patient or caregiver").check()
    page.get_by_role("button", name="Show this article for me").click()
    page.wait_for_url(re.compile(r"\?reader=patient#reader-choice$"))
    expect(bottom_line).to_contain_text(PATIENT)
    expect(bottom_line).not_to_contain_text(DEFAULT)
    expect(page.locator(".chooser__current")).to_contain_text(
        "Showing this article for: Patient or caregiver"
    )
    expect(page.get_by_label("Patient or caregiver")).to_be_checked()
    [cookie] = reader_cookie(page)
    assert cookie["value"] == "patient"
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"

    # The first use is marked (not the section heading): reach it with the keyboard.
    term = bottom_line.locator("a.glossary-term").first
    expect(term).to_have_text("Hypertension")
    expect(page.locator("h2#section-1 a")).to_have_count(0)
    page.locator("h1#headline").click()  # start tabbing from the article's top
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('glossary-term')"):
            break
    assert page.evaluate("document.activeElement.textContent") == "Hypertension"
    described_by = term.get_attribute("aria-describedby")
    assert described_by == "gloss-1-def"
    definition = page.locator(f"#{described_by}")
    expect(definition).to_have_text(DEFINITION)
    expect(definition).to_be_visible()  # in the page, not only on hover
    # Its accessible description is the definition; Enter goes to the "Words explained" entry.
    expect(term).to_have_accessible_description(DEFINITION)
    page.keyboard.press("Enter")
    page.wait_for_url("**#gloss-1")
    expect(page.locator(":target")).to_have_text("hypertension")
    expect(page.get_by_role("heading", name="Words explained")).to_be_visible()

    # The bare address keeps the choice, through the cookie.
    page.goto(address)
    expect(bottom_line).to_contain_text(PATIENT)
    expect(page.locator(".chooser__current")).to_contain_text("Patient or caregiver")

    # Clear it: the default text again, and no cookie.
    page.get_by_role("button", name="Clear my choice").click()
    page.wait_for_url(f"{address}#reader-choice")
    expect(bottom_line).to_contain_text(DEFAULT)
    expect(bottom_line).not_to_contain_text(PATIENT)
    expect(page.locator("a.glossary-term")).to_have_count(0)
    expect(page.get_by_role("button", name="Clear my choice")).to_have_count(0)
    assert reader_cookie(page) == []
    page.goto(address)
    expect(bottom_line).to_contain_text(DEFAULT)

"""A reader typing a follow-up question sees, at once, the approved articles that may already
answer it (static/js/follow-up.js), reachable by keyboard and announced politely; without
JavaScript the same articles are listed after sending."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Question
from tests.factories import ArticleFactory, QuestionFactory, SectionFactory, workflow_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def article_about(headline, question, status="approved"):
    article = ArticleFactory(headline=headline, question=QuestionFactory(text=question))
    SectionFactory(article=article, position=1, heading="In short", body="Plain words.")
    return workflow_to(article, status)


@pytest.fixture
def shelf():
    reading = article_about(
        "Iron deficiency in adults", "How should iron deficiency be treated in adults?"
    )
    match = article_about(
        "Iron supplements in pregnancy", "Are iron supplements safe during pregnancy?"
    )
    article_about("Tension headaches", "How are tension headaches treated?")
    return reading, match


def watch_csp(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def test_typing_shows_matching_approved_articles_reachable_by_keyboard(live_server, page, shelf):
    reading, match = shelf
    csp_errors = watch_csp(page)
    page.goto(f"{live_server.url}{reading.get_absolute_url()}")
    matches = page.locator("#follow-up-matches")
    expect(matches).to_be_hidden()

    question = page.get_by_label("Your question")
    question.focus()
    page.keyboard.type("Are iron supplements safe in pregnancy?")

    link = matches.get_by_role("link", name=match.headline)
    expect(link).to_be_visible()
    expect(matches.get_by_role("heading")).to_have_text(
        "These approved articles may already answer it"
    )
    expect(matches.get_by_role("link")).to_have_count(1)  # not the article being read
    expect(page.locator("#follow-up-matches-status")).to_have_text(
        re.compile(r"^1 approved article may already answer your question")
    )

    page.keyboard.press("Tab")  # from the question box, straight to the first match
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{match.get_absolute_url()}")

    assert csp_errors == []


def test_clearing_the_question_hides_the_matches(live_server, page, shelf):
    reading, match = shelf
    page.goto(f"{live_server.url}{reading.get_absolute_url()}")
    question = page.get_by_label("Your question")
    question.fill("iron supplements in pregnancy")
    matches = page.locator("#follow-up-matches")
    expect(matches.get_by_role("link", name=match.headline)).to_be_visible()
    question.fill("")
    expect(matches).to_be_hidden()
    expect(page.locator("#follow-up-matches-status")).to_have_text("")


def test_without_javascript_the_matches_come_after_sending(live_server, browser, shelf):
    reading, match = shelf
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{reading.get_absolute_url()}")
        page.get_by_label("Your question").fill("Are iron supplements safe in pregnancy?")
        page.get_by_label("Email (optional)").fill("reader@example.org")
        page.get_by_role("button", name="Send question").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Thank you — your question has reached our editors"
        )
        assert "reader@example.org" not in page.url
        assert "iron" not in page.url.lower()
        expect(page.get_by_role("link", name=match.headline)).to_be_visible()
        assert Question.objects.get(follow_up_to=reading).asker_email == "reader@example.org"
    finally:
        context.close()


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, axe_source: str) -> list[str]:
    """What axe-core (WCAG 2.2 AA) finds on the page as it is now."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]


def test_matches_errors_and_the_confirmation_pass_axe(live_server, browser, shelf, axe_source):
    reading, match = shelf
    # axe is injected as a script of its own: this context lets it past the CSP.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{reading.get_absolute_url()}")
        page.get_by_label("Your question").fill("Are iron supplements safe in pregnancy?")
        expect(page.locator("#follow-up-matches").get_by_role("link")).to_have_count(1)
        found = {"typing": axe_violations(page, axe_source)}

        page.get_by_label("Your question").fill("Too short")
        page.get_by_label("Email (optional)").fill("not-an-address")
        page.get_by_role("button", name="Send question").click()
        expect(page.get_by_role("link", name=re.compile("^Email \\(optional\\):"))).to_be_visible()
        found["errors"] = axe_violations(page, axe_source)

        page.get_by_label("Your question").fill("Are iron supplements safe in pregnancy?")
        page.get_by_label("Email (optional)").fill("")
        page.get_by_role("button", name="Send question").click()
        expect(page.get_by_role("link", name=match.headline)).to_be_visible()
        found["confirmation"] = axe_violations(page, axe_source)
    finally:
        context.close()
    assert found == {"typing": [], "errors": [], "confirmation": []}


def test_the_error_summary_leads_to_the_field(live_server, page, shelf):
    reading, _ = shelf
    page.goto(f"{live_server.url}{reading.get_absolute_url()}")
    page.get_by_label("Your question").fill("A proper question about iron?")
    page.get_by_label("Email (optional)").fill("not-an-address")
    page.get_by_role("button", name="Send question").click()
    email = page.get_by_label("Email (optional)")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_value("not-an-address")
    red = "rgb(164, 22, 26)"  # --danger
    assert email.evaluate("el => getComputedStyle(el).borderTopColor") == red
    assert email.evaluate("el => getComputedStyle(el).borderTopWidth") == "2px"
    page.get_by_role("link", name="Email (optional): Enter a valid email address.").click()
    expect(email).to_be_focused()

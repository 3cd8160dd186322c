"""The JSON-LD as a browser sees it: chromium loads article and profile pages under the strict
Content-Security-Policy, reports no violation for the data blocks, never runs them as script
(even with a headline written to break out), and what it parses from the page is valid by
schema.org's vocabulary (tests/schema_org.py)."""

import json

import pytest

from articles.models import ReaderType, ReviewerProfile, Variant
from reviews import roles
from tests import schema_org
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    SpecialtyFactory,
    TopicFactory,
    user_with_role,
    workflow_to,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Kept before any page script runs: every CSP violation of the page.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sample}`);
});
"""
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))"
READ = """() => ({
  data: [...document.querySelectorAll('script[type="application/ld+json"]')]
    .map((script) => JSON.parse(script.textContent)),
  canonical: [...document.querySelectorAll('link[rel="canonical"]')].map((link) => link.href),
  violations: window.__cspViolations,
  ran: window.__ranFromData === true,
})"""
HOSTILE = "Cystitis </script><script>window.__ranFromData = true</script> & <!-- more"


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.add_init_script(WATCH)
    console = []
    context.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    context.console = console
    yield context
    context.close()


@pytest.fixture
def content():
    ReaderType.objects.get_or_create(slug="patient", defaults={"label": "Patient or caregiver"})
    reviewer = user_with_role(roles.MEDICAL_ADVISORY_BOARD, first_name="Ana", last_name="Ruiz")
    infectious = SpecialtyFactory(name="Infectious diseases", schema_org="Infectious")
    profile = ReviewerProfile.objects.create(
        user=reviewer, slug="ana-ruiz", display_name="Ana Ruiz", credentials="MD, PhD",
        bio="Treats infections.", disclosures="None declared",
    )  # fmt: skip
    profile.specialties.add(infectious)
    ReferenceFactory(key="trial", kind="research", doi="10.1000/trial", pmid="123456")
    ReferenceFactory(key="guideline", kind="guideline", authors="World Health Organization")
    article = ArticleFactory(
        slug="cystitis",
        headline=HOSTILE,
        bottom_line="Nitrofurantoin for five days [@guideline].",
        topic=TopicFactory(specialty=infectious),  # hers: an ordinary approval
    )
    SectionFactory(article=article, position=1, heading="Evidence", body="A trial [@trial].")
    patient = ReaderType.objects.get(slug="patient")
    Variant.objects.create(article=article, reader_type=patient, text="Take the tablets.")
    article = workflow_to(article, "approved", reviewer=reviewer)
    return {"article": article, "profile": profile}


def visit(context, url: str) -> dict:
    page = context.new_page()
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, url
    page.wait_for_load_state("load")
    page.evaluate(SETTLE)
    found = page.evaluate(READ)
    page.close()
    return found


def test_article_json_ld_is_read_as_data_and_is_valid(live_server, context, content):
    url = f"{live_server.url}{content['article'].get_absolute_url()}"
    # The patient version's own bottom line cites nothing: only the trial is shown to them.
    shown = {
        url: ["CreativeWork", "ScholarlyArticle"],
        f"{url}?reader=patient": ["ScholarlyArticle"],
    }
    for address, citations in shown.items():
        found = visit(context, address)
        assert found["violations"] == [], found["violations"]
        assert found["ran"] is False  # a data block: never run, whatever its text says
        (data,) = found["data"]
        assert schema_org.problems(data) == []
        assert data["@type"] == "MedicalWebPage"
        assert data["headline"] == HOSTILE
        assert data["reviewedBy"]["name"] == "Ana Ruiz"
        assert data["specialty"] == "https://schema.org/Infectious"  # the topic's
        assert [c["@type"] for c in data["citation"]] == citations
        assert found["canonical"] == [address]  # the patient version has its own text
    assert data["audience"]["audienceType"] == "Patient"
    assert context.console == []


def test_profile_json_ld_is_valid(live_server, context, content):
    found = visit(context, f"{live_server.url}{content['profile'].get_absolute_url()}")
    assert found["violations"] == []
    (data,) = found["data"]
    assert schema_org.problems(data) == []
    assert data["mainEntity"]["honorificSuffix"] == "MD, PhD"
    assert data["mainEntity"]["knowsAbout"] == ["Infectious diseases"]
    # What the browser parsed is what the server meant to say.
    assert json.dumps(data["mainEntity"]["name"]) == '"Ana Ruiz"'
    assert context.console == []

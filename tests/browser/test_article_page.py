import pytest

from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory, workflow_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_clicking_a_citation_lands_on_its_reference(live_server, page):
    first = ReferenceFactory(key="first", title="The first reference")
    late = ReferenceFactory(key="late", title="A reference cited only at the end")
    article = ArticleFactory(bottom_line="Short answer [@first].")
    for position in range(1, 8):
        SectionFactory(article=article, position=position, body="Filler paragraph.\n\n" * 12)
    SectionFactory(article=article, position=8, heading="Last", body="Finally [@late; @first].")
    workflow_to(article, "submitted")

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    last = page.locator("section", has=page.get_by_role("heading", name="Last"))
    last.get_by_role("link", name="Reference 2", exact=True).click()

    page.wait_for_url("**#ref-2")
    target = page.locator(":target")
    assert target.get_attribute("id") == "ref-2"
    assert late.title in target.inner_text()
    assert first.title not in target.inner_text()
    assert target.is_visible()
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]

    # …and its back link returns to the place it was cited.
    target.get_by_role("link", name="Back to where you were reading").click()
    page.wait_for_url("**#cite-*")
    cited_in = page.locator(":target").evaluate("el => el.closest('section').innerText")
    assert "Finally" in cited_in

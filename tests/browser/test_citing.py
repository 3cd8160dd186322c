"""In chromium with JavaScript off: the reference list reads in AMA style and "Cite this
article" gives a reader files for their reference manager through plain links."""

import pytest
import rispy

from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory, workflow_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def cited():
    ReferenceFactory(
        key="trial",
        title="Early treatment in adults",
        authors="Müller Ö, Lee K",
        source="BMJ",
        year=2023,
        volume="380",
        pages="e1",
        doi="10.1000/trial",
    )
    article = ArticleFactory(headline="Should treatment start early?", bottom_line="Yes [@trial].")
    SectionFactory(article=article, position=1, heading="Why", body="A trial [@trial].")
    return workflow_to(article, "approved")


def test_the_citation_and_its_files_without_javascript(browser, live_server, cited):
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{cited.get_absolute_url()}")
        reference = page.locator("#ref-1 .reference__text")
        assert reference.inner_text() == (
            "Müller Ö, Lee K. Early treatment in adults. BMJ. 2023;380:e1. doi:10.1000/trial"
        )
        cite = page.locator(".cite__text")
        assert cite.inner_text().startswith(
            "Vetted Editorial Team. Should treatment start early? Vetted. Updated "
        )
        for label, filename in (
            ("Citation (RIS)", f"{cited.slug}-citation.ris"),
            ("Reference list (RIS)", f"{cited.slug}-references.ris"),
        ):
            with page.expect_download() as info:
                page.get_by_role("link", name=label).click()
            download = info.value
            assert download.suggested_filename == filename
            with open(download.path(), encoding="utf-8") as f:
                entries = rispy.load(f)
            assert len(entries) == 1
        assert entries[0]["authors"] == ["Müller, Ö.", "Lee, K."]
    finally:
        context.close()

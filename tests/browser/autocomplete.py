"""Choosing in the admin's autocomplete (select2) fields, as a person does: open, type, pick."""

from urllib.parse import urlencode

from playwright.sync_api import expect


def choose_autocomplete(page, field, search, option):
    """Pick `option` (its text, or a pattern) in the autocomplete of `field` by typing `search`.

    select2 lists the first choices as it opens, then asks again for what was typed and
    redraws the list: an option clicked in the first list is gone before the click lands.
    So the option is clicked once the answer for `search` has come and been drawn."""
    combobox = page.locator(f".field-{field}").get_by_role("combobox")
    combobox.click()
    dropdown = page.locator(".select2-dropdown")  # select2 adds it to the page while open
    asked = urlencode({"term": search})
    with page.expect_response(
        lambda response: "/autocomplete/" in response.url and asked in response.url
    ):
        dropdown.get_by_role("searchbox").fill(search)
    expect(dropdown.locator(".loading-results")).to_have_count(0)  # "Searching…" is drawn over
    dropdown.get_by_role("option", name=option).click()
    expect(combobox).to_contain_text(option)

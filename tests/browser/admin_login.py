"""Signing in to the admin in the browser, as a person does, for the browser tests that set
up their own staff."""

from playwright.sync_api import expect

PASSWORD = "pw-12345-long"


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, base_url, user):
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

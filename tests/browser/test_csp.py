"""The strict Content-Security-Policy holds in a real browser: chromium visits every public
page and every admin page used daily, clicks what runs JavaScript there (inline rows, the
autocomplete, the two-box author picker, an add-related popup), and reports no violation.

Violations are caught twice: a `securitypolicyviolation` listener installed before any page
script runs keeps each event in `window.__cspViolations`, read at every step; and chromium's
console errors that name the Content Security Policy are collected for the whole browser
context, popups included.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import ReaderType, ReviewerProfile
from references.models import Reference
from reviews import roles, services
from tests.browser.autocomplete import choose_autocomplete
from tests.factories import (
    ArticleFactory,
    PageFactory,
    QuestionFactory,
    ReferenceFactory,
    SectionFactory,
    SpecialtyFactory,
    TopicFactory,
    UserFactory,
    approved_term,
    user_with_role,
    workflow_to,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "pw-12345-long"

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    page: location.href,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""
# Let queued violation events fire before the list is read: they are dispatched as tasks.
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))"


class Watch:
    """One browser context (one person), its pages watched for CSP violations."""

    def __init__(self, browser, base_url):
        self.base_url = base_url
        self.context = browser.new_context()
        self.context.add_init_script(WATCH)
        self.console: list[str] = []
        self.context.on("console", self._on_console)
        self.page = self.context.new_page()
        self.violations: list[dict] = []
        self.visited: list[str] = []

    def _on_console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def collect(self, page=None) -> None:
        page = page or self.page
        page.wait_for_load_state("load")
        page.evaluate(SETTLE)
        self.violations += page.evaluate("window.__cspViolations.splice(0)")

    def visit(self, path: str, status: int = 200):
        response = self.page.goto(f"{self.base_url}{path}")
        assert response is not None, path
        assert response.status == status, (path, response.status)
        self.visited.append(path)
        self.collect()
        return response

    def assert_clean(self) -> None:
        assert self.visited, "nothing was visited"
        assert self.violations == [], "\n".join(map(str, self.violations))
        assert self.console == [], "\n".join(self.console)

    def log_in(self, user) -> None:
        self.visit("/admin/login/")
        self.page.get_by_label("Username").fill(user.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("button", name="Log out")).to_be_visible()
        self.collect()


@pytest.fixture
def watch(browser, live_server):
    """`watch()` opens a fresh context (one person); all are closed after the test."""
    opened = []

    def open_watch():
        opened.append(Watch(browser, live_server.url))
        return opened[-1]

    yield open_watch
    for each in opened:
        each.context.close()


def person(role=None, **fields):
    user = user_with_role(role, **fields) if role else UserFactory(**fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def reader_types():
    """The migration's reader types; an earlier transactional test may have flushed them."""
    for order, (slug, label) in enumerate([("patient", "Patient or caregiver")], start=1):
        ReaderType.objects.get_or_create(slug=slug, defaults={"label": label, "order": order})


@pytest.fixture
def content():
    """An approved article with everything a page can show (citations, a table, glossary
    marks for patients, a reviewer with a profile), later edited so it has two revisions and
    a draft working copy; a site page; a glossary term; an unreviewed draft."""
    reader_types()
    PageFactory(slug="editorial-policy", title="Editorial policy")
    editor = person(roles.EDITORS, username="eve", first_name="Eve", last_name="Editor")
    reviewer = person(roles.MEDICAL_ADVISORY_BOARD, username="ana", first_name="Ana")
    infectious = SpecialtyFactory(name="Infectious diseases")
    profile = ReviewerProfile.objects.create(
        user=reviewer, slug="ana-ruiz", display_name="Ana Ruiz", credentials="MD, PhD",
        bio="Clinician.", disclosures="None declared",
    )  # fmt: skip
    profile.specialties.add(infectious)
    ReferenceFactory(
        key="guideline", title="Guideline on urinary infections", url="https://example.org/g"
    )
    approved_term("cystitis", "An infection of the bladder.")
    article = ArticleFactory(
        slug="treating-cystitis",
        headline="Treating uncomplicated cystitis",
        bottom_line="Nitrofurantoin for five days is a first-line choice [@guideline].",
        topic=TopicFactory(specialty=infectious),  # hers: an ordinary approval
    )
    SectionFactory(
        article=article, position=1, heading="Dosing",
        body="Cystitis is common.\n\n| Drug | Days |\n|---|---|\n| Nitrofurantoin | 5 |\n",
    )  # fmt: skip
    article = workflow_to(article, "approved", editor=editor, reviewer=reviewer)
    article.bottom_line = "Nitrofurantoin for five days is first-line [@guideline]."
    article.save()
    services.record_edit(article, by=editor)
    article.refresh_from_db()
    return {
        "article": article,
        "draft": ArticleFactory(headline="A draft nobody has reviewed"),
        "draft_in_review": workflow_to(ArticleFactory(), "submitted", editor=editor),
        "editor": editor,
        "reviewer": reviewer,
        "reference": Reference.objects.get(key="guideline"),
        "superuser": person(username="root", is_staff=True, is_superuser=True),
    }


def test_the_watch_sees_a_violation(watch):
    """The listener and the console both catch a blocked inline style (so a clean result in
    the tests below means something)."""
    reader = watch()
    reader.visit("/")
    reader.page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
    )
    reader.collect()  # its round trips to the page also bring in the console messages
    assert [v["directive"] for v in reader.violations] == ["style-src-attr"]
    # "Refused to apply inline style…" in older chromium, "Applying inline style violates…" now.
    expect_console = re.compile(r"inline style.*Content Security Policy")
    assert any(expect_console.search(line) for line in reader.console), reader.console


def test_public_pages_keep_the_policy(watch, content):
    article = content["article"].get_absolute_url()
    reader = watch()
    reader.visit("/")
    reader.visit(article)
    expect(reader.page.locator(".bottom-line")).to_be_visible()
    reader.visit(f"{article}?reader=patient")
    expect(reader.page.locator("a.glossary-term").first).to_be_visible()
    reader.visit("/pages/editorial-policy/")
    reader.visit("/board/")
    reader.visit("/board/ana-ruiz/")
    # The reader chooser is a plain GET form that redirects back to the article.
    reader.visit(article)
    reader.page.get_by_label("Patient or caregiver").check()
    reader.page.locator(".chooser").get_by_role("button").click()
    expect(reader.page).to_have_url(re.compile(r"\?reader=patient"))
    reader.collect()
    reader.visit(f"/reader/?reader=patient&next={article}")
    reader.visit("/no-such-page/", status=404)

    # The follow-up form, sent empty: the article comes back with the errors.
    reader.visit(article)
    reader.page.get_by_role("button", name="Send question").click()
    expect(reader.page.locator(".follow-up .notice--error")).to_be_visible()
    reader.collect()
    # …and again with no cookie at all: the form needs none (the page is the same for every
    # reader and may be cached), so the errors come back, not the "form expired" page.
    reader.context.clear_cookies()
    reader.page.get_by_role("button", name="Send question").click()
    expect(reader.page.locator(".follow-up .notice--error")).to_be_visible()
    reader.collect()
    # A form that does carry a CSRF token (signing in), sent after its cookie is gone: the
    # "form expired" page, under the same policy.
    reader.visit("/admin/login/")
    reader.context.clear_cookies()
    reader.page.get_by_label("Username").fill("nobody")
    reader.page.get_by_label("Password").fill("not a password")
    reader.page.get_by_role("button", name="Log in").click()
    expect(reader.page.get_by_role("heading", name="Your form has expired")).to_be_visible()
    reader.collect()
    reader.assert_clean()


def test_tables_with_aligned_columns_keep_the_policy(watch, content):
    article = ArticleFactory(slug="aligned")
    SectionFactory(
        article=article, position=1, heading="Doses",
        body="| Drug | Days | Note |\n|:---|---:|:---:|\n| Nitrofurantoin | 5 | first line |\n",
    )  # fmt: skip
    workflow_to(article, "approved")
    reader = watch()
    reader.visit(article.get_absolute_url())
    expect(reader.page.locator(".section table td").first).to_be_visible()
    reader.assert_clean()


def test_staff_pages_outside_the_admin_keep_the_policy(watch, content):
    editor = watch()
    editor.log_in(content["editor"])
    editor.visit(f"{content['draft'].get_absolute_url()}?preview=1")
    editor.visit(f"{content['article'].get_absolute_url()}?preview=1&reader=patient")
    editor.visit("/accounts/two-factor/setup/")
    editor.assert_clean()
    # Asking for a password link is open to anyone.
    reader = watch()
    reader.visit("/accounts/password/")
    reader.assert_clean()


def test_admin_pages_used_daily_keep_the_policy(watch, content):
    article, reference = content["article"], content["reference"]
    staff = watch()
    staff.log_in(content["superuser"])
    for path in [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/?work=awaiting&q=cystitis",
        f"/admin/articles/article/{article.pk}/change/",
        f"/admin/articles/article/{article.pk}/review/",
        f"/admin/articles/article/{article.pk}/review/?reader=patient",
        f"/admin/articles/article/{article.pk}/revisions/",
        f"/admin/articles/article/{article.pk}/revisions/?a=1&b=2",
        f"/admin/articles/article/{article.pk}/history/",
        "/admin/references/reference/",
        f"/admin/references/reference/{reference.pk}/change/",
        "/admin/articles/glossaryterm/",
        "/admin/articles/question/",
        "/admin/articles/reviewevent/",
        "/admin/auth/user/",
        f"/admin/auth/user/{content['editor'].pk}/change/",
        f"/admin/auth/user/{content['editor'].pk}/password/",
        "/admin/password_change/",
    ]:
        staff.visit(path)
    staff.assert_clean()

    # The board's own pages (account administrators, superusers included, may not review).
    board = watch()
    board.log_in(content["reviewer"])
    board.visit("/admin/reviews/reviewqueueitem/")
    board.visit(f"/admin/articles/article/{content['draft_in_review'].pk}/review/")
    board.assert_clean()


def test_the_article_form_and_its_scripts_keep_the_policy(watch, content):
    QuestionFactory(text="How long should cystitis be treated?")
    TopicFactory(name="Urology")
    SpecialtyFactory(name="Nephrology")
    staff = watch()
    staff.log_in(content["superuser"])
    page = staff.page
    staff.visit("/admin/articles/article/add/")

    # The autocomplete (select2): open it, search, choose.
    choose_autocomplete(page, "question", "cystitis", re.compile("cystitis"))
    # The slug filled in from the headline.
    page.get_by_label("Headline").fill("Short courses for cystitis")
    page.get_by_label("Headline").press("Tab")
    expect(page.get_by_label("Slug")).to_have_value("short-courses-for-cystitis")
    # The two-box author picker.
    page.locator("#id_authors_from option", has_text="eve").click()
    page.locator("#id_authors_add").click()
    expect(page.locator("#id_authors_to option", has_text="eve")).to_have_count(1)
    # Another section row, and a reader-type variant row.
    page.get_by_role("button", name="Add another Section").click()
    expect(page.locator("#sections-1")).to_be_visible()
    page.get_by_role("button", name=re.compile("Add another Reader-type variant")).click()
    staff.collect()

    # A new topic in the add-related popup, chosen in the form when the popup closes.
    with page.expect_popup() as popup_info:
        page.locator("#add_id_topic").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.get_by_label("Name").fill("Nephrology")
    # Its specialty (required), from the popup's own autocomplete.
    choose_autocomplete(popup, "specialty", "Nephro", "Nephrology")
    staff.collect(popup)
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")
    expect(page.locator(".field-topic").get_by_role("combobox")).to_contain_text("Nephrology")
    staff.collect()

    # The change form of the existing article, with its inline rows and history link.
    staff.visit(f"/admin/articles/article/{content['article'].pk}/change/")
    page.get_by_role("button", name="Add another Section").click()
    staff.collect()
    staff.assert_clean()


def test_signing_out_keeps_the_policy(watch, content):
    staff = watch()
    staff.log_in(content["editor"])
    staff.page.get_by_role("button", name="Log out").click()
    expect(staff.page.get_by_role("heading", name="Logged out")).to_be_visible()
    staff.collect()
    staff.assert_clean()

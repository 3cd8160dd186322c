"""The review round trip where the work is, in chromium: the editor submits from the edit form,
the reviewer requests changes with a comment straight from the queue's review screen, the
editor sees "Changes requested" and the comment on the edit form, fixes the text and submits
again from the form, and the reviewer approves in one step. Clicks and page loads are counted
(and printed with -s) so the note on issue 11 can report them."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, ReviewEvent
from reviews import roles
from tests.browser.admin_login import log_in
from tests.browser.test_review_workflow import expect_message, staff
from tests.factories import (
    ArticleFactory,
    QuestionFactory,
    SectionFactory,
    SpecialtyFactory,
    TopicFactory,
    declare,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG = "Give nitrofurantoin 100 mg twice daily for 10 days."
FIXED = "Give nitrofurantoin 100 mg twice daily for 5 days."
COMMENT = "Five days is enough; ten days only adds side effects."


class Counter:
    """Clicks the test makes and pages the browser loads (main-frame navigations)."""

    def __init__(self):
        self.clicks = self.loads = 0

    def watch(self, page):
        page.on("framenavigated", lambda frame: self._navigated(page, frame))
        return page

    def _navigated(self, page, frame):
        if frame == page.main_frame:
            self.loads += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()


def test_editor_and_reviewer_round_trip_from_the_edit_form(live_server, new_page):
    url = live_server.url
    editor = staff(roles.EDITORS, "editor", first_name="Eve", last_name="Editor")
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, "reviewer", first_name="Rob", last_name="Ng")
    urology = SpecialtyFactory(name="Urology")
    declare(reviewer, urology)  # his field: approving is the one step, nothing to confirm
    article = ArticleFactory(
        question=QuestionFactory(text="How long should uncomplicated cystitis be treated?"),
        headline="Treating uncomplicated cystitis",
        topic=TopicFactory(name="Urology", specialty=urology),
    )
    SectionFactory(article=article, position=1, heading="How to treat", body="To be written.")
    article.authors.add(editor)
    change_url = f"{url}/admin/articles/article/{article.pk}/change/"

    editor_page, reviewer_page = new_page(), new_page()
    log_in(editor_page, url, editor)
    log_in(reviewer_page, url, reviewer)
    editor_count, reviewer_count = Counter(), Counter()
    editor_count.watch(editor_page)
    reviewer_count.watch(reviewer_page)

    # The editor writes and submits from the edit form.
    editor_page.goto(change_url)
    panel = editor_page.locator("#workflow-panel")
    expect(panel.locator(".workflow-state")).to_have_text("Draft")
    editor_page.locator("#sections-0").get_by_label("Body").fill(WRONG)
    panel.get_by_label("What changed, for readers").fill("First version.")
    editor_count.click(panel.get_by_role("button", name="Save and submit for review"))
    expect_message(editor_page, "Saved. Revision 1 submitted for review.")
    expect(panel.locator(".workflow-state")).to_have_text("Submitted")
    expect(editor_page).to_have_url(change_url)

    # The reviewer opens it from the queue and requests changes without starting first.
    reviewer_page.goto(f"{url}/admin/reviews/reviewqueueitem/")
    reviewer_count.click(reviewer_page.get_by_role("link", name="Treating uncomplicated cystitis"))
    reviewer_page.get_by_label("Comment", exact=True).fill(COMMENT)
    reviewer_count.click(reviewer_page.get_by_role("button", name="Request changes"))
    expect_message(reviewer_page, "Changes requested; the editors have been told.")

    # The editor sees it on the edit form: state, who, and the comment.
    editor_page.reload()
    expect(panel.locator(".workflow-state")).to_have_text("Changes requested")
    expect(panel.locator(".workflow-detail")).to_contain_text("Changes requested by Rob Ng on")
    expect(panel.locator(".workflow-comments")).to_contain_text(COMMENT)
    body = editor_page.locator("#sections-0").get_by_label("Body")
    expect(body).to_have_value(WRONG)
    body.fill(FIXED)
    panel.get_by_label("What changed, for readers").fill("Shorter course.")
    editor_count.click(panel.get_by_role("button", name="Save and submit for review"))
    expect_message(editor_page, "Saved. Revision 2 submitted for review.")
    expect(panel.locator(".workflow-state")).to_have_text("Submitted")
    expect(panel.locator(".workflow-comments")).to_have_count(0)  # that round is closed

    # The reviewer approves from the queue in one step.
    reviewer_page.goto(f"{url}/admin/reviews/reviewqueueitem/")
    expect(reviewer_page.locator(".field-state")).to_contain_text(
        "Submitted again, after changes were requested"
    )
    reviewer_count.click(reviewer_page.get_by_role("link", name="Treating uncomplicated cystitis"))
    reviewer_count.click(reviewer_page.get_by_role("button", name="Approve revision 2"))
    expect_message(reviewer_page, "Approved revision 2. It is now the public text.")

    editor_page.reload()
    expect(panel.locator(".workflow-state")).to_have_text("Approved")
    expect(panel.locator(".workflow-detail")).to_contain_text("approved by Rob Ng on")

    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.approval.revision.sections[0].body == FIXED
    steps = list(article.review_events.order_by("pk").values_list("action", "actor__username"))
    Action = ReviewEvent.Action
    assert steps == [
        (Action.SUBMITTED, "editor"),
        (Action.REVIEW_STARTED, "reviewer"),
        (Action.CHANGES_REQUESTED, "reviewer"),
        (Action.SUBMITTED, "editor"),
        (Action.REVIEW_STARTED, "reviewer"),
        (Action.APPROVED, "reviewer"),
    ]
    # Counted from the signed-in admin: the editor never leaves the edit form; the reviewer
    # goes queue -> review screen -> decision, twice.
    print(
        f"\nround trip: editor {editor_count.clicks} clicks, {editor_count.loads} page loads; "
        f"reviewer {reviewer_count.clicks} clicks, {reviewer_count.loads} page loads"
    )
    assert (editor_count.clicks, reviewer_count.clicks) == (2, 4)
    assert editor_count.loads == 5  # open, submit, reload, submit, reload
    assert reviewer_count.loads == 6  # queue, review, decision; queue, review, decision


def test_a_refused_save_is_merged_in_the_browser_without_retyping(live_server, new_page):
    """The choices on the conflict panel sit outside the form and join it through the HTML
    `form` attribute: a real browser sends them with the next save."""
    url = live_server.url
    alice = staff(roles.EDITORS, "alice", first_name="Alice", last_name="Ng")
    bob = staff(roles.EDITORS, "bob", first_name="Bob", last_name="Marsh")
    article = ArticleFactory(headline="Treating cystitis", bottom_line="Old answer.")
    SectionFactory(article=article, position=1, heading="How to treat", body="To be written.")
    change_url = f"{url}/admin/articles/article/{article.pk}/change/"
    alice_page, bob_page = new_page(), new_page()
    log_in(alice_page, url, alice)
    log_in(bob_page, url, bob)
    alice_page.goto(change_url)
    bob_page.goto(change_url)

    bob_page.get_by_label("Headline").fill("Treating cystitis in women")
    bob_page.get_by_role("button", name="Save and continue editing").click()
    expect_message(bob_page, "was changed successfully")
    alice_page.get_by_label("Bottom line").fill("Alice's new answer.")
    alice_page.get_by_role("button", name="Save and continue editing").click()

    conflict = alice_page.locator("#workflow-conflict")
    expect(conflict).to_contain_text("Bob Marsh saved this article while you were editing it")
    expect(alice_page.locator(".errornote")).to_be_visible()
    expect(alice_page.get_by_label("Bottom line")).to_have_value("Alice's new answer.")
    row = conflict.locator("#conflict-headline")
    expect(row.locator(".conflict-theirs")).to_have_text("Treating cystitis in women")
    expect(row.locator(".conflict-who")).to_have_text("Only them")
    expect(row.get_by_label("Take theirs")).to_be_checked()
    alice_page.get_by_role("button", name="Save and continue editing").click()
    expect_message(alice_page, "was changed successfully")

    article.refresh_from_db()
    assert (article.headline, article.bottom_line) == (
        "Treating cystitis in women",
        "Alice's new answer.",
    )

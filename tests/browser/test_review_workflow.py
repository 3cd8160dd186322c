"""The whole review workflow end to end, the way people do it: an editor writes an article in
the admin and submits it, one board member asks for changes, the editor fixes and resubmits,
the first board member starts reviewing again, another board member takes the review over
(only the holder decides) and approves, and a reader sees the approved text with its
reviewer."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, ReviewerProfile, ReviewEvent
from reviews import roles
from tests.browser.admin_login import log_in, with_password
from tests.browser.autocomplete import choose_autocomplete
from tests.factories import (
    QuestionFactory,
    ReferenceFactory,
    SpecialtyFactory,
    TopicFactory,
    user_with_role,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

QUESTION = "What is the first-line treatment for uncomplicated cystitis in women?"
WRONG = "Give nitrofurantoin 100 mg twice daily for 10 days."
FIXED = "Give nitrofurantoin 100 mg twice daily for 5 days."
REVIEW_COMMENT = "The guideline recommends 5 days of nitrofurantoin, not 10. Please fix the dose."
TAKE_OVER_REASON = "Rob is on leave this week; I cover urology."


def staff(role, username, **kwargs):
    return with_password(user_with_role(role, username=username, is_staff=True, **kwargs))


def expect_message(page, text):
    expect(page.locator(".messagelist")).to_contain_text(text)


def test_article_goes_from_draft_through_changes_to_approved(live_server, new_page):
    url = live_server.url
    editor = staff(roles.EDITORS, "editor", first_name="Eve", last_name="Editor")
    reviewer1 = staff(roles.MEDICAL_ADVISORY_BOARD, "reviewer1", first_name="Rob", last_name="One")
    reviewer2 = staff(roles.MEDICAL_ADVISORY_BOARD, "reviewer2", first_name="Ana", last_name="Ruiz")
    urology = SpecialtyFactory(name="Urology")
    profile = ReviewerProfile.objects.create(
        user=reviewer2,
        display_name="Ana Ruiz",
        credentials="MD, PhD",
        slug="ana-ruiz",
        disclosures="None declared",
    )
    # She covers urology: her approval is an ordinary one (no confirmation to tick).
    profile.specialties.add(SpecialtyFactory(name="Infectious diseases"), urology)
    topic = TopicFactory(name="Urology", specialty=urology)
    QuestionFactory(text=QUESTION)
    reference = ReferenceFactory(key="demo-guideline", title="Guideline on urinary infections")

    # The editor writes the article in the admin and submits it for review.
    editor_page = new_page()
    log_in(editor_page, url, editor)
    editor_page.goto(f"{url}/admin/articles/article/add/")
    choose_autocomplete(editor_page, "question", "cystitis", QUESTION)
    editor_page.get_by_label("Headline").fill("Treating uncomplicated cystitis")
    # Leaving the headline fills the slug from it; the editor shortens it.
    editor_page.get_by_label("Headline").press("Tab")
    slug = editor_page.get_by_label("Slug")
    expect(slug).to_be_focused()
    expect(slug).to_have_value("treating-uncomplicated-cystitis")
    slug.fill("treating-cystitis")
    expect(slug).to_have_value("treating-cystitis")
    choose_autocomplete(editor_page, "topic", "Uro", topic.name)
    editor_page.get_by_label("Bottom line").fill(
        "Nitrofurantoin is a first-line choice [@demo-guideline]."
    )
    section = editor_page.locator("#sections-0")  # not the hidden template for new sections
    section.get_by_label("Heading").fill("How to treat")
    section.get_by_label("Body").fill(WRONG)
    editor_page.get_by_role("button", name="Save and continue editing").click()
    expect_message(editor_page, "was added successfully")

    editor_page.get_by_role("link", name="Review screen").click()
    review_path = re.compile(r"/admin/articles/article/\d+/review/")
    expect(editor_page).to_have_url(review_path)
    review_url = editor_page.url
    editor_page.get_by_role("button", name="Submit for review").click()
    expect_message(editor_page, "Revision 1 submitted for review.")

    # A board member starts reviewing and asks for changes.
    reviewer1_page = new_page()
    log_in(reviewer1_page, url, reviewer1)
    reviewer1_page.goto(review_url)
    reviewer1_page.get_by_role("button", name="Start review").click()
    expect_message(reviewer1_page, "You are now reviewing this article.")
    reviewer1_page.get_by_label("Comment", exact=True).fill(REVIEW_COMMENT)
    reviewer1_page.get_by_role("button", name="Request changes").click()
    expect_message(reviewer1_page, "Changes requested; the editors have been told.")

    # The editor reads the comment, fixes the text and submits again.
    editor_page.reload()
    history = editor_page.locator(
        "section", has=editor_page.get_by_role("heading", name="Review history and comments")
    )
    expect(history.locator(".review-event--changes_requested")).to_contain_text(REVIEW_COMMENT)
    editor_page.get_by_role("link", name="Edit working copy").click()
    body = editor_page.locator("#sections-0").get_by_label("Body")
    expect(body).to_have_value(WRONG)
    body.fill(FIXED)
    editor_page.get_by_role("button", name="Save and continue editing").click()
    expect_message(editor_page, "was changed successfully")
    editor_page.get_by_role("link", name="Review screen").click()
    editor_page.get_by_role("button", name="Submit for review").click()
    expect_message(editor_page, "Revision 2 submitted for review.")

    # The first board member starts reviewing the fixed revision: they hold the review now.
    reviewer1_page.reload()
    reviewer1_page.get_by_role("button", name="Start review").click()
    expect_message(reviewer1_page, "You are now reviewing this article.")
    expect(reviewer1_page.locator(".review-holder")).to_contain_text("Rob One (you), since")

    # Another board member can't decide on it: they see who holds it and take it over.
    reviewer2_page = new_page()
    log_in(reviewer2_page, url, reviewer2)
    reviewer2_page.goto(review_url)
    expect(reviewer2_page.locator(".review-holder")).to_contain_text("Rob One, since")
    expect(reviewer2_page.get_by_role("note")).to_contain_text("Rob One holds this review (since")
    expect(reviewer2_page.get_by_role("button", name="Approve revision 2")).to_have_count(0)
    expect(reviewer2_page.get_by_role("button", name="Request changes")).to_have_count(0)
    reviewer2_page.get_by_role("button", name="Take over review").click()  # no reason yet
    expect(reviewer2_page.get_by_role("alert")).to_contain_text("a reason is required")
    reviewer2_page.get_by_label("Reason for taking over").fill(TAKE_OVER_REASON)
    reviewer2_page.get_by_role("button", name="Take over review").click()
    expect_message(reviewer2_page, "You now hold this review")
    expect(reviewer2_page.locator(".review-holder")).to_contain_text("Ana Ruiz (you), since")

    # The first board member's open screen is stale: their approval is refused, and says why.
    reviewer1_page.get_by_role("button", name="Approve revision 2").click()
    expect(reviewer1_page.get_by_role("alert")).to_contain_text("Ana Ruiz took over this review on")
    expect(reviewer1_page.get_by_role("button", name="Approve revision 2")).to_have_count(0)
    expect(reviewer1_page.get_by_role("button", name="Take over review")).to_be_visible()

    # The new holder approves.
    reviewer2_page.get_by_role("button", name="Approve revision 2").click()
    expect_message(reviewer2_page, "Approved revision 2. It is now the public text.")

    # A reader sees the approved text, who reviewed it, and its reference.
    reader = new_page()
    reader.goto(f"{url}/articles/treating-cystitis/")
    expect(reader.get_by_role("heading", name="Treating uncomplicated cystitis")).to_be_visible()
    expect(reader.get_by_text(FIXED)).to_be_visible()
    expect(reader.get_by_text(WRONG)).to_have_count(0)
    expect(reader.get_by_text("pending human review")).to_have_count(0)
    expect(reader.locator(".tracker [aria-current='step']")).to_contain_text("Approved")
    expect(reader.locator(".reviewed-by")).to_contain_text(
        "Medically reviewed by Ana Ruiz, MD, PhD"
    )
    expect(reader.get_by_role("link", name="Ana Ruiz, MD, PhD")).to_have_attribute(
        "href", "/board/ana-ruiz/"
    )
    reader.locator(".bottom-line").get_by_role("link", name="Reference 1", exact=True).click()
    reader.wait_for_url("**#ref-1")
    target = reader.locator(":target")
    expect(target).to_have_attribute("id", "ref-1")
    expect(target).to_contain_text(reference.title)

    # What the database recorded.
    article = Article.objects.get(slug="treating-cystitis")
    assert article.status == Article.Status.APPROVED
    approvals = ReviewEvent.objects.filter(article=article, action=ReviewEvent.Action.APPROVED)
    assert [event.actor for event in approvals] == [reviewer2]
    assert [event.outside_specialty for event in approvals] == [False]  # in her specialty
    requests = ReviewEvent.objects.filter(
        article=article, action=ReviewEvent.Action.CHANGES_REQUESTED
    )
    assert [(event.actor, event.comment) for event in requests] == [(reviewer1, REVIEW_COMMENT)]
    taken = ReviewEvent.objects.filter(article=article, action=ReviewEvent.Action.TAKEN_OVER)
    assert [(e.actor, e.assignee, e.comment) for e in taken] == [
        (reviewer2, reviewer2, TAKE_OVER_REASON)
    ]
    assert article.assigned_reviewer is None  # the approval ended the claim
    approved = approvals.get().revision
    assert approved.number == 2
    assert approved.pk == article.approval.revision_id
    assert [section["body"] for section in approved.content["sections"]] == [FIXED]

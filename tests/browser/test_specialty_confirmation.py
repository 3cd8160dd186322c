"""Approving outside one's specialties, the way a board member does it: the review screen
refuses the approval until the box naming the article's specialty is ticked (from the
keyboard, found by its label), then approves, and the review log says it was outside the
approver's declared specialties, confirmed."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, ReviewEvent
from reviews import roles, specialties
from tests.browser.admin_login import log_in, with_password
from tests.factories import ArticleFactory, TopicFactory, board_member, user_with_role, workflow_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

OUTSIDE_MARK = "(outside their declared specialties, confirmed)"


def test_a_board_member_confirms_an_approval_outside_their_specialty(live_server, page):
    oncologist = with_password(
        board_member(specialties=["Oncology"], username="olga", first_name="Olga", last_name="Onc")
    )
    editor = user_with_role(roles.EDITORS, username="editor")
    topic = TopicFactory(name="Heart rhythm", specialty__name="Cardiology")
    article = workflow_to(
        ArticleFactory(topic=topic, headline="Treating atrial fibrillation"),
        "submitted",
        editor=editor,
    )
    prompt = specialties.confirmation_prompt(article)

    log_in(page, live_server.url, oncologist)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/review/")
    approve = page.get_by_role("button", name="Approve revision 1")

    # Without the box ticked, the approval is refused and nothing is recorded.
    approve.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "This article is in Cardiology, outside the specialties on your board profile."
    )
    article.refresh_from_db()
    assert article.status == Article.Status.SUBMITTED
    assert not article.review_events.filter(action=ReviewEvent.Action.APPROVED).exists()

    # The box is found by its label and ticked from the keyboard.
    box = page.get_by_label(prompt)
    expect(box).not_to_be_checked()
    box.focus()
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    approve.click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Approved revision 1. It is now the public text."
    )
    approval = page.locator(".review-event--approved")
    expect(approval).to_contain_text("Approved by Olga Onc")
    expect(approval).to_contain_text(OUTSIDE_MARK)
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.approval.actor == oncologist
    assert article.approval.outside_specialty is True

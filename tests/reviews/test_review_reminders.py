"""`manage.py send_review_reminders`: one digest per person, through the outbox, of the
approved articles whose periodic review is overdue (first, with how long) or due within
--days; to the board member who last approved each (while still an active board member) and
to every chief editor; never the same reminder twice, however often it runs."""

import datetime
import io
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.models.review import ReviewReminder
from outbox.models import Message
from reviews import notifications, roles, services
from tests.factories import ArticleFactory, SectionFactory, StaffUserFactory, workflow_to

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def person(*groups, **fields):
    """Board members declare every factory topic's specialty: their approvals are ordinary."""
    if roles.MEDICAL_ADVISORY_BOARD in groups:
        fields.setdefault("specialties", ["General medicine"])
    return StaffUserFactory(roles=groups, **fields)


def approved(headline, *, by, due_in_days):
    """An article `by` approved, its review due `due_in_days` from today (negative: overdue)."""
    article = ArticleFactory(headline=headline)
    SectionFactory(article=article)
    workflow_to(article, Article.Status.APPROVED, reviewer=by)
    Article.objects.filter(pk=article.pk).update(
        next_review_due=TODAY + datetime.timedelta(days=due_in_days)
    )
    return Article.objects.get(pk=article.pk)


def run(*args, today=None) -> str:
    out = io.StringIO()
    if today is None:
        call_command("send_review_reminders", *args, stdout=out)
    else:
        with mock.patch.object(notifications.timezone, "localdate", return_value=today):
            call_command("send_review_reminders", *args, stdout=out)
    return out.getvalue().strip()


def digests() -> dict:
    """{recipient: (subject, body)} of the digests queued in the outbox."""
    found = {}
    for message in Message.objects.filter(subject__startswith="[Vetted] Periodic reviews"):
        (recipient,) = message.recipients
        assert recipient not in found, "two digests to one person in one run"
        found[recipient] = (message.subject, message.body)
    return found


def review_link(article) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse("admin:articles_article_review", args=[article.pk])


@pytest.fixture
def newsroom():
    chief = person(roles.CHIEF_EDITORS, first_name="Cleo", last_name="Chief")
    ana = person(roles.MEDICAL_ADVISORY_BOARD, first_name="Ana", last_name="Ruiz")
    ben = person(roles.MEDICAL_ADVISORY_BOARD, first_name="Ben", last_name="Okafor")
    articles = {
        "overdue": approved("Overdue one", by=ana, due_in_days=-10),
        "soon": approved("Due soon", by=ana, due_in_days=5),
        "later": approved("Due later", by=ben, due_in_days=20),
        "far": approved("Far off", by=ben, due_in_days=40),
    }
    ArticleFactory(headline="Never approved")  # no review date: never listed
    Message.objects.all().delete()  # the approvals' own mails
    return {"chief": chief, "ana": ana, "ben": ben, **articles}


def test_each_person_gets_one_digest_overdue_first(newsroom):
    summary = run()
    found = digests()
    assert set(found) == {newsroom[p].email for p in ("chief", "ana", "ben")}

    subject, body = found[newsroom["chief"].email]
    assert subject == "[Vetted] Periodic reviews: 1 overdue, 2 due within 30 days"
    assert body.startswith("Hello Cleo Chief,")
    assert "Overdue:\n- “Overdue one”: overdue by 10 days (due " in body
    assert "Due soon" in body
    assert body.index("Overdue one") < body.index("Due soon") < body.index("Due later")
    assert "Far off" not in body
    assert "Never approved" not in body
    assert "(in 5 days)" in body
    assert "last reviewed by Ana Ruiz on" in body
    for key in ("overdue", "soon", "later"):
        assert review_link(newsroom[key]) in body

    _, body = found[newsroom["ana"].email]
    assert "Overdue one" in body
    assert "Due soon" in body
    assert "Due later" not in body  # Ben's approval: Ana is not told
    _, body = found[newsroom["ben"].email]
    assert "Due later" in body
    assert "Overdue one" not in body

    assert summary == (
        "Review reminders: 3 digests queued, covering 1 overdue article and 2 due within 30 "
        "days; 0 reminders already sent before, not repeated."
    )


def test_running_twice_the_same_day_sends_nothing_more(newsroom):
    run()
    first = Message.objects.count()
    assert first == 3
    summary = run()
    assert Message.objects.count() == first
    assert summary.startswith("Review reminders: 0 digests queued, covering 0 overdue")
    assert summary.endswith("6 reminders already sent before, not repeated.")
    assert ReviewReminder.objects.count() == 6  # chief 3, Ana 2, Ben 1


def test_days_widens_the_window_and_only_new_articles_are_sent(newsroom):
    run()
    Message.objects.all().delete()
    summary = run("--days", "60")
    found = digests()
    assert set(found) == {newsroom["chief"].email, newsroom["ben"].email}
    for subject, body in found.values():
        assert subject == "[Vetted] Periodic reviews: 1 due within 60 days"
        assert "Far off" in body
        assert "Due later" not in body
    assert "covering 0 overdue articles and 1 due within 60 days" in summary


def test_a_short_window_leaves_out_what_is_not_due_yet(newsroom):
    run("--days", "0")
    for _, body in digests().values():
        assert "Overdue one" in body
        assert "Due soon" not in body


def test_an_article_that_becomes_overdue_is_sent_again_as_overdue(newsroom):
    run()
    Message.objects.all().delete()
    summary = run(today=TODAY + datetime.timedelta(days=6))
    found = digests()
    assert set(found) == {newsroom["chief"].email, newsroom["ana"].email}
    subject, body = found[newsroom["ana"].email]
    assert subject == "[Vetted] Periodic reviews: 1 overdue"
    assert "“Due soon”: overdue by 1 day (due " in body
    assert "Overdue one" not in body  # already told it was overdue
    assert "covering 1 overdue article and 0 due" in summary


def test_a_confirmation_moves_the_due_date_and_ends_the_reminders(newsroom):
    other = person(roles.MEDICAL_ADVISORY_BOARD)
    services.confirm_current(newsroom["overdue"], by=other)
    run()
    for _, body in digests().values():
        assert "Overdue one" not in body
    assert not ReviewReminder.objects.filter(article=newsroom["overdue"]).exists()


@pytest.mark.parametrize("gone", ["inactive", "left_the_board", "administers_accounts"])
def test_an_approver_who_may_no_longer_review_is_not_reminded(newsroom, gone):
    ana = newsroom["ana"]
    match gone:
        case "inactive":
            ana.is_active = False
            ana.save()
        case "left_the_board":
            ana.groups.remove(Group.objects.get(name=roles.MEDICAL_ADVISORY_BOARD))
        case "administers_accounts":
            ana.user_permissions.add(
                Permission.objects.get(content_type__app_label="auth", codename="change_user")
            )
    run()
    found = digests()
    assert ana.email not in found
    assert "Overdue one" in found[newsroom["chief"].email][1]  # the chief editors still are


def test_inactive_chief_editors_and_people_without_an_address_get_nothing(newsroom):
    chief = newsroom["chief"]
    chief.is_active = False
    chief.save()
    ben = newsroom["ben"]
    ben.email = ""
    ben.save()
    run()
    assert set(digests()) == {newsroom["ana"].email}


def test_a_chief_editor_who_approved_gets_each_article_once(newsroom):
    both = person(
        roles.CHIEF_EDITORS, roles.MEDICAL_ADVISORY_BOARD, first_name="Bo", last_name="Th"
    )
    Group.objects.get(name=roles.CHIEF_EDITORS).permissions.remove(
        *Permission.objects.filter(content_type__app_label="auth")
    )  # a chief editor without account rights may review (reviews.roles, older groups)
    approved("Approved by a chief", by=type(both).objects.get(pk=both.pk), due_in_days=3)
    run()
    _, body = digests()[both.email]
    assert body.count("Approved by a chief") == 1


def test_a_long_digest_lists_the_first_and_counts_the_rest_which_are_recorded(newsroom):
    with mock.patch.object(notifications, "REMINDER_LIST_LENGTH", 2):
        run()
        subject, body = digests()[newsroom["chief"].email]
        assert subject == "[Vetted] Periodic reviews: 1 overdue, 2 due within 30 days"
        assert "Overdue one" in body
        assert "Due soon" in body
        assert "Due later" not in body
        assert "And 1 more not listed here" in body
        assert "/admin/articles/article/?work=overdue" in body
        assert ReviewReminder.objects.filter(recipient=newsroom["chief"]).count() == 3
        assert "And " not in digests()[newsroom["ana"].email][1]  # two: all listed
        count = Message.objects.count()
        run()  # the same day again: nothing, not even the unlisted one
        assert Message.objects.count() == count


def test_the_digests_are_mailed_after_commit(
    newsroom, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        newsroom[p].email for p in ("chief", "ana", "ben")
    )
    assert all(m.subject.startswith("[Vetted] Periodic reviews: ") for m in mailoutbox)


def test_nothing_due_sends_nothing(db):
    assert run() == (
        "Review reminders: 0 digests queued, covering 0 overdue articles and 0 due within 30 "
        "days; 0 reminders already sent before, not repeated."
    )
    assert not Message.objects.exists()


@pytest.mark.parametrize("days", ["-1", "400"])
def test_days_out_of_range_is_refused(db, days):
    with pytest.raises(CommandError, match="--days must be between 0 and 366"):
        run("--days", days)

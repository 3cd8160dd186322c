"""A revision whose stored text no longer matches its hash (changed in the database, outside
the application) loses its badge, is logged, is reported once to the chief editors, and is
listed by `manage.py verify_revisions`."""

import logging

import pytest
from django.core.management import CommandError, call_command

from articles import page_cache
from articles.signals import revision_tampered
from outbox.models import Message
from reviews import roles
from tests.factories import ArticleFactory, SectionFactory, workflow_to
from tests.factories import user_with_role as person
from tests.tampering import tamper

pytestmark = pytest.mark.django_db

BADGE = "Medically reviewed by"


@pytest.fixture
def chiefs():
    """Two chief editors who get the alert; one without an address and one who left don't."""
    people = [person(roles.CHIEF_EDITORS, username=name) for name in ("chief", "chief2")]
    person(roles.CHIEF_EDITORS, username="no-address", email="")
    person(roles.CHIEF_EDITORS, username="left", is_active=False)
    return people


@pytest.fixture
def approved():
    article = ArticleFactory(headline="Treating a sore throat", bottom_line="Rest and fluids.")
    SectionFactory(article=article)
    return workflow_to(article, "approved")


def alter(revision, bottom_line="Antibiotics for everyone."):
    tamper(revision, {**revision.content, "bottom_line": bottom_line})


def alerts():
    return Message.objects.filter(subject__startswith="[Vetted] Integrity alert")


def test_a_tampered_revision_loses_its_badge_is_logged_and_alerted_once(
    client, chiefs, approved, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    url = approved.get_absolute_url()
    assert BADGE in client.get(url).content.decode()
    revision = approved.approval.revision
    alter(revision)
    page_cache.invalidate([approved.slug])  # the stored page goes: the next request renders

    with caplog.at_level(logging.ERROR, logger="vetted.integrity"):
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                html = client.get(url).content.decode()
            assert BADGE not in html
            assert "pending human review" in html
            page_cache.invalidate([approved.slug])

    logged = [r for r in caplog.records if r.name == "vetted.integrity"]
    assert len(logged) == 3  # every render of it is logged…
    assert f"Revision {revision.pk} (number 1) of article {approved.pk}" in logged[0].getMessage()
    alert = alerts().get()  # …and the chief editors hear of it once
    assert alert.recipients == ["chief2@example.org", "chief@example.org"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["chief2@example.org", "chief@example.org"]
    assert "“Treating a sore throat”, revision 1" in mailoutbox[0].subject
    assert revision.content_hash in mailoutbox[0].body
    assert f"/admin/articles/revision/{revision.pk}/change/" in mailoutbox[0].body


def test_a_second_different_alteration_is_alerted_again(
    client, chiefs, approved, django_capture_on_commit_callbacks
):
    revision = approved.approval.revision
    for text in ("First alteration.", "First alteration.", "Second alteration."):
        alter(revision, text)
        page_cache.invalidate([approved.slug])  # rendered afresh, as after the page expires
        with django_capture_on_commit_callbacks(execute=True):
            client.get(approved.get_absolute_url())
    assert alerts().count() == 2


def test_an_intact_revision_alerts_nobody(
    client, chiefs, approved, django_capture_on_commit_callbacks
):
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    revision_tampered.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert BADGE in client.get(approved.get_absolute_url()).content.decode()
    finally:
        revision_tampered.disconnect(receiver)
    assert received == []
    assert not alerts().exists()


def test_a_failing_alert_still_serves_the_page_and_is_tried_again(
    client, chiefs, approved, caplog, monkeypatch
):
    from reviews import notifications

    tried = []

    def broken_queue(subject, body, recipients):
        tried.append(subject)
        raise RuntimeError("the outbox is unreachable")

    monkeypatch.setattr(notifications, "queue", broken_queue)
    alter(approved.approval.revision)
    for _ in range(2):
        page_cache.invalidate([approved.slug])  # the next render (not a stored page) tries
        response = client.get(approved.get_absolute_url())
        assert response.status_code == 200
        assert BADGE not in response.content.decode()
    assert len(tried) == 2  # the failed alert is not remembered as sent
    assert "the outbox is unreachable" in caplog.text


def test_verify_revisions_lists_each_mismatch_and_exits_1(approved, capsys):
    call_command("verify_revisions")
    assert "Checked 1 revision(s): 0 mismatch(es)." in capsys.readouterr().out

    other = workflow_to(ArticleFactory(headline="Another article"), "submitted")
    alter(approved.approval.revision)
    with pytest.raises(CommandError, match=r"Checked 2 revision\(s\): 1 mismatch\(es\)") as error:
        call_command("verify_revisions", chunk_size=1)
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert f"“Treating a sore throat” ({approved.slug}), revision 1 — the approved one" in out
    assert other.slug not in out


def test_verify_revisions_exit_status_from_the_command_line(approved, monkeypatch, capsys):
    """manage.py turns the CommandError into exit status 1."""
    from django.core.management import ManagementUtility

    alter(approved.approval.revision)
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "verify_revisions"]).execute()
    assert exit_.value.code == 1
    assert "1 mismatch(es)" in capsys.readouterr().err

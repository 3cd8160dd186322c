"""Follow-up questions get an answer: while a reader types, the approved articles that may
already answer the question (`articles:follow_up_suggestions`, for static/js/follow-up.js);
after sending, a confirmation listing the same matches without JavaScript; the form's
accessibility; editors answering a question with an approved article, which e-mails the
asker once (`articles.questions.mark_answered`); and askers' addresses kept from the board."""

import re
import threading
import time
import types
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_ratelimit import core

from articles import questions, views
from articles.models import Article, Question
from outbox.models import Message as OutboxMessage
from reviews import roles
from tests.factories import (
    ArticleFactory,
    QuestionFactory,
    SectionFactory,
    logged_in,
    staff,
    workflow_to,
)

pytestmark = pytest.mark.django_db

ASKED = "Are iron supplements safe during pregnancy?"
EMAIL = "asker@example.org"


def article_about(headline, question, status="approved", body="Plain words about it."):
    article = ArticleFactory(headline=headline, question=QuestionFactory(text=question))
    SectionFactory(article=article, position=1, heading="In short", body=body)
    return workflow_to(article, status)


@pytest.fixture
def shelf():
    """The article being read, an approved one that answers ASKED, one in review that would
    too, and an unrelated approved one."""
    return types.SimpleNamespace(
        reading=article_about(
            "Iron deficiency in adults", "How should iron deficiency be treated in adults?"
        ),
        match=article_about(
            "Iron supplements in pregnancy", "Are iron supplements safe during pregnancy?"
        ),
        pending=article_about(
            "Iron supplements during pregnancy: doses",
            "Which iron supplements are safe during pregnancy?",
            status="submitted",
        ),
        unrelated=article_about("Tension headaches", "How are tension headaches treated?"),
    )


def suggest(client, article, text):
    return client.post(
        reverse("articles:follow_up_suggestions", args=[article.slug]), {"text": text}
    )


def ask(client, article, text=ASKED, email=EMAIL, **data):
    return client.post(
        reverse("articles:follow_up", args=[article.slug]),
        {"text": text, "asker_email": email, **data},
    )


def answers():
    """The e-mails to askers in the outbox (the workflow's own go there too)."""
    return OutboxMessage.objects.filter(subject=questions.EMAIL_SUBJECT)


def token_of(location) -> str:
    return parse_qs(urlsplit(location).query)["c"][0]


def linked_headlines(html) -> list[str]:
    return re.findall(r'<a href="/articles/[^"]+/">([^<]+)</a>', html)


# --- while typing ---------------------------------------------------------------------------


def test_typing_shows_approved_matches_but_not_the_article_being_read(client, shelf):
    response = suggest(client, shelf.reading, ASKED)
    html = response.content.decode()
    assert response.status_code == 200
    assert "These approved articles may already answer it" in html
    assert linked_headlines(html)[0] == shelf.match.headline
    assert f'href="{shelf.match.get_absolute_url()}"' in html
    assert shelf.reading.headline not in html  # the one being read
    assert shelf.pending.headline not in html  # not approved
    assert shelf.unrelated.headline not in html


def test_suggestions_are_never_cached_and_are_posted_not_put_in_a_url(client, shelf):
    response = suggest(client, shelf.reading, ASKED)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    url = reverse("articles:follow_up_suggestions", args=[shelf.reading.slug])
    assert client.get(url, {"text": ASKED}).status_code == 405


def test_too_little_text_gives_an_empty_answer(client, shelf):
    response = suggest(client, shelf.reading, " ir ")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_only_the_start_of_a_long_text_is_searched(client, shelf):
    cutoff = views.SUGGESTION_MAX_TEXT
    filler = "x" * (cutoff + 5)
    assert linked_headlines(suggest(client, shelf.reading, f"{ASKED} {filler}").content.decode())
    late = suggest(client, shelf.reading, f"{filler} {ASKED}")
    assert late.status_code == 200
    assert linked_headlines(late.content.decode()) == []
    huge = suggest(client, shelf.reading, "pregnancy " * 100_000)
    assert huge.status_code == 200


def test_suggested_headlines_are_escaped(client, shelf):
    article_about("Iron <b>tablets</b> & pregnancy", "Do iron tablets in pregnancy cause nausea?")
    html = suggest(client, shelf.reading, "iron tablets pregnancy").content.decode()
    assert "Iron &lt;b&gt;tablets&lt;/b&gt; &amp; pregnancy" in html
    assert "<b>" not in html


@pytest.mark.parametrize("text", ["iron\x00pregnancy", "🙂" * 400, "\u202e" * 50, "' OR 1=1 --"])
def test_odd_text_is_answered_calmly(client, shelf, text):
    assert suggest(client, shelf.reading, text).status_code == 200


def test_suggestions_are_given_only_to_our_own_pages(shelf):
    client = Client(enforce_csrf_checks=True)
    url = reverse("articles:follow_up_suggestions", args=[shelf.reading.slug])
    own = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
    assert client.post(url, {"text": ASKED}, **own).status_code == 200
    other = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"}
    assert client.post(url, {"text": ASKED}, **other).status_code == 403


def test_suggestions_only_for_an_article_readers_can_see(client, shelf):
    draft = ArticleFactory()
    assert suggest(client, draft, ASKED).status_code == 404


def test_suggestions_are_limited_per_client_address(monkeypatch, shelf):
    now = types.SimpleNamespace(value=1_700_000_000.0)
    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: now.value))
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(60):
        assert suggest(client, shelf.reading, ASKED).status_code == 200
    refused = suggest(client, shelf.reading, ASKED)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert suggest(Client(REMOTE_ADDR="198.51.100.7"), shelf.reading, ASKED).status_code == 200
    # Sending a question has its own limit, untouched by typing.
    assert ask(client, shelf.reading).status_code == 302
    now.value += 60
    assert suggest(client, shelf.reading, ASKED).status_code == 200


def test_the_article_page_carries_the_script_and_the_live_region(client, shelf):
    html = client.get(shelf.reading.get_absolute_url()).content.decode()
    url = reverse("articles:follow_up_suggestions", args=[shelf.reading.slug])
    assert f'data-suggestions-url="{url}"' in html
    assert re.search(r'<script src="/static/js/follow-up\.js" defer></script>', html)
    assert '<div class="follow-up-matches" id="follow-up-matches" hidden></div>' in html
    assert 'id="follow-up-matches-status" role="status"' in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline handlers (strict CSP)


# --- after sending --------------------------------------------------------------------------


def test_sending_leads_to_a_confirmation_listing_the_same_matches(client, shelf):
    live = linked_headlines(suggest(client, shelf.reading, ASKED).content.decode())

    response = ask(client, shelf.reading)

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(reverse("articles:follow_up_sent", args=[shelf.reading.slug]))
    page = client.get(location)
    html = page.content.decode()
    assert page.status_code == 200
    assert "your question has reached our editors" in html
    assert "we will e-mail you a link to it, once" in html
    shown = linked_headlines(html.split('id="matches-title"')[1])
    assert shown[: len(live)] == live == [shelf.match.headline]
    assert '<meta name="robots" content="noindex">' in html
    assert Question.objects.get(follow_up_to=shelf.reading).text == ASKED


def test_the_confirmation_address_holds_no_personal_data(client, shelf):
    location = ask(client, shelf.reading, "Is iron safe for me at 41 weeks?", "me@example.org")[
        "Location"
    ]
    token = token_of(location)
    assert set(signing.loads(token, salt=views.SENT_SALT)) == {"a", "m", "e"}
    for personal in ("iron", "weeks", "me@example.org", "example"):
        assert personal not in signing.b64_decode(token.split(":")[0].encode()).decode().lower()
        assert personal not in location.lower()


def test_without_an_email_address_the_confirmation_says_no_reply_will_come(client, shelf):
    html = client.get(ask(client, shelf.reading, email="")["Location"]).content.decode()
    assert "You left no e-mail address" in html
    assert "we will e-mail you" not in html


def test_spam_gets_the_same_confirmation_and_stores_nothing(client, shelf):
    real = client.get(ask(client, shelf.reading)["Location"]).content.decode()
    spam_response = ask(client, shelf.reading, website="http://spam.example")
    assert spam_response.status_code == 302
    spam = client.get(spam_response["Location"]).content.decode()
    assert spam == real
    assert Question.objects.filter(follow_up_to=shelf.reading).count() == 1


def test_a_confirmation_with_a_broken_or_foreign_address_shows_nothing_sent(client, shelf):
    sent_url = reverse("articles:follow_up_sent", args=[shelf.reading.slug])
    location = ask(client, shelf.reading)["Location"]
    token = token_of(location)
    forged = signing.dumps({"a": shelf.reading.pk, "m": [shelf.match.pk], "e": True}, salt="x")
    elsewhere = reverse("articles:follow_up_sent", args=[shelf.unrelated.slug])
    for url in (sent_url, f"{sent_url}?c={token[:-2]}", f"{sent_url}?c={forged}",
                f"{elsewhere}?c={token}"):  # fmt: skip
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "This confirmation has expired" in html
        assert shelf.match.headline not in html


@pytest.mark.parametrize("token", ["\x00", "é:é:é", "a" * 5000, "%", "W10:1xa:x"])
def test_odd_confirmation_addresses_are_answered_calmly(client, shelf, token):
    url = reverse("articles:follow_up_sent", args=[shelf.reading.slug])
    response = client.get(url, {"c": token})
    assert response.status_code == 200
    assert "This confirmation has expired" in response.content.decode()


def test_the_confirmation_expires_after_a_day(client, shelf, monkeypatch):
    stamp = int(time.time()) - views.SENT_MAX_AGE - 60
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(stamp)
    )
    location = ask(client, shelf.reading)["Location"]
    monkeypatch.undo()
    assert "This confirmation has expired" in client.get(location).content.decode()


def test_a_match_no_longer_approved_is_left_off_the_confirmation(client, shelf):
    from reviews import services

    location = ask(client, shelf.reading)["Location"]
    services.unpublish(shelf.match, by=staff(roles.CHIEF_EDITORS), comment="Out of date.")
    html = client.get(location).content.decode()
    assert "your question has reached our editors" in html
    assert shelf.match.headline not in html


# --- the form -------------------------------------------------------------------------------


def test_the_error_summary_links_to_each_wrong_field_and_both_show_their_state(client, shelf):
    response = ask(client, shelf.reading, "Too short?", "not-an-address")
    html = response.content.decode()
    assert response.status_code == 400
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    assert '<a href="#id_text">Your question: Ensure this value has at least 15' in summary
    assert '<a href="#id_asker_email">Email (optional): Enter a valid email address.' in summary
    assert "Please correct the marked fields" in html
    for name in ("text", "asker_email"):
        tag = re.search(rf'<(?:textarea|input)[^>]*id="id_{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        assert described == [f"id_{name}_helptext", f"id_{name}_error"]
        for target in described:
            assert f'id="{target}"' in html
    assert html.count('class="field field--error"') == 2
    assert "Too short?</textarea>" in html
    assert 'value="not-an-address"' in html


def test_the_email_field_asks_for_the_readers_address(client, shelf):
    html = client.get(shelf.reading.get_absolute_url()).content.decode()
    tag = re.search(r'<input[^>]*id="id_asker_email"[^>]*>', html).group(0)
    assert 'type="email"' in tag
    assert 'autocomplete="email"' in tag
    assert 'aria-describedby="id_asker_email_helptext"' in tag
    assert 'id="id_asker_email_helptext"' in html


def test_the_email_field_has_a_visible_error_style():
    from django.contrib.staticfiles import finders

    with open(finders.find("css/site.css"), encoding="utf-8") as file:  # noqa: PTH123
        css = file.read()
    follow_up = css[css.index("/* Follow-up */") :]
    error_state = r'\.field--error input\[type="email"\][^{]*\{[^}]*border-color: var\(--danger\)'
    assert re.search(error_state, follow_up)


# --- answering ------------------------------------------------------------------------------


@pytest.fixture
def editor():
    return staff(roles.EDITORS, first_name="Eda", last_name="Editor")


@pytest.fixture
def asked(shelf):
    return Question.objects.create(
        text=ASKED,
        source=Question.Source.READER,
        follow_up_to=shelf.reading,
        asker_email=EMAIL,
    )


def test_answering_emails_the_asker_a_link_once(
    shelf, asked, editor, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.SITE_URL = "https://vetted.example"
    with django_capture_on_commit_callbacks(execute=True):
        result = questions.mark_answered(asked, shelf.match, by=editor)

    assert result.emailed
    assert not result.already_emailed
    asked.refresh_from_db()
    assert (asked.status, asked.answer) == (Question.Status.ANSWERED, shelf.match)
    assert asked.answer_sent_at is not None
    assert asked.history.first().history_user == editor
    [mail] = mailoutbox
    assert mail.to == [EMAIL]
    assert mail.subject == questions.EMAIL_SUBJECT
    assert f"https://vetted.example{shelf.match.get_absolute_url()}" in mail.body
    assert shelf.match.headline in mail.body
    assert "approved by a clinician on our Medical Advisory Board" in mail.body
    assert "not advice about you" in mail.body
    assert "We used your e-mail address for this one reply only" in mail.body

    sent_at = asked.answer_sent_at
    with django_capture_on_commit_callbacks(execute=True):
        again = questions.mark_answered(asked, shelf.unrelated, by=editor)
    assert not again.emailed
    assert again.already_emailed
    asked.refresh_from_db()
    assert asked.answer == shelf.unrelated
    assert asked.answer_sent_at == sent_at
    assert len(mailoutbox) == 1
    assert answers().count() == 1


def test_the_email_is_plain_text_not_html_escaped(shelf, editor):
    question = Question.objects.create(
        text="Is iron & folic acid OK with <other> tablets in pregnancy?",
        source=Question.Source.READER,
        asker_email=EMAIL,
    )
    questions.mark_answered(question, shelf.match, by=editor)
    body = answers().get().body
    assert "iron & folic acid OK with <other> tablets" in body
    assert "&amp;" not in body


def test_an_article_not_approved_cannot_answer(shelf, asked, editor):
    with pytest.raises(questions.AnswerError, match="has no approved revision"):
        questions.mark_answered(asked, shelf.pending, by=editor)
    asked.refresh_from_db()
    assert (asked.status, asked.answer, asked.answer_sent_at) == (Question.Status.NEW, None, None)
    assert not answers().exists()


def test_no_address_no_email(shelf, editor):
    question = Question.objects.create(text=ASKED, source=Question.Source.READER)
    result = questions.mark_answered(question, shelf.match, by=editor)
    question.refresh_from_db()
    assert not result.emailed
    assert question.status == Question.Status.ANSWERED
    assert question.answer_sent_at is None
    assert not answers().exists()


def answer_at_once(question_pk, article, people) -> list:
    """Every person answers the question at the same moment, each in their own thread (and
    so on their own database connection): what each call returned or raised."""
    barrier = threading.Barrier(len(people))
    outcomes = []

    def run(person):
        try:
            mine = Question.objects.get(pk=question_pk)
            barrier.wait(timeout=10)
            outcomes.append(questions.mark_answered(mine, article, by=person))
        except Exception as error:  # reported to the test
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_editors_answering_at_once_send_one_email(shelf):
    editors = [staff(roles.EDITORS), staff(roles.EDITORS)]
    for _ in range(5):
        question = Question.objects.create(
            text=ASKED, source=Question.Source.READER, asker_email=EMAIL
        )
        outcomes = answer_at_once(question.pk, shelf.match, editors)
        assert all(isinstance(outcome, questions.Answered) for outcome in outcomes), outcomes
        assert sorted(outcome.emailed for outcome in outcomes) == [False, True]
        assert [m.recipients for m in answers().all()] == [[EMAIL]]
        answers().all().delete()


# --- answering in the admin -----------------------------------------------------------------


def change_url(question):
    return reverse("admin:articles_question_change", args=[question.pk])


def form_data(question, **changes):
    data = {
        "text": question.text,
        "source": question.source,
        "follow_up_to": str(question.follow_up_to_id or ""),
        "status": question.status,
        "answer": str(question.answer_id or ""),
        "triage_note": question.triage_note,
        "asker_email": question.asker_email,
    }
    return data | changes


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_change_form_answers_through_the_service(shelf, asked, editor):
    client = logged_in(editor)
    page = client.get(change_url(asked)).content.decode()
    assert re.search(r'<select[^>]*name="answer"[^>]*class="[^"]*admin-autocomplete', page)

    response = client.post(
        change_url(asked),
        form_data(asked, status=Question.Status.ANSWERED, answer=str(shelf.match.pk)),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    asked.refresh_from_db()
    assert (asked.status, asked.answer) == (Question.Status.ANSWERED, shelf.match)
    assert asked.answer_sent_at is not None
    assert [m.recipients for m in answers().all()] == [[EMAIL]]
    assert asked.history.first().history_user == editor
    assert any("1 asker will be sent a link" in m for m in messages_of(response))


def test_the_change_form_refuses_an_unapproved_answer_and_a_missing_one(shelf, asked, editor):
    client = logged_in(editor)
    unapproved = client.post(
        change_url(asked),
        form_data(asked, status=Question.Status.ANSWERED, answer=str(shelf.pending.pk)),
    )
    missing = client.post(change_url(asked), form_data(asked, status=Question.Status.ANSWERED))
    mismatched = client.post(
        change_url(asked),
        form_data(asked, status=Question.Status.DECLINED, answer=str(shelf.match.pk)),
    )

    assert unapproved.status_code == 200
    assert "this one has no approved revision yet" in unapproved.content.decode()
    assert "Choose the approved article that answers this reader" in missing.content.decode()
    assert "set the status to “Answered”" in mismatched.content.decode()
    asked.refresh_from_db()
    assert (asked.status, asked.answer) == (Question.Status.NEW, None)
    assert not answers().exists()


def test_the_action_asks_for_the_article_then_answers_every_question(shelf, asked, editor):
    other = Question.objects.create(text="Is it the same when breastfeeding?", source="reader")
    client = logged_in(editor)
    changelist = reverse("admin:articles_question_changelist")
    chosen = {"action": "mark_answered", "_selected_action": [asked.pk, other.pk]}

    page = client.post(changelist, {**chosen, "index": 0})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Choose the approved article that answers these 2 questions" in html
    assert re.search(r'<select[^>]*name="article"[^>]*class="[^"]*admin-autocomplete', html)
    assert Question.objects.filter(status=Question.Status.ANSWERED).count() == 0

    refused = client.post(changelist, {**chosen, "article": shelf.pending.pk, "apply": "1"})
    assert refused.status_code == 200
    assert "has no approved revision" in refused.content.decode()
    assert Question.objects.filter(status=Question.Status.ANSWERED).count() == 0

    done = client.post(changelist, {**chosen, "article": shelf.match.pk, "apply": "1"})
    assert done.status_code == 302
    assert set(Question.objects.filter(answer=shelf.match)) == {asked, other}
    assert answers().get().recipients == [EMAIL]
    [message] = [m for m in messages_of(done) if "marked answered" in m]
    assert message.startswith(f"2 questions marked answered by “{shelf.match}”. 1 asker will")


def test_accepting_and_declining_are_recorded_with_who_and_leave_answered_ones(
    shelf, asked, editor
):
    answered = Question.objects.create(text="Is it the same when breastfeeding?", source="reader")
    questions.mark_answered(answered, shelf.match, by=editor)
    response = logged_in(editor).post(
        reverse("admin:articles_question_changelist"),
        {"action": "mark_declined", "_selected_action": [asked.pk, answered.pk], "index": 0},
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    answered.refresh_from_db()
    assert asked.status == Question.Status.DECLINED
    assert asked.history.first().history_user == editor
    assert answered.status == Question.Status.ANSWERED
    assert any("1 answered question kept its answer" in m for m in messages_of(response))


# --- askers' addresses: for those who triage ------------------------------------------------


@pytest.fixture
def people():
    return {
        "reviewer": staff(roles.MEDICAL_ADVISORY_BOARD),
        "editor": staff(roles.EDITORS),
        "chief editor": staff(roles.CHIEF_EDITORS),
    }


@pytest.fixture
def with_history(asked, editor):
    """A question whose address was corrected once: its history holds two addresses."""
    asked.asker_email = "corrected@example.org"
    asked._history_user = editor
    asked.save()
    return asked


SEES = {"reviewer": False, "editor": True, "chief editor": True}


@pytest.mark.parametrize("role", SEES)
def test_only_those_who_triage_see_askers_addresses(role, people, with_history):
    client = logged_in(people[role])
    question = with_history
    latest = question.history.first()

    def page(url):
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    change_form = page(change_url(question))
    past_version = page(
        reverse("admin:articles_question_simple_history", args=[question.pk, latest.history_id])
    )
    history = page(reverse("admin:articles_question_history", args=[question.pk]))
    listing = page(reverse("admin:articles_question_changelist"))

    assert ("corrected@example.org" in change_form) is SEES[role]
    assert ('name="asker_email"' in change_form) is (role != "reviewer" and SEES[role])
    assert ("corrected@example.org" in past_version) is SEES[role]
    # The history's list of changes: from one address to the other.
    assert (EMAIL in history and "corrected@example.org" in history) is SEES[role]
    assert "corrected@example.org" not in history or SEES[role]
    assert question.text[:40] in listing
    assert "example.org" not in listing.replace(people[role].email, "")


@pytest.mark.parametrize("role", SEES)
def test_only_those_who_triage_find_questions_by_address(role, people, with_history):
    client = logged_in(people[role])
    changelist = reverse("admin:articles_question_changelist")
    found = client.get(changelist, {"q": "corrected@example"})
    assert (with_history.text[:40] in found.content.decode()) is SEES[role]
    guessed = client.get(changelist, {"asker_email__startswith": "corr"})
    assert guessed.status_code == (200 if SEES[role] else 400)
    # The article form's question picker searches questions too.
    picker = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "question",
            "term": "corrected@",
        },
    )
    assert picker.status_code == 200
    assert bool(picker.json()["results"]) is SEES[role]


def test_board_members_cannot_answer(shelf, asked, people):
    client = logged_in(people["reviewer"])
    response = client.post(
        change_url(asked),
        form_data(asked, status=Question.Status.ANSWERED, answer=str(shelf.match.pk)),
    )
    assert response.status_code == 403
    changelist = client.get(reverse("admin:articles_question_changelist")).content.decode()
    assert "mark_answered" not in changelist
    asked.refresh_from_db()
    assert asked.status == Question.Status.NEW
    assert Article.objects.filter(answered_questions=asked).count() == 0

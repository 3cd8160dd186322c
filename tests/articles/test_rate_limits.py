"""Follow-up questions are limited per client address (FOLLOW_UP_RATE, counted in the shared
cache): past the limit the reader gets the article page back with their question still in the
form, a 429 and a Retry-After, and nothing is stored."""

import re
import types

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.urls import reverse
from django_ratelimit import core

from articles.models import Question
from articles.views import FOLLOW_UP_LIMIT

pytestmark = pytest.mark.django_db

LIMIT = 5
WINDOW = 10 * 60
LIMITED_MESSAGE = (
    "You've sent several questions in a short time. Please wait a few minutes and send "
    "again — your question is still here."
)
KEPT = "Could the dose be lower for someone with kidney disease"


@pytest.fixture(autouse=True)
def clock(settings, monkeypatch):
    """The configured rate, and a clock that only moves when told: a fixed window can't end in
    the middle of a test."""
    assert settings.FOLLOW_UP_RATE == "5/10m"
    now = types.SimpleNamespace(value=1_700_000_000.0)
    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: now.value))
    return now


def reader(address="203.0.113.5", **headers):
    return Client(REMOTE_ADDR=address, **headers)


def ask(client, article, text="Is this also true for children under five?", **data):
    return client.post(
        reverse("articles:follow_up", args=[article.slug]),
        {"text": text, "asker_email": "reader@example.org", **data},
    )


def stored(article) -> int:
    return Question.objects.filter(follow_up_to=article).count()


def limited(response) -> bool:
    html = response.content.decode()
    retry_after = int(response.get("Retry-After", 0))
    return (
        response.status_code == 429
        and 1 <= retry_after <= WINDOW
        and LIMITED_MESSAGE in html
        and "Please correct the marked field" not in html
    )


def use_up(client, article, **data):
    responses = [ask(client, article, f"Question number {i} about this article?", **data)
                 for i in range(LIMIT)]  # fmt: skip
    assert [r.status_code for r in responses] == [302] * LIMIT
    return responses


def test_past_the_limit_the_question_comes_back_unsent_with_everything_typed(article):
    client = reader()
    use_up(client, article)
    assert stored(article) == LIMIT

    response = ask(client, article, KEPT, asker_email="kept@example.org")
    assert limited(response)
    html = response.content.decode()
    assert f"{KEPT}</textarea>" in html
    assert 'value="kept@example.org"' in html
    assert "<h1" in html  # the article page…
    assert 'id="follow-up"' in html  # …with its form
    assert stored(article) == LIMIT


def test_every_further_question_is_refused_until_the_window_ends(article, clock):
    client = reader()
    use_up(client, article)
    for _ in range(3):
        assert limited(ask(client, article))
    clock.value += WINDOW
    assert ask(client, article).status_code == 302
    assert stored(article) == LIMIT + 1


def test_retry_after_says_when_the_window_ends(article, clock):
    client = reader()
    use_up(client, article)
    first = int(ask(client, article)["Retry-After"])
    clock.value += 30
    assert int(ask(client, article)["Retry-After"]) == max(first - 30, 1)


def test_the_limit_comes_from_the_settings(settings, article):
    settings.FOLLOW_UP_RATE = "2/10m"
    client = reader()
    assert [ask(client, article).status_code for _ in range(3)] == [302, 302, 429]


def test_spam_counts_toward_the_limit(article):
    """The honeypot path stores nothing but counts: a bot can't go on forever, and it can't
    tell from the answers when it was dropped."""
    client = reader()
    use_up(client, article, website="http://spam.example")
    assert stored(article) == 0
    assert limited(ask(client, article, website="http://spam.example"))
    assert limited(ask(client, article, KEPT))
    assert stored(article) == 0


def test_refused_questions_count_too(article):
    client = reader()
    assert [ask(client, article, "Too short?").status_code for _ in range(LIMIT)] == [400] * LIMIT
    response = ask(client, article, "Too short?")
    assert limited(response)
    assert "at least 15 characters" in response.content.decode()  # still said, below the notice
    assert stored(article) == 0


def test_another_reader_is_not_affected(article):
    use_up(reader("203.0.113.5"), article)
    assert ask(reader("198.51.100.20"), article).status_code == 302
    assert stored(article) == LIMIT + 1


def test_the_limit_holds_across_articles(article):
    from tests.factories import ArticleFactory, workflow_to

    other = workflow_to(ArticleFactory(), "submitted")
    client = reader()
    use_up(client, article)
    assert limited(ask(client, other))
    assert stored(other) == 0


def test_reading_is_never_limited(article):
    client = reader()
    use_up(client, article)
    for _ in range(LIMIT + 1):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings, article):
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(LIMIT):
        client = reader("203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        assert ask(client, article).status_code == 302
    assert limited(ask(reader("203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99"), article))


def test_behind_a_proxy_each_reader_has_their_own_limit(settings, article):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    use_up(reader(proxy, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5"), article)
    # The same reader, claiming another address further left, is still the same reader…
    spoofing = reader(proxy, HTTP_X_FORWARDED_FOR="192.0.2.2, 203.0.113.5")
    assert limited(ask(spoofing, article))
    # …and another reader behind the same proxy is someone else.
    other = reader(proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert ask(other, article).status_code == 302


def test_the_count_lives_in_the_shared_cache(article):
    """Another app server, on its own cache connection, sees the same count and refuses."""
    use_up(reader(), article)
    original = caches["default"]
    try:
        caches["default"] = caches.create_connection("default")  # as in another process
        assert caches["default"] is not original
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
        usage = core.get_usage(request, **FOLLOW_UP_LIMIT)  # reads, doesn't count
        assert usage["count"] == LIMIT
        assert limited(ask(reader(), article))
    finally:
        caches["default"] = original


def test_the_refused_form_points_screen_readers_at_its_help_and_errors(article):
    client = reader()
    use_up(client, article)
    html = ask(client, article, "Too short?").content.decode()
    described_by = re.findall(r'aria-describedby="([^"]+)"', html)
    assert "id_text_helptext id_text_error" in described_by
    for target in " ".join(described_by).split():
        assert f'id="{target}"' in html

"""Sign-in lockout on the admin (django-axes, config/lockout.py): five wrong passwords for one
username, or from one address, and sign-in is paused for fifteen minutes, on every app server,
whoever sends the guesses and however many at once."""

import threading

import pytest
from axes.helpers import get_client_cache_keys
from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import AccountEvent
from reviews import roles
from tests.factories import UserFactory, logged_in, staff

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's
LIMIT = 5
COOL_OFF_SECONDS = 15 * 60


@pytest.fixture(autouse=True)
def _policy(settings):
    """The configured policy, whatever the environment says."""
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME.total_seconds() == COOL_OFF_SECONDS
    settings.TRUSTED_PROXY_COUNT = 0


@pytest.fixture
def ed(db):
    return UserFactory(username="ed", is_staff=True)


@pytest.fixture
def ann(db):
    return UserFactory(username="ann", is_staff=True)


@pytest.fixture
def password_checks(monkeypatch):
    """The usernames whose password was actually checked, in order."""
    checked = []
    lock = threading.Lock()
    check = ModelBackend.authenticate

    def counted(self, request, username=None, password=None, **kwargs):
        with lock:
            checked.append(username)
        return check(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    return checked


def client(address="203.0.113.1", **headers):
    return Client(REMOTE_ADDR=address, **headers)


def sign_in(client, username, password=PASSWORD, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **headers,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("admin:index")


def refused(response) -> bool:
    """The wrong-password answer: the sign-in form again, with its error."""
    return response.status_code == 200 and "Please enter the correct username" in (
        response.content.decode()
    )


def locked_out(response) -> bool:
    html = response.content.decode()
    return (
        response.status_code == 429
        and response["Retry-After"] == str(COOL_OFF_SECONDS)
        and "Sign-in is paused for 15 minutes." in html
        and "ask an account administrator to unlock" in html
        and 'name="password"' not in html
    )


def guess(client, username, times, **headers):
    return [sign_in(client, username, f"wrong {i}", **headers) for i in range(times)]


# -- one username ----------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(ed, password_checks):
    attacker = client()
    responses = guess(attacker, "ed", LIMIT)
    assert all(refused(r) for r in responses[:-1])
    assert locked_out(responses[-1])  # the fifth wrong password is answered with the pause

    assert locked_out(sign_in(attacker, "ed"))
    # Nor from anywhere else: it is the account that is paused.
    elsewhere = client("198.51.100.20")
    assert locked_out(sign_in(elsewhere, "ed"))
    assert "_auth_user_id" not in attacker.session
    assert "_auth_user_id" not in elsewhere.session
    assert password_checks == ["ed"] * LIMIT  # the paused attempts never reached the check


def test_the_pause_reads_the_same_for_an_account_that_does_not_exist(ed):
    for_ed = guess(client("203.0.113.1"), "ed", LIMIT)[-1]
    for_nobody = guess(client("203.0.113.2"), "nobody", LIMIT)[-1]
    assert locked_out(for_ed)
    assert locked_out(for_nobody)
    assert for_ed.content == for_nobody.content
    assert b"nobody" not in for_nobody.content


def test_another_user_from_another_address_still_signs_in(ed, ann):
    guess(client("203.0.113.1"), "ed", LIMIT)
    assert signed_in(sign_in(client("198.51.100.20"), "ann"))


def test_a_successful_sign_in_starts_the_count_again(ed):
    user = client()
    assert all(refused(r) for r in guess(user, "ed", LIMIT - 1))
    assert signed_in(sign_in(user, "ed"))
    user.logout()
    assert all(refused(r) for r in guess(user, "ed", LIMIT - 1))
    assert signed_in(sign_in(user, "ed"))


def test_the_count_is_kept_across_different_clients_of_one_address(ed):
    """No cookie or session carries the count: a fresh client per guess changes nothing."""
    responses = [sign_in(client(), "ed", f"wrong {i}") for i in range(LIMIT)]
    assert locked_out(responses[-1])
    assert locked_out(sign_in(client(), "ed"))


# -- one address -----------------------------------------------------------------------------


def test_one_address_is_locked_out_across_usernames(ed, ann):
    attacker = client("203.0.113.66")
    responses = [sign_in(attacker, name, "wrong") for name in ("a", "b", "c", "ed", "e")]
    assert all(refused(r) for r in responses[:-1])
    assert locked_out(responses[-1])
    # From that address, even the right password of an account nobody guessed is paused…
    assert locked_out(sign_in(attacker, "ann"))
    # …while its owner, elsewhere, signs in.
    assert signed_in(sign_in(client("198.51.100.20"), "ann"))


def test_forwarded_for_is_ignored_without_a_trusted_proxy(ed, ann):
    """TRUSTED_PROXY_COUNT = 0: the attacker's made-up X-Forwarded-For doesn't make each guess
    look like a new client."""
    attacker = client("203.0.113.66")
    responses = [
        sign_in(attacker, f"user{i}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        for i in range(LIMIT)
    ]
    assert locked_out(responses[-1])
    assert locked_out(sign_in(attacker, "ann", HTTP_X_FORWARDED_FOR="192.0.2.200"))


def test_behind_a_proxy_the_address_it_saw_is_used(settings, ed, ann):
    """TRUSTED_PROXY_COUNT = 1: every request comes from the proxy; the client is the address
    the proxy appended, not anything the client put further left, nor the proxy itself."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    attacker = client(proxy)
    responses = [
        sign_in(attacker, f"user{i}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.66")
        for i in range(LIMIT)
    ]
    assert locked_out(responses[-1])
    assert locked_out(sign_in(attacker, "ann", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.66"))
    # A colleague behind the same proxy is another client.
    colleague = client(proxy)
    assert signed_in(sign_in(colleague, "ann", HTTP_X_FORWARDED_FOR="198.51.100.20"))


# -- many at once, many app servers ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_guesses_get_no_further_than_five(ed, password_checks):
    """Forty guesses at the same moment, each from its own client and address (so only the
    username count stands in their way), each on its own thread and cache connection."""
    guesses = 40
    barrier = threading.Barrier(guesses)
    responses = [None] * guesses

    def attempt(i):
        try:
            attacker = client(f"192.0.2.{i + 1}")
            barrier.wait(timeout=10)
            responses[i] = sign_in(attacker, "ed", f"wrong {i}")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a sign-in is stuck"

    assert len(password_checks) <= LIMIT
    assert sum(refused(r) for r in responses) <= LIMIT - 1
    assert sum(locked_out(r) for r in responses) >= guesses - LIMIT + 1
    assert all(refused(r) or locked_out(r) for r in responses)
    checked = len(password_checks)
    assert locked_out(sign_in(client("198.51.100.20"), "ed"))
    assert len(password_checks) == checked


@pytest.fixture
def another_app_server():
    """Make this thread's cache connection a new one, as on another app server's process:
    nothing of the old connection (a locmem instance, a Redis connection pool) is reused.
    axes builds its handler again on the new connection."""
    from axes.handlers.proxy import AxesProxyHandler

    original = caches["default"]

    def switch():
        caches["default"] = caches.create_connection("default")
        AxesProxyHandler.get_implementation(force=True)
        assert caches["default"] is not original
        return caches["default"]

    yield switch
    caches["default"] = original
    AxesProxyHandler.get_implementation(force=True)


def test_the_count_lives_in_the_shared_cache(ed, another_app_server):
    guess(client("203.0.113.1"), "ed", LIMIT)

    cache = another_app_server()
    username_key, address_key = get_client_cache_keys(
        AccessAttempt(username="ed", ip_address="203.0.113.1")
    )
    assert cache.get(username_key) == LIMIT
    assert cache.get(address_key) == LIMIT
    assert locked_out(sign_in(client("198.51.100.20"), "ed"))

    cache.clear()  # what the cool-off's expiry does: the count is gone everywhere
    assert signed_in(sign_in(client("198.51.100.20"), "ed"))


def test_asking_whether_someone_is_locked_out_counts_nothing(ed):
    """Only a sign-in attempt takes a number; a status check (an admin screen, say) reads."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.test import RequestFactory

    guess(client(), "ed", LIMIT - 1)
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.1")
    for _ in range(3):
        assert not AxesProxyHandler.is_locked(request, {"username": "ed"})
    assert signed_in(sign_in(client(), "ed"))  # the fifth attempt is still allowed


# -- unlocking -------------------------------------------------------------------------------


def test_axes_reset_username_unlocks_the_account(ed):
    for i in range(LIMIT):  # from five addresses: only the account is paused
        sign_in(client(f"192.0.2.{i + 1}"), "ed", "wrong")
    owner = client("198.51.100.20")
    assert locked_out(sign_in(owner, "ed"))

    call_command("axes_reset_username", "ed")
    assert signed_in(sign_in(owner, "ed"))


def test_after_locking_oneself_out_the_address_is_unlocked_too(ed):
    """Five wrong passwords from one's own desk pause the username and the address:
    `axes_reset_username` alone leaves the address paused; `axes_reset_ip_username` (or
    `axes_reset_ip`) clears both."""
    owner = client("198.51.100.20")
    guess(owner, "ed", LIMIT)

    call_command("axes_reset_username", "ed")
    assert locked_out(sign_in(owner, "ed"))

    call_command("axes_reset_ip_username", "198.51.100.20", "ed")
    assert signed_in(sign_in(owner, "ed"))


def test_a_pause_is_in_the_account_history_and_an_account_administrator_lifts_it():
    """The history shows where the failed attempts came from; "Unpause sign-in" clears the
    username and that address, and is itself recorded."""
    person = staff(roles.EDITORS)
    desk = client("198.51.100.7")
    for _ in range(LIMIT):
        desk.post(reverse("admin:login"), {"username": person.username, "password": "wrong"})
    locked = desk.post(reverse("admin:login"), {"username": person.username, "password": PASSWORD})
    assert locked.status_code == 429
    [paused] = AccountEvent.objects.filter(user=person, action="locked_out")
    assert paused.ip_address == "198.51.100.7"
    keys = staff(roles.ACCOUNT_ADMINISTRATORS)
    logged_in(keys).post(
        reverse("admin:auth_user_changelist"),
        {"action": "unpause_sign_in", "_selected_action": [person.pk]},
    )
    again = desk.post(reverse("admin:login"), {"username": person.username, "password": PASSWORD})
    assert again.status_code == 302
    unlocked = AccountEvent.objects.get(user=person, action="unlocked")
    assert unlocked.actor == keys

"""A staff session ends after SESSION_COOKIE_AGE without a request; every request starts that
clock again. Time passes by moving the session's expiry in the database, not by waiting."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from reviews import roles
from tests.factories import staff

PASSWORD = "correct horse battery staple"


@pytest.fixture
def signed_in(db):
    """A client signed in through the login form, as people do."""
    client = Client()
    user = staff(roles.EDITORS)
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def seconds_left(client) -> float:
    return (session_row(client).expire_date - timezone.now()).total_seconds()


def age_session(client, *, idle: datetime.timedelta) -> None:
    """As if the last request had been `idle` ago."""
    expire = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE) - idle
    Session.objects.filter(pk=session_row(client).pk).update(expire_date=expire)


def test_the_idle_timeout_is_thirty_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_renews_the_cookie_and_the_session(signed_in):
    age_session(signed_in, idle=datetime.timedelta(minutes=25))
    assert seconds_left(signed_in) < 6 * 60

    response = signed_in.get("/admin/")
    assert response.status_code == 200
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    assert cookie["httponly"]
    assert seconds_left(signed_in) > settings.SESSION_COOKIE_AGE - 60

    # A public page counts as activity too: staff previewing articles stay signed in.
    age_session(signed_in, idle=datetime.timedelta(minutes=25))
    response = signed_in.get("/")
    assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == (
        settings.SESSION_COOKIE_AGE
    )
    assert seconds_left(signed_in) > settings.SESSION_COOKIE_AGE - 60


def test_the_session_is_gone_after_the_idle_timeout(signed_in):
    age_session(signed_in, idle=datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))

    response = signed_in.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/")
    # The browser keeps sending the old cookie; it opens nothing.
    assert signed_in.get("/admin/articles/article/").status_code == 302


def test_a_session_just_inside_the_timeout_still_works(signed_in):
    age_session(signed_in, idle=datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 30))
    assert signed_in.get("/admin/").status_code == 200

"""Staff sessions end: after the idle timeout (Django's, renewed by every request) and, active
or not, after STAFF_SESSION_MAX_HOURS."""

import time

import pytest
from django.urls import reverse

from accounts.middleware import SIGNED_IN_AT
from reviews import roles
from tests.factories import logged_in, staff

pytestmark = pytest.mark.django_db


def test_a_session_older_than_the_limit_ends(settings):
    client = logged_in(staff(roles.EDITORS))
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.STAFF_SESSION_MAX_HOURS * 3600 - 1
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("admin:index")).url.startswith(reverse("admin:login"))


def test_a_young_session_goes_on(settings):
    client = logged_in(staff(roles.EDITORS))
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.STAFF_SESSION_MAX_HOURS * 3600 + 60
    session.save()
    assert client.get(reverse("admin:index")).status_code == 200

import pytest
from django.urls import reverse

from reviews import roles
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    data.update(changes)
    return data


def test_chief_editor_gives_roles_but_cannot_make_superusers(client):
    chief = user_with_role(roles.CHIEF_EDITORS, is_staff=True)
    target = UserFactory(is_staff=True)
    board = chief.groups.model.objects.get(name=roles.MEDICAL_ADVISORY_BOARD)
    client.force_login(chief)
    url = reverse("admin:auth_user_change", args=[target.pk])
    response = client.post(url, user_form(target, is_superuser="on", groups=[board.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert list(target.groups.all()) == [board]
    assert target.is_superuser is False
    # …not on themselves either.
    client.post(
        reverse("admin:auth_user_change", args=[chief.pk]), user_form(chief, is_superuser="on")
    )
    chief.refresh_from_db()
    assert chief.is_superuser is False


def test_chief_editor_does_not_see_superusers(client):
    chief = user_with_role(roles.CHIEF_EDITORS, is_staff=True)
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(chief)
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code == 302
    changelist = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert root.username not in changelist


def test_superuser_can_still_make_superusers(admin_client):
    target = UserFactory(is_staff=True)
    admin_client.post(
        reverse("admin:auth_user_change", args=[target.pk]), user_form(target, is_superuser="on")
    )
    target.refresh_from_db()
    assert target.is_superuser is True

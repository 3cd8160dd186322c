"""The account history records every change to who may do what, whichever way it was made:
the admin (with who did it), or the shell and commands (marked as outside the web app)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from accounts.models import AccountEvent
from reviews import roles
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db
User = get_user_model()


def events(**filters):
    return list(AccountEvent.objects.filter(**filters).order_by("pk"))


def test_changes_made_outside_the_web_app_are_recorded_without_an_actor():
    user = UserFactory(username="shellmade")
    board = Group.objects.get(name=roles.MEDICAL_ADVISORY_BOARD)
    user.groups.add(board)
    user.email = "new@example.org"
    user.set_password("another long passphrase")
    user.save()
    user.groups.remove(board)
    recorded = [(e.action, e.role, e.actor) for e in events(user=user)]
    assert recorded == [
        ("created", "", None),
        ("role_granted", roles.MEDICAL_ADVISORY_BOARD, None),
        ("changed", "", None),
        ("password_changed", "", None),
        ("role_revoked", roles.MEDICAL_ADVISORY_BOARD, None),
    ]
    assert "email: 'shellmade@example.org' → 'new@example.org'" in events(user=user)[2].detail
    assert "another" not in "".join(e.detail for e in events(user=user))  # no secrets


def test_roles_changed_from_the_groups_side_and_cleared_are_recorded():
    people = [UserFactory(), UserFactory()]
    chiefs = Group.objects.get(name=roles.CHIEF_EDITORS)
    chiefs.user_set.add(*people)
    people[0].groups.clear()
    assert [e.action for e in events(user=people[0], role=roles.CHIEF_EDITORS)] == [
        "role_granted",
        "role_revoked",
    ]
    assert [e.action for e in events(user=people[1], role=roles.CHIEF_EDITORS)] == ["role_granted"]


def test_permissions_given_directly_and_role_definitions_are_recorded():
    user = UserFactory()
    review = Permission.objects.get(codename="review_article")
    user.user_permissions.add(review)
    [granted] = events(user=user, action="permission_granted")
    assert "articles.review_article" in granted.detail
    editors = Group.objects.get(name=roles.EDITORS)
    before = AccountEvent.objects.order_by("pk").last()  # roles set up earlier write events too
    editors.permissions.add(review)
    [changed] = events(role=roles.EDITORS, action="role_changed", pk__gt=before.pk)
    assert changed.detail == f"Role {roles.EDITORS} gains: articles.review_article."


def test_each_change_is_attributed_to_the_person_in_the_admin(client):
    admin_user = staff(roles.ACCOUNT_ADMINISTRATORS)
    target = staff(roles.EDITORS)
    client.force_login(admin_user)
    client.post(f"/admin/auth/user/{target.pk}/change/", {
        "username": target.username, "first_name": "Renamed", "last_name": target.last_name,
        "email":
        target.email, "is_active": "on", "is_staff": "on",
        "groups": [Group.objects.get(name=roles.EDITORS).pk],
    })  # fmt: skip
    [event] = events(user=target, action="changed")
    assert event.actor == admin_user
    assert event.detail == f"first_name: {target.first_name!r} → 'Renamed'"

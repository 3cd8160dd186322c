"""Account administration is a duty of its own: account administrators open accounts, give
roles and send password links; they don't review, can't type anyone's password, and can't
widen their own access or touch superusers and fellow administrators."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import AccountEvent
from reviews import roles
from tests.factories import UserFactory, logged_in, staff

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a long new passphrase 42"


@pytest.fixture
def account_admin():
    return staff(roles.ACCOUNT_ADMINISTRATORS, first_name="Ada", last_name="Admin")


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Runs the block's on-commit mail delivery (the outbox sends after commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def change_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def group(name):
    return Group.objects.get(name=name)


def link_in(message) -> str:
    """The path of the password link in an e-mail."""
    url = re.search(r"https?://\S+/accounts/password/\S+/", message.body).group(0)
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def choose_password(path, password=NEW_PASSWORD):
    client = Client()
    landing = client.get(path)  # Django moves the token out of the address, into the session
    assert landing.status_code == 302
    return client.post(landing.url, {"new_password1": password, "new_password2": password})


def test_a_new_account_gets_an_invitation_not_a_password(account_admin, sent):
    with sent():
        response = logged_in(account_admin).post(
            reverse("admin:auth_user_add"),
            {"username": "newbie", "first_name": "Nia", "last_name": "New",
             "email": "nia@example.org", "groups": [group(roles.EDITORS).pk]},
        )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert not user.has_usable_password()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [roles.EDITORS]
    [message] = [m for m in mail.outbox if m.to == ["nia@example.org"]]
    assert '"newbie"' in message.body
    assert choose_password(link_in(message)).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    actions = list(
        AccountEvent.objects.filter(user=user).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["created", "role_granted", "reset_link_sent", "password_changed"]
    created = AccountEvent.objects.get(user=user, action="created")
    assert created.actor == account_admin


def test_the_link_works_once(account_admin, sent):
    target = staff(roles.EDITORS)
    with sent():
        logged_in(account_admin).post(reverse("admin:auth_user_send_link", args=[target.pk]))
    path = link_in(mail.outbox[-1])
    assert choose_password(path).status_code == 302
    again = Client().get(path, follow=True)
    assert b"invalid" in again.content.lower()
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)


def test_nobody_sets_another_persons_password(account_admin):
    target = staff(roles.MEDICAL_ADVISORY_BOARD)
    client = logged_in(account_admin)
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = client.post(url, {"password1": "x" * 20, "password2": "x" * 20})
    assert response.status_code == 302
    assert response.url == reverse("admin:auth_user_send_link", args=[target.pk])
    target.refresh_from_db()
    assert target.check_password("correct horse battery staple")
    # The change page has no password field to post either.
    client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        change_data(target, password="pbkdf2_sha256$1$x$y"),
    )
    target.refresh_from_db()
    assert target.check_password("correct horse battery staple")


def test_superusers_cannot_set_passwords_by_hand_either(admin_client):
    target = staff(roles.EDITORS)
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    admin_client.post(url, {"password1": "x" * 20, "password2": "x" * 20})
    target.refresh_from_db()
    assert target.check_password("correct horse battery staple")


def test_own_password_goes_to_the_admins_password_page(account_admin):
    response = logged_in(account_admin).get(
        reverse("admin:auth_user_password_change", args=[account_admin.pk])
    )
    assert response.url == reverse("admin:password_change")


@pytest.mark.parametrize("role", [roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD, roles.CHIEF_EDITORS])
def test_editorial_roles_do_not_administer_accounts(role):
    person = staff(role)
    target = staff(roles.EDITORS)
    client = logged_in(person)
    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        change_data(target, groups=[group(roles.MEDICAL_ADVISORY_BOARD).pk]),
    )
    assert response.status_code == 403
    assert client.post(reverse("admin:auth_user_send_link", args=[target.pk])).status_code == 403
    assert not target.groups.filter(name=roles.MEDICAL_ADVISORY_BOARD).exists()


def test_chief_editors_see_accounts_and_their_history():
    chief = staff(roles.CHIEF_EDITORS)
    client = logged_in(chief)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_accountevent_changelist")).status_code == 200


def test_account_administrators_cannot_become_reviewers(account_admin):
    client = logged_in(account_admin)
    response = client.post(
        reverse("admin:auth_user_change", args=[account_admin.pk]),
        change_data(account_admin, groups=[group(roles.MEDICAL_ADVISORY_BOARD).pk]),
    )
    # Their own roles are read-only to them…
    assert not account_admin.groups.filter(name=roles.MEDICAL_ADVISORY_BOARD).exists()
    assert response.status_code in (200, 302)


def test_one_account_cannot_hold_both_duties(admin_client):
    """Even a superuser can't give one person account administration and review."""
    target = staff(roles.MEDICAL_ADVISORY_BOARD)
    both = [group(roles.MEDICAL_ADVISORY_BOARD).pk, group(roles.ACCOUNT_ADMINISTRATORS).pk]
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        change_data(target, groups=both, first_name="Kept"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Separation of duties" in page
    assert 'value="Kept"' in page  # what was typed is still there
    assert not target.groups.filter(name=roles.ACCOUNT_ADMINISTRATORS).exists()
    # …nor through a permission given directly.
    keys = staff(roles.ACCOUNT_ADMINISTRATORS)
    review = Permission.objects.get(codename="review_article")
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[keys.pk]),
        change_data(keys, user_permissions=[review.pk]),
    )
    assert "Separation of duties" in response.content.decode()
    assert not keys.user_permissions.exists()


def test_a_role_cannot_be_given_both_duties(admin_client):
    board = group(roles.MEDICAL_ADVISORY_BOARD)
    change_user = Permission.objects.get(codename="change_user")
    response = admin_client.post(
        reverse("admin:auth_group_change", args=[board.pk]),
        {"name": board.name, "permissions": [*board.permissions.values_list("pk", flat=True),
                                             change_user.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Separation of duties" in response.content.decode()
    assert not board.permissions.filter(pk=change_user.pk).exists()


def test_only_a_superuser_makes_account_administrators(account_admin):
    target = staff(roles.EDITORS)
    response = logged_in(account_admin).post(
        reverse("admin:auth_user_change", args=[target.pk]),
        change_data(target, groups=[group(roles.ACCOUNT_ADMINISTRATORS).pk]),
    )
    assert response.status_code == 200  # not a choice offered: a form error
    assert not target.groups.filter(name=roles.ACCOUNT_ADMINISTRATORS).exists()


def test_account_administrators_leave_superusers_and_each_other_alone(account_admin):
    root = UserFactory(is_superuser=True, is_staff=True)
    peer = staff(roles.ACCOUNT_ADMINISTRATORS)
    client = logged_in(account_admin)
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code == 302
    response = client.post(
        reverse("admin:auth_user_change", args=[peer.pk]), change_data(peer, is_active=None)
    )
    assert response.status_code == 403
    peer.refresh_from_db()
    assert peer.is_active
    assert client.post(reverse("admin:auth_user_send_link", args=[peer.pk])).status_code == 403


def test_nobody_raises_their_own_rights(account_admin):
    client = logged_in(account_admin)
    client.post(
        reverse("admin:auth_user_change", args=[account_admin.pk]),
        change_data(account_admin, is_superuser="on", groups=[group(roles.CHIEF_EDITORS).pk]),
    )
    account_admin.refresh_from_db()
    assert not account_admin.is_superuser
    assert list(account_admin.groups.values_list("name", flat=True)) == [
        roles.ACCOUNT_ADMINISTRATORS
    ]


def test_accounts_are_deactivated_never_deleted(account_admin, admin_client):
    target = staff(roles.EDITORS)
    for client in (logged_in(account_admin), admin_client):
        response = client.post(reverse("admin:auth_user_delete", args=[target.pk]), {"post": "yes"})
        assert response.status_code == 403
    assert User.objects.filter(pk=target.pk).exists()
    logged_in(account_admin).post(
        reverse("admin:auth_user_change", args=[target.pk]), change_data(target, is_active=None)
    )
    target.refresh_from_db()
    assert not target.is_active
    event = AccountEvent.objects.filter(user=target, action="changed").latest("pk")
    assert "is_active: True → False" in event.detail
    assert event.actor == account_admin


def test_giving_a_privileged_role_is_announced(account_admin, sent):
    chief = staff(roles.CHIEF_EDITORS, email="chief@example.org")
    target = staff(roles.EDITORS)
    with sent():
        logged_in(account_admin).post(
            reverse("admin:auth_user_change", args=[target.pk]),
            change_data(target, groups=[group(roles.MEDICAL_ADVISORY_BOARD).pk]),
        )
    [notice] = [m for m in mail.outbox if chief.email in m.to]
    assert roles.MEDICAL_ADVISORY_BOARD in notice.subject
    assert "Ada Admin" in notice.body
    assert account_admin.email not in notice.to  # not told about their own act


def test_forgotten_password_page_sends_a_link_and_says_the_same_for_unknown_addresses(sent):
    person = staff(roles.EDITORS, email="ed@example.org")
    client = Client()
    with sent():
        known = client.post(reverse("accounts:password_reset"), {"email": "ED@example.org"})
        unknown = client.post(reverse("accounts:password_reset"), {"email": "x@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert (
        client.get(reverse("admin:login")).content.decode().count(reverse("admin_password_reset"))
        == 1
    )


def test_forgotten_password_page_is_rate_limited(settings):
    settings.PASSWORD_RESET_RATE = "2/h"
    client = Client()
    for _ in range(2):
        assert (
            client.post(reverse("accounts:password_reset"), {"email": "a@example.org"}).status_code
            == 302
        )
    limited = client.post(reverse("accounts:password_reset"), {"email": "a@example.org"})
    assert limited.status_code == 429
    assert 'value="a@example.org"' in limited.content.decode()


def test_a_superuser_can_still_make_superusers(admin_client):
    target = staff(roles.EDITORS)
    admin_client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        change_data(target, is_superuser="on"),
    )
    target.refresh_from_db()
    assert target.is_superuser

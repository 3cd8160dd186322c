"""Two-factor sign-in: required (when the site says so) for the board, chief editors, account
administrators and superusers; set up with an authenticator app; backup codes for a lost
phone; an account administrator can reset it; nothing of the admin opens before it."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import AccountEvent
from reviews import roles
from tests.factories import ArticleFactory, logged_in, staff, workflow_to

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def required(settings):
    settings.REQUIRE_TWO_FACTOR = True


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def enrolled(user):
    device = two_factor.pending_app(user)
    codes = two_factor.confirm_app(device)
    return device, codes


@pytest.mark.parametrize(
    "role", [roles.MEDICAL_ADVISORY_BOARD, roles.CHIEF_EDITORS, roles.ACCOUNT_ADMINISTRATORS]
)
def test_privileged_roles_set_up_a_second_factor_before_the_admin_opens(role):
    user = staff(role)
    client = sign_in(user)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 302
    assert index.url.startswith(reverse("accounts:two_factor"))
    # No device yet: the verify page sends them on to set one up.
    setup = client.get(index.url, follow=True)
    assert setup.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))
    page = setup.content.decode()
    assert "<svg" in page
    assert "otpauth" not in page.split("<svg")[0][-200:]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("accounts:two_factor_setup"), {"token": "000000"})
    assert wrong.status_code == 400
    assert "not right" in wrong.content.decode()
    device.throttle_reset()  # as if the short wait after a wrong code had passed
    done = client.post(reverse("accounts:two_factor_setup"), {"token": code_for(device)})
    assert done.status_code == 200
    codes = [t.token for t in StaticToken.objects.filter(device__user=user)]
    assert len(codes) == two_factor.BACKUP_CODES
    assert all(code in done.content.decode() for code in codes)
    assert client.get(reverse("admin:index")).status_code == 200
    assert AccountEvent.objects.filter(user=user, action="two_factor_added").count() == 2


def test_editors_are_not_asked():
    client = sign_in(staff(roles.EDITORS))
    assert client.get(reverse("admin:index")).status_code == 200


def test_not_required_unless_the_site_says_so(settings):
    settings.REQUIRE_TWO_FACTOR = False
    client = sign_in(staff(roles.MEDICAL_ADVISORY_BOARD))
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_code_from_the_app_or_a_backup_code_confirms_the_session():
    user = staff(roles.MEDICAL_ADVISORY_BOARD)
    device, codes = enrolled(user)
    client = sign_in(user)
    target = reverse("admin:articles_article_changelist")
    assert client.get(target).url.startswith(reverse("accounts:two_factor"))
    bad = client.post(reverse("accounts:two_factor"), {"token": "123456", "next": target})
    assert bad.status_code == 400
    for each in (device, *user.staticdevice_set.all()):
        each.throttle_reset()  # as if the short wait after a wrong code had passed
    good = client.post(reverse("accounts:two_factor"), {"token": codes[0], "next": target})
    assert good.status_code == 302
    assert good.url == target
    assert client.get(target).status_code == 200
    # A backup code works once.
    other = sign_in(user)
    assert other.post(reverse("accounts:two_factor"), {"token": codes[0]}).status_code == 400
    for each in (device, *user.staticdevice_set.all()):
        each.throttle_reset()
    assert (
        other.post(reverse("accounts:two_factor"), {"token": code_for(device)}).status_code == 302
    )


def test_next_never_leaves_the_site():
    user = staff(roles.CHIEF_EDITORS)
    device, _ = enrolled(user)
    client = sign_in(user)
    response = client.post(
        reverse("accounts:two_factor"), {"token": code_for(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("admin:index")


def test_an_unconfirmed_session_has_no_staff_powers_on_the_public_site():
    """A stolen password alone doesn't preview drafts."""
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD)
    enrolled(reviewer)
    article = ArticleFactory(headline="Draft only staff may preview")
    client = sign_in(reviewer)
    assert client.get(article.get_absolute_url() + "?preview=1").status_code == 404


def test_guessing_codes_is_throttled():
    user = staff(roles.MEDICAL_ADVISORY_BOARD)
    device, _ = enrolled(user)
    client = sign_in(user)
    client.post(reverse("accounts:two_factor"), {"token": "111111"})
    # After a failure django-otp makes the device wait: even the right code is refused now.
    refused = client.post(reverse("accounts:two_factor"), {"token": code_for(device)})
    assert refused.status_code == 400
    assert "Too many wrong codes" in refused.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_replacing_the_app_needs_the_current_factor_first():
    user = staff(roles.CHIEF_EDITORS)
    enrolled(user)
    client = sign_in(user)
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.url.startswith(reverse("accounts:two_factor"))


def test_an_account_administrator_resets_a_lost_second_factor():
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD)
    enrolled(reviewer)
    admin_user = staff(roles.ACCOUNT_ADMINISTRATORS)
    enrolled(admin_user)
    client = logged_in(admin_user)  # force_login: no second factor in this session…
    client.get("/")  # …so confirm it the way a person would
    device = TOTPDevice.objects.get(user=admin_user)
    client.post(reverse("accounts:two_factor"), {"token": code_for(device)})
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [reviewer.pk]},
    )
    assert response.status_code == 302
    assert not two_factor.has_device(reviewer)
    removed = AccountEvent.objects.filter(user=reviewer, action="two_factor_removed")
    assert removed.count() == 2
    assert removed.first().actor == admin_user


def test_board_members_cannot_reset_anyones_second_factor(settings):
    settings.REQUIRE_TWO_FACTOR = False
    victim = staff(roles.MEDICAL_ADVISORY_BOARD)
    enrolled(victim)
    client = logged_in(staff(roles.MEDICAL_ADVISORY_BOARD))
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [victim.pk]},
    )
    assert response.status_code == 403
    assert two_factor.has_device(victim)


def test_article_workflow_is_reachable_once_confirmed():
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD)
    device, _ = enrolled(reviewer)
    article = workflow_to(ArticleFactory(), "submitted")
    client = sign_in(reviewer)
    review = reverse("admin:articles_article_review", args=[article.pk])
    assert client.get(review).status_code == 302
    client.post(reverse("accounts:two_factor"), {"token": code_for(device), "next": review})
    assert client.get(review).status_code == 200


def test_every_staff_member_finds_the_set_up_page_in_the_admin(settings):
    settings.REQUIRE_TWO_FACTOR = False
    page = logged_in(staff(roles.EDITORS)).get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("accounts:two_factor_setup")}"' in page


def test_codes_are_limited_per_person_and_next_keeps_its_query():
    user = staff(roles.MEDICAL_ADVISORY_BOARD)
    enrolled(user)
    client = sign_in(user)
    target = reverse("admin:articles_article_changelist") + "?status=draft&topic__id__exact=1"
    first = client.get(target)
    assert first.status_code == 302
    # The whole address, query included, survives the trip through the code page.
    page = client.get(first.url)
    assert f'name="next" value="{target.replace("&", "&amp;")}"' in page.content.decode()
    statuses = [
        client.post(reverse("accounts:two_factor"), {"token": "000000"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def test_the_way_to_set_up_keeps_the_whole_next_address():
    client = sign_in(staff(roles.CHIEF_EDITORS))
    target = "/admin/articles/article/?status=draft&topic__id__exact=1"
    response = client.get(reverse("accounts:two_factor"), {"next": target})
    assert response.url == (
        reverse("accounts:two_factor_setup")
        + "?next=%2Fadmin%2Farticles%2Farticle%2F%3Fstatus%3Ddraft%26topic__id__exact%3D1"
    )

"""Account writes that are more than a model save: password links. Passwords are set only by
their owner, through a link sent to the address on the account — never typed by someone
else — so nobody can take over another person's account (and with it their signature)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from outbox.mail import queue
from reviews import roles

from . import audit
from .models import AccountEvent


class AccountError(Exception):
    """An account action that can't happen; the message says why."""


def password_link(user) -> str:
    """A one-time link (Django's token: it stops working once the password changes, or after
    PASSWORD_RESET_TIMEOUT) to the page where `user` chooses a password."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def send_password_link(user, *, by=None, invitation: bool = False) -> None:
    """E-mail `user` a link to choose a password: an invitation for a new account, a reset
    otherwise. Goes through the outbox, so a mail server outage loses nothing."""
    if not user.is_active:
        raise AccountError(f"{user} is deactivated; reactivate the account first.")
    if not user.email:
        raise AccountError(f"{user} has no e-mail address to send the link to.")
    context = {
        "user": user,
        "link": password_link(user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "site_url": settings.SITE_URL,
    }
    kind = "invitation" if invitation else "reset"
    subject = "[Vetted] " + (
        "Your editorial account is ready" if invitation else "Choose a new password"
    )
    queue(subject, render_to_string(f"accounts/email/{kind}.txt", context), [user.email])
    audit.record(
        AccountEvent.Action.RESET_LINK_SENT,
        user=user,
        detail=f"{'Invitation' if invitation else 'Password reset'} link sent to {user.email}.",
        actor=by,
    )


def permission_names(groups=(), permissions=()) -> set[str]:
    """ "app.codename" of every permission the groups and the single permissions give."""
    names = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
    for group in groups:
        names |= {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
    return names


def duty_conflict(names: set[str]) -> str | None:
    """Why a set of permissions breaks the separation of duties, or None: account
    administration and reviewing never go to one person (reviews.roles)."""
    administers = sorted(names & roles.ACCOUNT_ADMINISTRATION)
    reviews = sorted(names & roles.REVIEWING)
    if administers and reviews:
        return (
            "Separation of duties: one person can't both administer accounts "
            f"({', '.join(administers)}) and review ({', '.join(reviews)}). "
            "Give these duties to different people."
        )
    return None

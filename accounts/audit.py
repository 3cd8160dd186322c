"""The account history: every change to who may do what becomes an `AccountEvent`, whichever
path made it (the admin, a password link, `manage.py shell`), because it is recorded from the
model signals rather than from each view. Someone gaining a privileged role is announced to
chief editors and account administrators, so a misused account administration is seen.

Connected in `AccountsConfig.ready`."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords

from outbox.mail import queue
from reviews.roles import ACCOUNT_ADMINISTRATORS, CHIEF_EDITORS, PRIVILEGED

from .models import AccountEvent

Action = AccountEvent.Action
User = get_user_model()

# Account fields whose change is recorded (the password is recorded without its value).
WATCHED = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")


def acting_user():
    """The signed-in person behind the current request (simple-history's middleware keeps the
    request), or None outside a request or when nobody is signed in."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record(action: str, *, user=None, role: str = "", detail: str = "", actor=None, **fields):
    return AccountEvent.objects.create(
        action=action, user=user, role=role, detail=detail, actor=actor or acting_user(), **fields
    )


def _name(user) -> str:
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def _announce(user, what: str) -> None:
    """Tell chief editors and account administrators that `user` gained `what`."""
    actor = acting_user()
    recipients = sorted(
        {
            person.email
            for person in User.objects.filter(
                is_active=True, groups__name__in=[CHIEF_EDITORS, ACCOUNT_ADMINISTRATORS]
            )
            if person.email and person != actor
        }
    )
    if not recipients:
        return
    by = _name(actor) if actor else "someone outside the web app (a command or the shell)"
    body = (
        f"{by} gave {_name(user)} {what}.\n\n"
        "If you did not expect this, check the account history now:\n"
        f"{settings.SITE_URL}/admin/accounts/accountevent/?user__id__exact={user.pk}\n"
    )
    queue(f"[Vetted] {_name(user)} now has {what}", body, recipients)


# -- accounts --------------------------------------------------------------------------------


def _remember_before(sender, instance, **kwargs):
    if instance.pk:
        instance._account_before = (
            User.objects.filter(pk=instance.pk).values(*WATCHED, "password").first()
        )


def _account_saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # loading a fixture is not a change anyone made
        return
    if created:
        record(Action.CREATED, user=instance, detail=f"Account {_name(instance)} created.")
        if instance.is_superuser:
            _announce(instance, "superuser rights")
        return
    before = getattr(instance, "_account_before", None)
    if not before:
        return
    changes = [
        f"{field}: {before[field]!r} → {getattr(instance, field)!r}"
        for field in WATCHED
        if before[field] != getattr(instance, field)
    ]
    if changes:
        record(Action.CHANGED, user=instance, detail="; ".join(changes))
        if instance.is_superuser and not before["is_superuser"]:
            _announce(instance, "superuser rights")
    if before["password"] != instance.password:
        how = "made unusable" if not instance.has_usable_password() else "changed"
        record(Action.PASSWORD_CHANGED, user=instance, detail=f"Password {how}.")
    instance._account_before = None


def _permission_names(pks) -> str:
    return ", ".join(
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(pk__in=pks).select_related("content_type")
    )


def _roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """User.groups, from either side (user.groups.add or group.user_set.add)."""
    if action == "pre_clear":
        # Remember what a clear() takes away; post_clear no longer knows.
        instance._cleared = set(
            (instance.user_set if reverse else instance.groups).values_list("pk", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set, action = getattr(instance, "_cleared", set()), "post_remove"
    granted = action == "post_add"
    if reverse:  # group.user_set.add(users)
        pairs = [(user, instance) for user in User.objects.filter(pk__in=pk_set)]
    else:
        pairs = [(instance, group) for group in Group.objects.filter(pk__in=pk_set)]
    for user, group in pairs:
        record(
            Action.ROLE_GRANTED if granted else Action.ROLE_REVOKED,
            user=user,
            role=group.name,
            detail=f"{'Added to' if granted else 'Removed from'} {group.name}.",
        )
        if granted and group.name in PRIVILEGED:
            _announce(user, f"the role “{group.name}”")


def _user_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove") or reverse:
        return
    granted = action == "post_add"
    record(
        Action.PERMISSION_GRANTED if granted else Action.PERMISSION_REVOKED,
        user=instance,
        detail=f"{'Given' if granted else 'Lost'} directly: {_permission_names(pk_set)}.",
    )
    if granted:
        _announce(instance, f"the permission(s) {_permission_names(pk_set)}")


def _role_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove") or reverse:
        return
    verb = "gains" if action == "post_add" else "loses"
    record(
        Action.ROLE_CHANGED,
        role=instance.name,
        detail=f"Role {instance.name} {verb}: {_permission_names(pk_set)}.",
    )


def _role_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and created:
        record(Action.ROLE_CHANGED, role=instance.name, detail=f"Role {instance.name} created.")


def _role_deleted(sender, instance, **kwargs):
    record(Action.ROLE_CHANGED, role=instance.name, detail=f"Role {instance.name} deleted.")


# -- second factor ---------------------------------------------------------------------------


def _device_saved(sender, instance, created, raw=False, **kwargs):
    # A device counts once confirmed (an authenticator app after its first code).
    if raw or not instance.confirmed:
        return
    was = getattr(instance, "_was_confirmed", None)
    if created or was is False:
        record(
            Action.TWO_FACTOR_ADDED,
            user=instance.user,
            detail=f"{sender._meta.verbose_name.capitalize()} “{instance.name}” added.",
        )


def _device_before(sender, instance, **kwargs):
    if instance.pk:
        instance._was_confirmed = (
            sender.objects.filter(pk=instance.pk).values_list("confirmed", flat=True).first()
        )


def _device_deleted(sender, instance, **kwargs):
    if instance.confirmed:
        record(
            Action.TWO_FACTOR_REMOVED,
            user=instance.user,
            detail=f"{sender._meta.verbose_name.capitalize()} “{instance.name}” removed.",
        )


# -- sign-in lockout ---------------------------------------------------------------------------


def _locked_out(sender, request, username, ip_address, **kwargs):
    """django-axes paused sign-in for an existing account: recorded with the address, so an
    account administrator can see it and unpause it (AccountAdmin's "Unpause sign-in").
    Guesses at usernames that don't exist stay in the log only."""
    user = User.objects.filter(username=username).first() if username else None
    if user is None:
        return
    # Once per pause: refused attempts during it don't each write a row (nor can a guesser
    # fill the table).
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccountEvent.objects.filter(
        user=user, action=Action.LOCKED_OUT, ip_address=ip_address or None, created_at__gte=since
    )
    if not recent.exists():
        record(
            Action.LOCKED_OUT,
            user=user,
            ip_address=ip_address or None,
            detail=f"Sign-in paused after repeated failed attempts from {ip_address}.",
        )


def connect() -> None:
    uid = "accounts.audit"
    pre_save.connect(_remember_before, sender=User, dispatch_uid=f"{uid}.user_before")
    post_save.connect(_account_saved, sender=User, dispatch_uid=f"{uid}.user")
    m2m_changed.connect(_roles_changed, sender=User.groups.through, dispatch_uid=f"{uid}.roles")
    m2m_changed.connect(
        _user_permissions_changed,
        sender=User.user_permissions.through,
        dispatch_uid=f"{uid}.user_permissions",
    )
    m2m_changed.connect(
        _role_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid=f"{uid}.role_permissions",
    )
    post_save.connect(_role_saved, sender=Group, dispatch_uid=f"{uid}.role")
    post_delete.connect(_role_deleted, sender=Group, dispatch_uid=f"{uid}.role_deleted")
    user_locked_out.connect(_locked_out, dispatch_uid=f"{uid}.locked_out")
    for device in (TOTPDevice, StaticDevice):
        name = device._meta.model_name
        pre_save.connect(_device_before, sender=device, dispatch_uid=f"{uid}.{name}_before")
        post_save.connect(_device_saved, sender=device, dispatch_uid=f"{uid}.{name}")
        post_delete.connect(_device_deleted, sender=device, dispatch_uid=f"{uid}.{name}_deleted")

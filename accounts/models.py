from django.conf import settings
from django.db import models


class AccountEventAction(models.TextChoices):
    CREATED = "created", "Account created"
    CHANGED = "changed", "Account details changed"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    RESET_LINK_SENT = "reset_link_sent", "Password link sent"
    ROLE_GRANTED = "role_granted", "Role granted"
    ROLE_REVOKED = "role_revoked", "Role taken away"
    PERMISSION_GRANTED = "permission_granted", "Permission granted"
    PERMISSION_REVOKED = "permission_revoked", "Permission taken away"
    ROLE_CHANGED = "role_changed", "Role definition changed"
    TWO_FACTOR_ADDED = "two_factor_added", "Two-factor device added"
    TWO_FACTOR_REMOVED = "two_factor_removed", "Two-factor device removed"
    LOCKED_OUT = "locked_out", "Sign-in paused after failed attempts"
    UNLOCKED = "unlocked", "Sign-in unpaused"


class AccountEvent(models.Model):
    """One change to who may do what: an account, its roles or permissions, a role's
    permissions, a password or a second factor. Written by `accounts.audit` for every path
    (admin, shell, commands), with the person who made it when there is one. Append-only:
    shown to chief editors and account administrators, never changed or deleted."""

    Action = AccountEventAction

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the change; empty when it came from outside the web app "
        "(a management command or the shell) or from a password link.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events",
        help_text="The account changed; empty for a change to a role itself.",
    )
    role = models.CharField(max_length=150, blank=True, help_text="The group concerned.")
    ip_address = models.GenericIPAddressField(
        null=True, blank=True, help_text="For a paused sign-in: the address the attempts came from."
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("reset_two_factor", "Can reset another person's two-factor sign-in")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AccountEventAction.values),
                name="account_event_action_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(user__isnull=True, role=""),
                name="account_event_has_subject",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.user or self.role}"

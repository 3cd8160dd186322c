from django.contrib import admin, messages
from django.utils.translation import ngettext

from config.admin_base import ReadOnlyAdmin

from . import mail
from .models import Message


class DeliveryFilter(admin.SimpleListFilter):
    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("undelivered", "Undelivered"),
            ("failed", "Failed (gave up)"),
            ("sent", "Sent"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "undelivered":
                return queryset.undelivered()
            case "failed":
                return queryset.failed()
            case "sent":
                return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """The mail the site sent or tried to send. Read-only: a message is what was written at
    the time; the only thing to do with one is to try sending it again."""

    list_display = [
        "subject",
        "to",
        "created_at",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = [DeliveryFilter]
    search_fields = ["subject", "recipients", "last_error"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    fields = [
        "subject",
        "to",
        "body",
        "created_at",
        "status",
        "sent_at",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "last_error",
    ]
    readonly_fields = fields

    @admin.display(description="to")
    def to(self, obj):
        return ", ".join(obj.recipients)

    @admin.display(description="status")
    def status(self, obj):
        return obj.status

    def has_retry_permission(self, request):
        return request.user.has_perm("outbox.retry_message")

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_now(self, request, queryset):
        """One attempt now for each selected unsent message, failed ones included (a failed
        one that fails again stays failed)."""
        results = {"sent": 0, "failed": 0}
        for message in queryset.undelivered():
            result = mail.deliver(message.pk, force=True)
            if result is not None:
                results["sent" if result else "failed"] += 1
                self.log_change(request, message, "Retried sending now.")
        if results["sent"]:
            count = results["sent"]
            self.message_user(
                request, ngettext("%d message sent.", "%d messages sent.", count) % count
            )
        if results["failed"]:
            count = results["failed"]
            self.message_user(
                request,
                ngettext(
                    "%d message could not be sent; see its last error.",
                    "%d messages could not be sent; see their last error.",
                    count,
                )
                % count,
                messages.WARNING,
            )
        if not any(results.values()):
            self.message_user(request, "Nothing to retry: the selected messages were sent.")

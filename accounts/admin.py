"""Accounts in the admin: a duty of its own (reviews.roles.ACCOUNT_ADMINISTRATORS).

Account administrators open accounts, give roles and send password links; they never type
anyone's password, never review, and can't touch superusers or fellow account administrators.
Accounts are deactivated, never deleted (their signatures and history point at them). Every
change lands in the account history (accounts.audit), which chief editors read."""

from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.admin_base import PERSON_FIELDS, LongListAdmin, ReadOnlyAdmin
from reviews.roles import ACCOUNT_ADMINISTRATORS

from . import audit, services, two_factor
from .forms import AccountAddForm, AccountChangeForm, RoleForm
from .models import AccountEvent

# Devices are managed through the account page ("Reset two-factor sign-in") and each
# person's own set-up page, never by editing secrets in the admin.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)

admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(LongListAdmin, UserAdmin):
    form = AccountChangeForm
    add_form = AccountAddForm
    add_form_template = "admin/change_form.html"
    add_fieldsets = [
        (None, {"fields": ["username", "first_name", "last_name", "email", "groups"]}),
    ]
    fieldsets = [
        (None, {"fields": ["username", "sign_in"]}),
        ("Person", {"fields": ["first_name", "last_name", "email"]}),
        ("Access", {"fields": ["is_active", "is_staff", "groups"]}),
        ("Superuser only", {"fields": ["is_superuser", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["sign_in", "last_login", "date_joined"]
    list_display = ["username", "full_name", "email", "roles", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "is_superuser"]
    actions = ["send_password_links", "reset_two_factor", "unpause_sign_in"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class Bound(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, granter=request.user, **inner)

        return Bound

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
            if obj is not None and obj.pk == request.user.pk:
                # Nobody widens or revives their own access.
                readonly += ["groups", "is_active", "is_staff"]
        return readonly

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(is_superuser=False)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser or obj.pk == request.user.pk:
            return True
        # Fellow account administrators are a superuser's business.
        return not obj.groups.filter(name=ACCOUNT_ADMINISTRATORS).exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            form.save_m2m()  # roles before the invitation, so the history reads in order
            try:
                services.send_password_link(obj, by=request.user, invitation=True)
            except services.AccountError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(
                    request, f"An invitation to choose a password was sent to {obj.email}."
                )

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)
        else:  # the m2m was saved with the account, before the invitation went out
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)

    # -- columns and fields ----------------------------------------------------------------

    @admin.display(description="Name")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description="Roles")
    def roles(self, obj):
        return ", ".join(g.name for g in obj.groups.all()) or "—"

    @admin.display(description="Sign-in")
    def sign_in(self, obj):
        if not obj.pk:
            return ""
        password = "set by its owner" if obj.has_usable_password() else "not chosen yet"
        factor = "on" if two_factor.has_device(obj) else "off"
        return format_html(
            "Password {} · two-factor sign-in {} · "
            '<a href="{}">Send a password link</a> · <a href="{}">History</a>',
            password,
            factor,
            reverse("admin:auth_user_send_link", args=[obj.pk]),
            reverse("admin:accounts_accountevent_changelist") + f"?user__id__exact={obj.pk}",
        )

    # -- passwords -------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<id>/send-link/",
                self.admin_site.admin_view(self.send_link_view),
                name="auth_user_send_link",
            ),
        ] + super().get_urls()

    def user_change_password(self, request, id, form_url=""):
        """Django's "set password" page, closed: your own password is changed from the
        admin's password page; anyone else's only by its owner, through a link."""
        if str(request.user.pk) == unquote(id):
            return HttpResponseRedirect(reverse("admin:password_change"))
        if not self.has_change_permission(request, self.get_object(request, unquote(id))):
            raise PermissionDenied
        self.message_user(
            request,
            "Passwords are never set by hand: send the person a link to choose their own.",
            messages.ERROR,
        )
        return HttpResponseRedirect(reverse("admin:auth_user_send_link", args=[id]))

    def send_link_view(self, request, id):
        user = self.get_object(request, unquote(id))
        if user is None or not self.has_change_permission(request, user):
            raise PermissionDenied
        if request.method == "POST":
            self._send_links(request, [user])
            return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Send a password link to {user.get_full_name() or user}",
            "opts": self.opts,
            "original": user,
            "account": user,
        }
        return TemplateResponse(request, "admin/accounts/send_link.html", context)

    def _send_links(self, request, users):
        for user in users:
            try:
                services.send_password_link(user, by=request.user)
            except services.AccountError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"A password link was sent to {user.email}.")

    @admin.action(description="Send a password link", permissions=["change"])
    def send_password_links(self, request, queryset):
        self._send_links(request, [u for u in queryset if self.has_change_permission(request, u)])

    @admin.action(description="Reset two-factor sign-in (lost phone)", permissions=["reset"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            if user.pk == request.user.pk or not self.has_change_permission(request, user):
                self.message_user(request, f"You can't reset {user}'s second factor.",
                                  messages.ERROR)  # fmt: skip
                continue
            removed = two_factor.reset(user)
            self.message_user(
                request,
                f"{user}: {removed} device(s) removed; they set up a new app at next sign-in."
                if removed
                else f"{user} had no two-factor device.",
            )

    @admin.action(description="Unpause sign-in (after failed attempts)", permissions=["change"])
    def unpause_sign_in(self, request, queryset):
        """Lifts django-axes' pause for the username and for every address it was paused
        from (recorded in the account history)."""
        for user in queryset:
            if not self.has_change_permission(request, user):
                continue
            addresses = set(
                AccountEvent.objects.filter(user=user, action=AccountEvent.Action.LOCKED_OUT)
                .exclude(ip_address=None)
                .values_list("ip_address", flat=True)
            )
            cleared = axes_reset(username=user.get_username())
            for address in addresses:
                cleared += axes_reset(ip=address)
            audit.record(
                AccountEvent.Action.UNLOCKED,
                user=user,
                detail=f"Sign-in unpaused ({cleared} failed attempt(s) forgotten).",
            )
            self.message_user(request, f"{user} can sign in again.")

    def has_reset_permission(self, request):
        return request.user.has_perm("accounts.reset_two_factor")


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles are created by migrations (reviews.roles); a superuser may adjust one, within
    the separation of duties."""

    form = RoleForm


@admin.register(AccountEvent)
class AccountEventAdmin(LongListAdmin, ReadOnlyAdmin):
    """The account history: who changed whose access, and when."""

    list_display = ["created_at", "action", "user", "role", "detail", "ip_address", "actor_name"]
    list_filter = ["action", "role"]
    list_select_related = ["user", "actor"]
    list_related_fields = {"user": PERSON_FIELDS, "actor": PERSON_FIELDS}
    search_fields = ["user__username", "actor__username", "role", "detail"]
    date_hierarchy = "created_at"

    @admin.display(description="By", ordering="actor__username")
    def actor_name(self, obj):
        return obj.actor or "nobody signed in (a password link, a command or the shell)"

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "user__id__exact" or super().lookup_allowed(lookup, value, request)

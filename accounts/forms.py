from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UsernameField
from django.contrib.auth.models import Group

from reviews.roles import ACCOUNT_ADMINISTRATORS

from . import services

User = get_user_model()


class DutiesMixin:
    """Refuses a combination of roles and permissions that breaks the separation of duties,
    naming the clash, with everything typed kept (a form error)."""

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        permissions = cleaned.get("user_permissions")
        if groups is None:
            groups = self.instance.groups.all() if self.instance.pk else Group.objects.none()
        if permissions is None:
            permissions = (
                self.instance.user_permissions.select_related("content_type")
                if self.instance.pk
                else []
            )
        problem = services.duty_conflict(services.permission_names(groups, permissions))
        if problem:
            raise forms.ValidationError(problem)
        return cleaned


def _role_field(granter):
    """Roles the person at the keyboard may hand out: only a superuser makes account
    administrators, so account administration can't spread by itself."""
    roles = Group.objects.order_by("name")
    if not granter.is_superuser:
        roles = roles.exclude(name=ACCOUNT_ADMINISTRATORS)
    return forms.ModelMultipleChoiceField(
        queryset=roles,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Roles",
        help_text="What the person may do comes from their roles.",
    )


class AccountAddForm(DutiesMixin, forms.ModelForm):
    """A new account has no password: its owner chooses one through the invitation link
    e-mailed on saving."""

    email = forms.EmailField(
        help_text="The invitation to choose a password goes to this address.",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "groups"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args, granter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"] = _role_field(granter)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Another account already uses this address.")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        user.is_staff = True  # every account is for the editorial workplace
        if commit:
            user.save()
            self.save_m2m()
        return user


class AccountChangeForm(DutiesMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "username", "first_name", "last_name", "email", "is_active", "is_staff", "groups",
            "is_superuser", "user_permissions",
        ]  # fmt: skip
        field_classes = {"username": UsernameField}

    def __init__(self, *args, granter, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            self.fields["groups"] = _role_field(granter)
        if "user_permissions" in self.fields:
            field = self.fields["user_permissions"]
            field.queryset = field.queryset.select_related("content_type")

    def clean_email(self):
        email = self.cleaned_data.get("email", "").strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another account already uses this address.")
        return email


class RoleForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "permissions"]

    def clean(self):
        cleaned = super().clean()
        problem = services.duty_conflict(
            services.permission_names(permissions=cleaned.get("permissions") or [])
        )
        if problem:
            raise forms.ValidationError(problem)
        return cleaned


class PasswordLinkRequestForm(PasswordResetForm):
    """ "Forgotten your password?": sends the link through the outbox, also to someone whose
    invitation expired (an account without a usable password yet). Says the same whether or
    not the address is known."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)

    def save(self, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            services.send_password_link(user, invitation=not user.has_usable_password())


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
    )

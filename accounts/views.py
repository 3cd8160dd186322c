"""Sign-in pages around the admin's own: the second factor, and choosing a password through
an e-mailed link."""

import django_otp
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_ratelimit.decorators import ratelimit

from . import two_factor
from .forms import PasswordLinkRequestForm, TokenForm

WRONG = "That code is not right, or has expired. Type the one showing now."
WAIT = (
    "Too many wrong codes: wait a little before the next try (the wait doubles with each "
    "wrong code)."
)
LIMITED = (
    "Too many attempts in a short time. Wait a few minutes and try again; nothing you typed "
    "was lost."
)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _page(request, template, context, status=200):
    context = {**admin.site.each_context(request), "next": _next(request), **context}
    return render(request, template, context, status=status)


def _to(name, request) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")


@login_required
@ratelimit(key="user", rate="10/10m", method="POST", block=False)
def verify(request):
    """Confirm the second factor of this session."""
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next(request))
    if not two_factor.has_device(user):
        return _to("accounts:two_factor_setup", request)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, LIMITED)
            status = 429
        elif form.is_valid():
            waiting = two_factor.throttled(user)  # before this try counts as another failure
            device = two_factor.verify(user, form.cleaned_data["token"])
            if device:
                django_otp.login(request, device)
                return HttpResponseRedirect(_next(request))
            form.add_error("token", WAIT if waiting else WRONG)
            status = 400
        else:
            status = 400
    return _page(request, "accounts/two_factor_verify.html",
                 {"title": "Confirm it's you", "form": form}, status)  # fmt: skip


@login_required
@ratelimit(key="user", rate="10/10m", method="POST", block=False)
def setup(request):
    """Set up (or replace) the authenticator app. Replacing needs the current factor first."""
    user = request.user
    if two_factor.has_device(user) and not user.is_verified():
        return _to("accounts:two_factor", request)
    device = two_factor.pending_app(user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, LIMITED)
            status = 429
        elif form.is_valid():
            waiting = two_factor.throttled(user, device)  # before this try counts
            if not waiting and device.verify_token(form.cleaned_data["token"].replace(" ", "")):
                codes = two_factor.confirm_app(device)
                django_otp.login(request, device)
                return _page(request, "accounts/two_factor_done.html",
                             {"title": "Two-factor sign-in is on", "codes": codes})  # fmt: skip
            form.add_error(
                "token", WAIT if waiting else WRONG + " Check that the phone's clock is right."
            )
            status = 400
        else:
            status = 400
    context = {
        "title": "Set up two-factor sign-in",
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
        "required": two_factor.required_for(user),
        "replacing": two_factor.has_device(user),
    }
    return _page(request, "accounts/two_factor_setup.html", context, status)


class AdminContextMixin:
    """The admin's look (the registration templates extend the admin's base)."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


# "ip" is the client address as config/client_ip.py reads it (RATELIMIT_IP_META_KEY).
@method_decorator(
    ratelimit(key="ip", rate=lambda g, r: settings.PASSWORD_RESET_RATE, method="POST",
              block=False),
    name="post",
)  # fmt: skip
class PasswordLinkRequestView(AdminContextMixin, auth_views.PasswordResetView):
    """ "Forgotten your password?" on the sign-in page, limited per client address."""

    form_class = PasswordLinkRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, LIMITED)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordChooseView(AdminContextMixin, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordLinkSentView(AdminContextMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordChosenView(AdminContextMixin, auth_views.PasswordResetCompleteView):
    pass

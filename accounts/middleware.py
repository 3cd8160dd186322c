"""Staff sessions: a hard limit on their age, and the second factor before anything else.

The idle timeout is Django's own (SESSION_COOKIE_AGE renewed on every request); this adds
what it can't do. Readers have no session, so none of this costs them anything."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from . import two_factor

SIGNED_IN_AT = "vetted_signed_in_at"


def _stamp(sender, request, user, **kwargs):
    request.session[SIGNED_IN_AT] = int(time.time())


user_logged_in.connect(_stamp, dispatch_uid="accounts.middleware.stamp")


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        admin_page = request.path.startswith(reverse("admin:index"))
        started = request.session.setdefault(SIGNED_IN_AT, int(time.time()))
        if time.time() - started > settings.STAFF_SESSION_MAX_HOURS * 3600:
            logout(request)
            if not admin_page:
                return None
            messages.info(request, "Your session has ended; sign in again.")
            return HttpResponseRedirect(self._with_next(reverse("admin:login"), request))
        if not two_factor.required_for(request.user) or request.user.is_verified():
            return None
        if request.path.startswith(reverse("accounts:two_factor_setup").rsplit("setup/")[0]):
            return None  # the second-factor pages themselves
        if request.path == reverse("admin:logout"):
            return None
        if admin_page:
            return HttpResponseRedirect(self._with_next(reverse("accounts:two_factor"), request))
        # Outside the admin (a preview on the public site), an unconfirmed session has no
        # staff powers: the reader's view.
        request.user = AnonymousUser()
        return None

    @staticmethod
    def _with_next(url, request):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"

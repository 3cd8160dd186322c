"""Sign-in lockout (django-axes), counted in the shared cache so every app server sees one count.

Stock `AxesCacheHandler` asks "is this client locked?" before the password check and counts
the failure after it. Forty guesses sent at the same moment all pass the question before any
of them is counted, so all forty reach the password check. Here each attempt takes a number
first — one atomic increment per lockout key (the username, the client address) — and only
numbers within AXES_FAILURE_LIMIT go on to the password check. A successful sign-in clears the
count, as before (AXES_RESET_ON_SUCCESS). Every attempt, refused ones too, restarts the
cool-off, so someone who keeps guessing stays locked out.

Unlocking: `manage.py axes_reset_username <name>` for a username others guessed at. Someone who
locked themselves out from their own desk paused their address too:
`manage.py axes_reset_ip_username <address> <name>`."""

import logging
import math

from axes.handlers.cache import AxesCacheHandler
from axes.helpers import (
    get_cache_timeout,
    get_client_cache_keys,
    get_client_str,
    get_client_username,
    get_cool_off,
    get_failure_limit,
)
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

log = logging.getLogger(__name__)


class SharedCacheLockout(AxesCacheHandler):
    def is_allowed(self, request, credentials=None) -> bool:
        """The backend's question, once per sign-in attempt, before the password check."""
        request.axes_taking_number = True
        try:
            return super().is_allowed(request, credentials)
        finally:
            request.axes_taking_number = False

    def is_locked(self, request, credentials=None) -> bool:
        """For a sign-in attempt (see is_allowed), take its number: one numbered past the
        limit never reaches the password check. Asked at any other time, only look."""
        if not getattr(request, "axes_taking_number", False):
            return super().is_locked(request, credentials)
        request.axes_taking_number = False
        timeout = get_cache_timeout(request)
        numbers = []
        for key in get_client_cache_keys(request, credentials):
            self.cache.add(key, 0, timeout=timeout)
            numbers.append(self.cache.incr(key))
            self.cache.touch(key, timeout=timeout)
        request.axes_attempt_number = max(numbers)
        return request.axes_attempt_number > get_failure_limit(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        number = getattr(request, "axes_attempt_number", None)
        if number is None:  # not counted before the check (a blacklisted address, say)
            return super().user_login_failed(sender, credentials, request, **kwargs)
        request.axes_failures_since_start = number
        if number >= get_failure_limit(request, credentials):
            username = get_client_username(request, credentials)
            client = get_client_str(
                username,
                request.axes_ip_address,
                request.axes_user_agent,
                request.axes_path_info,
                request,
            )
            log.warning("Sign-in paused after %d attempts by %s.", number, client)
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=username,
                ip_address=request.axes_ip_address,
            )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lockout page, with Retry-After (the cool-off restarts with
    every attempt, so the whole of it is left)."""
    cool_off = get_cool_off(request)
    seconds = math.ceil(cool_off.total_seconds()) if cool_off else None
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": math.ceil(seconds / 60) if seconds else None,
    }
    response = render(
        request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response

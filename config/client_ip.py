"""Who the client is, for lockouts and rate limits: one rule for django-axes and
django-ratelimit. Behind TRUSTED_PROXY_COUNT proxies the client is the address the outermost
trusted proxy saw, counted from the right of X-Forwarded-For (entries further left are
whatever the client claims, so they are never trusted). With no proxies, X-Forwarded-For is
ignored altogether.

The address comes back in one canonical spelling, so one client is one lockout key. Anything
that isn't an address (a misconfigured proxy chain) falls back to REMOTE_ADDR: one shared
bucket, never a way around the count, and never an error page."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        chain = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [ip for ip in chain if ip]
        if len(chain) >= proxies:
            address = _canonical(chain[-proxies])
            if address:
                return address
    return _canonical(request.META.get("REMOTE_ADDR", "")) or request.META.get("REMOTE_ADDR", "")


def _canonical(value: str) -> str:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)

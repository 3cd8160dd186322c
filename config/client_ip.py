"""Who the client is, for lockouts and rate limits: one rule for django-axes and
django-ratelimit. Behind TRUSTED_PROXY_COUNT proxies the client is the address the outermost
trusted proxy saw, counted from the right of X-Forwarded-For (entries further left are
whatever the client claims, so they are never trusted)."""

from django.conf import settings


def client_ip(request) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        chain = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [ip for ip in chain if ip]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR", "")

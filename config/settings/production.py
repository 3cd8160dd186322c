"""Production settings. Secrets and the database have no defaults here: a missing one stops
the process at start-up with a message naming it, instead of running on a guess."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_settings, env

# REDIS_URL: lockouts and rate limits must be counted in one place for every app server.
_missing = [
    name for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL") if not env(name, default="")
]
if _missing:
    raise ImproperlyConfigured(
        "Vetted's production settings need these environment variables: "
        + ", ".join(_missing)
        + ". Set them (see README, 'Running in production') and start again."
    )

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
DATABASES = {"default": database_settings()}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

REQUIRE_TWO_FACTOR = env.bool("REQUIRE_TWO_FACTOR", default=True)

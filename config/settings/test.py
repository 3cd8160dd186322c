"""Settings for the test suite: fast hashing, in-memory email, SQLite unless DATABASE_URL."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "tests-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_CONTENT_ALLOWED = True
# Tests serve static files through the finders; there is no collected STATIC_ROOT to scan.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

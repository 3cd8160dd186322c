"""Settings shared by every environment. Values that differ between machines come from the
environment (12-factor); `local.py`, `test.py` and `production.py` only adjust defaults."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "simple_history",
    "django_filters",
]
LOCAL_APPS = [
    "references",
    "articles",
    "reviews",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The embedded default is a SQLite file in the project; production sets DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time and no row locks (`select_for_update` is a no-op).
    # IMMEDIATE transactions take the write lock when they begin, so two people acting at
    # once queue up: the second waits (up to `timeout` seconds) and then reads the first one's
    # committed work, getting the same conflict message PostgreSQL's row lock gives, instead
    # of "database is locked" when a read transaction tries to become a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Rendered articles are cached (articles/readers.py). With REDIS_URL every app server shares
# one cache, so an approval or a glossary edit refreshes the pages everywhere at once.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vetted",
        }
    }
else:  # one process (runserver, tests): its own memory is the whole cache
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# Reader-facing messages ("your question was received") live in a signed cookie, so a
# reader needs no server-side session and the public pages stay session-free.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Vetted <noreply@localhost>")

SECRET_KEY = env("SECRET_KEY", default="")

# SQLite has no deferrable unique constraints; the section-order constraint is deferred on
# PostgreSQL (so editors can swap two sections in one save) and the admin formset checks
# the same rule on every database.
SILENCED_SYSTEM_CHECKS = ["models.W038"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# `load_demo` writes demo articles and staff accounts with published passwords: never in
# production unless explicitly allowed.
DEMO_CONTENT_ALLOWED = env.bool("DEMO_CONTENT_ALLOWED", default=False)

# The public address, for links in e-mails (no request to take it from there).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Restoring goes through reviews.services.restore, never simple-history's silent revert.
SIMPLE_HISTORY_REVERT_DISABLED = True
# Days a board member has to review a submitted article (shown as "review due" in the queue).
REVIEW_TURNAROUND_DAYS = env.int("REVIEW_TURNAROUND_DAYS", default=14)

"""Settings shared by every environment. Values that differ between machines come from the
environment (12-factor); `local.py`, `test.py` and `production.py` only adjust defaults."""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF

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
    "django.contrib.postgres",
    "django.contrib.sitemaps",
]
THIRD_PARTY_APPS = [
    "simple_history",
    "django_filters",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pgtrigger",
]
LOCAL_APPS = [
    "outbox",
    "references",
    "articles",
    "reviews",
    "accounts",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: a malformed request is a 400 before anything reads its body (config.middleware).
    "config.middleware.MalformedRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which serves static files already compressed: readers' pages go out
    # in brotli, zstd or gzip (a cached article page comes compressed and passes as is).
    "config.middleware.PublicCompressionMiddleware",
    # ETags and 304s for pages that don't set their own (the article page cache does).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A reader's stored article page, before anything per-person runs (articles.middleware).
    "articles.middleware.ArticlePageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in pages are never cached (config.middleware); anonymous ones are left alone.
    "config.middleware.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session age and the second factor, before any view (accounts.middleware).
    "accounts.middleware.StaffSessionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
            # Changelists' rows, drawn with what is the same for all worked out once
            # (config.admin_rows, templates/admin/change_list.html).
            "libraries": {"admin_rows": "config.admin_rows"},
        },
    },
]


def database_settings(**default) -> dict:
    """DATABASE_URL's database, with what its engine needs here (production's has no
    default: it names the variable when it is missing)."""
    database = env.db("DATABASE_URL", **default)
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite has one writer at a time and no row locks (`select_for_update` is a no-op).
        # IMMEDIATE transactions take the write lock when they begin, so two people acting
        # at once queue up: the second waits (up to `timeout` seconds) and then reads the
        # first one's committed work, getting the same conflict message PostgreSQL's row lock
        # gives, instead of "database is locked" when a read transaction tries to become a
        # write.
        options.update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    if database["ENGINE"] == "django.db.backends.postgresql" and (
        "max_parallel_workers_per_gather" not in options.get("options", "")
    ):
        # No parallel query on the app's connections, unless DATABASE_PARALLEL_WORKERS says
        # so: it is for reports that scan much of a table, and every query here reads a page
        # of rows, an article or a count that stops early. Where PostgreSQL chose it anyway
        # (the admin's revisions search at 100,000 articles), its workers took 15–47 ms to
        # start, for a query that takes 6–11 ms without them (bench/admin_pages.py); no
        # public page was faster with them (bench/load.py).
        workers = env.int("DATABASE_PARALLEL_WORKERS", default=0)
        options["options"] = (
            f"{options.get('options', '')} -c max_parallel_workers_per_gather={workers}".strip()
        )
    return database


# The embedded default is a SQLite file in the project; production sets DATABASE_URL.
DATABASES = {"default": database_settings(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes counts failed sign-ins before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff sign in on the admin's page (also where login_required sends them).
LOGIN_URL = "admin:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Rendered articles and whole article pages are cached (articles/readers.py,
# articles/page_cache.py). With REDIS_URL every app server shares
# one cache, so an approval or a glossary edit refreshes the pages everywhere at once.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.KeptClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vetted",
        }
    }
else:  # one process (runserver, tests): its own memory is the whole cache
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},  # whole pages, per reader type and encoding
        }
    }

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where `collectstatic` puts the files WhiteNoise serves (production's manifest is there).
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))

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
    # django-axes reports every successful sign-in at INFO; lockouts are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
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

# -- security ------------------------------------------------------------------------------
# What reaches the open internet: who is the client, how often may it try, what may a page
# load, how long does a staff session live. README, "Security", explains the whole model.

# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, the
# client is REMOTE_ADDR). Lockouts and rate limits key on the address this yields.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username,
# or from one address, sign-in is refused for AXES_COOLOFF_TIME. Counted in the shared
# cache, so every app server sees the same count; config/lockout.py counts each attempt
# before its password check, so parallel guesses can't slip past the limit.
AXES_HANDLER = "accounts.lockout.SharedCacheLockout"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"  # the template, 429, Retry-After
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # the cache handler keeps no rows to show

# Rate limits on public POSTs (django-ratelimit), in the same shared cache.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "config.client_ip.client_ip"
FOLLOW_UP_RATE = env("FOLLOW_UP_RATE", default="5/10m")

# Readers' pages that shared caches (a CDN, a proxy) may keep this long (`s-maxage`); browsers
# revalidate every time and get a 304 when nothing changed (config.public_cache). An approval
# reaches every app server at once, and such a cache within this many seconds.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
# How long a rendered article page stays in the page cache at most (articles/page_cache.py);
# any change to what it shows replaces it sooner.
ARTICLE_PAGE_CACHE_SECONDS = env.int("ARTICLE_PAGE_CACHE_SECONDS", default=24 * 60 * 60)
# Keep each rendered article page in the database too (brotli, about a quarter of the page):
# a page the cache has evicted or lost is then served with one query, not rendered again.
ARTICLE_PAGES_IN_DATABASE = env.bool("ARTICLE_PAGES_IN_DATABASE", default=True)
# Render an article's pages as soon as an approval (or any change readers see) commits.
ARTICLE_PAGE_PRERENDER = env.bool("ARTICLE_PAGE_PRERENDER", default=True)
PASSWORD_RESET_RATE = env("PASSWORD_RESET_RATE", default="5/h")

# Content-Security-Policy (django-csp): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    },
}

# Headers Django sets by default, named here so a change shows up in review: no framing,
# no content-type guessing, our addresses not sent to other sites.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A rejected form (expired CSRF token) gets a page that says what to do. It, and the other
# error pages (config.errors, config.urls), never parse the request again: the request may
# be what was malformed.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# Features no page of ours uses, switched off for every page (and any injected frame).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
        "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "usb",
        "xr-spatial-tracking",
    )
}  # fmt: skip

# Only staff have sessions (readers' pages are session-free). A staff session ends after
# this much inactivity: every request renews it.
SESSION_COOKIE_AGE = env.int("STAFF_IDLE_TIMEOUT_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# ...and after this long in any case, active or not (accounts.middleware).
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=12)

# Two-factor sign-in (django-otp, TOTP): staff in these roles must confirm a code from their
# authenticator app before the admin opens. Production requires it; see README.
REQUIRE_TWO_FACTOR = env.bool("REQUIRE_TWO_FACTOR", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Vetted")

# Mail goes through the outbox (outbox app): a transition commits even when the mail server
# is down, and the outbox retries.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

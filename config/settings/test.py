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
# Rendering every page of every article approved in a test costs seconds across the suite;
# the tests of pre-rendering turn it on.
ARTICLE_PAGE_PRERENDER = False
# Tests serve static files through the finders; there is no collected STATIC_ROOT to scan.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: concurrency tests need real connections
    # that wait for each other's write lock (shared memory would fail them at once). One per
    # process (pytest-xdist workers each build their own), in RAM where the machine has it.
    import os
    import tempfile
    from pathlib import Path

    _shm = Path("/dev/shm")  # noqa: S108 — a private file name per process, in RAM
    _where = _shm if _shm.is_dir() else Path(tempfile.gettempdir())
    DATABASES["default"]["TEST"] = {"NAME": str(_where / f"vetted-test-{os.getpid()}.sqlite3")}  # noqa: F405
    # A throwaway database: no need to wait for the disk on every commit.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"  # noqa: F405

if REDIS_URL:  # noqa: F405
    # Test processes (pytest-xdist workers) run side by side, each on its own database where
    # revision ids repeat, and clearing the cache empties a whole Redis database: give each
    # worker its own Redis database next to the configured one.
    import os
    from urllib.parse import urlsplit

    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    _url = urlsplit(REDIS_URL)  # noqa: F405
    _base = int(_url.path.strip("/") or 0)
    CACHES["default"]["LOCATION"] = _url._replace(path=f"/{(_base + _worker) % 16}").geturl()  # noqa: F405

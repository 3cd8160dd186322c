"""Run code under the production settings in a fresh interpreter: settings are read once per
process, and production's are read from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What production reads from the environment, and what the test run itself sets (the browser
# tests allow async-unsafe calls, which the deployment checks rightly refuse): the
# subprocess starts from none of it.
PRODUCTION_ENV = (
    "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "DEBUG", "REQUIRE_TWO_FACTOR", "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_PARALLEL_WORKERS",
)  # fmt: skip


def complete_env(**env: str) -> dict[str, str]:
    """Everything production needs to start, with placeholders that open no connection."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": "sqlite:////tmp/x.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "example.org",
        **env,
    }


def run_production(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """`python <args>` in the project with DJANGO_SETTINGS_MODULE=config.settings.production
    and exactly the production variables given in `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

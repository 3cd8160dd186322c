"""Production settings fail fast, naming what is missing; tested in a fresh interpreter because
settings are read once per process."""

import pytest

from .production import run_production

START = ["-c", "import django; django.setup(); print('started')"]


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY, DATABASE_URL, REDIS_URL."),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "SECRET_KEY, REDIS_URL."),
        ({"SECRET_KEY": "s3cret-for-this-test"}, "DATABASE_URL, REDIS_URL."),
        (
            {"SECRET_KEY": "s3cret-for-this-test", "DATABASE_URL": "sqlite:////tmp/x.sqlite3"},
            "REDIS_URL.",
        ),
        (
            {"SECRET_KEY": "s3cret-for-this-test", "REDIS_URL": "redis://127.0.0.1:6379/0"},
            "DATABASE_URL.",
        ),
    ],
)
def test_production_refuses_to_start_without_secret_database_or_redis(env, missing):
    result = run_production(START, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"need these environment variables: {missing}" in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_all_three():
    result = run_production(
        START,
        SECRET_KEY="s3cret-for-this-test",
        DATABASE_URL="sqlite:///:memory:",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"

"""Production settings fail fast, naming what is missing; tested in a fresh interpreter because
settings are read once per process."""

import pytest
from django.db import connection

from .production import complete_env, run_production

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


CONNECTION_OPTIONS = [
    "-c",
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['OPTIONS']['options'])",
]


@pytest.mark.parametrize(
    ("url", "env", "options"),
    [
        ("postgres://app@db:5432/vetted", {}, "-c max_parallel_workers_per_gather=0"),
        (
            "postgres://app@db:5432/vetted?options=-c%20default_transaction_read_only%3Don",
            {},
            "-c default_transaction_read_only=on -c max_parallel_workers_per_gather=0",
        ),
        (
            "postgres://app@db:5432/vetted",
            {"DATABASE_PARALLEL_WORKERS": "2"},
            "-c max_parallel_workers_per_gather=2",
        ),
        (
            "postgres://app@db:5432/vetted?options=-c%20max_parallel_workers_per_gather%3D4",
            {"DATABASE_PARALLEL_WORKERS": "2"},
            "-c max_parallel_workers_per_gather=4",  # the URL's own word is kept
        ),
    ],
    ids=["default", "with other options", "from the environment", "named in the URL"],
)
def test_postgresql_connections_plan_without_parallel_workers_unless_told(url, env, options):
    result = run_production(CONNECTION_OPTIONS, **complete_env(DATABASE_URL=url, **env))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == options


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own setting")
@pytest.mark.django_db
def test_the_apps_own_postgresql_connection_plans_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)

"""Changing append-only rows behind the application's back, as only the tables' owner could
(a manual fix, a bad restore), for tests of what the application does when that happens."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def behind_the_apps_back(*models):
    """Inside the block, `models`' tables accept UPDATE and DELETE. On PostgreSQL their
    append-only triggers are off (the owner's `ALTER TABLE … DISABLE TRIGGER`); elsewhere
    there are none."""
    if connection.vendor != "postgresql":
        yield
        return
    _switch_triggers(models, "DISABLE")
    try:
        yield
    finally:
        _switch_triggers(models, "ENABLE")


def _switch_triggers(models, switch: str) -> None:
    """PostgreSQL alters no table while checks are deferred on it, as they are for the rows
    the test's transaction wrote: run them first, and defer again after."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"ALTER TABLE {table} {switch} TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def tamper(revision, content: dict) -> None:
    """Overwrite `revision`'s stored content, leaving its recorded hash as it was."""
    from articles.revisions import Revision

    with behind_the_apps_back(Revision):
        Revision.objects.filter(pk=revision.pk).update(content=content)

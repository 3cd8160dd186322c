"""What may never change once written, and how PostgreSQL is made to refuse it.

The append-only tables are the records of who did what: every django-simple-history table,
plus the models in `APPEND_ONLY`. On PostgreSQL each gets a django-pgtrigger `Protect`
trigger that raises on UPDATE and DELETE, whoever sends them — the ORM, raw SQL, a shell, an
attacker with the application's database login. The triggers are created by migrations
(pgtrigger does nothing on other databases).

Each app calls `protect(self)` in its `AppConfig.ready()`, which registers the triggers of
that app's own tables only, so no app reaches into the tables of another. A test checks that
every table that should carry a trigger does.

To make a model append-only: add "app_label.ModelName" to `APPEND_ONLY`, make sure its app's
`ready()` calls `protect(self)`, and run `makemigrations`.

Django's test flush empties tables with TRUNCATE, which row triggers do not see; the
application's database role is given no TRUNCATE privilege (README, "Running in
production").
"""

import functools

import pgtrigger
from django.apps import AppConfig, apps
from pgtrigger import compiler
from simple_history.models import HistoricalChanges

# "app_label.ModelName" -> foreign keys that may go from a row to NULL, and nothing else. Only
# a SET_NULL link whose target may be deleted belongs there, and only when the row still says
# everything without it.
APPEND_ONLY: dict[str, tuple[str, ...]] = {
    "articles.Revision": (),
    "articles.Citation": (),
    "articles.ReviewEvent": (),
    # A withdrawn (deleted) term cuts the link; the approved text, who and when stay.
    "articles.GlossaryApproval": ("glossary_term",),
    # Who changed whose access: accounts are deactivated, never deleted.
    "accounts.AccountEvent": (),
}

TRIGGER = "append_only"  # every protected table has a trigger of this name
UPDATE_TRIGGER = "append_only_update"  # where a link may be cut, UPDATE has its own


def is_historical(model) -> bool:
    """A django-simple-history table (model history or many-to-many history)."""
    return issubclass(model, HistoricalChanges)


def protected_models() -> list:
    """Every model whose table must refuse UPDATE and DELETE, in every app."""
    listed = {apps.get_model(label) for label in APPEND_ONLY}
    return sorted(
        listed | {model for model in apps.get_models() if is_historical(model)},
        key=lambda model: model._meta.label,
    )


def protect(app_config: AppConfig) -> None:
    """Register the triggers for the append-only tables of `app_config`. Called from its
    `ready()`; safe to call again."""
    for model in app_config.get_models():
        if model._meta.label in APPEND_ONLY:
            _register(model, APPEND_ONLY[model._meta.label])
        elif is_historical(model):
            _register(model, ())


def _register(model, unlinkable: tuple[str, ...]) -> None:
    if not unlinkable:
        triggers = [AppendOnly(name=TRIGGER, operation=pgtrigger.Update | pgtrigger.Delete)]
    else:
        triggers = [
            AppendOnly(name=TRIGGER, operation=pgtrigger.Delete),
            AppendOnly(
                name=UPDATE_TRIGGER,
                operation=pgtrigger.Update,
                condition=_changed_beyond_unlinking(model, unlinkable),
            ),
        ]
    registered = {trigger.name for trigger in getattr(model._meta, "triggers", [])}
    for trigger in triggers:
        if trigger.name not in registered:
            trigger.register(model)


def _changed_beyond_unlinking(model, unlinkable: tuple[str, ...]) -> pgtrigger.Q:
    """True for an UPDATE that does more than set the `unlinkable` links to NULL."""
    changes = [
        pgtrigger.Q(**{f"old__{field.name}__df": pgtrigger.F(f"new__{field.name}")})
        for field in model._meta.concrete_fields
        if field.name not in unlinkable
    ]
    changes += [
        pgtrigger.Q(
            **{f"new__{name}__isnull": False, f"old__{name}__df": pgtrigger.F(f"new__{name}")}
        )
        for name in unlinkable
    ]
    return functools.reduce(lambda a, b: a | b, changes)


class AppendOnlyTriggerSql(compiler.UpsertTriggerSql):
    """pgtrigger's installation SQL without its switch for turning a trigger off per session.

    pgtrigger lets any session skip a trigger by naming it in the `pgtrigger.ignore` setting
    (that is how `pgtrigger.ignore()` works), and any database login may set it. A trigger
    that the application's own login could skip would protect nothing, so the function these
    triggers run has no such check: only the table owner, by altering the table, can turn
    them off. Migrations name this class, so the template must never change; a different
    one would be a new class."""

    def get_template(self) -> str:
        return """
            CREATE OR REPLACE FUNCTION {pgid}()
            RETURNS TRIGGER AS $$
                {declare}
                BEGIN
                    {func}
                END;
            $$ LANGUAGE plpgsql;

            DROP TRIGGER IF EXISTS {pgid} ON {table};
            CREATE {constraint} TRIGGER {pgid}
                {when} {operation} ON {table}
                {timing}
                {referencing}
                FOR EACH {level} {condition}
                EXECUTE PROCEDURE {execute};

            COMMENT ON TRIGGER {pgid} ON {table} IS '{hash}';
        """


class AppendOnly(pgtrigger.Protect):
    """A `Protect` trigger that no session setting can skip (see `AppendOnlyTriggerSql`)."""

    def get_func(self, model) -> str:
        return "RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;"

    def compile(self, model) -> compiler.Trigger:
        compiled = super().compile(model)
        return compiler.Trigger(name=compiled.name, sql=AppendOnlyTriggerSql(**compiled.sql.kwargs))

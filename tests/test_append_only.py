"""History is append-only in the database itself: on PostgreSQL every simple-history table and
the revisions, citations, review log and glossary approvals refuse UPDATE and DELETE, from
the ORM and from raw SQL, and the application's database login (which owns no table) cannot
turn that off. See config/append_only.py and README, "Running in production".

The database tests need PostgreSQL (the triggers exist only there); CI runs the suite on
SQLite and on PostgreSQL, so they run on every change."""

import itertools
import os

import pgtrigger
import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import CharField, IntegerField, ProtectedError, TextField
from django.db.models.deletion import Collector

from articles.models import GlossaryApproval, GlossaryTerm, ReviewerProfile, SiteSettings, Variant
from articles.revisions import Revision, hash_of
from config import append_only
from outbox.models import Message
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    PageFactory,
    ReferenceFactory,
    SectionFactory,
    SpecialtyFactory,
    approved_term,
    user_with_role,
    workflow_to,
)
from tests.tampering import behind_the_apps_back

PROTECTED = append_only.protected_models()
LABELS = [model._meta.label for model in PROTECTED]


# --- which tables: checked on every database -----------------------------------------------


def test_the_listed_models_and_every_history_table_are_protected():
    historical = {m._meta.label for m in apps.get_models() if m.__name__.startswith("Historical")}
    assert len(historical) >= 11  # articles' history tables and the library's
    assert set(LABELS) == set(append_only.APPEND_ONLY) | historical
    assert {"articles.Revision", "articles.Citation", "articles.ReviewEvent"} <= set(LABELS)
    assert "articles.GlossaryApproval" in LABELS


@pytest.mark.parametrize("model", PROTECTED, ids=LABELS)
def test_each_protected_table_has_its_trigger_registered(model):
    """Registered by its own app's ready(); makemigrations (CI checks it is clean) turns the
    registration into the migration that creates the trigger."""
    names = {trigger.name for trigger in model._meta.triggers}
    assert append_only.TRIGGER in names
    assert all(isinstance(trigger, append_only.AppendOnly) for trigger in model._meta.triggers)


def test_no_other_table_is_protected():
    protected = set(PROTECTED)
    others = [
        model._meta.label
        for model, trigger in pgtrigger.registered()
        if model not in protected and isinstance(trigger, append_only.AppendOnly)
    ]
    assert others == []


# --- on PostgreSQL: the database refuses ---------------------------------------------------


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("The append-only triggers exist on PostgreSQL only (CI runs it there).")


@pytest.fixture
def world(postgresql):
    """At least one row in every protected table that nothing else protects from deletion,
    so that a refused DELETE is the database's doing, not Django's PROTECT."""
    editor = user_with_role(roles.EDITORS)
    reviewer = user_with_role(roles.MEDICAL_ADVISORY_BOARD)
    # A profile declaring the factory topics' specialty (a history row, with its specialties):
    # the approval below is an ordinary one.
    profile = ReviewerProfile.objects.create(
        user=reviewer, slug="r", display_name="R", credentials="MD"
    )
    profile.specialties.add(SpecialtyFactory(name="General medicine"))
    ReferenceFactory(key="trial")
    article = ArticleFactory(bottom_line="Treat early [@trial].")
    SectionFactory(article=article)
    article = workflow_to(article, "approved", editor=editor, reviewer=reviewer)
    services.add_comment(article, by=reviewer, comment="Still current.")
    Variant.objects.create(
        article=article, reader_type_id=1, text="In plain words.", heading=""
    )  # history
    Revision.objects.create(
        article=article, number=99, content={}, content_hash=hash_of({}), created_by=editor
    )
    term = approved_term("stroke")
    term.definition = "Changed."
    term.save()
    services.approve_glossary_term(term, by=reviewer)  # the first approval is now unreferenced
    PageFactory(slug="append-only-page")  # a slug no migration creates: a history row
    SiteSettings.load().save()
    return article


def unprotected_row(model):
    """A row of `model` that Django itself would let go (no PROTECT pointing at it)."""
    for row in model.objects.order_by("-pk"):
        try:
            Collector(using="default").collect([row])
        except ProtectedError:
            continue
        return row
    raise AssertionError(f"No deletable {model._meta.label} row: add one to `world`")


def a_change(model, row) -> tuple[str, object]:
    """(column, new value) that really changes `row`: text in a text column, else a number."""
    keep = set(append_only.APPEND_ONLY.get(model._meta.label, ()))
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in keep or field.is_relation:
            continue
        if isinstance(field, CharField | TextField) and (field.max_length or 99) >= 20:
            return field.column, ("altered " + (getattr(row, field.attname) or ""))[:20]
    for field in model._meta.concrete_fields:
        if isinstance(field, IntegerField) and not field.primary_key:
            return field.column, getattr(row, field.attname) + 1000
    raise AssertionError(f"Nothing to change in {model._meta.label}")


def refused(statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def quoted(model):
    return connection.ops.quote_name(model._meta.db_table)


def sql_update(model, pk, column, value):
    table, key = quoted(model), model._meta.pk.column
    raw(f"UPDATE {table} SET {column} = %s WHERE {key} = %s", [value, pk])  # noqa: S608


def sql_delete(model, pk):
    raw(f"DELETE FROM {quoted(model)} WHERE {model._meta.pk.column} = %s", [pk])  # noqa: S608


def pgid(model):
    trigger = next(t for t in model._meta.triggers if t.name == append_only.TRIGGER)
    return trigger.get_pgid(model)


@pytest.mark.parametrize("model", PROTECTED, ids=LABELS)
def test_update_is_refused_from_the_orm_and_from_sql(world, model):
    row = unprotected_row(model)
    column, value = a_change(model, row)
    attname = next(f.attname for f in model._meta.concrete_fields if f.column == column)

    refused(lambda: model.objects.filter(pk=row.pk).update(**{attname: value}))
    setattr(row, attname, value)
    refused(row.save)
    refused(lambda: sql_update(model, row.pk, column, value))

    fresh = model.objects.get(pk=row.pk)
    assert getattr(fresh, attname) != value


@pytest.mark.parametrize("model", PROTECTED, ids=LABELS)
def test_delete_is_refused_from_the_orm_and_from_sql(world, model):
    row = unprotected_row(model)

    refused(row.delete)
    refused(lambda: model.objects.filter(pk=row.pk).delete())
    refused(lambda: sql_delete(model, row.pk))
    assert model.objects.filter(pk=row.pk).exists()


def test_inserting_is_what_history_does(world):
    """Append-only, not read-only: the workflow goes on adding rows."""
    article = world
    before = [model.objects.count() for model in PROTECTED]
    services.add_comment(article, by=article.approval.actor, comment="One more note.")
    after = [model.objects.count() for model in PROTECTED]
    assert sum(after) > sum(before)


def test_a_deleted_glossary_term_leaves_its_approvals_whole(world):
    """The one change a glossary approval accepts: its term was deleted (SET_NULL)."""
    term = GlossaryTerm.objects.get(term="stroke")
    approvals = {a.pk: (a.term, a.definition, a.approved_by_id) for a in term.approvals.all()}
    assert len(approvals) == 2
    term.delete()
    kept = GlossaryApproval.objects.filter(pk__in=approvals)
    assert {a.pk: (a.term, a.definition, a.approved_by_id) for a in kept} == approvals
    assert {a.glossary_term_id for a in kept} == {None}
    other = approved_term("sepsis")
    # Linking an approval to another term, or changing its text, stays refused.
    refused(lambda: kept.update(glossary_term=other))
    refused(lambda: kept.update(definition="Rewritten."))


def test_the_owner_can_turn_the_triggers_off_for_a_deliberate_fix(world):
    """As the tests' helper does: ALTER TABLE is the owner's, and only the owner's."""
    row = unprotected_row(Revision)
    with behind_the_apps_back(Revision):
        Revision.objects.filter(pk=row.pk).update(number=100)
    assert Revision.objects.get(pk=row.pk).number == 100
    refused(lambda: Revision.objects.filter(pk=row.pk).update(number=101))


def test_pgtriggers_session_switch_does_not_skip_them(world):
    """pgtrigger.ignore() sets a session variable any login may set; these triggers don't
    read it."""
    row = unprotected_row(Revision)
    with pgtrigger.ignore(f"articles.Revision:{append_only.TRIGGER}"):
        refused(lambda: Revision.objects.filter(pk=row.pk).update(number=100))
    raw("SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + pgid(Revision) + "}"])
    refused(lambda: sql_update(Revision, row.pk, "number", 100))


# --- the application's login -----------------------------------------------------------------

_role_names = (f"vetted_app_test_{os.getpid()}_{n}" for n in itertools.count())


@pytest.fixture
def as_app_role(world):
    """Statements run as a role set up like README's `vetted_app`: it owns nothing and has
    SELECT, INSERT, UPDATE and DELETE on the tables and USAGE on the sequences — no TRUNCATE.
    Created inside the test's transaction, so it is gone afterwards."""
    role = next(_role_names)
    raw(f"CREATE ROLE {role} NOLOGIN")
    raw(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    raw(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    raw(f"SET LOCAL ROLE {role}")
    try:
        yield role
    finally:
        raw("RESET ROLE")


def denied(sql, params=(), match="must be owner|permission denied"):
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        raw(sql, params)


def test_the_app_role_works_with_its_grants(as_app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == as_app_role
    message = Message.objects.create(recipients=["a@example.org"], subject="S", body="B")
    Message.objects.filter(pk=message.pk).update(subject="T")  # an ordinary table
    services.add_comment(world_article(), by=user_with_role(roles.EDITORS), comment="Fine.")


def world_article():
    return Revision.objects.get(number=1).article


def test_the_app_role_cannot_change_history_or_turn_the_triggers_off(as_app_role):
    revision = unprotected_row(Revision)
    table, trigger = quoted(Revision), pgid(Revision)

    refused(lambda: sql_update(Revision, revision.pk, "number", 100))
    refused(lambda: sql_delete(Revision, revision.pk))
    denied(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    denied(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    denied(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    denied(f"DROP TRIGGER {trigger} ON {table}")
    denied(f"TRUNCATE {table} CASCADE")
    denied("SET session_replication_role = replica")
    raw("SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + trigger + "}"])
    refused(lambda: sql_update(Revision, revision.pk, "number", 100))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
            [trigger, Revision._meta.db_table],
        )
        assert cursor.fetchone() == ("O",)  # still enabled
    assert Revision.objects.get(pk=revision.pk).number == revision.number

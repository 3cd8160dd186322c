"""The move of the revision, the review log, the board's profiles and the site switches from
`reviews` to `articles` (references 0002, articles 0007–0008, reviews 0005–0006), run forward
on a database holding data in the old schema, as an install upgraded from before it would.

The old data is written with the historical models of the old state, the way the old
`load_demo` and `reviews.services` wrote it: an article cited in its sections and in a
patient variant, taken through a request for changes to an approval, a draft next to it,
references (one cited only in the variant, one cited nowhere), the board's profiles, the site
settings row, history rows, a user permission given directly and an admin log entry. After
the migration every row is still there under its id, in tables named for `articles`, with
the cited references frozen into each revision and the public page rendering from them.
"""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as current_apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Citation, GlossaryTerm, ReviewEvent, Revision
from articles.revisions import hash_of, record, snapshot
from references.models import Reference, digest, displayed_data
from reviews.roles import PERMISSIONS

# The last nodes before the move.
BEFORE = [
    ("articles", "0006_default_reader_types_and_plain_disclaimer"),
    ("reviews", "0004_roles_personalization"),
    ("references", "0001_initial"),
]

# Models that moved from `reviews` to `articles`: model name -> (old table, new table).
MOVED = {
    name: (f"reviews_{name}", f"articles_{name}")
    for name in (
        "revision",
        "reviewevent",
        "historicalreviewevent",
        "reviewerprofile",
        "historicalreviewerprofile",
        "sitesettings",
        "historicalsitesettings",
    )
}

# Constraints the new schema names, by table.
CONSTRAINTS = {
    "articles_revision": {"revision_number_unique"},
    "articles_reviewevent": {
        "review_event_action_valid",
        "review_event_comment_required",
        "review_event_assignment_has_assignee",
        "review_event_approval_has_revision",
    },
    "articles_sitesettings": {"site_settings_single"},
    "articles_citation": {"citation_once_per_revision"},
}

# Every model holding the old data: old label -> label after the migration.
KEPT = {
    "auth.User": "auth.User",
    "auth.Group": "auth.Group",
    "admin.LogEntry": "admin.LogEntry",
    "articles.Topic": "articles.Topic",
    "articles.Question": "articles.Question",
    "articles.Article": "articles.Article",
    "articles.HistoricalArticle": "articles.HistoricalArticle",
    "articles.HistoricalArticle_authors": "articles.HistoricalArticle_authors",
    "articles.Section": "articles.Section",
    "articles.HistoricalSection": "articles.HistoricalSection",
    "articles.Variant": "articles.Variant",
    "articles.HistoricalVariant": "articles.HistoricalVariant",
    "articles.ReaderType": "articles.ReaderType",
    "articles.GlossaryTerm": "articles.GlossaryTerm",
    "articles.HistoricalGlossaryTerm": "articles.HistoricalGlossaryTerm",
    "references.Reference": "references.Reference",
    "references.HistoricalReference": "references.HistoricalReference",
    "reviews.Revision": "articles.Revision",
    "reviews.ReviewEvent": "articles.ReviewEvent",
    "reviews.HistoricalReviewEvent": "articles.HistoricalReviewEvent",
    "reviews.ReviewerProfile": "articles.ReviewerProfile",
    "reviews.HistoricalReviewerProfile": "articles.HistoricalReviewerProfile",
    "reviews.SiteSettings": "articles.SiteSettings",
    "reviews.HistoricalSiteSettings": "articles.HistoricalSiteSettings",
}

# Timestamps a migration must not touch: nobody edited these rows.
STAMPS = {
    "references.Reference": "updated_at",
    "articles.Article": "updated_at",
    "reviews.Revision": "created_at",
    "reviews.ReviewEvent": "created_at",
}

REFERENCES = [
    {
        "key": "esh-2023",
        "kind": "guideline",
        "title": "2023 ESH Guidelines for the management of arterial hypertension",
        "authors": "Mancia G, Kreutz R, Brunström M, et al.",
        "source": "J Hypertens",
        "year": 2023,
        "doi": "10.1097/HJH.0000000000003480",
        "pmid": "37345492",
        "url": "",
    },
    {
        "key": "sprint-2015",
        "kind": "research",
        "title": "A Randomized Trial of Intensive versus Standard Blood-Pressure Control",
        "authors": "SPRINT Research Group",
        "source": "N Engl J Med",
        "year": 2015,
        "doi": "10.1056/NEJMoa1511939",
        "pmid": "26551272",
        "url": "",
    },
    {  # cited only in the patient variant
        "key": "nhs-high-bp",
        "kind": "other",
        "title": "High blood pressure – how to lower it",
        "authors": "",
        "source": "NHS",
        "year": None,
        "doi": "",
        "pmid": "",
        "url": "https://www.nhs.uk/conditions/high-blood-pressure-hypertension/",
    },
    {  # in the library, cited nowhere
        "key": "harrison-21",
        "kind": "textbook",
        "title": "Harrison’s Principles of Internal Medicine, 21st edition",
        "authors": "Loscalzo J, Fauci A, Kasper D, et al.",
        "source": "McGraw Hill",
        "year": 2022,
        "doi": "",
        "pmid": "",
        "url": "",
    },
]

SLUG = "hypertension-adults-starting-treatment"
DRAFT_SLUG = "pneumonia-adults-antibiotics"
BOTTOM_LINE = (
    "Offer medication when clinic blood pressure stays at or above 140/90 mmHg [@esh-2023]."
)
SECTION_1 = "Confirm the reading at home before starting a first drug [@esh-2023]."
SECTION_2_SUBMITTED = "Aim for below 130/80 mmHg if tolerated."
SECTION_2_APPROVED = "Aim for below 130/80 mmHg if tolerated: it prevents strokes [@sprint-2015]."
PATIENT_HEADING = "When you may need tablets"
PATIENT_TEXT = "Your doctor may suggest tablets if your readings stay high [@nhs-high-bp]."
APPROVED_BY = "Ana Ruiz, MD, PhD"


def canonical_hash(content: dict) -> str:
    """The old `reviews.models.Revision.hash_of`, as it was."""
    return digest(content)


def old_snapshot(article) -> dict:
    """The old `reviews.services.snapshot`: the working copy with no "references" key."""
    variants = list(article.variants.select_related("reader_type"))
    content = {
        "question": article.question.text,
        "headline": article.headline,
        "bottom_line": article.bottom_line,
        "sections": [],
    }
    bottom_line_variants = {v.reader_type.slug: v.text for v in variants if not v.section_id}
    if bottom_line_variants:
        content["bottom_line_variants"] = bottom_line_variants
    for s in article.sections.order_by("position"):
        section = {"position": s.position, "heading": s.heading, "kind": s.kind, "body": s.body}
        own = {
            v.reader_type.slug: {"heading": v.heading, "body": v.text}
            for v in variants
            if v.section_id == s.pk
        }
        if own:
            section["variants"] = own
        content["sections"].append(section)
    return content


class OldSchema:
    """Writes data with the historical models of the old state, as the old code did."""

    def __init__(self, apps):
        self.apps = apps

    def model(self, label):
        return self.apps.get_model(label)

    def remember(self, obj, *, by, kind="+", reason=""):
        """The history row simple_history wrote for `obj` (not registered in a migration)."""
        historical = self.apps.get_model(obj._meta.app_label, f"Historical{obj._meta.object_name}")
        values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        return historical.objects.create(
            **values,
            history_date=timezone.now(),
            history_type=kind,
            history_user_id=by.pk if by else None,
            history_change_reason=reason or None,
        )

    def save_article(self, article, *, by, reason, fields):
        article.save(update_fields=[*fields, "updated_at"])
        history = self.remember(article, by=by, kind="~", reason=reason)
        through = self.model("articles.HistoricalArticle_authors")
        for row in article.authors.through.objects.filter(article=article):
            through.objects.create(
                id=row.pk, history=history, article_id=article.pk, user_id=row.user_id
            )

    def record_revision(self, article, *, by):
        Revision = self.model("reviews.Revision")
        content = old_snapshot(article)
        latest = Revision.objects.filter(article=article).order_by("-number").first()
        return Revision.objects.create(
            article=article,
            number=latest.number + 1 if latest else 1,
            content=content,
            content_hash=canonical_hash(content),
            created_by=by,
        )

    def event(self, article, action, *, by, **fields):
        event = self.model("reviews.ReviewEvent").objects.create(
            article=article, action=action, actor=by, **fields
        )
        self.remember(event, by=by)
        return event


def forget_what_the_old_schema_did_not_have(apps):
    """Migrating back leaves content types and permissions of the new schema behind (Citation,
    GlossaryApproval, approve_glossaryterm...): an install from before never had them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for label in ("articles", "references", "reviews"):
        models = {m._meta.model_name: m for m in apps.get_app_config(label).get_models()}
        ContentType.objects.filter(app_label=label).exclude(model__in=models).delete()
        for name, model in models.items():
            codenames = {f"{action}_{name}" for action in model._meta.default_permissions}
            codenames |= {codename for codename, _ in model._meta.permissions}
            Permission.objects.filter(
                content_type__app_label=label, content_type__model=name
            ).exclude(codename__in=codenames).delete()


def load_old_data(apps) -> dict:
    """What the old load_demo left in the database, through the old services' steps.
    Returns what the checks after the migration need to know."""
    old = OldSchema(apps)
    forget_what_the_old_schema_did_not_have(apps)
    # The groups as the old roles migration set them.
    importlib.import_module("reviews.migrations.0004_roles_personalization").update_roles(
        apps, None
    )
    User = old.model("auth.User")
    Group = old.model("auth.Group")
    Permission = old.model("auth.Permission")
    ContentType = old.model("contenttypes.ContentType")

    def user(username, first, last, group):
        u = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            password=make_password("demo-password"),
            is_staff=True,
        )
        if group:
            u.groups.add(Group.objects.get(name=group))
        return u

    editor = user("editor", "Eva", "Editor", "Editors")
    reviewer = user("reviewer", "Ana", "Ruiz", "Medical Advisory Board")
    reviewer2 = user("reviewer2", "Ben", "Okafor", "Medical Advisory Board")
    chief = user("chief", "Chen", "Li", "Chief editors")
    # Given a permission directly (before roles were groups): it must follow the model.
    auditor = user("auditor", "Aud", "Itor", None)
    auditor.user_permissions.add(
        Permission.objects.get(content_type__app_label="reviews", codename="view_reviewevent")
    )

    ReviewerProfile = old.model("reviews.ReviewerProfile")
    for u, slug, name, specialty in (
        (reviewer, "ana-ruiz", "Ana Ruiz", "Cardiology"),
        (reviewer2, "ben-okafor", "Ben Okafor", "Infectious diseases"),
    ):
        profile = ReviewerProfile.objects.create(
            user=u,
            slug=slug,
            display_name=name,
            credentials="MD, PhD",
            specialty=specialty,
            bio=f"{name} is a consultant in {specialty.lower()}.",
            disclosures="None declared.",
        )
        old.remember(profile, by=chief, reason="Demo content (load_demo)")

    # The settings row comes from reviews 0002 (re-made if a transactional test flushed it).
    SiteSettings = old.model("reviews.SiteSettings")
    site_settings, _ = SiteSettings.objects.get_or_create(pk=1)
    site_settings.show_unapproved_articles = False
    site_settings.save()
    old.remember(site_settings, by=chief, kind="~", reason="Only approved articles")

    Topic = old.model("articles.Topic")
    topic = Topic.objects.create(
        name="Hypertension",
        slug="hypertension",
        description="High blood pressure in adults.",
    )
    Reference = old.model("references.Reference")
    references = {}
    for data in REFERENCES:
        references[data["key"]] = reference = Reference.objects.create(**data)
        old.remember(reference, by=editor, reason="Demo content (load_demo)")
    GlossaryTerm = old.model("articles.GlossaryTerm")
    term = GlossaryTerm.objects.create(
        term="hypertension",
        synonyms="high blood pressure",
        definition="Blood pressure that stays high.",
    )
    old.remember(term, by=editor)
    ReaderType = old.model("articles.ReaderType")
    patient, _ = ReaderType.objects.get_or_create(
        slug="patient", defaults={"label": "Patient or caregiver", "order": 1}
    )

    Question, Article = old.model("articles.Question"), old.model("articles.Article")
    Section, Variant = old.model("articles.Section"), old.model("articles.Variant")

    def article(slug, headline, question, bottom_line, sections):
        article = Article.objects.create(
            question=Question.objects.create(text=question, status="answered"),
            slug=slug,
            headline=headline,
            topic=topic,
            bottom_line=bottom_line,
            status="draft",
        )
        article.authors.add(editor)
        old.remember(article, by=editor, reason="Demo content (load_demo)")
        for position, (heading, body) in enumerate(sections, start=1):
            section = Section.objects.create(
                article=article, position=position, heading=heading, body=body
            )
            old.remember(section, by=editor)
        return article

    # The approved article: submitted, sent back for a citation, resubmitted, approved.
    approved = article(
        SLUG,
        "Starting treatment for high blood pressure in adults",
        "When should adults with high blood pressure start taking medication?",
        BOTTOM_LINE,
        [("Who should start medication", SECTION_1), ("Targets", SECTION_2_SUBMITTED)],
    )
    first_section = approved.sections.get(position=1)
    for section, heading, text in (
        (first_section, PATIENT_HEADING, PATIENT_TEXT),
        (None, "", "Tablets help when your blood pressure stays high."),
    ):
        variant = Variant.objects.create(
            article=approved, section=section, reader_type=patient, heading=heading, text=text
        )
        old.remember(variant, by=editor)

    submitted = old.record_revision(approved, by=editor)
    approved.submitted_revision, approved.status = submitted, "submitted"
    old.save_article(
        approved,
        by=editor,
        reason="Submitted revision 1 for review",
        fields=["submitted_revision", "status"],
    )
    old.event(approved, "submitted", by=editor, revision=submitted)
    approved.status = "draft"
    old.save_article(approved, by=reviewer2, reason="Changes requested", fields=["status"])
    old.event(
        approved,
        "changes_requested",
        by=reviewer2,
        revision=submitted,
        comment="Cite the trial behind the lower target.",
    )

    second_section = approved.sections.get(position=2)
    second_section.body = SECTION_2_APPROVED
    second_section.save()
    old.remember(second_section, by=editor, kind="~")
    approved.version += 1
    old.save_article(approved, by=editor, reason="Edited", fields=["version"])
    revision = old.record_revision(approved, by=editor)
    approved.submitted_revision, approved.status = revision, "submitted"
    old.save_article(
        approved,
        by=editor,
        reason="Submitted revision 2 for review",
        fields=["submitted_revision", "status"],
    )
    old.event(approved, "submitted", by=editor, revision=revision)
    approved.assigned_reviewer, approved.status = reviewer, "under_review"
    old.save_article(
        approved, by=reviewer, reason="Review started", fields=["assigned_reviewer", "status"]
    )
    old.event(approved, "review_started", by=reviewer, revision=revision)
    approval = old.event(
        approved, "approved", by=reviewer, revision=revision, comment="Accurate and current."
    )
    approved.approval, approved.status, approved.assigned_reviewer = approval, "approved", None
    approved.next_review_due = date.today() + timedelta(days=730)
    old.save_article(
        approved,
        by=reviewer,
        reason="Approved revision 2",
        fields=["approval", "status", "assigned_reviewer", "next_review_due"],
    )

    # A draft that cites nothing: its one revision must come through untouched.
    draft = article(
        DRAFT_SLUG,
        "Antibiotics for pneumonia in adults",
        "Which antibiotic should adults with pneumonia start with?",
        "Start an antibiotic within four hours of the diagnosis.",
        [("First choice", "Amoxicillin, unless the patient is allergic to penicillin.")],
    )
    draft_revision = old.record_revision(draft, by=editor)

    LogEntry = old.model("admin.LogEntry")
    revision_type = ContentType.objects.get(app_label="reviews", model="revision")
    log = LogEntry.objects.create(
        user=chief,
        content_type=revision_type,
        object_id=str(revision.pk),
        object_repr=f"{approved.headline} — revision 2",
        action_flag=2,
        change_message="[]",
    )

    cited = {  # revision -> keys cited in any text a reader sees
        submitted.pk: {"esh-2023", "nhs-high-bp"},
        revision.pk: {"esh-2023", "sprint-2015", "nhs-high-bp"},
        draft_revision.pk: set(),
    }
    stamps = {
        label: dict(old.model(label).objects.values_list("pk", field))
        for label, field in STAMPS.items()
    }
    return {
        "stamps": stamps,
        "article": approved.pk,
        "draft": draft.pk,
        "approval": approval.pk,
        "revision": revision.pk,
        "cited": cited,
        "contents": {
            r.pk: (r.content, r.content_hash) for r in old.model("reviews.Revision").objects.all()
        },
        "displayed": {key: displayed_data(r) for key, r in references.items()},
        "content_types": {
            ct.model: ct.pk
            for ct in ContentType.objects.filter(app_label="reviews", model__in=MOVED)
        },
        "auditor": auditor.pk,
        "log": log.pk,
    }


def ids(model) -> list:
    return sorted(model._base_manager.values_list("pk", flat=True))


@pytest.fixture
def executor():
    executor = MigrationExecutor(connection)
    yield executor
    # Whatever happened in the test, the rest of the suite gets the latest schema back.
    executor.loader.build_graph()
    leaves = executor.loader.graph.leaf_nodes()
    if executor.migration_plan(leaves):
        executor.migrate(leaves)
    # Content types deleted and re-made here (and by the flush after this test) change ids:
    # no test after this one may get a stale one from the cache.
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_forward_migration_keeps_and_freezes_old_data(executor):
    executor.migrate(BEFORE)
    # The old state of the three apps, with the others (admin's log) as they are.
    # Apps whose migrations build on the moved ones (accounts' roles) are left out: their
    # later state needs the new schema.
    others = [
        n for n in executor.loader.graph.leaf_nodes() if n[0] not in {*dict(BEFORE), "accounts"}
    ]
    old_apps = executor.loader.project_state(BEFORE + others).apps
    tables = set(connection.introspection.table_names())
    assert {old for old, _ in MOVED.values()} <= tables
    assert not {new for _, new in MOVED.values()} & tables

    loaded = load_old_data(old_apps)
    before = {label: ids(old_apps.get_model(label)) for label in KEPT}
    assert all(before.values()), {label: rows for label, rows in before.items() if not rows}

    executor.loader.build_graph()
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(leaves)

    ContentType.objects.clear_cache()

    # Schema: the moved models' tables carry the new names, the old ones are gone.
    tables = set(connection.introspection.table_names())
    assert {new for _, new in MOVED.values()} | {"articles_citation"} <= tables
    assert sorted(t for t in tables if t.startswith("reviews_")) == []
    # The named constraints came along with their tables.
    with connection.cursor() as cursor:
        for table, names in CONSTRAINTS.items():
            found = connection.introspection.get_constraints(cursor, table)
            assert names <= set(found), (table, sorted(found))

    # No row lost: the same ids in every table, moved or not.
    after = {label: ids(current_apps.get_model(KEPT[label])) for label in KEPT}
    assert after == before

    # The article still shows its approval of revision 2.
    article = Article.objects.get(pk=loaded["article"])
    assert article.status == Article.Status.APPROVED
    assert article.approval_id == loaded["approval"]
    assert article.submitted_revision_id == loaded["revision"]
    assert article.approval.revision_id == loaded["revision"]
    assert article.approval.action == ReviewEvent.Action.APPROVED
    assert article.public_revision.pk == loaded["revision"]

    # Every revision freezes the references it cites (the variant's too), as displayed in
    # the library, and its hash is the hash of what it holds now; the rest is unchanged.
    for revision in Revision.objects.all():
        old_content, old_hash = loaded["contents"][revision.pk]
        keys = loaded["cited"][revision.pk]
        content = dict(revision.content)
        frozen = content.pop("references", None)
        assert content == old_content
        if keys:
            assert frozen == {key: loaded["displayed"][key] for key in keys}
        else:
            assert frozen is None
            assert revision.content_hash == old_hash
        assert revision.content_hash == hash_of(revision.content)
        assert revision.shown.cited_keys() == keys

    # The new code freezes the working copy exactly as the migration did: recording the
    # approved article or the draft again makes no new revision.
    editor = User.objects.get(username="editor")
    for pk in (loaded["article"], loaded["draft"]):
        working = Article.objects.get(pk=pk)
        latest = working.revisions.order_by("-number").first()
        assert snapshot(working) == latest.content
        assert record(working, by=editor).pk == latest.pk

    # Nobody edited anything: the timestamps editors and readers see are unchanged.
    for label, field in STAMPS.items():
        model = current_apps.get_model(KEPT[label])
        assert dict(model.objects.values_list("pk", field)) == loaded["stamps"][label], label

    # Existing glossary terms wait for the board's approval.
    assert list(GlossaryTerm.objects.values_list("approval", "match_case")) == [(None, False)]

    # Citations: one per revision and reference cited, with the frozen copy's digest, which is
    # the library's own digest (nothing changed since).
    citations = Citation.objects.select_related("reference")
    assert sorted((c.revision_id, c.reference.key) for c in citations) == sorted(
        (pk, key) for pk, keys in loaded["cited"].items() for key in keys
    )
    for reference in Reference.objects.all():
        assert reference.displayed_hash == digest(loaded["displayed"][reference.key])
    # Each past version of a reference gets the digest of its own displayed fields.
    assert Reference.history.exists()
    for version in Reference.history.all():
        assert version.displayed_hash == digest(displayed_data(version))
    for citation in citations:
        assert citation.displayed_hash == citation.reference.displayed_hash
    assert not Reference.objects.get(key="harrison-21").citations.exists()
    assert not Article.objects.reference_updated_since_approval().exists()

    # Content types moved under the same ids, so history and the admin log keep pointing at
    # the right model; nothing of the moved models is left under `reviews`.
    moved = {ct.model: ct.pk for ct in ContentType.objects.filter(model__in=MOVED)}
    assert moved == loaded["content_types"]
    assert set(ContentType.objects.filter(model__in=MOVED).values_list("app_label", flat=True)) == {
        "articles"
    }
    assert list(
        ContentType.objects.filter(app_label="reviews").values_list("model", flat=True)
    ) == ["reviewqueueitem"]
    log = LogEntry.objects.get(pk=loaded["log"])
    assert log.get_edited_object() == Revision.objects.get(pk=loaded["revision"])

    # The roles are exactly reviews.roles; a permission given directly followed its model.
    for name, codes in PERMISSIONS.items():
        granted = Group.objects.get(name=name).permissions.select_related("content_type")
        assert sorted(f"{p.content_type.app_label}.{p.codename}" for p in granted) == sorted(codes)
    auditor = User.objects.get(pk=loaded["auditor"])
    assert auditor.has_perm("articles.view_reviewevent")
    assert [f"{p.content_type.app_label}.{p.codename}" for p in auditor.user_permissions.all()] == [
        "articles.view_reviewevent"
    ]

    # The public page renders the approved revision from its frozen references.
    client = Client()
    page = client.get(reverse("articles:detail", args=[SLUG]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "it prevents strokes" in html
    assert "Medically reviewed by" in html
    assert APPROVED_BY in html
    for key in ("esh-2023", "sprint-2015"):
        assert loaded["displayed"][key]["title"] in html
    patient = client.get(reverse("articles:detail", args=[SLUG]), {"reader": "patient"})
    assert patient.status_code == 200
    patient_html = patient.content.decode()
    assert PATIENT_HEADING in patient_html
    assert loaded["displayed"]["nhs-high-bp"]["title"] in patient_html
    assert client.get(reverse("articles:detail", args=[DRAFT_SLUG])).status_code == 404

    # The renamed tables take new rows after the old ones (sequences and identities survived).
    event = ReviewEvent.objects.create(
        article=article, action=ReviewEvent.Action.COMMENTED, actor=auditor, comment="Still good."
    )
    assert event.pk > max(before["reviews.ReviewEvent"])
    assert event.history.get().history_id > max(before["reviews.HistoricalReviewEvent"])
    draft = Article.objects.get(pk=loaded["draft"])
    draft.bottom_line += " See [@harrison-21]."
    draft.save(update_fields=["bottom_line"])
    revision = record(draft, by=editor)
    assert revision.pk > max(before["reviews.Revision"])
    assert revision.number == 2
    assert list(revision.citations.values_list("reference__key", flat=True)) == ["harrison-21"]

    # The database is left at the latest state.
    executor.loader.build_graph()
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []

"""`load_demo`'s behaviour: accounts and roles, the review workflow, idempotency, refusal and
rollback. What the demo content says is tested in test_content.py.

Tests that need an empty database (a refusal, a rollback, an account that exists before the
first run) call the command themselves; the others share one run in setUpTestData, and Django's
TestCase rolls back whatever each of them does after it (a rerun included).
"""

import shutil
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from articles.models import (
    Article,
    GlossaryTerm,
    Page,
    ReaderType,
    ReviewerProfile,
    ReviewEvent,
    Revision,
    Section,
    SiteSettings,
    Topic,
    Variant,
)
from articles.revisions import snapshot
from demo import data as demo_content
from references.models import Reference
from reviews import guards, roles, services

from .helpers import (
    HYPERTENSION,
    USERNAMES,
    article_data,
    demo_article,
    demo_articles,
    load_demo,
    row_counts,
    users,
)

Action = ReviewEvent.Action
LOAD_DEMO_REASON = "Demo content (load_demo)"
DISCLAIMERS = [Page.DISCLAIMER, Page.PLAIN_DISCLAIMER]


def workflow_state() -> dict:
    fields = ["status", "version", "submitted_revision", "approval", "assigned_reviewer",
              "next_review_due", "updated_at"]  # fmt: skip
    return {a["slug"]: a for a in Article.objects.values("slug", *fields)}


def with_first_article(**changes):
    """The demo articles, the first one changed: patch it over demo_content.ARTICLES."""
    broken = {**demo_content.ARTICLES[0], **changes}
    return mock.patch.object(demo_content, "ARTICLES", [broken, *demo_content.ARTICLES[1:]])


# -- on an empty database --------------------------------------------------------------------


@pytest.mark.django_db
def test_refuses_unless_demo_content_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_CONTENT_ALLOWED"):
        call_command("load_demo")
    assert not Article.objects.exists()
    assert not Topic.objects.exists()
    assert not get_user_model().objects.filter(username__in=USERNAMES).exists()


@pytest.mark.django_db
def test_unknown_citation_key_aborts_and_rolls_back():
    with (
        with_first_article(bottom_line="Treat it [@no-such-reference]."),
        pytest.raises(CommandError, match="no-such-reference"),
    ):
        call_command("load_demo")
    assert not Article.objects.exists()
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_variant_for_an_unknown_reader_type_aborts_and_rolls_back():
    with (
        with_first_article(variants={"astronaut": {"bottom_line": "Hi."}}),
        pytest.raises(CommandError, match="astronaut"),
    ):
        call_command("load_demo")
    assert not Article.objects.exists()
    assert not GlossaryTerm.objects.exists()


@pytest.mark.django_db
def test_unknown_citation_key_in_a_variant_aborts():
    variants = {"patient": {"bottom_line": "Treat it [@no-such-reference]."}}
    with (
        with_first_article(variants=variants),
        pytest.raises(CommandError, match="no-such-reference"),
    ):
        call_command("load_demo")
    assert not Variant.objects.exists()


@pytest.fixture
def content_dir(tmp_path, monkeypatch):
    """A copy of demo/content/ that load_demo reads instead, for a test to break."""
    copy = tmp_path / "content"
    shutil.copytree(demo_content.CONTENT_DIR, copy)
    monkeypatch.setattr(demo_content, "CONTENT_DIR", copy)
    demo_content.loaded.cache_clear()
    yield copy
    demo_content.loaded.cache_clear()


@pytest.mark.django_db
def test_malformed_content_file_aborts_naming_the_file_and_field(content_dir):
    path = content_dir / "articles" / f"{HYPERTENSION}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\nstatus: approved\n") == 1
    path.write_text(text.replace("\nstatus: approved\n", "\nstatus: [approved]\n"), "utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("load_demo")

    message = str(raised.value)
    assert f"articles/{HYPERTENSION}.yaml" in message
    assert "status: Input should be a valid string, found ['approved']" in message
    assert not get_user_model().objects.filter(username__in=USERNAMES).exists()
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_content_file_that_is_not_yaml_aborts_naming_the_file(content_dir):
    (content_dir / "glossary.yaml").write_text("- term: x\n  definition: [unclosed\n", "utf-8")
    with pytest.raises(CommandError, match=r"glossary\.yaml: is not valid YAML"):
        call_command("load_demo")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_permissions_given_directly_by_an_earlier_run_are_removed():
    editor = get_user_model().objects.create_user("editor", password=demo_content.DEMO_PASSWORD)
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="articles", codename="delete_article")
    )

    load_demo()

    editor = get_user_model().objects.get(username="editor")
    assert not editor.user_permissions.exists()
    assert not editor.has_perm("articles.delete_article")
    assert "0 created, 0 updated" in load_demo()


# -- after one run ---------------------------------------------------------------------------


class LoadedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site_settings = list(SiteSettings.objects.values())
        cls.site_settings_history = SiteSettings.history.count()
        cls.disclaimers = list(Page.objects.filter(slug__in=DISCLAIMERS).order_by("slug").values())
        cls.page_history = Page.history.count()
        cls.first_output = load_demo()

    # -- people ------------------------------------------------------------------------------

    def test_demo_users_exist_and_can_log_in(self):
        for username in USERNAMES:
            user = get_user_model().objects.get(username=username)
            assert user.is_staff
            assert user.is_active
            assert not user.is_superuser
            assert user.first_name
            assert user.last_name
            assert user.email
            signed_in = self.client.post(
                reverse("admin:login"),
                {"username": username, "password": demo_content.DEMO_PASSWORD},
            )
            assert signed_in.status_code == 302, username
            self.client.post(reverse("admin:logout"))

    def test_demo_users_get_their_role_from_a_group_only(self):
        by_name = users()
        groups = {
            name: list(u.groups.values_list("name", flat=True)) for name, u in by_name.items()
        }
        assert groups == {
            "editor": [roles.EDITORS],
            "reviewer": [roles.MEDICAL_ADVISORY_BOARD],
            "reviewer2": [roles.MEDICAL_ADVISORY_BOARD],
            "chief": [roles.CHIEF_EDITORS],
        }
        for user in by_name.values():
            assert not user.user_permissions.exists(), user.username
            assert user.get_user_permissions() == set()

        editor, chief = by_name["editor"], by_name["chief"]
        assert editor.has_perms(["articles.change_article", "articles.submit_article"])
        assert not editor.has_perm("articles.review_article")
        for name in ("reviewer", "reviewer2"):
            reviewer = by_name[name]
            assert reviewer.has_perm("articles.review_article")
            assert not reviewer.has_perm("articles.change_article")
            assert not reviewer.has_perm("articles.submit_article")
        assert chief.has_perms(["articles.assign_reviewer", "articles.unpublish_article"])
        assert not chief.has_perm("articles.review_article")

    # -- what it leaves alone ----------------------------------------------------------------

    def test_site_settings_stay_as_the_migration_made_them(self):
        assert list(SiteSettings.objects.values()) == self.site_settings
        assert SiteSettings.history.count() == self.site_settings_history
        assert SiteSettings.load().show_unapproved_articles

    def test_disclaimers_are_left_as_the_migrations_made_them(self):
        assert len(self.disclaimers) == 2
        pages = Page.objects.filter(slug__in=DISCLAIMERS).order_by("slug").values()
        assert list(pages) == self.disclaimers
        assert Page.history.count() == self.page_history

    # -- the review workflow -----------------------------------------------------------------

    def test_statuses_are_reached_through_review_events(self):
        editor = users()["editor"]
        for article in demo_articles():
            data = article_data(article.slug)
            assert article.status == data["status"], article.slug
            events = list(article.review_events.all())
            if article.status == Article.Status.DRAFT:
                assert events == []
                assert article.public_revision is None
                continue
            assert events[0].action == Action.SUBMITTED
            assert events[0].actor == editor
            assert article.public_revision is not None, article.slug
            assert article.public_revision.content == snapshot(article), article.slug
            # The status field only ever changed in history rows the services wrote.
            rows = list(article.history.order_by("history_date", "history_id"))
            for before, after in zip(rows, rows[1:], strict=False):
                if before.status != after.status:
                    assert after.history_change_reason != LOAD_DEMO_REASON, article.slug
                    assert after.history_user_id is not None

    def test_approved_article_carries_the_reviewers_signature_on_its_public_text(self):
        article = demo_article("approved")
        reviewer = users()["reviewer"]
        approval = article.review_events.get(action=Action.APPROVED)
        assert article.approval == approval
        assert approval.actor == reviewer
        assert approval.comment
        assert approval.revision == article.public_revision
        assert approval.revision.content == snapshot(article)
        assert approval.revision.content["bottom_line"] == article.bottom_line
        assert article.next_review_due
        assert [e.action for e in article.review_events.all()] == [
            Action.SUBMITTED, Action.REVIEW_STARTED, Action.APPROVED,
        ]  # fmt: skip

    def test_article_under_review_was_sent_back_once_and_resubmitted(self):
        article = demo_article("under_review")
        by_name = users()
        events = list(article.review_events.select_related("revision"))
        assert [(e.action, e.actor.username, e.revision.number) for e in events] == [
            (Action.SUBMITTED, "editor", 1),
            (Action.REVIEW_STARTED, "reviewer2", 1),
            (Action.CHANGES_REQUESTED, "reviewer2", 1),
            (Action.SUBMITTED, "editor", 2),
            (Action.REVIEW_STARTED, "reviewer", 2),
        ]
        assert events[2].comment
        first, second = Revision.objects.filter(article=article).order_by("number")
        assert first.content != second.content
        assert "dequin-capecod-2023" not in str(first.content)
        assert "dequin-capecod-2023" in str(second.content)
        assert second.content == snapshot(article)
        assert article.submitted_revision == second == article.public_revision
        assert article.assigned_reviewer == by_name["reviewer"]
        assert {first.created_by, second.created_by} == {by_name["editor"]}
        assert article.version == 2  # the resubmission was an edit

    def test_four_eyes_rule_can_be_demonstrated(self):
        by_name = users()
        editor, reviewer, reviewer2 = by_name["editor"], by_name["reviewer"], by_name["reviewer2"]
        for article in demo_articles():
            assert article.authors.filter(pk=editor.pk).exists()
            assert guards.four_eyes_objection(article, editor) is not None, article.slug
            assert guards.four_eyes_objection(article, reviewer) is None, article.slug
            assert guards.four_eyes_objection(article, reviewer2) is None, article.slug
        # The submitted article is waiting for either board member.
        submitted = demo_article("submitted")
        services.start_review(submitted, by=reviewer2)
        submitted.refresh_from_db()
        assert submitted.assigned_reviewer == reviewer2

    def test_reviewed_revisions_carry_the_variants(self):
        approved = demo_article("approved")
        revision = approved.approval.revision
        patient_bottom_line = approved.variants.get(section=None, reader_type__slug="patient")
        assert revision.shown.bottom_line_for("patient") == patient_bottom_line.text
        assert revision.shown.bottom_line_for(None) == approved.bottom_line
        assert revision.shown.reader_types_with_variants == {"patient", "student"}
        submitted = demo_article("submitted").submitted_revision
        assert submitted.shown.reader_types_with_variants == {"patient"}
        for article in demo_articles():
            revision = article.public_revision
            if revision is None:
                continue
            for variant in article.variants.select_related("section", "reader_type"):
                slug = variant.reader_type.slug
                if variant.section_id is None:
                    assert revision.shown.bottom_line_for(slug) == variant.text
                    continue
                sections = revision.shown.sections_for(slug)
                (section,) = [s for s in sections if s.position == variant.section.position]
                assert section.body == variant.text
                assert section.heading == (variant.heading or variant.section.heading)

    # -- idempotency -------------------------------------------------------------------------

    def test_second_run_changes_nothing(self):
        counts = row_counts()
        state = workflow_state()
        revisions = list(Revision.objects.values_list("pk", "content_hash"))
        events = list(ReviewEvent.objects.values_list("pk", "action", "created_at"))
        ref_updated = dict(Reference.objects.values_list("key", "updated_at"))
        glossary_updated = dict(GlossaryTerm.objects.values_list("term", "updated_at"))
        variant_fields = ("pk", "section", "reader_type", "heading", "text")
        variants = list(Variant.objects.values_list(*variant_fields))
        assert variants, "the demo has variants"
        accounts = get_user_model().objects.filter(username__in=USERNAMES)
        passwords = dict(accounts.values_list("username", "password"))

        second = load_demo()

        assert row_counts() == counts
        for model in (Article, Section, Variant, GlossaryTerm, Reference, Page, ReviewEvent,
                      ReviewerProfile, SiteSettings):  # fmt: skip
            assert model.history.model.objects.count() == counts[model.history.model._meta.label]
        assert workflow_state() == state
        assert list(Revision.objects.values_list("pk", "content_hash")) == revisions
        assert list(ReviewEvent.objects.values_list("pk", "action", "created_at")) == events
        assert dict(Reference.objects.values_list("key", "updated_at")) == ref_updated
        assert dict(GlossaryTerm.objects.values_list("term", "updated_at")) == glossary_updated
        assert list(Variant.objects.values_list(*variant_fields)) == variants
        assert dict(accounts.values_list("username", "password")) == passwords
        assert " 0 unchanged" in self.first_output
        assert "0 created, 0 updated" in second
        assert second.count("review workflow unchanged") == 3  # all but the draft

    def test_rerun_restores_edited_content_and_drops_extra_sections(self):
        article = Article.objects.get(slug=HYPERTENSION)
        n_sections = article.sections.count()
        article.headline = "Edited by hand"
        article.save()
        Section.objects.create(article=article, position=n_sections + 1, heading="Extra", body="x")
        n_revisions = Revision.objects.count()

        output = load_demo()

        article.refresh_from_db()
        assert article.headline == article_data(HYPERTENSION)["headline"]
        assert article.sections.count() == n_sections
        assert "1 updated" in output
        assert "1 deleted" in output
        # Back to the approved text: nothing new to record, still approved.
        assert Revision.objects.count() == n_revisions
        assert article.status == Article.Status.APPROVED

    def test_rerun_after_an_edit_in_the_admin_records_the_rewrite_as_an_edit(self):
        editor = users()["editor"]
        article = demo_article("approved")
        approved = article.approval.revision
        article.headline = "Edited in the admin"
        article.version += 1
        article.save()
        services.record_edit(article, by=editor)  # what the admin does after a save
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        events = ReviewEvent.objects.count()

        output = load_demo()

        article.refresh_from_db()
        assert article.headline == article_data(article.slug)["headline"]
        latest = article.revisions.order_by("-number").first()
        assert latest.number == approved.number + 2
        assert latest.created_by == editor
        assert latest.content == approved.content == snapshot(article)
        # The workflow is left alone: a new draft, the approved revision still public.
        assert article.status == Article.Status.DRAFT
        assert article.public_revision == approved
        assert ReviewEvent.objects.count() == events
        assert "the demo content has it approved" in output
        assert "0 created, 0 updated" in load_demo()

    def test_workflow_is_not_driven_again_once_an_article_has_review_events(self):
        chief = users()["chief"]
        article = demo_article("approved")
        services.unpublish(article, by=chief, comment="Checking the rerun.")
        counts = row_counts()

        output = load_demo()

        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert article.approval is None
        assert row_counts() == counts
        assert "0 created, 0 updated" in output

    def test_rerun_restores_the_glossary_and_keeps_terms_staff_added(self):
        changed = GlossaryTerm.objects.get(term="hypertension")
        changed.definition = "Changed in the admin."
        changed.save()
        GlossaryTerm.objects.get(term="warfarin").delete()
        GlossaryTerm.objects.create(term="tachycardia", definition="A heartbeat that is too fast.")

        output = load_demo()

        definitions = dict(GlossaryTerm.objects.values_list("term", "definition"))
        for data in demo_content.GLOSSARY:
            assert definitions[data["term"]] == data["definition"]
        assert definitions["tachycardia"] == "A heartbeat that is too fast."
        assert "1 created, 1 updated" in output
        assert "0 created, 0 updated" in load_demo()

    def test_rerun_after_variants_were_edited_in_the_admin_records_the_rewrite_as_an_edit(self):
        editor = users()["editor"]
        article = demo_article("approved")
        approved = article.approval.revision
        patient = {"reader_type__slug": "patient"}
        bottom_line = article.variants.get(section=None, **patient)
        bottom_line.text = "Edited in the admin."
        bottom_line.save()
        article.variants.get(section__position=1, **patient).delete()
        Variant.objects.create(
            article=article,
            section=article.sections.get(position=2),
            reader_type=ReaderType.objects.get(slug="nurse"),
            text="Added in the admin.",
        )
        article.version += 1
        article.save()
        services.record_edit(article, by=editor)  # what the admin does after a save
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        events = ReviewEvent.objects.count()

        output = load_demo()

        article.refresh_from_db()
        latest = article.revisions.order_by("-number").first()
        assert latest.number == approved.number + 2
        assert latest.created_by == editor
        assert latest.content == approved.content == snapshot(article)
        assert not article.variants.filter(reader_type__slug="nurse").exists()
        assert article.public_revision == approved
        assert ReviewEvent.objects.count() == events
        assert "1 deleted" in output
        assert "0 created, 0 updated" in load_demo()


@pytest.mark.django_db
def test_declared_specialties_are_part_of_a_new_profile_and_restored_when_changed():
    first = load_demo()
    assert ", 0 updated," in first  # a new profile's specialties are part of creating it
    profile = ReviewerProfile.objects.get(user__username="reviewer2")
    declared = set(profile.specialties.values_list("slug", flat=True))
    assert declared == {"infectious-diseases"}

    profile.specialties.clear()
    assert "0 created, 1 updated" in load_demo()
    assert set(profile.specialties.values_list("slug", flat=True)) == declared

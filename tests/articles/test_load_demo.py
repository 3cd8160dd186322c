import re
from collections import Counter
from html import unescape
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.utils.html import strip_tags

from articles import demo_content
from articles.glossary import Glossary
from articles.models import (
    Article,
    GlossaryTerm,
    Page,
    Question,
    ReaderType,
    Section,
    Topic,
    Variant,
)
from articles.rendering import cited_keys, malformed_citations, render_article, unknown_citations
from references.models import Reference
from reviews import roles, services
from reviews.models import ReviewerProfile, ReviewEvent, Revision, SiteSettings

pytestmark = pytest.mark.django_db

USERNAMES = ["editor", "reviewer", "reviewer2", "chief"]
Action = ReviewEvent.Action
LOAD_DEMO_REASON = "Demo content (load_demo)"


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_articles():
    slugs = [a["slug"] for a in demo_content.ARTICLES]
    return list(Article.objects.filter(slug__in=slugs).select_related("topic", "question"))


def demo_article(status: str) -> Article:
    data = next(a for a in demo_content.ARTICLES if a["status"] == status)
    return Article.objects.get(slug=data["slug"])


def users() -> dict:
    return {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}


def row_counts() -> dict:
    """Rows in every table Django knows: models, history models, m2m tables."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_creates_articles_on_different_topics_one_per_status():
    load_demo()
    articles = demo_articles()
    assert len(articles) >= 4
    assert len({a.topic_id for a in articles}) >= 4
    statuses = Counter(a.status for a in articles)
    for status in Article.Status:
        assert statuses[status] >= 1, status
    for article in articles:
        assert article.question.source == Question.Source.EDITORIAL
        assert len(article.question.text) >= Question.MIN_LENGTH
        assert article.headline
        assert article.bottom_line
        assert article.authors.filter(username="editor").exists()


def test_each_article_has_sections_algorithm_and_pitfalls():
    load_demo()
    for article in demo_articles():
        sections = list(article.sections.all())
        assert len(sections) >= 5, article.slug
        assert [s.position for s in sections] == list(range(1, len(sections) + 1))
        kinds = {s.kind for s in sections}
        assert Section.Kind.ALGORITHM in kinds, article.slug
        assert Section.Kind.PITFALLS in kinds, article.slug
        algorithm = next(s for s in sections if s.kind == Section.Kind.ALGORITHM)
        assert algorithm.body.lstrip().startswith("1. "), article.slug


def test_markdown_features_render():
    load_demo()
    html = ""
    for article in demo_articles():
        rendered = render_article(article.bottom_line, article.sections.all())
        html += rendered.bottom_line + "".join(body for _, body in rendered.sections)
    assert "<table>" in html
    assert "<ol>" in html
    assert "<ul>" in html
    assert re.search(r"<h[3-6]>", html)  # ### sub-headings, nested below the section's <h2>
    assert "citation-missing" not in html


def test_each_article_cites_enough_references_of_several_kinds():
    load_demo()
    cited_by = Counter()
    for article in demo_articles():
        refs = render_article(article.bottom_line, article.sections.all()).references
        assert len(refs) >= 6, article.slug
        assert len({c.reference.kind for c in refs}) >= 2, article.slug
        cited_by.update({c.reference.key for c in refs})
    assert any(n >= 2 for n in cited_by.values()), "no reference is shared between articles"


def test_no_unknown_citation_keys():
    load_demo()
    for article in demo_articles():
        assert unknown_citations(article.bottom_line) == []
        for section in article.sections.all():
            assert unknown_citations(section.body) == [], (article.slug, section.heading)


def test_every_demo_reference_is_cited_and_well_formed():
    load_demo()
    cited = set()
    for article in demo_articles():
        refs = render_article(article.bottom_line, article.sections.all()).references
        cited |= {c.reference.key for c in refs}
    keys = {r["key"] for r in demo_content.REFERENCES}
    assert keys <= cited, f"demo references no article cites: {sorted(keys - cited)}"
    for reference in Reference.objects.filter(key__in=keys):
        reference.full_clean()
        assert reference.title
        assert reference.source
        assert reference.year


# -- people ----------------------------------------------------------------------------------


def test_demo_users_exist_and_can_log_in(client):
    load_demo()
    for username in USERNAMES:
        user = get_user_model().objects.get(username=username)
        assert user.is_staff
        assert user.is_active
        assert not user.is_superuser
        assert user.first_name
        assert user.last_name
        assert user.email
        assert client.login(username=username, password=demo_content.DEMO_PASSWORD)
        client.logout()


def test_demo_users_get_their_role_from_a_group_only():
    load_demo()
    by_name = users()
    assert {name: list(u.groups.values_list("name", flat=True)) for name, u in by_name.items()} == {
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


def test_board_members_have_reviewer_profiles():
    load_demo()
    profiles = {p.user.username: p for p in ReviewerProfile.objects.select_related("user")}
    assert set(profiles) == {"reviewer", "reviewer2"}
    for profile in profiles.values():
        profile.full_clean()
        assert "(fictional)" in profile.display_name
        assert profile.bio.startswith("A fictional board member")
        assert profile.credentials
        assert profile.specialty
        assert profile.disclosures
        assert profile.user.groups.filter(name=roles.MEDICAL_ADVISORY_BOARD).exists()
    assert profiles["reviewer"].credentials == "MD, FACP"
    assert len({p.specialty for p in profiles.values()}) == 2


def test_site_settings_stay_as_the_migration_made_them():
    before = list(SiteSettings.objects.values())
    history = SiteSettings.history.count()

    load_demo()

    assert list(SiteSettings.objects.values()) == before
    assert SiteSettings.history.count() == history
    assert SiteSettings.load().show_unapproved_articles


# -- the review workflow ---------------------------------------------------------------------


def test_statuses_are_reached_through_review_events():
    load_demo()
    editor = users()["editor"]
    for article in demo_articles():
        data = next(a for a in demo_content.ARTICLES if a["slug"] == article.slug)
        assert article.status == data["status"], article.slug
        events = list(article.review_events.all())
        if article.status == Article.Status.DRAFT:
            assert events == []
            assert article.public_revision is None
            continue
        assert events[0].action == Action.SUBMITTED
        assert events[0].actor == editor
        assert article.public_revision is not None, article.slug
        assert article.public_revision.content == services.snapshot(article), article.slug
        # The status field only ever changed in history rows the services wrote.
        rows = list(article.history.order_by("history_date", "history_id"))
        for before, after in zip(rows, rows[1:], strict=False):
            if before.status != after.status:
                assert after.history_change_reason != LOAD_DEMO_REASON, article.slug
                assert after.history_user_id is not None


def test_approved_article_carries_the_reviewers_signature_on_its_public_text():
    load_demo()
    article = demo_article("approved")
    reviewer = users()["reviewer"]
    approval = article.review_events.get(action=Action.APPROVED)
    assert article.approval == approval
    assert approval.actor == reviewer
    assert approval.comment
    assert approval.revision == article.public_revision
    assert approval.revision.content == services.snapshot(article)
    assert approval.revision.content["bottom_line"] == article.bottom_line
    assert article.next_review_due
    assert [e.action for e in article.review_events.all()] == [
        Action.SUBMITTED, Action.REVIEW_STARTED, Action.APPROVED,
    ]  # fmt: skip


def test_article_under_review_was_sent_back_once_and_resubmitted():
    load_demo()
    article = demo_article("under_review")
    by_name = users()
    events = list(article.review_events.select_related("revision"))
    assert [(e.action, e.actor.username, e.revision.number) for e in events] == [
        (Action.SUBMITTED, "editor", 1),
        (Action.CHANGES_REQUESTED, "reviewer2", 1),
        (Action.SUBMITTED, "editor", 2),
        (Action.REVIEW_STARTED, "reviewer", 2),
    ]
    assert events[1].comment
    first, second = Revision.objects.filter(article=article).order_by("number")
    assert first.content != second.content
    assert "dequin-capecod-2023" not in str(first.content)
    assert "dequin-capecod-2023" in str(second.content)
    assert second.content == services.snapshot(article)
    assert article.submitted_revision == second == article.public_revision
    assert article.assigned_reviewer == by_name["reviewer"]
    assert {first.created_by, second.created_by} == {by_name["editor"]}
    assert article.version == 2  # the resubmission was an edit


def test_four_eyes_rule_can_be_demonstrated():
    load_demo()
    by_name = users()
    editor, reviewer, reviewer2 = by_name["editor"], by_name["reviewer"], by_name["reviewer2"]
    for article in demo_articles():
        assert article.authors.filter(pk=editor.pk).exists()
        assert services.four_eyes_objection(article, editor) is not None, article.slug
        assert services.four_eyes_objection(article, reviewer) is None, article.slug
        assert services.four_eyes_objection(article, reviewer2) is None, article.slug
    # The submitted article is waiting for either board member.
    submitted = demo_article("submitted")
    services.start_review(submitted, by=reviewer2)
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer == reviewer2


# -- idempotency -----------------------------------------------------------------------------


def workflow_state() -> dict:
    fields = ["status", "version", "submitted_revision", "approval", "assigned_reviewer",
              "next_review_due", "updated_at"]  # fmt: skip
    return {a["slug"]: a for a in Article.objects.values("slug", *fields)}


def test_second_run_changes_nothing():
    first = load_demo()
    counts = row_counts()
    state = workflow_state()
    revisions = list(Revision.objects.values_list("pk", "content_hash"))
    events = list(ReviewEvent.objects.values_list("pk", "action", "created_at"))
    ref_updated = dict(Reference.objects.values_list("key", "updated_at"))
    glossary_updated = dict(GlossaryTerm.objects.values_list("term", "updated_at"))
    variants = list(Variant.objects.values_list("pk", "section", "reader_type", "heading", "text"))
    assert variants, "the demo has variants"
    passwords = dict(
        get_user_model().objects.filter(username__in=USERNAMES).values_list("username", "password")
    )

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
    assert (
        list(Variant.objects.values_list("pk", "section", "reader_type", "heading", "text"))
        == variants
    )
    assert (
        dict(
            get_user_model()
            .objects.filter(username__in=USERNAMES)
            .values_list("username", "password")
        )
        == passwords
    )
    assert " 0 unchanged" in first
    assert "0 created, 0 updated" in second
    assert second.count("review workflow unchanged") == 3  # all but the draft


def test_rerun_restores_edited_content_and_drops_extra_sections():
    load_demo()
    article = Article.objects.get(slug=demo_content.ARTICLES[0]["slug"])
    n_sections = article.sections.count()
    article.headline = "Edited by hand"
    article.save()
    Section.objects.create(article=article, position=n_sections + 1, heading="Extra", body="x")
    n_revisions = Revision.objects.count()

    output = load_demo()

    article.refresh_from_db()
    assert article.headline == demo_content.ARTICLES[0]["headline"]
    assert article.sections.count() == n_sections
    assert "1 updated" in output
    assert "1 deleted" in output
    # Back to the approved text: nothing new to record, still approved.
    assert Revision.objects.count() == n_revisions
    assert article.status == Article.Status.APPROVED


def test_rerun_after_an_edit_in_the_admin_records_the_rewrite_as_an_edit():
    load_demo()
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
    assert article.headline == demo_content.ARTICLES[0]["headline"]
    latest = article.revisions.order_by("-number").first()
    assert latest.number == approved.number + 2
    assert latest.created_by == editor
    assert latest.content == approved.content == services.snapshot(article)
    # The workflow is left alone: a new draft, the approved revision still public.
    assert article.status == Article.Status.DRAFT
    assert article.public_revision == approved
    assert ReviewEvent.objects.count() == events
    assert "the demo content has it approved" in output
    assert "0 created, 0 updated" in load_demo()


def test_workflow_is_not_driven_again_once_an_article_has_review_events():
    load_demo()
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


def test_refuses_unless_demo_content_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_CONTENT_ALLOWED"):
        call_command("load_demo")
    assert not Article.objects.exists()
    assert not Topic.objects.exists()
    assert not get_user_model().objects.filter(username__in=USERNAMES).exists()


def test_unknown_citation_key_aborts_and_rolls_back(monkeypatch):
    broken = {**demo_content.ARTICLES[0], "bottom_line": "Treat it [@no-such-reference]."}
    monkeypatch.setattr(demo_content, "ARTICLES", [broken, *demo_content.ARTICLES[1:]])
    with pytest.raises(CommandError, match="no-such-reference"):
        call_command("load_demo")
    assert not Article.objects.exists()
    assert not Reference.objects.exists()


# -- glossary and reader-type variants -------------------------------------------------------

ARTICLES_FOR_PATIENTS = [demo_content.HYPERTENSION["slug"], demo_content.DIABETES["slug"]]


def visible_text(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def opening(markdown: str) -> str:
    """The words of a text before its first citation, as a reader sees them."""
    return " ".join(markdown.split("[@")[0].split())


def demo_texts() -> list[str]:
    """Every text of the demo articles: default and variants."""
    texts = []
    for data in demo_content.ARTICLES:
        texts += [data["bottom_line"], *(section["body"] for section in data["sections"])]
        for variant in data.get("variants", {}).values():
            texts += [variant.get("bottom_line", "")]
            texts += [section["body"] for section in variant.get("sections", {}).values()]
    return texts


def test_glossary_has_enough_terms_each_with_one_plain_sentence():
    load_demo()
    assert len(demo_content.GLOSSARY) >= 45
    terms = {t.term: t for t in GlossaryTerm.objects.all()}
    forms = Counter()
    for data in demo_content.GLOSSARY:
        term = terms[data["term"]]
        term.full_clean()
        assert term.definition.strip(), term
        assert len(term.definition.split()) <= 25, term
        assert term.definition.endswith("."), term
        assert ". " not in term.definition, term  # one sentence
        assert term.forms == [data["term"], *data["synonyms"]]
        forms.update(form.lower() for form in term.forms)
    assert [form for form, n in forms.items() if n > 1] == []  # one meaning per spelling


def test_every_glossary_term_is_used_in_a_demo_article():
    load_demo()
    glossary = Glossary(GlossaryTerm.objects.all())
    used = {
        glossary.terms[match.group(0).lower()].term
        for text in demo_texts()
        for match in glossary.pattern.finditer(text)
    }
    assert {data["term"] for data in demo_content.GLOSSARY} - used == set()


def test_articles_have_patient_and_student_variants():
    load_demo()
    complete = {"patient": set(), "student": set()}
    for article in demo_articles():
        for slug, minimum in (("patient", 3), ("student", 2)):
            variants = article.variants.filter(reader_type__slug=slug)
            sections = variants.exclude(section=None).count()
            if variants.filter(section=None).exists() and sections >= minimum:
                complete[slug].add(article.slug)
    assert set(ARTICLES_FOR_PATIENTS) <= complete["patient"]
    assert len(complete["student"]) >= 1
    for variant in Variant.objects.select_related("section", "reader_type"):
        variant.full_clean()
        default = variant.section.body if variant.section_id else variant.article.bottom_line
        assert variant.text != default, variant


def test_every_variant_cites_known_references_only():
    load_demo()
    variants = list(Variant.objects.select_related("section", "reader_type"))
    assert variants
    for variant in variants:
        assert unknown_citations(variant.text) == [], variant
        assert malformed_citations(variant.text) == [], variant
        if variant.section_id is None:  # a bottom line still says what it rests on
            assert cited_keys([variant.text]), variant


def test_reviewed_revisions_carry_the_variants():
    load_demo()
    approved = demo_article("approved")
    revision = approved.approval.revision
    patient_bottom_line = approved.variants.get(section=None, reader_type__slug="patient")
    assert revision.bottom_line_for("patient") == patient_bottom_line.text
    assert revision.bottom_line_for(None) == approved.bottom_line
    assert revision.reader_types_with_variants == {"patient", "student"}
    assert demo_article("submitted").submitted_revision.reader_types_with_variants == {"patient"}
    for article in demo_articles():
        revision = article.public_revision
        if revision is None:
            continue
        for variant in article.variants.select_related("section", "reader_type"):
            slug = variant.reader_type.slug
            if variant.section_id is None:
                assert revision.bottom_line_for(slug) == variant.text
                continue
            (section,) = [
                s for s in revision.sections_for(slug) if s.position == variant.section.position
            ]
            assert section.body == variant.text
            assert section.heading == (variant.heading or variant.section.heading)


@pytest.mark.parametrize("slug", ARTICLES_FOR_PATIENTS)
def test_public_page_shows_patients_their_text_with_words_explained(client, slug):
    load_demo()
    article = Article.objects.get(slug=slug)
    patient_text = article.variants.get(section=None, reader_type__slug="patient").text
    hypertension = GlossaryTerm.objects.get(term="hypertension")

    response = client.get(article.get_absolute_url() + "?reader=patient")
    assert response.status_code == 200
    html = response.content.decode()
    assert opening(patient_text) in visible_text(html)
    assert opening(article.bottom_line) not in visible_text(html)
    assert 'class="glossary-term"' in html
    assert "Words explained" in html
    if slug == demo_content.HYPERTENSION["slug"]:
        assert hypertension.definition in visible_text(html)

    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert opening(article.bottom_line) in visible_text(html)
    assert opening(patient_text) not in visible_text(html)
    assert 'class="glossary-term"' not in html
    assert "Words explained" not in html


def test_students_see_their_text_on_the_approved_article(client):
    load_demo()
    article = demo_article("approved")
    student_text = article.variants.get(section=None, reader_type__slug="student").text
    html = client.get(article.get_absolute_url() + "?reader=student").content.decode()
    assert opening(student_text) in visible_text(html)
    assert 'class="glossary-term"' in html


def test_disclaimers_are_left_as_the_migrations_made_them():
    slugs = [Page.DISCLAIMER, Page.PLAIN_DISCLAIMER]
    before = list(Page.objects.filter(slug__in=slugs).order_by("slug").values())
    history = Page.history.count()

    load_demo()

    assert len(before) == 2
    assert list(Page.objects.filter(slug__in=slugs).order_by("slug").values()) == before
    assert Page.history.count() == history


def test_rerun_restores_the_glossary_and_keeps_terms_staff_added():
    load_demo()
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


def test_rerun_after_variants_were_edited_in_the_admin_records_the_rewrite_as_an_edit():
    load_demo()
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
    assert latest.content == approved.content == services.snapshot(article)
    assert not article.variants.filter(reader_type__slug="nurse").exists()
    assert article.public_revision == approved
    assert ReviewEvent.objects.count() == events
    assert "1 deleted" in output
    assert "0 created, 0 updated" in load_demo()


def test_variant_for_an_unknown_reader_type_aborts_and_rolls_back(monkeypatch):
    broken = {**demo_content.ARTICLES[0], "variants": {"astronaut": {"bottom_line": "Hi."}}}
    monkeypatch.setattr(demo_content, "ARTICLES", [broken, *demo_content.ARTICLES[1:]])
    with pytest.raises(CommandError, match="astronaut"):
        call_command("load_demo")
    assert not Article.objects.exists()
    assert not GlossaryTerm.objects.exists()


def test_unknown_citation_key_in_a_variant_aborts(monkeypatch):
    variants = {"patient": {"bottom_line": "Treat it [@no-such-reference]."}}
    broken = {**demo_content.ARTICLES[0], "variants": variants}
    monkeypatch.setattr(demo_content, "ARTICLES", [broken, *demo_content.ARTICLES[1:]])
    with pytest.raises(CommandError, match="no-such-reference"):
        call_command("load_demo")
    assert not Variant.objects.exists()

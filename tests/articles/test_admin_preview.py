"""The article form's live preview and citation-key completion (articles/admin_preview.py), and
section positions placed by the form (articles/admin.py `SectionFormSet`)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import admin_preview
from articles.admin_preview import content_from_post, place_sections
from articles.models import Article, ReaderType, Section, Variant
from articles.revisions import Revision, snapshot
from reviews import roles
from tests.factories import (
    ArticleFactory,
    QuestionFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
    logged_in,
    staff,
)

PREVIEW = "/admin/articles/article/editor/preview/"
KEYS = "/admin/articles/article/editor/citation-keys/"


def form_data(sections=(), variants=(), **fields):
    """POST data as the article form sends it. `sections`: dicts with heading/body and
    optionally id, position, kind, DELETE; `variants`: dicts with reader_type (pk), text and
    optionally section (pk), heading, DELETE."""
    data = {
        "headline": "Anticoagulation in atrial fibrillation",
        "bottom_line": "Most patients benefit.",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(sum(1 for s in sections if s.get("id"))),
        "variants-TOTAL_FORMS": str(len(variants)),
        "variants-INITIAL_FORMS": "0",
    }
    for i, section in enumerate(sections):
        data |= {
            f"sections-{i}-id": str(section.get("id", "")),
            f"sections-{i}-position": str(section.get("position", "")),
            f"sections-{i}-heading": section["heading"],
            f"sections-{i}-kind": section.get("kind", "standard"),
            f"sections-{i}-body": section["body"],
        }
        if section.get("DELETE"):
            data[f"sections-{i}-DELETE"] = "on"
    for i, variant in enumerate(variants):
        data |= {
            f"variants-{i}-section": str(variant.get("section", "")),
            f"variants-{i}-reader_type": str(variant["reader_type"]),
            f"variants-{i}-heading": variant.get("heading", ""),
            f"variants-{i}-text": variant["text"],
        }
        if variant.get("DELETE"):
            data[f"variants-{i}-DELETE"] = "on"
    return data | fields


@pytest.fixture
def editor(db):
    return staff(roles.EDITORS, username="editor")


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


def nothing_written():
    """What a preview must leave as it was: revisions, content rows and every history."""
    return (
        Revision.objects.count(),
        Section.objects.count(),
        Variant.objects.count(),
        Article.history.count(),
        Section.history.count(),
        Variant.history.count(),
        list(Article.objects.values_list("version", "bottom_line", "headline")),
    )


# -- permissions, CSRF, method, size, rate ----------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page():
    for url, method in ((PREVIEW, "post"), (KEYS, "get")):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_staff_who_only_read_articles_get_no_preview():
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, username="reader-only")
    response = logged_in(reviewer).post(PREVIEW, form_data())
    assert response.status_code == 403


@pytest.mark.django_db
def test_staff_without_the_library_get_no_keys():
    accounts = staff(roles.ACCOUNT_ADMINISTRATORS, username="keys-admin")
    response = logged_in(accounts).get(KEYS, {"q": "a"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_staff_with_view_article_only_get_no_preview():
    from django.contrib.auth.models import Permission

    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    assert logged_in(user).post(PREVIEW, form_data()).status_code == 403


@pytest.mark.django_db
def test_the_preview_is_a_post(editor_client):
    response = editor_client.get(PREVIEW)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(PREVIEW, form_data(bottom_line="Treat early."))
    assert response.status_code == 403
    assert b"Treat early." not in response.content


@pytest.mark.django_db
def test_a_post_with_the_csrf_token_is_answered(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/admin/articles/article/add/")  # sets the CSRF cookie, as the page does
    token = client.cookies["csrftoken"].value
    response = client.post(
        PREVIEW, form_data(bottom_line="Treat early."), headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert b"Treat early." in response.content


@pytest.mark.django_db
def test_a_post_over_the_size_cap_is_not_rendered(editor_client, monkeypatch):
    monkeypatch.setattr(admin_preview, "PREVIEW_MAX_BYTES", 10_000)
    response = editor_client.post(PREVIEW, form_data(bottom_line="x" * 20_000))
    assert response.status_code == 413
    small = editor_client.post(PREVIEW, form_data(bottom_line="x" * 1_000))
    assert small.status_code == 200


@pytest.mark.django_db
def test_previews_are_limited_per_person(editor_client, monkeypatch):
    monkeypatch.setitem(admin_preview.PREVIEW_LIMIT, "rate", "2/m")
    statuses = [editor_client.post(PREVIEW, form_data()).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = editor_client.post(PREVIEW, form_data())
    assert int(limited["Retry-After"]) >= 1
    # Another person has their own count.
    other = logged_in(staff(roles.EDITORS, username="other-editor"))
    assert other.post(PREVIEW, form_data()).status_code == 200


@pytest.mark.django_db
def test_key_look_ups_are_limited_per_person(editor_client, monkeypatch):
    monkeypatch.setitem(admin_preview.KEYS_LIMIT, "rate", "1/m")
    assert editor_client.get(KEYS, {"q": "a"}).status_code == 200
    assert editor_client.get(KEYS, {"q": "a"}).status_code == 429


# -- what the preview shows -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cited_key_shows_its_number_and_reference(editor_client):
    ReferenceFactory(key="ruff2014", title="Oral anticoagulants versus warfarin")
    data = form_data([{"heading": "Evidence", "body": "Fewer strokes [@ruff2014]."}])
    response = editor_client.post(PREVIEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        r'<sup class="citation" id="cite-1"><a [^>]*aria-label="Reference 1"[^>]*>1</a>', html
    )
    assert '<li id="ref-1" class="reference" value="1">' in html
    assert "Oral anticoagulants versus warfarin" in html
    assert "Evidence" in html
    assert "unknown citation key" not in html


@pytest.mark.django_db
def test_an_unknown_key_is_marked_in_place_and_listed(editor_client):
    data = form_data(
        [{"heading": "Evidence", "body": "Fewer strokes [@ghost-2020]."}],
        bottom_line="Treat [@nope].",
    )
    html = editor_client.post(PREVIEW, data).content.decode()
    assert '<span class="citation-missing">[unknown reference: ghost-2020]</span>' in html
    assert "2 unknown citation keys" in html
    assert "<code>@ghost-2020</code> in Section 1 “Evidence”" in html
    assert "<code>@nope</code> in Bottom line" in html
    assert 'data-unknown-count="2"' in html


@pytest.mark.django_db
def test_a_malformed_citation_is_listed(editor_client):
    html = editor_client.post(
        PREVIEW, form_data([{"heading": "Why", "body": "Text [@a, @b]."}])
    ).content.decode()
    assert "Not a citation" in html
    assert "<code>[@a, @b]</code> in Section 1 “Why”, line 1" in html


@pytest.mark.django_db
def test_typed_html_is_escaped_and_scripts_never_reach_the_preview(editor_client):
    data = form_data(
        [{"heading": "<img src=x onerror=alert(1)>", "body": "<script>alert(1)</script> [@<b>]"}],
        headline="<script>alert(2)</script>",
    )
    html = editor_client.post(PREVIEW, data).content.decode()
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_sections_follow_the_posted_positions_new_rows_included_deleted_left_out(editor_client):
    article = ArticleFactory()
    first = SectionFactory(article=article, position=1, heading="First", body="One.")
    second = SectionFactory(article=article, position=2, heading="Second", body="Two.")
    gone = SectionFactory(article=article, position=3, heading="Gone", body="Three.")
    data = form_data(
        [
            {"id": first.pk, "position": 3, "heading": "First", "body": "One."},
            {"id": second.pk, "position": 2, "heading": "Second", "body": "Two."},
            {"id": gone.pk, "position": 4, "heading": "Gone", "body": "Three.", "DELETE": True},
            {"heading": "Brand new", "body": "Not saved yet.", "position": 1},
            {"heading": "Unplaced", "body": "No position posted."},
        ]
    )
    html = editor_client.post(PREVIEW, data).content.decode()
    order = [html.index(h) for h in ("Brand new", "Second", "First", "Unplaced")]
    assert order == sorted(order)
    assert "Gone" not in html


@pytest.mark.django_db
def test_the_reader_type_picks_its_variants(editor_client):
    article = ArticleFactory()
    section = SectionFactory(article=article, position=1, heading="Dosing", body="Give 5 mg/kg.")
    patient = ReaderType.objects.get(slug="patient")
    data = form_data(
        [{"id": section.pk, "position": 1, "heading": "Dosing", "body": "Give 5 mg/kg."}],
        [
            {"section": section.pk, "reader_type": patient.pk, "heading": "How much",
             "text": "Your doctor works out the dose from your weight."},
            {"reader_type": patient.pk, "text": "Most people do well."},
        ],
    )  # fmt: skip
    as_patient = editor_client.post(PREVIEW, data | {"reader": "patient"}).content.decode()
    assert "Your doctor works out the dose from your weight." in as_patient
    assert "How much" in as_patient
    assert "Most people do well." in as_patient
    assert "Give 5 mg/kg." not in as_patient
    assert "own text for: Bottom line for patient, Section 1 for patient" in as_patient
    default = editor_client.post(PREVIEW, data | {"reader": ""}).content.decode()
    assert "Give 5 mg/kg." in default
    assert "Your doctor works out" not in default
    unknown = editor_client.post(PREVIEW, data | {"reader": "astronaut"}).content.decode()
    assert "Give 5 mg/kg." in unknown  # an unknown type is the default text


@pytest.mark.django_db
def test_a_deleted_sections_variants_go_with_it(editor_client):
    article = ArticleFactory()
    section = SectionFactory(article=article, position=1, heading="Old", body="Old text.")
    patient = ReaderType.objects.get(slug="patient")
    data = form_data(
        [
            {"id": section.pk, "position": 1, "heading": "Old", "body": "x", "DELETE": True},
            {"heading": "New", "body": "New text.", "position": 2},
        ],
        [{"section": section.pk, "reader_type": patient.pk, "text": "Orphaned words."}],
    )
    html = editor_client.post(PREVIEW, data | {"reader": "patient"}).content.decode()
    assert "Orphaned words." not in html
    assert "New text." in html


@pytest.mark.django_db
def test_a_preview_writes_nothing(editor_client):
    ReferenceFactory(key="ruff2014")
    article = ArticleFactory()
    section = SectionFactory(article=article, position=1)
    before = nothing_written()
    data = form_data(
        [{"id": section.pk, "position": 1, "heading": "Changed", "body": "New [@ruff2014]."}],
        bottom_line="Changed bottom line.",
        headline="Changed headline",
    )
    assert editor_client.post(PREVIEW, data).status_code == 200
    assert nothing_written() == before


@pytest.mark.django_db
def test_the_content_is_what_a_revision_of_the_same_form_would_freeze():
    """The preview builds revision content with the revision's own code: for an article's
    unchanged form it is exactly what `snapshot` freezes (so its hash too)."""
    ReferenceFactory(key="ruff2014")
    article = ArticleFactory(bottom_line="Bottom [@ruff2014].")
    first = SectionFactory(article=article, position=1, heading="A", body="One [@ruff2014].")
    second = SectionFactory(article=article, position=2, heading="B", body="Two.", kind="pitfalls")
    patient = ReaderType.objects.get(slug="patient")
    Variant.objects.create(article=article, section=second, reader_type=patient, text="Plain.")
    Variant.objects.create(article=article, reader_type=patient, text="Plain bottom.")
    data = form_data(
        [
            {"id": first.pk, "position": 1, "heading": "A", "body": "One [@ruff2014]."},
            {"id": second.pk, "position": 2, "heading": "B", "body": "Two.", "kind": "pitfalls"},
        ],
        [
            {"section": second.pk, "reader_type": patient.pk, "text": "Plain."},
            {"reader_type": patient.pk, "text": "Plain bottom."},
        ],
        headline=article.headline,
        bottom_line=article.bottom_line,
    )
    types = {str(t.pk): t for t in ReaderType.objects.all()}
    assert content_from_post(data, types, article.question.text) == snapshot(article)


@pytest.mark.django_db
def test_the_preview_costs_the_same_queries_however_many_sections(editor_client):
    """Sign-in, permissions, reader types, the question, the cited references, the glossary,
    the disclaimer (and the session's renewal): the same for one section or thirty."""
    ReferenceFactory(key="a")
    question = QuestionFactory()
    counts = []
    for n in (1, 30):
        many = [{"heading": f"S{i}", "body": f"Text {i} [@a]."} for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.post(PREVIEW, form_data(many, question=str(question.pk)))
        assert response.status_code == 200
        assert question.text in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 12


# -- key completion -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_keys_are_found_by_key_title_or_author_in_any_case(editor_client):
    ReferenceFactory(key="ruff2014", title="Oral anticoagulants versus warfarin", authors="Ruff CT")
    ReferenceFactory(key="nccn-rectal-2025", title="Rectal cancer", authors="NCCN", year=2025)
    ReferenceFactory(key="smith2020", title="A trial", authors="Smith A, Ruffini B")

    def keys(q):
        response = editor_client.get(KEYS, {"q": q})
        assert response.status_code == 200
        return [r["key"] for r in response.json()["results"]]

    assert keys("RUFF") == ["ruff2014", "smith2020"]  # the key match first, then an author's
    assert keys("warfarin") == ["ruff2014"]
    assert keys("Rectal") == ["nccn-rectal-2025"]
    assert keys("nothing-like-it") == []
    first = editor_client.get(KEYS, {"q": "nccn"}).json()["results"][0]
    assert first == {"key": "nccn-rectal-2025", "title": "Rectal cancer", "year": 2025}


@pytest.mark.django_db
def test_at_most_ten_keys_come_back(editor_client):
    for i in range(15):
        ReferenceFactory(key=f"trial-{i:02}")
    results = editor_client.get(KEYS, {"q": "trial"}).json()["results"]
    assert [r["key"] for r in results] == [f"trial-{i:02}" for i in range(10)]
    assert len(editor_client.get(KEYS).json()["results"]) == 10  # nothing typed yet


@pytest.mark.django_db
def test_board_members_may_look_keys_up(db):
    ReferenceFactory(key="ruff2014")
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, username="board")
    response = logged_in(reviewer).get(KEYS, {"q": "ruff"})
    assert response.status_code == 200
    assert response.json()["results"][0]["key"] == "ruff2014"


# -- the form page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_offers_the_preview_to_writers_only(editor_client, db):
    article = ArticleFactory()
    SectionFactory(article=article)
    url = f"/admin/articles/article/{article.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert f'data-preview-url="{reverse("admin:articles_article_editor_preview")}"' in page
    assert f'data-keys-url="{reverse("admin:articles_article_editor_keys")}"' in page
    assert "js/article-editor.js" in page
    assert 'id="editor-preview" aria-labelledby="editor-preview-title" hidden' in page
    assert "Patient or caregiver</option>" in page
    add = editor_client.get("/admin/articles/article/add/").content.decode()
    assert "data-preview-url" in add
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, username="reads-only")
    read_only = logged_in(reviewer).get(url).content.decode()
    assert "data-preview-url" not in read_only
    assert "article-editor.js" not in read_only


# -- positions placed on save -------------------------------------------------------------------


def test_place_sections_keeps_typed_positions_and_puts_the_rest_last():
    assert place_sections([2, 1]) == [2, 1]
    assert place_sections([None, 3, None, 1]) == [4, 3, 5, 1]
    assert place_sections([None, None]) == [1, 2]
    assert place_sections([]) == []


def change_data(article, rows):
    """The change form's POST for `article` with section `rows` (dicts as in form_data)."""
    data = form_data(
        rows,
        question=str(article.question.pk),
        topic=str(article.topic.pk),
        slug=article.slug,
        headline=article.headline,
        bottom_line=article.bottom_line,
        edit_version=str(article.version),
    )
    data |= {"sections-MIN_NUM_FORMS": "1", "sections-MAX_NUM_FORMS": "1000"}
    for i in range(len(rows)):
        data[f"sections-{i}-article"] = str(article.pk)
    return data


@pytest.mark.django_db
def test_a_new_section_moved_to_the_top_saves_with_the_others_shifted(admin_client):
    article = ArticleFactory()
    first = SectionFactory(article=article, position=1, heading="First", body="One.")
    second = SectionFactory(article=article, position=2, heading="Second", body="Two.")
    rows = [
        {"id": first.pk, "position": 2, "heading": "First", "body": "One."},
        {"id": second.pk, "position": 3, "heading": "Second", "body": "Two."},
        {"position": 1, "heading": "Intro", "body": "Zero."},
    ]
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/", change_data(article, rows)
    )
    assert response.status_code == 302
    connection.check_constraints()  # PostgreSQL defers the unique check to here
    assert list(article.sections.values_list("heading", "position")) == [
        ("Intro", 1),
        ("First", 2),
        ("Second", 3),
    ]
    # Each move is in the section's history, with its final position only.
    assert list(first.history.values_list("position", flat=True)) == [2, 1]


@pytest.mark.django_db
def test_a_section_without_a_position_goes_last(admin_client):
    article = ArticleFactory()
    first = SectionFactory(article=article, position=5, heading="First", body="One.")
    rows = [  # saved sections come first in a formset, new ones after
        {"id": first.pk, "position": 5, "heading": "First", "body": "One."},
        {"heading": "Added without JavaScript", "body": "Two."},
    ]
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/", change_data(article, rows)
    )
    assert response.status_code == 302
    assert list(article.sections.values_list("heading", "position")) == [
        ("First", 5),
        ("Added without JavaScript", 6),
    ]


@pytest.mark.django_db
def test_an_unchanged_save_keeps_every_position(admin_client):
    article = ArticleFactory()
    sections = [SectionFactory(article=article, position=p, body="Same.") for p in (2, 5, 9)]
    rows = [
        {"id": s.pk, "position": s.position, "heading": s.heading, "body": s.body} for s in sections
    ]
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/", change_data(article, rows)
    )
    assert response.status_code == 302
    assert list(article.sections.values_list("position", flat=True)) == [2, 5, 9]
    assert all(s.history.count() == 1 for s in sections)  # nothing saved again


@pytest.mark.django_db
def test_a_new_article_without_positions_numbers_its_sections(admin_client):
    question, topic = QuestionFactory(), TopicFactory()
    data = form_data(
        [{"heading": "One", "body": "1."}, {"heading": "Two", "body": "2."}],
        question=str(question.pk),
        topic=str(topic.pk),
        slug="new-article",
    )
    data |= {"sections-MIN_NUM_FORMS": "1", "sections-MAX_NUM_FORMS": "1000"}
    response = admin_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302
    article = Article.objects.get(slug="new-article")
    assert list(article.sections.values_list("heading", "position")) == [("One", 1), ("Two", 2)]


@pytest.mark.django_db
def test_a_reference_merged_into_another_is_not_offered(editor_client):
    kept = ReferenceFactory(key="ruff2014")
    ReferenceFactory(key="ruff2014-duplicate", merged_into=kept)
    results = editor_client.get(KEYS, {"q": "ruff"}).json()["results"]
    assert [r["key"] for r in results] == ["ruff2014"]

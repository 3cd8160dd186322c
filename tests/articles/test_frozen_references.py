"""References as revisions freeze them: editing the library never changes an approved page;
the article is flagged "Reference updated since approval" (queryset, work filter, change page)
until it goes through review again; a cited reference — even one cited only in a reader-type
variant — can be neither deleted nor re-keyed; citations are checked in every text before a
submission; and a reference URL that is not a web address never becomes a link.

Every state is reached through reviews.services, never by writing `status`."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db.models import ProtectedError
from django.urls import reverse

from articles.models import Article, ReaderType, Variant
from references.models import Reference
from reviews import roles, services
from reviews.services import TransitionError
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    board_member,
    logged_in,
    staff,
    workflow_to,
)

pytestmark = pytest.mark.django_db

Status = Article.Status
EDITORS, BOARD, CHIEFS = roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD, roles.CHIEF_EDITORS

ORIGINAL = {
    "kind": Reference.Kind.RESEARCH,
    "title": "Original trial of early treatment",
    "authors": "Doe J, Roe R",
    "source": "Journal of Examples",
    "year": 2019,
    "url": "https://example.org/original",
}
CHANGED = {
    "kind": Reference.Kind.GUIDELINE,
    "title": "Updated guideline on early treatment",
    "authors": "Guideline Panel",
    "year": 2024,
    "url": "https://example.org/updated",
}


# --- building blocks -----------------------------------------------------------------------


def page(client, article, reader=None):
    response = client.get(article.get_absolute_url(), {"reader": reader} if reader else {})
    assert response.status_code == 200
    return response.content.decode()


def current_step(html):
    """The label of the tracker's current step: the review state the page claims."""
    match = re.search(r'aria-current="step">.*?class="tracker__label">([^<]+)<', html, re.S)
    return match.group(1) if match else None


def references_html(html):
    start = html.index('id="references-title"')
    return html[start : html.index("</ol>", start)]


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def changelist_pks(client, **params):
    response = client.get(reverse("admin:articles_article_changelist"), params)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def messages_of(response):
    return [message.message for message in get_messages(response.wsgi_request)]


def flagged():
    return set(Article.objects.reference_updated_since_approval().values_list("pk", flat=True))


def change_library(reference, **fields):
    for name, value in fields.items():
        setattr(reference, name, value)
    reference.save()


@pytest.fixture
def cast():
    return {
        "editor": staff(EDITORS, first_name="Eva", last_name="Editor"),
        # Board members in the factory topics' specialty: their approvals are ordinary ones.
        "reviewer": board_member(
            specialties=["General medicine"], first_name="Ana", last_name="Ruiz"
        ),
        "second_reviewer": board_member(
            specialties=["General medicine"], first_name="Ben", last_name="Okafor"
        ),
        "chief": staff(CHIEFS, first_name="Cleo", last_name="Chief"),
    }


@pytest.fixture
def approved(cast):
    """An approved article citing [@early-tx] in its bottom line and a section, and another
    approved article citing only [@steady] (which nobody changes)."""
    reference = ReferenceFactory(key="early-tx", **ORIGINAL)
    article = ArticleFactory(headline="Treat early", bottom_line="Treat early [@early-tx].")
    SectionFactory(article=article, position=1, heading="Evidence", body="One trial [@early-tx].")
    workflow_to(article, Status.APPROVED, editor=cast["editor"], reviewer=cast["reviewer"])
    steady = ReferenceFactory(key="steady", title="A steady reference")
    other = ArticleFactory(headline="Other answer", bottom_line="Steady answer [@steady].")
    SectionFactory(article=other, position=1, heading="Why", body="Because [@steady].")
    workflow_to(other, Status.APPROVED, editor=cast["editor"], reviewer=cast["reviewer"])
    return {"article": article, "reference": reference, "other": other, "steady": steady}


# --- the public page keeps the approved reference ----------------------------------------------


@pytest.mark.parametrize("reader", [None, "patient"])
def test_editing_the_library_does_not_change_the_approved_page(client, approved, reader):
    article, reference = approved["article"], approved["reference"]
    before = page(client, article, reader)
    assert "Original trial of early treatment" in references_html(before)

    change_library(reference, **CHANGED)

    html = page(client, article, reader)
    refs = references_html(html)
    assert "Original trial of early treatment" in refs
    assert "Doe J, Roe R" in refs
    assert "2019" in refs
    assert "reference__kind--research" in refs
    assert 'href="https://example.org/original"' in refs
    for new in ("Updated guideline", "Guideline Panel", "2024", "guideline", "/updated"):
        assert new.lower() not in refs.lower(), new
    assert current_step(html) == "Approved"
    assert "Medically reviewed by" in html
    assert "pending human review" not in html
    article.refresh_from_db()
    assert article.status == Status.APPROVED


# --- the flag: queryset, work filter, change page ----------------------------------------------


def test_a_changed_reference_flags_only_the_articles_citing_it(approved, cast, admin_client):
    article, other = approved["article"], approved["other"]
    assert flagged() == set()

    change_library(approved["reference"], title="Updated guideline on early treatment")

    assert flagged() == {article.pk}
    for client in (admin_client, logged_in(cast["chief"])):
        assert changelist_pks(client, work="references") == {article.pk}
        assert changelist_pks(client) >= {article.pk, other.pk}

    response = logged_in(cast["chief"]).get(change_url(article))
    assert response.status_code == 200
    (warning,) = [m for m in messages_of(response) if "Reference updated since approval" in m]
    assert "[@early-tx]" in warning
    assert "[@steady]" not in warning
    assert "Reference updated since approval: [@early-tx]" in response.content.decode()

    response = logged_in(cast["chief"]).get(change_url(other))
    assert response.status_code == 200
    assert not [m for m in messages_of(response) if "Reference updated" in m]
    assert "Reference updated since approval" not in response.content.decode()


@pytest.mark.parametrize("field", ["title", "authors", "year", "kind", "url"])
def test_each_displayed_field_counts_as_a_change(approved, field):
    change_library(approved["reference"], **{field: CHANGED[field]})
    assert flagged() == {approved["article"].pk}


def test_a_no_op_save_of_the_reference_does_not_flag(approved, admin_client):
    reference = approved["reference"]
    reference.save()
    Reference.objects.get(pk=reference.pk).save()
    assert flagged() == set()

    # The same through the admin form, every field posted as it stands.
    data = {
        "key": reference.key,
        "kind": reference.kind,
        "title": reference.title,
        "authors": reference.authors,
        "source": reference.source,
        "year": str(reference.year),
        "doi": reference.doi,
        "pmid": reference.pmid,
        "url": reference.url,
    }
    url = reverse("admin:references_reference_change", args=[reference.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert flagged() == set()
    assert changelist_pks(admin_client, work="references") == set()


def test_changing_the_reference_back_clears_the_flag(approved):
    reference = approved["reference"]
    change_library(reference, title="A title for a while")
    assert flagged() == {approved["article"].pk}
    change_library(reference, title=ORIGINAL["title"])
    assert flagged() == set()


# --- taking the new data through review -----------------------------------------------------


def test_an_approved_article_is_submitted_again_only_when_flagged(approved, cast):
    article, editor = approved["article"], cast["editor"]

    with pytest.raises(TransitionError, match="Nothing new to submit"):
        services.submit(article, by=editor)
    article.refresh_from_db()
    assert (article.status, article.revisions.count()) == (Status.APPROVED, 1)
    screen = logged_in(editor).get(review_url(article)).content.decode()
    assert 'value="submit"' not in screen

    change_library(approved["reference"], **CHANGED)
    screen = logged_in(editor).get(review_url(article)).content.decode()
    assert 'value="submit"' in screen

    revision = services.submit(article, by=editor)

    article.refresh_from_db()
    assert article.status == Status.SUBMITTED
    assert revision.number == 2
    frozen = revision.content["references"]["early-tx"]
    assert frozen["title"] == "Updated guideline on early treatment"
    assert (frozen["authors"], frozen["year"], frozen["kind"]) == (
        "Guideline Panel",
        2024,
        "guideline",
    )
    assert revision.citations.get().reference == approved["reference"]
    # The other, unchanged article still can't be submitted.
    with pytest.raises(TransitionError, match="Nothing new to submit"):
        services.submit(approved["other"], by=editor)


def test_review_shows_the_reference_change_and_approval_publishes_it(client, approved, cast):
    article, reference = approved["article"], approved["reference"]
    change_library(reference, **CHANGED)
    services.submit(article, by=cast["editor"])
    # Until the new revision is approved readers still see the frozen copy.
    assert "Original trial of early treatment" in references_html(page(client, article))

    response = logged_in(cast["second_reviewer"]).get(review_url(article))

    assert response.status_code == 200
    html = response.content.decode()
    assert "What changed since the approved revision 1" in html
    changes = html[html.index('id="changes-title"') : html.index('id="events-title"')]
    assert "<dt>Reference [@early-tx]</dt>" in changes
    assert re.search(r"<ins>[^<]*Updated[^<]*</ins>", changes)
    assert re.search(r"<del>[^<]*Original[^<]*</del>", changes)
    assert "Reference [@steady]" not in changes

    services.start_review(article, by=cast["second_reviewer"])
    services.approve(article, by=cast["second_reviewer"], comment="New guideline checked.")

    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert article.approval.revision.number == 2
    for reader in (None, "patient"):
        shown = page(client, article, reader)
        refs = references_html(shown)
        assert "Updated Guideline on Early Treatment" in refs  # a report's title, AMA-cased
        assert "Original trial of early treatment" not in refs
        assert 'href="https://example.org/updated"' in refs
        assert current_step(shown) == "Approved"
        assert "Medically reviewed by" in shown
        assert "Ben Okafor" in shown
    assert flagged() == set()
    chief = logged_in(cast["chief"])
    assert changelist_pks(chief, work="references") == set()
    response = chief.get(change_url(article))
    assert not [m for m in messages_of(response) if "Reference updated" in m]
    with pytest.raises(TransitionError, match="Nothing new to submit"):
        services.submit(article, by=cast["editor"])


# --- a reference cited only in a reader-type variant -------------------------------------------


@pytest.fixture
def variant_only(cast):
    """An approved article whose default text cites nothing; its patient bottom line cites
    [@patient-leaflet]."""
    reference = ReferenceFactory(key="patient-leaflet", title="A leaflet for patients")
    article = ArticleFactory(headline="Variant citing", bottom_line="Default words, no citation.")
    SectionFactory(article=article, position=1, heading="Why", body="Plain text.")
    Variant.objects.create(
        article=article,
        reader_type=ReaderType.objects.get(slug="patient"),
        text="In plain words [@patient-leaflet].",
    )
    workflow_to(article, Status.APPROVED, editor=cast["editor"], reviewer=cast["reviewer"])
    return reference, article


def test_a_reference_cited_only_in_a_variant_is_frozen_and_flagged(client, variant_only):
    reference, article = variant_only
    assert "A leaflet for patients" in references_html(page(client, article, "patient"))
    assert 'id="references-title"' not in page(client, article)

    change_library(reference, title="A revised leaflet")

    assert "A leaflet for patients" in references_html(page(client, article, "patient"))
    assert flagged() == {article.pk}


def test_a_reference_cited_only_in_a_variant_cannot_be_deleted(admin_client, variant_only):
    reference, _ = variant_only
    url = reverse("admin:references_reference_delete", args=[reference.pk])
    assert "Variant citing" in admin_client.get(url).content.decode()

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert Reference.objects.filter(pk=reference.pk).exists()
    admin_client.post(
        reverse("admin:references_reference_changelist"),
        {"action": "delete_selected", "_selected_action": [reference.pk], "post": "yes"},
    )
    assert Reference.objects.filter(pk=reference.pk).exists()
    with pytest.raises(ProtectedError):
        Reference.objects.get(pk=reference.pk).delete()
    with pytest.raises(ProtectedError):
        Reference.objects.filter(pk=reference.pk).delete()
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_a_reference_cited_only_in_a_variant_cannot_be_rekeyed(admin_client, variant_only):
    reference, _ = variant_only
    url = reverse("admin:references_reference_change", args=[reference.pk])
    data = {
        "key": "renamed-leaflet",
        "kind": reference.kind,
        "title": "Leaflet, typed title",
        "authors": reference.authors,
        "source": reference.source,
        "year": str(reference.year),
        "doi": "",
        "pmid": "",
        "url": "",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "[@patient-leaflet] is cited by" in html
    assert "Variant citing" in html
    assert 'value="renamed-leaflet"' in html
    assert 'value="Leaflet, typed title"' in html
    reference.refresh_from_db()
    assert (reference.key, reference.title) == ("patient-leaflet", "A leaflet for patients")


# --- citations in variants are checked before submitting ----------------------------------------


@pytest.mark.parametrize(
    ("part", "text", "where", "problem"),
    [
        ("bottom line", "Plain words [@ghost-key].", "Bottom line for patient",
         "Unknown citation key “@ghost-key” on line 1"),
        ("section", "First line.\nSee [@ghost-key] here.", "Section 1 for student",
         "Unknown citation key “@ghost-key” on line 2"),
        ("bottom line", "Comma, not semicolon [@known, @known].", "Bottom line for patient",
         "“[@known, @known]” on line 1 is not a valid citation"),
        ("section", "Trailing dot [@known.]", "Section 1 for student",
         "“[@known.]” on line 1 is not a valid citation"),
    ],
)  # fmt: skip
def test_submit_refuses_a_bad_citation_found_only_in_a_variant(cast, part, text, where, problem):
    ReferenceFactory(key="known")
    article = ArticleFactory(bottom_line="Default answer [@known].")
    section = SectionFactory(article=article, position=1, heading="Why", body="Fine [@known].")
    slug = "patient" if part == "bottom line" else "student"
    # Straight into the table, as an import would: the form's validation is not run.
    Variant.objects.create(
        article=article,
        reader_type=ReaderType.objects.get(slug=slug),
        section=section if part == "section" else None,
        text=text,
    )
    article.authors.add(cast["editor"])

    with pytest.raises(TransitionError) as excinfo:
        services.submit(article, by=cast["editor"])

    message = str(excinfo.value)
    assert message.startswith("Fix the citations before submitting.")
    assert f"{where}: {problem}" in message
    assert "Bottom line:" not in message
    assert "Section 1 “Why”" not in message
    article.refresh_from_db()
    assert (article.status, article.revisions.count()) == (Status.DRAFT, 0)


# --- URLs that are not web addresses -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:alert(1)",
    ],
)
def test_a_reference_url_that_is_not_a_web_address_is_never_a_link(client, cast, url):
    reference = ReferenceFactory(key="odd-url", title="Odd URL reference", url=url)
    assert Reference.objects.get(pk=reference.pk).url == url  # written around the form
    article = ArticleFactory(bottom_line="Answer [@odd-url].")
    SectionFactory(article=article, position=1, heading="Why", body="Because [@odd-url].")
    workflow_to(article, Status.APPROVED, editor=cast["editor"], reviewer=cast["reviewer"])
    assert article.approval.revision.content["references"]["odd-url"]["url"] == url

    for reader in (None, "patient"):
        html = page(client, article, reader)
        refs = references_html(html)
        assert "Odd URL reference" in refs
        assert "alert(1)" not in html
        assert not re.search(r"href=\"\s*(java|vb)?\s*script|href=\"\s*data:", html, re.I)
        assert ">Source</a>" not in refs
    # The frozen copy answers link_url the same way as the library row.
    assert reference.link_url == ""


def test_an_http_reference_url_is_a_link(client, cast):
    ReferenceFactory(key="web", title="Web reference", url="https://example.org/paper")
    article = ArticleFactory(bottom_line="Answer [@web].")
    workflow_to(article, Status.APPROVED, editor=cast["editor"], reviewer=cast["reviewer"])
    refs = references_html(page(client, article))
    assert (
        '<a href="https://example.org/paper" rel="noopener noreferrer">https://example.org/paper</a>'
        in refs
    )


@pytest.mark.parametrize("url", ["https://[oops", "http://[::1"])
def test_a_malformed_reference_url_set_through_the_orm_does_not_break_the_page(client, cast, url):
    ReferenceFactory(key="broken-url", title="Broken URL reference", url=url)
    article = ArticleFactory(bottom_line="Answer [@broken-url].")
    workflow_to(article, Status.APPROVED, editor=cast["editor"], reviewer=cast["reviewer"])

    refs = references_html(page(client, article))

    assert "Broken URL reference" in refs
    assert ">Source</a>" not in refs


def test_the_review_screen_submits_again_only_when_flagged(approved, cast):
    article = approved["article"]
    client = logged_in(cast["editor"])

    response = client.post(review_url(article), {"action": "submit"})

    assert response.status_code == 409
    assert "Nothing new to submit" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.APPROVED

    change_library(approved["reference"], **CHANGED)
    response = client.post(review_url(article), {"action": "submit"}, follow=True)

    assert response.status_code == 200
    assert "Revision 2 submitted for review." in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.submitted_revision.number) == (Status.SUBMITTED, 2)


def test_a_reference_changed_during_review_is_approved_as_frozen_then_flagged(client, cast):
    reference = ReferenceFactory(key="mid-review", **ORIGINAL)
    article = ArticleFactory(bottom_line="Answer [@mid-review].")
    SectionFactory(article=article, position=1, heading="Why", body="Because.")
    workflow_to(article, Status.UNDER_REVIEW, editor=cast["editor"], reviewer=cast["reviewer"])

    change_library(reference, **CHANGED)
    services.approve(article, by=cast["reviewer"])

    # The reviewer signed what they saw: the reference as it was submitted.
    refs = references_html(page(client, article))
    assert "Original trial of early treatment" in refs
    assert "Updated guideline" not in refs
    assert flagged() == {article.pk}
    revision = services.submit(article, by=cast["editor"])
    assert revision.content["references"]["mid-review"]["title"] == CHANGED["title"]

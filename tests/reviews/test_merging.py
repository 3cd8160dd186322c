"""Merging a duplicate reference: working copies re-cite the kept one through revisions and
review; approved pages stay as approved; the duplicate is kept, marked merged; history
records who did it and why; only chief editors may."""

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article, Section, Variant
from articles.readers import render_revision
from references.citations import replace_key
from references.models import Reference
from reviews import merging, roles
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    logged_in,
    staff,
    user_with_role,
    workflow_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief():
    return user_with_role(roles.CHIEF_EDITORS, first_name="Chidi", last_name="Chief")


@pytest.fixture
def refs():
    kept = ReferenceFactory(key="smith-2020", title="A trial", doi="10.5555/a")
    duplicate = ReferenceFactory(key="smith2020b", title="A trial (again)", doi="")
    return kept, duplicate


def test_replace_key_rewrites_only_citation_groups():
    text = "As shown [@Smith2020B; @other] and [@smith2020b]. Mail me@smith2020b, `[@x]`."
    assert replace_key(text, "smith2020b", "smith-2020") == (
        "As shown [@smith-2020; @other] and [@smith-2020]. Mail me@smith2020b, `[@x]`."
    )
    assert replace_key("[@a; @b]", "b", "a") == "[@a]"  # a group citing both keeps one
    assert replace_key("[@b2]", "b", "a") == "[@b2]"


def test_merge_rewrites_every_working_text_and_records_a_revision(chief, refs):
    kept, duplicate = refs
    article = ArticleFactory(bottom_line="Yes [@smith2020b].")
    section = SectionFactory(article=article, body="Details [@other-ref; @Smith2020B].")
    ReferenceFactory(key="other-ref")
    from articles.models import ReaderType

    reader = ReaderType.objects.first()
    Variant.objects.create(article=article, reader_type=reader, text="Plain [@smith2020b].")
    untouched = ArticleFactory(bottom_line="Unrelated [@smith-2020].")
    SectionFactory(article=untouched, body="Nothing about the duplicate.")
    version = article.version

    result = merging.merge(duplicate, kept, by=chief)

    article.refresh_from_db()
    section.refresh_from_db()
    assert article.bottom_line == "Yes [@smith-2020]."
    assert section.body == "Details [@other-ref; @smith-2020]."
    assert Variant.objects.get(article=article).text == "Plain [@smith-2020]."
    assert article.version == version + 1  # a form opened before is refused as stale
    assert [a.pk for a in result.edited] == [article.pk]
    latest = article.revisions.order_by("-number").first()
    assert latest.created_by == chief
    assert "smith2020b" not in str(latest.content)
    assert latest.shown.cited_keys() == {"smith-2020", "other-ref"}
    assert set(latest.citations.values_list("reference__key", flat=True)) == {
        "smith-2020",
        "other-ref",
    }
    # History: the texts' and the reference's rows name who and why.
    reason = "Merged [@smith2020b] into [@smith-2020]"
    assert article.history.first().history_change_reason == reason
    assert article.history.first().history_user == chief
    assert Section.history.filter(id=section.pk).first().history_change_reason == reason
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert duplicate.history.first().history_change_reason == reason
    assert duplicate.history.first().history_user == chief
    assert set(Reference.objects.current().values_list("key", flat=True)) == {
        "smith-2020",
        "other-ref",
    }
    assert untouched.revisions.count() == 0


def test_an_approved_article_keeps_its_public_revision_and_goes_back_to_review(chief, refs):
    kept, duplicate = refs
    article = ArticleFactory(bottom_line="Yes [@smith2020b].")
    SectionFactory(article=article, body="Body.")
    article = workflow_to(article, Article.Status.APPROVED)
    approved = article.approval.revision
    before = render_revision(approved, None)

    result = merging.merge(duplicate, kept, by=chief)

    article.refresh_from_db()
    assert article.approval.revision == approved  # readers still see the approved revision
    assert approved.content["references"] == {"smith2020b": duplicate.displayed()}
    assert article.public_revision.pk == approved.pk
    assert article.status == Article.Status.SUBMITTED  # the new revision is pending review
    assert article.submitted_revision.number == approved.number + 1
    assert "smith-2020" in article.submitted_revision.content["references"]
    assert [a.pk for a in result.submitted] == [article.pk]
    after = render_revision(article.public_revision, None)
    assert after.rendered.references[0].reference.title == "A trial (again)"
    assert str(after.rendered.bottom_line) == str(before.rendered.bottom_line)
    # The duplicate is still cited by the approved revision: it cannot go.
    assert duplicate.citations.filter(revision=approved).exists()


def test_a_draft_stays_a_draft(chief, refs):
    kept, duplicate = refs
    article = ArticleFactory(bottom_line="Yes [@smith2020b].")
    SectionFactory(article=article)
    result = merging.merge(duplicate, kept, by=chief)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert result.submitted == []
    assert article.revisions.count() == 1


@pytest.mark.parametrize("role", [roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD])
def test_only_chief_editors_merge(role, refs):
    kept, duplicate = refs
    article = ArticleFactory(bottom_line="Yes [@smith2020b].")
    with pytest.raises(merging.MergeError, match="Only chief editors"):
        merging.merge(duplicate, kept, by=user_with_role(role))
    article.refresh_from_db()
    assert article.bottom_line == "Yes [@smith2020b]."
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_refusals(chief, refs):
    kept, duplicate = refs
    with pytest.raises(merging.MergeError, match="cannot merge into itself"):
        merging.merge(kept, kept, by=chief)
    merging.merge(duplicate, kept, by=chief)
    with pytest.raises(merging.MergeError, match="already merged"):
        merging.merge(duplicate, kept, by=chief)
    third = ReferenceFactory(key="third")
    with pytest.raises(merging.MergeError, match="merge into that one"):
        merging.merge(third, duplicate, by=chief)


def test_the_merge_is_all_or_nothing(chief, refs, monkeypatch):
    kept, duplicate = refs
    first = ArticleFactory(headline="A first", bottom_line="One [@smith2020b].")
    second = ArticleFactory(headline="B second", bottom_line="Two [@smith2020b].")
    calls = []

    def failing(article, *, by):
        calls.append(article.pk)
        if len(calls) == 2:
            raise merging.TransitionError("the database went away")
        return original(article, by=by)

    original = merging.services.record_edit
    monkeypatch.setattr(merging.services, "record_edit", failing)
    with pytest.raises(merging.MergeError, match="could not be edited"):
        merging.merge(duplicate, kept, by=chief)
    for article in (first, second):
        article.refresh_from_db()
        assert "[@smith2020b]" in article.bottom_line
        assert article.revisions.count() == 0
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_earlier_merges_into_the_duplicate_follow_it(chief, refs):
    kept, duplicate = refs
    older = ReferenceFactory(key="older")
    merging.merge(older, duplicate, by=chief)
    merging.merge(duplicate, kept, by=chief)
    older.refresh_from_db()
    assert older.merged_into == kept


# --- the admin ------------------------------------------------------------------------------


def test_confirmation_lists_the_articles_then_merges(chief, refs):
    kept, duplicate = refs
    citing = ArticleFactory(headline="Does it work?", bottom_line="Yes [@smith2020b].")
    SectionFactory(article=citing)
    ArticleFactory(headline="Lookalike key", bottom_line="No [@smith2020b-x].")
    client = logged_in(chief)
    url = reverse("admin:references_reference_merge", args=[duplicate.pk])
    change = client.get(reverse("admin:references_reference_change", args=[duplicate.pk]))
    assert url in change.content.decode()

    page = client.post(url, {"into": "[@Smith-2020]"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Does it work?" in html
    assert "Lookalike key" not in html
    assert 'name="confirmed" value="yes"' in html
    citing.refresh_from_db()
    assert "[@smith2020b]" in citing.bottom_line  # nothing written yet

    done = client.post(url, {"into": "smith-2020", "confirmed": "yes"})
    assert done.status_code == 302
    assert done.url == reverse("admin:references_reference_change", args=[kept.pk])
    citing.refresh_from_db()
    assert citing.bottom_line == "Yes [@smith-2020]."
    merged_page = client.get(reverse("admin:references_reference_change", args=[duplicate.pk]))
    assert "This duplicate was merged into" in merged_page.content.decode()
    assert url not in merged_page.content.decode()


def test_merge_form_errors(chief, refs):
    kept, duplicate = refs
    client = logged_in(chief)
    url = reverse("admin:references_reference_merge", args=[duplicate.pk])
    assert "No reference has the key" in client.post(url, {"into": "nope"}).content.decode()
    assert "That is this reference" in client.post(url, {"into": "smith2020b"}).content.decode()


@pytest.mark.parametrize("role", [roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD])
def test_merge_pages_are_for_chief_editors_only(role, refs):
    kept, duplicate = refs
    client = logged_in(staff(role))
    url = reverse("admin:references_reference_merge", args=[duplicate.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"into": "smith-2020", "confirmed": "yes"}).status_code == 403
    change = client.get(reverse("admin:references_reference_change", args=[duplicate.pk]))
    assert url not in change.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_merged_references_are_not_offered_by_the_autocomplete(chief, refs):
    kept, duplicate = refs
    merging.merge(duplicate, kept, by=chief)
    admin_site = admin.site._registry[Reference]
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/autocomplete/", {"term": "trial"})
    request.user = chief
    found, _ = admin_site.get_search_results(request, Reference.objects.all(), "trial")
    assert list(found) == [kept]


def test_new_text_citing_a_merged_reference_is_told_to_cite_the_one_kept(chief, refs):
    """The duplicate stays for the revisions that froze it, so its key still resolves: new
    text citing it is refused on save, naming the reference to cite instead."""
    from django.core.exceptions import ValidationError

    from articles.validators import validate_citation_keys
    from tests.reviews.test_admin import change_url, form_data

    kept, duplicate = refs
    merging.merge(duplicate, kept, by=chief)
    validate_citation_keys("Before the merge, this cited [@smith-2020].")
    with pytest.raises(ValidationError) as refused:
        validate_citation_keys("Intro.\n\nAs found [@other; @Smith2020B].")
    assert refused.value.messages[-1] == (
        "“@smith2020b” on line 3 was merged into “@smith-2020”, a duplicate of it: "
        "cite [@smith-2020] instead."
    )

    editor = user_with_role(roles.EDITORS)
    article = ArticleFactory()
    SectionFactory(article=article, position=1, body="Plain text.")
    article.authors.add(editor)
    data = form_data(article, **{"sections-0-body": "Typed [@smith2020b] here."})
    response = logged_in(editor).post(change_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "was merged into “@smith-2020”" in html
    assert "Typed [@smith2020b] here." in html
    assert article.sections.get().body == "Plain text."

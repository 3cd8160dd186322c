"""Reader-type variants of the bottom line and of sections: what each reader sees, citation
numbering per variant, variants as part of the reviewed revision (snapshot, hash, record_edit,
restore, the review screen), and editing them in the article admin."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article, ReaderType, Revision, Variant
from articles.revisions import hash_of, snapshot
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    board_member,
    user_with_role,
    workflow_to,
)

pytestmark = pytest.mark.django_db

SLUGS = ["patient", "student", "nurse", "physician"]


def reader(slug):
    return ReaderType.objects.get(slug=slug)


def variant(article, slug, text, section=None, heading=""):
    return Variant.objects.create(
        article=article, reader_type=reader(slug), section=section, heading=heading, text=text
    )


def page(client, article, slug=None, **params):
    response = client.get(
        article.get_absolute_url(), {"reader": slug, **params} if slug else params
    )
    assert response.status_code == 200
    return response.content.decode()


def part(html, start, end):
    i = html.index(start)
    return html[i : html.index(end, i)]


def bottom_line(html):
    return part(html, 'class="bottom-line"', "</div>")


def section_html(html, position):
    return part(html, f'aria-labelledby="section-{position}"', "</section>")


@pytest.fixture
def editor():
    return user_with_role(roles.EDITORS)


@pytest.fixture
def reviewer():
    return user_with_role(roles.MEDICAL_ADVISORY_BOARD)


@pytest.fixture
def article(editor):
    """Approved. Variants: patient bottom line; student section 1 (with its own heading);
    nurse section 2 (keeping the default heading). Physicians have none."""
    article = ArticleFactory(bottom_line="Default bottom line.")
    one = SectionFactory(article=article, position=1, heading="Mechanism", body="Default one.")
    two = SectionFactory(article=article, position=2, heading="Dosing", body="Default two.")
    variant(article, "patient", "Patient bottom line.")
    variant(article, "student", "Student one.", section=one, heading="How it works")
    variant(article, "nurse", "Nurse two.", section=two)
    return workflow_to(article, "approved", editor=editor)


def approve_again(article, editor):
    """Resubmit the (edited) working copy and have a new board member approve it."""
    services.submit(article, by=editor)
    reviewer = board_member(specialties=[article.topic.specialty])
    services.start_review(article, by=reviewer)
    services.approve(article, by=reviewer)
    article.refresh_from_db()
    return article


# -- what each reader sees ------------------------------------------------------------------


DEFAULTS = ("Default bottom line.", "Mechanism", "Default one.", "Dosing", "Default two.")
SEEN = {  # bottom line, section 1 heading and text, section 2 heading and text
    None: DEFAULTS,
    "patient": ("Patient bottom line.", *DEFAULTS[1:]),
    "student": (DEFAULTS[0], "How it works", "Student one.", *DEFAULTS[3:]),
    "nurse": (*DEFAULTS[:4], "Nurse two."),
    "physician": DEFAULTS,
}


@pytest.mark.parametrize(("slug", "expected"), list(SEEN.items()))
def test_each_reader_type_sees_its_variant_or_the_default(client, article, slug, expected):
    html = page(client, article, slug)
    bottom, heading1, body1, heading2, body2 = expected
    assert bottom in bottom_line(html)
    one, two = section_html(html, 1), section_html(html, 2)
    assert f'<h2 id="section-1">{heading1}</h2>' in one
    assert body1 in one
    assert f'<h2 id="section-2">{heading2}</h2>' in two
    assert body2 in two
    # Nothing meant for another reader type leaks in.
    others = {"Patient bottom line.", "How it works", "Student one.", "Nurse two."} - set(expected)
    answer = part(html, 'class="bottom-line"', 'id="follow-up"')
    assert not [text for text in others if text in answer]
    # The default text a variant replaces is gone for that reader.
    replaced = {"Default bottom line.", "Mechanism", "Default one.", "Default two."} - set(expected)
    assert not [text for text in replaced if text in answer]


def test_the_review_screen_lists_which_reader_types_have_their_own_text(admin_client, article):
    html = admin_client.get(reverse("admin:articles_article_review", args=[article.pk]))
    html = html.content.decode()
    nav = part(html, 'class="review-readers"', "</nav>")
    for slug in ("patient", "student", "nurse"):
        label = reader(slug).label
        assert re.search(rf"{re.escape(label)}</a> <span class=\"help\">\(has its own text\)", nav)
    assert f'{reader("physician").label}</a> <span class="help">' not in nav


# -- citations ------------------------------------------------------------------------------


@pytest.fixture
def cited(editor):
    refs = {key: ReferenceFactory(key=key, title=f"Title of {key}") for key in ("a", "b", "c")}
    article = ArticleFactory(bottom_line="Default answer [@a].")
    section = SectionFactory(article=article, position=1, heading="Evidence", body="Trial [@b].")
    # The patient text cites c (never cited by default) first, then a, and skips b.
    variant(article, "patient", "In plain words [@c].")
    variant(article, "patient", "What studies show [@a; @c].", section=section)
    return workflow_to(article, "approved", editor=editor), refs


def citation_links(html):
    """(target, number) of every citation link, in order."""
    return re.findall(r'<a href="#ref-(\d+)" class="citation-link"[^>]*>(\d+)</a>', html)


def reference_list(html):
    if 'id="references-title"' not in html:
        return []
    refs = part(html, 'id="references-title"', "</ol>")
    return re.findall(r'<li id="ref-(\d+)"[^>]*value="(\d+)">.*?<cite class="reference__title">'
                      r"Title of (\w+)</cite>", refs, re.S)  # fmt: skip


def test_citation_numbers_and_references_follow_the_patient_text(client, cited):
    article, _ = cited
    html = page(client, article, "patient")
    assert citation_links(bottom_line(html)) == [("1", "1")]
    assert "In plain words" in bottom_line(html)
    assert reference_list(html) == [("1", "1", "c"), ("2", "2", "a")]
    # Section: a and c, now numbered 2 and 1 — shown as the run "1,2".
    section = section_html(html, 1)
    assert citation_links(section) == [("1", "1"), ("2", "2")]
    assert "Title of b" not in html
    # The back link of each reference goes to its first citation in the patient text.
    first_bottom = re.search(r'<sup class="citation" id="(cite-\d+)">', bottom_line(html))
    ref1 = part(html, 'id="ref-1"', "</li>")
    assert f'href="#{first_bottom.group(1)}"' in ref1


@pytest.mark.parametrize("slug", [None, "student", "nurse", "physician"])
def test_the_default_numbering_is_unchanged(client, cited, slug):
    article, _ = cited
    html = page(client, article, slug)
    assert "Default answer" in bottom_line(html)
    assert reference_list(html) == [("1", "1", "a"), ("2", "2", "b")]
    assert "Title of c" not in html
    assert citation_links(bottom_line(html)) == [("1", "1")]
    assert citation_links(section_html(html, 1)) == [("2", "2")]


def test_patient_first_then_default_do_not_share_numbers(client, cited):
    article, _ = cited
    assert reference_list(page(client, article, "patient"))[0] == ("1", "1", "c")
    assert reference_list(page(client, article))[0] == ("1", "1", "a")
    assert reference_list(page(client, article, "patient"))[0] == ("1", "1", "c")


# -- variants in revisions ------------------------------------------------------------------


def test_snapshot_includes_variants(article):
    content = snapshot(article)
    assert content["bottom_line_variants"] == {"patient": "Patient bottom line."}
    one, two = content["sections"]
    assert one["variants"] == {"student": {"heading": "How it works", "body": "Student one."}}
    assert two["variants"] == {"nurse": {"heading": "", "body": "Nurse two."}}
    assert article.approval.revision.content == content


def test_snapshot_without_variants_has_no_variant_keys():
    article = ArticleFactory()
    SectionFactory(article=article, position=1)
    content = snapshot(article)
    assert "bottom_line_variants" not in content
    assert "variants" not in content["sections"][0]


@pytest.mark.parametrize(
    "change",
    [
        lambda a: Variant.objects.filter(reader_type__slug="patient").update(text="New."),
        lambda a: Variant.objects.filter(reader_type__slug="student").update(heading="Other"),
        lambda a: Variant.objects.filter(reader_type__slug="nurse").update(text="Nurse 2."),
        lambda a: Variant.objects.filter(reader_type__slug="nurse").delete(),
        lambda a: variant(a, "physician", "Physician bottom line."),
        lambda a: variant(a, "student", "Student bottom line."),
        lambda a: Variant.objects.filter(reader_type__slug="patient").update(
            reader_type=reader("student")
        ),
    ],
    ids=["text", "heading", "section-text", "removed", "added", "added-other", "retargeted"],
)
def test_the_hash_changes_when_only_a_variant_changes(article, change):
    before = hash_of(snapshot(article))
    assert before == article.approval.revision.content_hash
    change(article)
    assert hash_of(snapshot(article)) != before


def test_editing_only_the_patient_variant_after_approval(client, article, editor):
    approved = article.approval.revision
    page(client, article, "patient")  # cached
    edited = Variant.objects.get(article=article, reader_type__slug="patient")
    edited.text = "Revised patient bottom line."
    edited.save()

    revision = services.record_edit(article, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert revision.number == approved.number + 1
    assert revision.content["bottom_line_variants"] == {"patient": "Revised patient bottom line."}
    assert article.approval.revision == approved  # still the public text
    html = page(client, article, "patient")
    assert "Patient bottom line." in bottom_line(html)
    assert "Revised" not in html
    assert "pending human review" not in html

    article = approve_again(article, editor)

    assert article.approval.revision == revision
    html = page(client, article, "patient")
    assert "Revised patient bottom line." in bottom_line(html)
    assert "Default bottom line." in bottom_line(page(client, article))


def test_an_unchanged_save_after_approval_stays_approved(article, editor):
    services.record_edit(article, by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED


def test_restore_brings_variants_back(client, article, editor):
    original = article.approval.revision
    Variant.objects.filter(reader_type__slug="patient").update(text="Changed patient.")
    Variant.objects.filter(reader_type__slug="nurse").delete()
    variant(article, "physician", "A physician variant.")
    changed = services.record_edit(article, by=editor)
    assert changed.content != original.content

    restored = services.restore(article, original, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert restored.number == changed.number + 1
    assert restored.content == original.content
    assert restored.content_hash == original.content_hash
    assert snapshot(article) == original.content
    rows = sorted(
        (v.reader_type.slug, v.section.position if v.section else None, v.heading, v.text)
        for v in article.variants.select_related("section", "reader_type")
    )
    assert rows == [
        ("nurse", 2, "", "Nurse two."),
        ("patient", None, "", "Patient bottom line."),
        ("student", 1, "How it works", "Student one."),
    ]
    # Variants belong to this article's new sections, not to deleted ones.
    assert {v.section.article_id for v in article.variants.exclude(section=None)} == {article.pk}


def test_restore_skips_variants_of_a_reader_type_that_is_gone(article, editor):
    """A reader type can't be deleted while variants use it, but a revision may still name
    one that no longer exists (renamed slug): restoring must not fail."""
    original = article.approval.revision
    content = dict(original.content, bottom_line_variants={"ghost": "For nobody."})
    ghost = Revision.objects.create(
        article=article,
        number=original.number + 1,
        content=content,
        content_hash=hash_of(content),
        created_by=editor,
    )
    services.restore(article, ghost, by=editor)
    assert not article.variants.filter(section=None).exists()


def test_review_screen_previews_every_reader_type_and_diffs_the_variant(article, editor):
    from django.test import Client

    edited = Variant.objects.get(article=article, reader_type__slug="patient")
    edited.text = "Revised patient bottom line."
    edited.save()
    student = Variant.objects.get(article=article, reader_type__slug="student")
    student.text = "Student one, revised."
    student.save()
    services.record_edit(article, by=editor)
    services.submit(article, by=editor)
    reviewer = user_with_role(roles.MEDICAL_ADVISORY_BOARD)
    client = Client()
    client.force_login(reviewer)
    url = reverse("admin:articles_article_review", args=[article.pk])

    html = client.get(url, {"reader": "patient"}).content.decode()
    preview = html[html.index('class="review-preview"') :]
    assert "as a reader of type “Patient or caregiver”" in preview
    assert "Revised patient bottom line." in bottom_line(preview)
    diff = part(html, 'class="review-diff"', "</dl>")
    assert "Bottom line — for patient" in diff
    assert "<del>Patient</del>" in diff or "<ins>Revised</ins>" in diff
    assert "Section 1: Mechanism — text for student" in diff
    assert "Nurse" not in diff  # unchanged variants are not listed

    expected = {
        None: ("Default bottom line.", "Default one."),
        "patient": ("Revised patient bottom line.", "Default one."),
        "student": ("Default bottom line.", "Student one, revised."),
        "nurse": ("Default bottom line.", "Default one."),
        "physician": ("Default bottom line.", "Default one."),
        "<script>": ("Default bottom line.", "Default one."),  # unknown: the default
        "\x00": ("Default bottom line.", "Default one."),
    }
    for slug, (bottom, one) in expected.items():
        response = client.get(url, {"reader": slug} if slug else {})
        assert response.status_code == 200
        preview = response.content.decode()
        preview = preview[preview.index('class="review-preview"') :]
        assert bottom in bottom_line(preview), slug
        assert one in section_html(preview, 1), slug
    # The public page still shows the approved patient text.
    public = Client().get(article.get_absolute_url(), {"reader": "patient"}).content.decode()
    assert "Patient bottom line." in bottom_line(public)


# -- the article admin ----------------------------------------------------------------------


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, variants=(), existing=()):
    """POST data of the change form: the article, its sections as they are, and the variant
    inline with `existing` saved variants (unchanged) followed by new `variants` (dicts)."""
    sections = list(article.sections.order_by("position"))
    data = {
        "question": str(article.question_id),
        "headline": article.headline,
        "slug": article.slug,
        "topic": str(article.topic_id),
        "bottom_line": article.bottom_line,
        "edit_version": str(article.version),
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "1",
        "sections-MAX_NUM_FORMS": "1000",
        "variants-TOTAL_FORMS": str(len(existing) + len(variants)),
        "variants-INITIAL_FORMS": str(len(existing)),
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
    }
    for i, s in enumerate(sections):
        data |= {
            f"sections-{i}-id": str(s.pk),
            f"sections-{i}-article": str(article.pk),
            f"sections-{i}-position": str(s.position),
            f"sections-{i}-heading": s.heading,
            f"sections-{i}-kind": s.kind,
            f"sections-{i}-body": s.body,
        }
    rows = [
        {
            "id": str(v.pk),
            "section": str(v.section_id or ""),
            "reader_type": str(v.reader_type_id),
            "heading": v.heading,
            "text": v.text,
        }
        for v in existing
    ] + [
        {
            "id": "",
            "section": str(v.get("section", "")),
            "reader_type": str(v["reader_type"]),
            "heading": v.get("heading", ""),
            "text": v["text"],
        }
        for v in variants
    ]
    for i, row in enumerate(rows):
        data |= {f"variants-{i}-{key}": value for key, value in row.items()}
        data[f"variants-{i}-article"] = str(article.pk)
    return data


@pytest.fixture
def draft():
    article = ArticleFactory(bottom_line="Default bottom line.")
    SectionFactory(article=article, position=1, heading="Mechanism", body="Default one.")
    return article


def test_the_change_form_names_the_variant_fields_this_module_posts(admin_client, draft):
    html = admin_client.get(change_url(draft)).content.decode()
    for name in ["TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"]:
        assert f'name="variants-{name}"' in html
    for field in ["id", "article", "section", "reader_type", "heading", "text"]:
        assert f'name="variants-__prefix__-{field}"' in html
    # The section choice offers this article's sections, and "Bottom line" for none.
    select = part(html, 'name="variants-__prefix__-section"', "</select>")
    assert '<option value="" selected>Bottom line</option>' in select
    assert f'<option value="{draft.sections.get().pk}">Mechanism</option>' in select


def test_adding_variants_through_the_change_form(admin_client, admin_user, draft):
    section = draft.sections.get()
    data = form_data(
        draft,
        [
            {"reader_type": reader("patient").pk, "text": "Patient words."},
            {
                "reader_type": reader("patient").pk,
                "section": section.pk,
                "heading": "How it works",
                "text": "Patient section words.",
            },
        ],
    )
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    rows = {
        (v.section_id, v.reader_type.slug, v.heading, v.text)
        for v in draft.variants.select_related("reader_type")
    }
    assert rows == {
        (None, "patient", "", "Patient words."),
        (section.pk, "patient", "How it works", "Patient section words."),
    }
    latest = draft.revisions.order_by("-number").first()
    assert latest.content["bottom_line_variants"] == {"patient": "Patient words."}


def test_adding_a_variant_after_approval_makes_a_draft_and_keeps_the_public_text(
    admin_client, client, article
):
    data = form_data(
        article,
        [{"reader_type": reader("physician").pk, "text": "Physician words."}],
        existing=list(article.variants.all()),
    )
    response = admin_client.post(change_url(article), data, follow=True)
    assert "Your edit made a new draft" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert "Physician words." not in page(client, article, "physician")
    assert "Default bottom line." in bottom_line(page(client, article, "physician"))


def assert_refused(response, article, before, *kept):
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the error" in html
    for text in kept:
        assert escape(text) in html, text
    assert sorted(article.variants.values_list("pk", "text")) == before
    return html


def test_a_duplicate_bottom_line_variant_is_refused(admin_client, draft):
    patient = reader("patient").pk
    data = form_data(
        draft,
        [
            {"reader_type": patient, "text": "First patient words."},
            {"reader_type": patient, "text": "Second patient words."},
        ],
    )
    html = assert_refused(
        admin_client.post(change_url(draft), data),
        draft,
        [],
        "First patient words.",
        "Second patient words.",
    )
    assert "There is already a Patient or caregiver variant of the bottom line." in html


def test_a_duplicate_of_a_saved_bottom_line_variant_is_refused(admin_client, draft):
    saved = variant(draft, "student", "Saved student words.")
    data = form_data(
        draft,
        [{"reader_type": reader("student").pk, "text": "Another student text."}],
        existing=[saved],
    )
    html = assert_refused(
        admin_client.post(change_url(draft), data),
        draft,
        [(saved.pk, "Saved student words.")],
        "Another student text.",
    )
    assert "There is already a Student variant of the bottom line." in html


def test_a_duplicate_section_variant_is_refused(admin_client, draft):
    section = draft.sections.get()
    nurse = reader("nurse").pk
    data = form_data(
        draft,
        [
            {"reader_type": nurse, "section": section.pk, "text": "Nurse text one."},
            {"reader_type": nurse, "section": section.pk, "text": "Nurse text two."},
        ],
    )
    html = assert_refused(
        admin_client.post(change_url(draft), data), draft, [], "Nurse text one.", "Nurse text two."
    )
    assert re.search(r"duplicate data for section and reader.type|already a Nurse", html)


def test_a_duplicate_of_a_saved_section_variant_is_refused(admin_client, draft):
    section = draft.sections.get()
    saved = variant(draft, "nurse", "Saved nurse text.", section=section)
    data = form_data(
        draft,
        [{"reader_type": reader("nurse").pk, "section": section.pk, "text": "New nurse text."}],
        existing=[saved],
    )
    assert_refused(
        admin_client.post(change_url(draft), data),
        draft,
        [(saved.pk, "Saved nurse text.")],
        "New nurse text.",
    )


def test_a_section_of_another_article_is_refused(admin_client, draft):
    other = SectionFactory(article=ArticleFactory(), position=1)
    data = form_data(
        draft,
        [{"reader_type": reader("patient").pk, "section": other.pk, "text": "Misplaced words."}],
    )
    html = assert_refused(admin_client.post(change_url(draft), data), draft, [], "Misplaced words.")
    assert re.search(r"Select a valid choice|Choose a section of this article", html)
    assert not Variant.objects.filter(section=other).exists()


def test_an_unknown_citation_key_in_a_variant_is_refused_naming_the_key(admin_client, draft):
    ReferenceFactory(key="known2020")
    text = "Fine [@known2020].\nBut this [@ghost-1999] is not."
    data = form_data(draft, [{"reader_type": reader("patient").pk, "text": text}])
    html = assert_refused(admin_client.post(change_url(draft), data), draft, [], text)
    assert "Unknown citation key “@ghost-1999” on line 2" in html
    assert "@known2020”" not in html

"""The demo content itself: articles, references, glossary, variants and profiles as loaded.

`load_demo` runs once for the class (setUpTestData); every test only reads what it loaded, and
Django's TestCase rolls back whatever a test does to it. The command's own behaviour is tested
in test_load_demo.py.
"""

import re
from collections import Counter
from html import unescape

from django.test import TestCase
from django.utils.html import strip_tags

from articles.glossary import Glossary
from articles.models import (
    Article,
    GlossaryTerm,
    Question,
    ReviewerProfile,
    Section,
    Topic,
    Variant,
)
from articles.rendering import cited_keys, malformed_citations, render_article, unknown_citations
from demo import data as demo_content
from references.models import Reference
from reviews import roles
from tests.factories import library

from .helpers import DIABETES, HYPERTENSION, demo_article, demo_articles, load_demo

ARTICLES_FOR_PATIENTS = [HYPERTENSION, DIABETES]
HEADER = "# Demonstration material written for Vetted; it is not medical advice for any patient.\n"


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


# -- the files -------------------------------------------------------------------------------


def test_every_content_file_starts_with_the_not_medical_advice_line():
    files = sorted(demo_content.CONTENT_DIR.rglob("*.yaml"))
    assert len(files) == 6 + len(demo_content.ARTICLES)
    for path in files:
        assert path.read_text(encoding="utf-8").startswith(HEADER), path


def test_section_positions_are_whole_numbers():
    for data in demo_content.ARTICLES:
        earlier = data.get("changes_requested", {}).get("earlier_sections", {})
        positions = [*earlier]
        for variant in data.get("variants", {}).values():
            positions += [*variant.get("sections", {})]
        for position in positions:
            assert type(position) is int, (data["slug"], position)
            assert 1 <= position <= len(data["sections"]), (data["slug"], position)


def test_glossary_forms_never_collide_by_case():
    """Forms written with capitals match only as written (EGFR is not eGFR): no two terms may
    share a form that differs only in case unless both are written with capitals, and the
    demo texts use every capitalised form exactly as the glossary spells it (so no first use
    that used to be marked is lost), while no all-lowercase form meets an acronym written in
    capitals (which it would still match). Citation keys are not text a reader sees."""
    by_folded: dict[str, set[str]] = {}
    for entry in demo_content.GLOSSARY:
        for form in [entry["term"], *entry["synonyms"]]:
            by_folded.setdefault(form.lower(), set()).add(form)
    shared = {
        folded: forms
        for folded, forms in by_folded.items()
        if len(forms) > 1 and any(form == form.lower() for form in forms)
    }
    assert not shared
    prose = re.sub(r"\[@[^\]]*\]", " ", "\n".join(demo_texts()))
    mismatched = {}
    for forms in by_folded.values():
        for form in forms:
            pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)", re.IGNORECASE)
            found = {match.group(0) for match in pattern.finditer(prose)}
            if form != form.lower():
                odd = found - {form}
            else:
                odd = {text for text in found if text.isupper() and len(text) > 1}
            if odd:
                mismatched[form] = odd
    assert not mismatched


# -- the content as loaded -------------------------------------------------------------------


class DemoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    # -- articles and references -------------------------------------------------------------

    def test_creates_articles_on_different_topics_one_per_status(self):
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

    def test_each_article_has_sections_algorithm_and_pitfalls(self):
        for article in demo_articles():
            sections = list(article.sections.all())
            assert len(sections) >= 5, article.slug
            assert [s.position for s in sections] == list(range(1, len(sections) + 1))
            kinds = {s.kind for s in sections}
            assert Section.Kind.ALGORITHM in kinds, article.slug
            assert Section.Kind.PITFALLS in kinds, article.slug
            algorithm = next(s for s in sections if s.kind == Section.Kind.ALGORITHM)
            assert algorithm.body.lstrip().startswith("1. "), article.slug

    def test_markdown_features_render(self):
        html = ""
        references = library()
        for article in demo_articles():
            rendered = render_article(article.bottom_line, article.sections.all(), references)
            html += rendered.bottom_line + "".join(body for _, body in rendered.sections)
        assert "<table>" in html
        assert "<ol>" in html
        assert "<ul>" in html
        assert re.search(r"<h[3-6]>", html)  # ### sub-headings, nested below the section's <h2>
        assert "citation-missing" not in html

    def test_each_article_cites_enough_references_of_several_kinds(self):
        cited_by = Counter()
        references = library()
        for article in demo_articles():
            refs = render_article(
                article.bottom_line, article.sections.all(), references
            ).references
            assert len(refs) >= 6, article.slug
            assert len({c.reference.kind for c in refs}) >= 2, article.slug
            cited_by.update({c.reference.key for c in refs})
        assert any(n >= 2 for n in cited_by.values()), "no reference is shared between articles"

    def test_no_unknown_citation_keys(self):
        for article in demo_articles():
            assert unknown_citations(article.bottom_line) == []
            for section in article.sections.all():
                assert unknown_citations(section.body) == [], (article.slug, section.heading)

    def test_every_demo_reference_is_cited_and_well_formed(self):
        cited = set()
        references = library()
        for article in demo_articles():
            refs = render_article(
                article.bottom_line, article.sections.all(), references
            ).references
            cited |= {c.reference.key for c in refs}
        keys = {r["key"] for r in demo_content.REFERENCES}
        assert keys <= cited, f"demo references no article cites: {sorted(keys - cited)}"
        for reference in Reference.objects.filter(key__in=keys):
            reference.full_clean()
            assert reference.title
            assert reference.source
            assert reference.year

    # -- people ------------------------------------------------------------------------------

    def test_board_members_have_reviewer_profiles(self):
        profiles = {p.user.username: p for p in ReviewerProfile.objects.select_related("user")}
        assert set(profiles) == {"reviewer", "reviewer2"}
        for profile in profiles.values():
            profile.full_clean()
            assert "(fictional)" in profile.display_name
            assert profile.bio.startswith("A fictional board member")
            assert profile.credentials
            assert profile.specialty_names
            assert profile.disclosures
            assert profile.user.groups.filter(name=roles.MEDICAL_ADVISORY_BOARD).exists()
        assert profiles["reviewer"].credentials == "MD, FACP"
        assert {tuple(p.specialty_names) for p in profiles.values()} == {
            ("General internal medicine",),
            ("Infectious diseases",),
        }

    def test_topics_belong_to_specialties_and_one_requires_its_own(self):
        topics = {t.slug: t for t in Topic.objects.select_related("specialty")}
        assert {slug: t.specialty.name for slug, t in topics.items()} == {
            "hypertension": "General internal medicine",
            "infectious-diseases": "Infectious diseases",
            "diabetes": "Endocrinology",
            "cardiac-arrhythmias": "Cardiology",
        }
        required = {slug for slug, t in topics.items() if t.requires_specialty_match}
        assert required == {"cardiac-arrhythmias"}
        assert topics["cardiac-arrhythmias"].specialty.schema_org == "Cardiovascular"
        # The demo's approved article was approved inside its reviewer's specialty.
        approved = Article.objects.get(status=Article.Status.APPROVED)
        assert not approved.approval.outside_specialty

    # -- glossary and reader-type variants ---------------------------------------------------

    def test_glossary_has_enough_terms_each_with_one_plain_sentence(self):
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

    def test_every_glossary_term_is_used_in_a_demo_article(self):
        glossary = Glossary(GlossaryTerm.objects.all())
        used = {
            (glossary.exact.get(match.group(0)) or glossary.folded[match.group(0).lower()]).term
            for text in demo_texts()
            for match in glossary.pattern.finditer(text)
        }
        assert {data["term"] for data in demo_content.GLOSSARY} - used == set()

    def test_articles_have_patient_and_student_variants(self):
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

    def test_every_variant_cites_known_references_only(self):
        variants = list(Variant.objects.select_related("section", "reader_type"))
        assert variants
        for variant in variants:
            assert unknown_citations(variant.text) == [], variant
            assert malformed_citations(variant.text) == [], variant
            if variant.section_id is None:  # a bottom line still says what it rests on
                assert cited_keys([variant.text]), variant

    def test_public_page_shows_patients_their_text_with_words_explained(self):
        hypertension = GlossaryTerm.objects.get(term="hypertension")
        for slug in ARTICLES_FOR_PATIENTS:
            with self.subTest(slug=slug):
                article = Article.objects.get(slug=slug)
                patient_text = article.variants.get(section=None, reader_type__slug="patient").text

                response = self.client.get(article.get_absolute_url() + "?reader=patient")
                assert response.status_code == 200
                html = response.content.decode()
                assert opening(patient_text) in visible_text(html)
                assert opening(article.bottom_line) not in visible_text(html)
                assert 'class="glossary-term"' in html
                assert "Words explained" in html
                if slug == HYPERTENSION:
                    assert hypertension.definition in visible_text(html)

                response = self.client.get(article.get_absolute_url())
                assert response.status_code == 200
                html = response.content.decode()
                assert opening(article.bottom_line) in visible_text(html)
                assert opening(patient_text) not in visible_text(html)
                assert 'class="glossary-term"' not in html
                assert "Words explained" not in html

    def test_students_see_their_text_on_the_approved_article(self):
        article = demo_article("approved")
        student_text = article.variants.get(section=None, reader_type__slug="student").text
        html = self.client.get(article.get_absolute_url() + "?reader=student").content.decode()
        assert opening(student_text) in visible_text(html)
        assert 'class="glossary-term"' in html

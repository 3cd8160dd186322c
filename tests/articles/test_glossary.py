"""Glossary marks for lay readers (articles.glossary), through render_article and on the page.

The first use of each term in the article, in reading order, becomes
`<a href="#gloss-N" class="glossary-term" aria-describedby="gloss-N-def">`; "Words explained"
lists the definitions under matching ids. Never inside headings, links, citations or code;
professionals and readers who made no choice get none of it.
"""

import re
from types import SimpleNamespace

import pytest

from articles.glossary import Glossary
from articles.readers import approved_glossary
from articles.rendering import render_article
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    approved_term,
    library,
    workflow_to,
)

pytestmark = pytest.mark.django_db

MARK = re.compile(
    r'<a href="#(gloss-\d+)" class="glossary-term" aria-describedby="(gloss-\d+-def)"[^>]*>'
    r"(.*?)</a>"
)


def term(term, definition="A plain definition.", synonyms="", **fields):
    """An approved glossary term (readers only ever see approved ones)."""
    return approved_term(term, definition, synonyms=synonyms, **fields)


def section(body, heading="Section", position=1):
    return SimpleNamespace(body=body, heading=heading, position=position, kind="standard")


def render(bottom_line, *bodies, terms=None):
    glossary = Glossary(terms if terms is not None else approved_glossary())
    sections = [section(body, position=i + 1) for i, body in enumerate(bodies)]
    return render_article(bottom_line, sections, library(), glossary)


def all_html(rendered):
    return rendered.bottom_line + "".join(html for _, html in rendered.sections)


def marks(rendered):
    """(anchor, text) of every mark, in order, checking each describes its own definition."""
    found = []
    for anchor, described_by, text in MARK.findall(all_html(rendered)):
        assert described_by == f"{anchor}-def"
        found.append((anchor, text))
    return found


class TestFirstOccurrence:
    def test_only_the_first_use_across_bottom_line_and_sections(self):
        term("hypertension")
        rendered = render(
            "Hypertension is common.",
            "Hypertension again, and hypertension.",
            "More hypertension.",
        )
        assert marks(rendered) == [("gloss-1", "Hypertension")]
        assert 'class="glossary-term"' in rendered.bottom_line
        assert all("glossary-term" not in html for _, html in rendered.sections)
        assert [e.term for e in rendered.glossary] == ["hypertension"]

    def test_first_use_in_a_later_section_when_the_bottom_line_lacks_it(self):
        term("statin")
        rendered = render("Nothing here.", "No term.", "Take a statin. A statin again.")
        assert "glossary-term" not in rendered.bottom_line
        assert "glossary-term" not in rendered.sections[0][1]
        assert rendered.sections[1][1].count("glossary-term") == 1
        assert marks(rendered) == [("gloss-1", "statin")]

    def test_each_term_numbered_in_reading_order(self):
        term("anticoagulant")
        term("stroke")
        rendered = render("A stroke is serious.", "An anticoagulant helps. A stroke again.")
        assert marks(rendered) == [("gloss-1", "stroke"), ("gloss-2", "anticoagulant")]
        assert [(e.term, e.anchor) for e in rendered.glossary] == [
            ("stroke", "gloss-1"),
            ("anticoagulant", "gloss-2"),
        ]

    def test_lowercase_terms_match_any_case_and_the_text_keeps_its_own_case(self):
        term("atrial fibrillation")
        rendered = render("ATRIAL FIBRILLATION is an irregular heartbeat.")
        assert marks(rendered) == [("gloss-1", "ATRIAL FIBRILLATION")]

    def test_acronyms_match_only_as_written(self):
        term("eGFR", definition="A blood test of how well the kidneys filter.")
        rendered = render("Anti-EGFR agents act on the tumour; EGFR is a receptor.")
        assert marks(rendered) == []
        rendered = render("Anti-EGFR agents, then check the eGFR.")
        assert marks(rendered) == [("gloss-1", "eGFR")]

    def test_two_acronyms_that_differ_only_in_case_keep_their_own_definitions(self):
        term("eGFR", definition="Kidney filtering.")
        term("EGFR", definition="A receptor on some tumour cells.")
        rendered = render("EGFR first, eGFR second.")
        assert [(e.term, e.definition) for e in rendered.glossary] == [
            ("EGFR", "A receptor on some tumour cells."),
            ("eGFR", "Kidney filtering."),
        ]

    def test_a_capitalised_synonym_matches_only_as_written_too(self):
        term("atrial fibrillation", synonyms="AF")
        assert marks(render("Half of us say af or Af.")) == []
        assert marks(render("AF is common.")) == [("gloss-1", "AF")]

    def test_a_term_set_to_match_case_does_not_match_other_cases(self):
        term("stent", match_case=True)
        assert marks(render("STENT placement.")) == []
        assert marks(render("A stent.")) == [("gloss-1", "stent")]

    def test_synonyms_share_the_term_and_its_first_use(self):
        term("hypertension", synonyms="high blood pressure, HBP")
        rendered = render("You have high blood pressure.", "Hypertension and HBP.")
        assert marks(rendered) == [("gloss-1", "high blood pressure")]
        assert [e.term for e in rendered.glossary] == ["hypertension"]

    def test_longest_match_wins(self):
        term("pressure", definition="Pushing force.")
        term("blood pressure", definition="The force of blood on the vessel walls.")
        rendered = render("Check your blood pressure. Pressure builds.")
        assert marks(rendered) == [("gloss-1", "blood pressure"), ("gloss-2", "Pressure")]
        assert [e.definition for e in rendered.glossary] == [
            "The force of blood on the vessel walls.",
            "Pushing force.",
        ]

    def test_whole_words_only(self):
        term("stroke")
        term("arm")
        rendered = render("Strokes and harmful alarms, strokes.", "Unarmed; a stroke.")
        assert marks(rendered) == [("gloss-1", "stroke")]
        assert "Strokes and harmful alarms" in rendered.bottom_line

    def test_plural_marked_only_as_a_synonym(self):
        term("stroke", synonyms="strokes")
        rendered = render("Strokes are common.")
        assert marks(rendered) == [("gloss-1", "Strokes")]

    def test_a_glossary_without_terms_marks_nothing(self):
        rendered = render("Hypertension.", terms=[])
        assert rendered.glossary == []
        assert "glossary-term" not in rendered.bottom_line

    @pytest.mark.parametrize(
        ("text", "expected"),
        [("İNSULIN doses vary.", "İNSULIN"), ("The ſtroke unit.", "ſtroke")],
    )
    def test_letters_that_lower_case_differently_do_not_break_the_page(self, text, expected):
        # re's case-insensitive matching folds these to the term; str.lower() does not.
        term("insulin")
        term("stroke")
        rendered = render(text)
        assert marks(rendered) == [("gloss-1", expected)]


class TestNeverMarked:
    def test_not_in_headings_the_first_use_after_is_marked(self):
        term("hypertension")
        rendered = render("No term here.", "### Hypertension\n\nHypertension means high.")
        html = rendered.sections[0][1]
        assert re.search(r"<h3>Hypertension</h3>", html)
        assert marks(rendered) == [("gloss-1", "Hypertension")]
        assert html.index("glossary-term") > html.index("</h3>")

    def test_not_in_links(self):
        term("hypertension")
        rendered = render("[hypertension](https://x.example/) and then hypertension.")
        html = rendered.bottom_line
        assert '<a href="https://x.example/" rel="noopener noreferrer">hypertension</a>' in html
        assert marks(rendered) == [("gloss-1", "hypertension")]
        assert html.index("glossary-term") > html.index("x.example")

    def test_not_in_autolinks(self):
        term("example")
        rendered = render("See <https://example.org/> for more.")
        assert marks(rendered) == []

    def test_not_in_citations(self):
        ReferenceFactory(key="stroke")
        term("stroke")
        rendered = render("Anticoagulate [@stroke].", "Fewer events [@stroke].")
        assert marks(rendered) == []
        assert 'href="#ref-1"' in rendered.bottom_line
        assert [c.reference.key for c in rendered.references] == ["stroke"]

    def test_not_in_inline_code(self):
        term("warfarin")
        rendered = render("Set `warfarin` in the form, then take warfarin.")
        assert "<code>warfarin</code>" in rendered.bottom_line
        assert marks(rendered) == [("gloss-1", "warfarin")]
        assert rendered.bottom_line.index("glossary-term") > rendered.bottom_line.index("</code>")

    def test_not_in_fenced_or_indented_code(self):
        term("warfarin")
        rendered = render("Plain.", "```\nwarfarin 5 mg\n```\n\n    warfarin indented\n")
        assert marks(rendered) == []
        assert "warfarin 5 mg" in rendered.sections[0][1]
        assert rendered.glossary == []

    def test_table_cells_are_marked(self):
        term("warfarin")
        rendered = render("Plain.", "| Drug | Dose |\n|---|---|\n| warfarin | 5 mg |")
        html = rendered.sections[0][1]
        assert re.search(
            r'<td><a href="#gloss-1" class="glossary-term"[^>]*>warfarin</a></td>', html
        )

    def test_emphasis_is_marked_inside(self):
        term("warfarin")
        rendered = render("Take **warfarin** daily.")
        assert "<strong>" in rendered.bottom_line
        assert marks(rendered) == [("gloss-1", "warfarin")]


class TestEscaping:
    def test_hostile_term_is_escaped_in_the_mark(self):
        term("<script>alert(1)</script>", definition="Bad.")
        rendered = render("Text with <script>alert(1)</script> in it.")
        assert "<script>" not in all_html(rendered)
        assert marks(rendered) == [("gloss-1", "&lt;script&gt;alert(1)&lt;/script&gt;")]

    def test_hostile_definition_and_term_are_escaped_on_the_page(self, client):
        term("hypertension", definition='<script>alert("d")</script><b>bold</b>')
        term("<img src=x onerror=alert(1)>", definition="An image.")
        article = ArticleFactory(bottom_line="Hypertension and <img src=x onerror=alert(1)>.")
        SectionFactory(article=article, position=1, body="Plain.")
        workflow_to(article, "approved")
        html = client.get(article.get_absolute_url(), {"reader": "patient"}).content.decode()
        assert "Words explained" in html
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;d&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
        assert "<img src=x" not in html
        assert '<dt id="gloss-2">&lt;img src=x onerror=alert(1)&gt;</dt>' in html


class TestOnThePage:
    @pytest.fixture
    def article(self):
        term("hypertension", definition="Blood pressure that stays too high.")
        term("stroke", definition="Damage to the brain from a blocked or burst blood vessel.")
        article = ArticleFactory(bottom_line="Hypertension raises the risk.")
        SectionFactory(article=article, position=1, heading="Why", body="It can cause a stroke.")
        return workflow_to(article, "approved")

    @pytest.mark.parametrize("reader", ["patient", "student"])
    def test_lay_readers_get_marks_and_words_explained_with_matching_ids(
        self, client, article, reader
    ):
        html = client.get(article.get_absolute_url(), {"reader": reader}).content.decode()
        found = MARK.findall(html)
        assert [(a, d, t) for a, d, t in found] == [
            ("gloss-1", "gloss-1-def", "Hypertension"),
            ("gloss-2", "gloss-2-def", "stroke"),
        ]
        assert '<h2 id="glossary-title">Words explained</h2>' in html
        assert '<dt id="gloss-1">hypertension</dt>' in html
        assert '<dd id="gloss-1-def">Blood pressure that stays too high.</dd>' in html
        assert '<dt id="gloss-2">stroke</dt>' in html
        assert 'id="gloss-2-def">Damage to the brain' in html
        # Every mark points at an element that exists, once.
        for anchor, described_by, _ in found:
            assert html.count(f'id="{anchor}"') == 1
            assert html.count(f'id="{described_by}"') == 1

    @pytest.mark.parametrize("params", [{"reader": "nurse"}, {"reader": "physician"}, {}])
    def test_professionals_and_no_choice_get_no_marks(self, client, article, params):
        html = client.get(article.get_absolute_url(), params).content.decode()
        assert "Hypertension raises the risk." in html
        assert "glossary-term" not in html
        assert "Words explained" not in html
        assert 'id="gloss-' not in html

    def test_a_term_used_only_in_a_heading_is_not_explained(self, client):
        term("hypertension")
        article = ArticleFactory(bottom_line="Plain answer.")
        SectionFactory(article=article, position=1, heading="Hypertension", body="Plain text.")
        workflow_to(article, "approved")
        html = client.get(article.get_absolute_url(), {"reader": "patient"}).content.decode()
        assert "glossary-term" not in html
        assert "Words explained" not in html

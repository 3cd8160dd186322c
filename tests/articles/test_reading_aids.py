"""The article page as assistive technology and paper meet it, in its HTML: valid `<time
datetime>` values (`machine_time`), the caution before the board badge and the headline before
every other heading, a back-link from each reference for each place it is cited, a way back
from "Words explained", the chooser's return point and its plain word when a reader type has
no version of its own, and the printout's line saying where, when, for whom and in which review
state it was printed. The admin's review screens name people and pages plainly."""

import datetime
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from articles.models import ReaderType, ReviewEvent, Variant
from articles.templatetags.article_tags import machine_time
from reviews import roles
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    approved_term,
    logged_in,
    staff,
    workflow_to,
)

pytestmark = pytest.mark.django_db

# A valid HTML datetime value: a date, or a moment with seconds and an offset, no fraction.
VALID_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z))?$")


# -- machine_time ----------------------------------------------------------------------------


def test_machine_time_drops_microseconds_and_keeps_the_offset():
    moment = datetime.datetime(2026, 12, 6, 10, 15, 0, 123456, tzinfo=datetime.UTC)
    assert machine_time(moment) == "2026-12-06T10:15:00+00:00"


def test_machine_time_is_in_the_current_time_zone_like_the_date_beside_it():
    moment = datetime.datetime(2026, 12, 6, 23, 30, 5, 999999, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert machine_time(moment) == "2026-12-07T00:30:05+01:00"


def test_machine_time_of_a_date_is_the_date_and_of_nothing_is_empty():
    assert machine_time(datetime.date(2026, 12, 6)) == "2026-12-06"
    assert machine_time(datetime.datetime(2026, 12, 6, 10, 15, 1, 5)) == "2026-12-06T10:15:01"
    assert machine_time(None) == ""
    assert machine_time("") == ""


def test_machine_time_in_a_template():
    moment = datetime.datetime(2026, 1, 2, 3, 4, 5, 6789, tzinfo=datetime.UTC)
    html = Template(
        '{% load article_tags %}<time datetime="{{ when|machine_time }}">x</time>'
    ).render(Context({"when": moment}))
    assert html == '<time datetime="2026-01-02T03:04:05+00:00">x</time>'


# -- the article page ------------------------------------------------------------------------


def page_html(client, article, **params) -> str:
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def article():
    """Approved, reference 1 cited three times, reference 2 once, overdue for review."""
    ReferenceFactory(key="often", title="Cited often")
    ReferenceFactory(key="once", title="Cited once")
    article = ArticleFactory(bottom_line="Treat early [@often].")
    SectionFactory(article=article, position=1, heading="Why", body="Because [@often; @once].")
    SectionFactory(article=article, position=2, heading="How", body="Like this [@often].")
    article = workflow_to(article, "approved")
    article.next_review_due = timezone.localdate() - datetime.timedelta(days=1)
    article.save(update_fields=["next_review_due"])
    return article


def test_every_time_element_has_a_valid_datetime(client, article):
    html = page_html(client, article)
    values = re.findall(r'<time datetime="([^"]*)"', html)
    assert len(values) >= 3  # last updated, reviewed on, overdue since
    assert all(VALID_DATETIME.match(value) for value in values), values


def test_the_headline_comes_before_every_other_heading(client, article):
    html = page_html(client, article)
    main = html[html.index("<main") :]
    first_heading = re.search(r"<h[1-6]", main).group(0)
    assert first_heading == "<h1"
    assert main.index(f">{article.headline}</h1>") < main.index("<h2")


def test_the_caution_comes_before_the_board_badge_on_unapproved_articles(client):
    article = workflow_to(ArticleFactory(), "submitted")
    html = page_html(client, article)
    assert html.index('class="caution"') < html.index('class="board-badge"')


def test_each_reference_links_back_to_each_place_it_is_cited(client, article):
    html = page_html(client, article)
    often = html[html.index('id="ref-1"') : html.index('id="ref-2"')]
    backs = re.findall(
        r'<a class="reference__back[^"]*" href="#(cite-\d)" aria-label="([^"]+)"', often
    )
    assert backs == [
        ("cite-1", "Back to the text, at the first citation of reference 1"),
        ("cite-1", "Back to citation a of reference 1 in the text"),
        ("cite-2", "Back to citation b of reference 1 in the text"),
        ("cite-3", "Back to citation c of reference 1 in the text"),
    ]
    once = html[html.index('id="ref-2"') : html.index("</ol>", html.index('id="ref-2"'))]
    assert re.findall(r'href="#(cite-\d)" aria-label="([^"]+)"', once) == [
        ("cite-2", "Back to the citation of reference 2 in the text")
    ]
    # Every citation link is named for its reference.
    assert re.findall(r'class="citation-link" aria-label="(Reference \d)"', html) == [
        "Reference 1",
        "Reference 1",
        "Reference 2",
        "Reference 1",
    ]


def test_words_explained_link_back_to_the_first_use(client, article):
    approved_term("early", "Soon, before it gets worse.")
    html = page_html(client, article, reader="patient")
    assert 'id="gloss-1-use"' in html  # the marked first use, in the bottom line
    assert (
        '<dd class="glossary__return"><a class="glossary__back" href="#gloss-1-use" '
        'aria-label="Back to “early” in the text">↩</a></dd>'
    ) in html
    # The definition itself stays what screen readers announce with the word.
    assert '<dd id="gloss-1-def">Soon, before it gets worse.</dd>' in html


def test_the_chooser_returns_to_the_sentence_that_says_what_is_shown(client, article):
    html = page_html(client, article)
    assert html.count(f'name="next" value="{article.get_absolute_url()}#reader-choice"') == 1
    assert '<div id="reader-choice" class="chooser__current" tabindex="-1">' in html


def test_a_reader_type_without_its_own_version_is_told_so_plainly(client):
    article = ArticleFactory(bottom_line="Treat early.")
    SectionFactory(article=article, position=1, heading="Why", body="Because.")
    Variant.objects.create(
        article=article, reader_type=ReaderType.objects.get(slug="patient"), text="Start soon."
    )
    article = workflow_to(article, "approved")
    assert article.public_revision.shown.reader_types_with_variants == {"patient"}

    patient = page_html(client, article, reader="patient")
    assert "Showing this article for: <strong>Patient or caregiver</strong>." in patient
    assert "no version written for" not in patient

    nurse = page_html(client, article, reader="nurse")
    assert (
        "This article has no version written for nurse or allied health professional yet, so "
        "you are reading the standard text for health professionals."
    ) in nurse

    approved_term("early", "Soon, before it gets worse.")
    student = page_html(client, article, reader="student")
    assert (
        "This article has no version written for student yet, so you are reading the standard "
        "text for health professionals, with some medical words explained."
    ) in student


def test_the_printout_line_names_site_address_date_version_and_status(client, article):
    approval = ReviewEvent.objects.get(revision=article.approval.revision, action="approved")
    html = page_html(client, article, reader="patient")
    line = re.search(r'<p class="print-only print-source">(.*?)</p>', html, re.S).group(1)
    # The date is the printing browser's (the stored page is served for days): left empty
    # and hidden here, filled in and shown on `beforeprint` (tests/browser).
    when = re.search(r"<span data-printed-on hidden>(.*?)</span></span>", line, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", when).split()) == "· Printed on"
    line = line.replace(when, "")
    text = " ".join(re.sub(r"<[^>]+>", "", line).split())
    assert text == (
        f"Printed from Vetted: http://testserver{article.get_absolute_url()}?reader=patient · "
        "Version for: Patient or caregiver · "
        "Review status: approved by the Medical Advisory Board on "
        f"{approval.created_at:%B} {approval.created_at.day}, {approval.created_at.year}"
    )
    pending = page_html(client, workflow_to(ArticleFactory(), "submitted"))
    assert "Standard text for health professionals · Review status: not yet approved" in (
        " ".join(re.sub(r"<[^>]+>", "", pending).split())
    )


# -- the admin's review screens --------------------------------------------------------------


def test_the_review_queue_is_titled_plainly_and_names_reviewers(client):
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, first_name="Ana", last_name="Ruiz")
    workflow_to(ArticleFactory(headline="Held by Ana"), "under_review", reviewer=reviewer)
    response = logged_in(reviewer).get("/admin/reviews/reviewqueueitem/")
    html = response.content.decode()
    assert "<title>Review queue | " in html
    assert "<h1>Review queue</h1>" in html
    assert "to view" not in html
    assert '<td class="field-reviewer">Ana Ruiz</td>' in html
    assert f">{reviewer.username}<" not in html


def test_the_review_log_and_revisions_name_people(client):
    chief = staff(roles.CHIEF_EDITORS, first_name="Cleo", last_name="Chief")
    editor = staff(roles.EDITORS, first_name="Eve", last_name="Editor")
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, first_name="Ana", last_name="Ruiz")
    workflow_to(ArticleFactory(), "approved", editor=editor, reviewer=reviewer)
    client = logged_in(chief)
    log = client.get("/admin/articles/reviewevent/").content.decode()
    assert "<h1>Review log</h1>" in log
    assert '<td class="field-by">Ana Ruiz</td>' in log
    assert '<td class="field-by">Eve Editor</td>' in log
    revisions = client.get("/admin/articles/revision/").content.decode()
    assert '<td class="field-saved_by">Eve Editor</td>' in revisions


def test_the_article_list_names_the_reviewer(client):
    chief = staff(roles.CHIEF_EDITORS)
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD, first_name="Ana", last_name="Ruiz")
    workflow_to(ArticleFactory(), "under_review", reviewer=reviewer)
    html = logged_in(chief).get("/admin/articles/article/").content.decode()
    assert "<h1>Articles</h1>" in html
    assert '<td class="field-reviewer">Ana Ruiz</td>' in html

"""The article admin as the catalogue grows: the change form's queries don't grow with its
variants, the lists' don't grow with their rows, and the search still finds an article by
any word of its working copy (drafts included), whichever way it looks the word up."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import querysets
from articles.models import Article, Citation, Question, ReaderType, Variant
from articles.revisions import record
from config.admin_base import CappedCountPaginator, IdsFirstPaginator
from references.models import Reference
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    QuestionFactory,
    ReferenceFactory,
    SectionFactory,
    logged_in,
    staff,
    user_with_role,
    workflow_to,
)
from tests.plans import plan_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor():
    return logged_in(staff(roles.EDITORS, roles.CHIEF_EDITORS))


def queries_of(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(captured)


def with_variants(sections: int) -> Article:
    """A draft with `sections` sections, each with a variant for every reader type, and a
    variant of the bottom line for each."""
    article = ArticleFactory()
    reader_types = list(ReaderType.objects.all())
    for position in range(1, sections + 1):
        heading = f"Part {position} of {article.pk}"
        section = SectionFactory(article=article, position=position, heading=heading)
        for reader_type in reader_types:
            Variant.objects.create(
                article=article, section=section, reader_type=reader_type, text="Plainly."
            )
    for reader_type in reader_types:
        Variant.objects.create(article=article, reader_type=reader_type, text="Short.")
    return article


def test_change_form_queries_do_not_grow_with_its_variants(editor):
    small, large = with_variants(1), with_variants(5)
    assert large.variants.count() >= 3 * small.variants.count()
    change = "admin:articles_article_change"
    queries_of(editor, reverse(change, args=[small.pk]))  # the first request reads more
    assert queries_of(editor, reverse(change, args=[large.pk])) == queries_of(
        editor, reverse(change, args=[small.pk])
    )


def test_change_form_still_offers_only_this_articles_sections(editor):
    article, other = with_variants(2), with_variants(1)
    html = editor.get(reverse("admin:articles_article_change", args=[article.pk])).content
    html = html.decode()
    for section in article.sections.all():
        assert f'<option value="{section.pk}">{section.heading}</option>' in html
    assert other.sections.get().heading not in html


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "warfarin"},
        {"status__exact": "submitted"},
        {"work": "awaiting"},
        {"work": "references"},
    ],
)
def test_article_list_queries_do_not_grow_with_its_rows(editor, query):
    def add(n):
        for _ in range(n):
            article = ArticleFactory(bottom_line="Warfarin first.")
            workflow_to(article, "submitted")

    add(2)
    few = queries_of(editor, CHANGELIST, query)
    add(8)
    assert queries_of(editor, CHANGELIST, query) == few


def results(client, terms: str) -> set:
    response = client.get(CHANGELIST, {"q": terms})
    assert response.status_code == 200
    return {article.pk for article in response.context["cl"].result_list}


@pytest.fixture
def texts():
    """Four drafts, each holding its word in a different part of the working copy."""
    found = {
        "headline": ArticleFactory(headline="Apixaban in the elderly"),
        "question": ArticleFactory(question=QuestionFactory(text="Is dabigatran safe to use?")),
        "bottom_line": ArticleFactory(bottom_line="Rivaroxaban is an option."),
        "section": ArticleFactory(),
    }
    SectionFactory(article=found["section"], body="Edoxaban needs a kidney check.")
    ArticleFactory(headline="Unrelated")
    return found


@pytest.mark.parametrize("probe_limit", [querysets.PROBE_LIMIT, 0])
def test_search_finds_a_draft_by_a_word_anywhere_in_its_working_copy(
    editor, texts, monkeypatch, probe_limit
):
    # At 0 every word counts as common: the article-by-article path is taken.
    monkeypatch.setattr(querysets, "PROBE_LIMIT", probe_limit)
    assert all(article.status == Article.Status.DRAFT for article in texts.values())
    assert results(editor, "apixaban") == {texts["headline"].pk}
    assert results(editor, "DABIGATRAN") == {texts["question"].pk}
    assert results(editor, "rivaroxab") == {texts["bottom_line"].pk}  # part of a word
    assert results(editor, "edoxaban") == {texts["section"].pk}
    # Every word must be found (anywhere); a quoted phrase is one word.
    assert results(editor, "edoxaban kidney") == {texts["section"].pk}
    assert results(editor, "edoxaban apixaban") == set()
    assert results(editor, '"kidney check"') == {texts["section"].pk}
    assert results(editor, '"check kidney"') == set()


def test_search_lists_an_article_once_however_many_sections_match(editor):
    article = ArticleFactory()
    for position in (1, 2, 3):
        SectionFactory(article=article, position=position, body="Heparin, again.")
    response = editor.get(CHANGELIST, {"q": "heparin"})
    assert [a.pk for a in response.context["cl"].result_list] == [article.pk]
    assert response.context["cl"].result_count == 1


def test_a_search_matching_more_than_the_cap_says_so(editor, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "MAX_COUNT", 2)
    for _ in range(3):
        ArticleFactory(bottom_line="Aspirin daily.")
    response = editor.get(CHANGELIST, {"q": "aspirin"})
    assert response.context["cl"].result_count == 2
    assert "More than 2 articles match" in response.content.decode()
    # A list without a search is counted in full, and says nothing.
    response = editor.get(CHANGELIST)
    assert response.context["cl"].result_count == 3
    assert "More than" not in response.content.decode()


def test_a_searchs_count_goes_only_one_match_past_the_page_shown(editor, monkeypatch):
    """Pages of two over five matches: each page counts as far as itself and one past it
    (is there a next page?), says "more than" until the count is whole, and every match is
    reached once by following the pages; "Show all" is neither offered nor obeyed while
    the count is short."""
    monkeypatch.setattr(admin.site._registry[Article], "list_per_page", 2)
    matches = {ArticleFactory(bottom_line=f"Aspirin, case {n}.").pk for n in range(5)}
    ArticleFactory(bottom_line="Unrelated.")
    seen = []
    for page, (shown, counted, pages) in enumerate(
        [("More than 2 articles", 3, 2), ("More than 4 articles", 5, 3), ("5 articles", 5, 3)],
        start=1,
    ):
        with CaptureQueriesContext(connection) as captured:
            response = editor.get(CHANGELIST, {"q": "aspirin", "p": page})
        changelist = response.context["cl"]
        html = response.content.decode()
        seen += [article.pk for article in changelist.result_list]
        # One walk in the list's order counts and finds the page: no COUNT besides.
        assert [q["sql"] for q in captured if "COUNT(" in q["sql"]] == []
        walks = [q["sql"] for q in captured if f"LIMIT {2 * page + 1}" in q["sql"]]
        assert len(walks) == 1
        assert "ORDER BY" in walks[0]
        assert (changelist.result_count, changelist.paginator.num_pages) == (counted, pages)
        assert re.search(rf"{shown}\s*(<a|</p>)", html)
        assert ("articles match. Add words or a filter" in html) == (page < 3)
        assert ('class="showall"' in html) == (page == 3)
    assert sorted(seen) == sorted(matches)
    shown_all = editor.get(CHANGELIST, {"q": "aspirin", "all": ""}).context["cl"]
    assert len(shown_all.result_list) == 2
    # From the last page, counted whole, the list may be shown all on one page.
    shown_all = editor.get(CHANGELIST, {"q": "aspirin", "p": 3, "all": ""}).context["cl"]
    assert sorted(article.pk for article in shown_all.result_list) == sorted(matches)


def test_the_answer_autocomplete_searches_approved_articles_by_their_text(editor):
    approved = workflow_to(ArticleFactory(), "approved")
    SectionFactory(article=approved, position=2, body="Tranexamic acid stops bleeding.")
    draft = ArticleFactory(bottom_line="Tranexamic acid too.")
    response = editor.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "question",
            "field_name": "answer",
            "term": "tranexamic",
        },
    )
    assert response.status_code == 200
    ids = {int(found["id"]) for found in response.json()["results"]}
    assert ids == {approved.pk}
    assert draft.pk not in ids


def test_question_search_still_finds_by_text(editor):
    wanted = QuestionFactory(text="Should metformin be stopped before surgery?")
    QuestionFactory(text="Another question entirely, about sleep.")
    response = editor.get(reverse("admin:articles_question_changelist"), {"q": "metformin"})
    assert [q.pk for q in response.context["cl"].result_list] == [wanted.pk]
    assert Question.objects.count() == 2


@pytest.mark.parametrize("probe_limit", [querysets.LOG_PROBE_LIMIT, 0])
@pytest.mark.parametrize("role", [roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD])
def test_question_search_finds_what_the_admins_own_search_finds(monkeypatch, role, probe_limit):
    """Looked up by ids first, or (the limit at 0: every word common) row by row, the
    question search lists what Django's own search over the role's search fields lists:
    the asker's address only for those who triage."""
    monkeypatch.setattr(querysets, "LOG_PROBE_LIMIT", probe_limit)
    QuestionFactory(text="Should metformin be stopped before surgery?", asker_email="a@x.org")
    QuestionFactory(
        text="Metformin and contrast: a pause?", asker_email="metformin@y.org", source="reader"
    )
    QuestionFactory(text="Sleep after a stroke: how much?", source="reader")
    model_admin = admin.site._registry[Question]
    request = RequestFactory().get("/")
    request.user = staff(role)
    everything = model_admin.get_queryset(request)
    terms = ["metformin", "METFORMIN", "metformin@", "x.org", "sleep stroke", '"a pause"',
             "metformin sleep", "absent", "@"]  # fmt: skip
    # The whole list, and the list filtered (by source) before it is searched.
    for listed in (everything, everything.filter(source="reader")):
        for term in terms:
            ours, duplicates = model_admin.get_search_results(request, listed, term)
            django, _ = admin.ModelAdmin.get_search_results(model_admin, request, listed, term)
            assert set(ours) == set(django), term
            assert ours.order_by("-created_at").count() == len(set(django)), term
            assert not duplicates
    request.user = staff(roles.MEDICAL_ADVISORY_BOARD)
    assert not model_admin.get_search_results(request, everything, "x.org")[0].exists()


def test_a_question_list_that_counts_every_match_looks_its_words_up_first(editor):
    """A list with bulk actions counts every match ("select all" names it): a word's
    questions are looked up first, and the count and page read ids, not text. Where the
    count stops one past the page (the article form's question picker), the words are
    tested question by question."""
    found = [QuestionFactory(text=f"Does heparin matter, case {n}?") for n in range(4)]
    QuestionFactory(text="Unrelated: sleep.")

    with CaptureQueriesContext(connection) as captured:
        response = editor.get(reverse("admin:articles_question_changelist"), {"q": "heparin"})
    changelist = response.context["cl"]
    assert changelist.result_count == 4
    assert {row.pk for row in changelist.result_list} == {q.pk for q in found}
    assert response.context["action_form"] is not None  # the list has bulk actions
    reads = [q["sql"] for q in captured if '"articles_question"' in q["sql"]]
    probes = [sql for sql in reads if "HEPARIN" in sql.upper()]
    assert len(probes) == 1
    # The probe found the list's matches: their number is the count, no COUNT query.
    assert not any("COUNT(" in sql for sql in reads)

    picker = {"app_label": "articles", "model_name": "article", "field_name": "question"}
    with CaptureQueriesContext(connection) as captured:
        answer = editor.get(reverse("admin:autocomplete"), {**picker, "term": "heparin"}).json()
    assert {int(result["id"]) for result in answer["results"]} == {q.pk for q in found}
    # The picker's walk (one past its page) tests the text; the rows are then read by id.
    walks = [q["sql"] for q in captured if "HEPARIN" in q["sql"].upper()]
    assert len(walks) == 1
    assert "LIKE" in walks[0].upper()
    assert "COUNT(" not in walks[0]


def test_a_question_searchs_count_is_its_matches_until_it_is_narrowed_further():
    """The count the probe found holds for the search as the changelist orders and joins
    it; filtered, sliced or made distinct afterwards, it is counted in the database."""
    answered = ArticleFactory()
    for n in range(3):
        QuestionFactory(text=f"Heparin, case {n}?", status="new")
    QuestionFactory(text="Heparin, answered?", status="answered", answer=answered)
    QuestionFactory(text="Unrelated: sleep.")
    found = Question.objects.filter(status__in=["new", "answered"]).containing("heparin", ["text"])
    with CaptureQueriesContext(connection) as counting:
        assert found.order_by("-created_at").select_related("answer").count() == 4
    assert counting.captured_queries == []
    narrowed = {
        "filtered": found.filter(status="new"),
        "excluded": found.exclude(status="new"),
        "sliced": found.order_by("pk")[:2],
        "none": found.none(),
    }
    expected = {"filtered": 3, "excluded": 1, "sliced": 2, "none": 0}
    for name, queryset in narrowed.items():
        assert queryset.count() == expected[name], name


def test_a_question_lists_rows_are_read_by_id_with_their_articles(editor, monkeypatch):
    """The question list finds a page's ids first (from the (created, id) index), then
    reads those rows with the articles they follow up and are answered by."""
    article = ArticleFactory(headline="Heparin bridging")
    found = [QuestionFactory(text=f"Heparin, case {n}?", follow_up_to=article) for n in range(3)]
    monkeypatch.setattr(admin.site._registry[Question], "list_per_page", 2)
    with CaptureQueriesContext(connection) as captured:
        response = editor.get(reverse("admin:articles_question_changelist"), {"q": "heparin"})
    rows = list(response.context["cl"].result_list)
    assert [row.pk for row in rows] == [q.pk for q in reversed(found)][:2]
    assert all(row.follow_up_to.headline == "Heparin bridging" for row in rows)
    full_rows = [q["sql"] for q in captured if '"articles_question"."text", ' in q["sql"]]
    assert len(full_rows) == 1
    assert "HEPARIN" not in full_rows[0].upper()
    assert "LIMIT" not in full_rows[0]  # the page was found before: these rows by id
    assert "Heparin bridging" in response.content.decode()


@pytest.mark.parametrize(("matches", "more"), [(5, [True, True, False]), (4, [True, False])])
def test_an_autocomplete_counts_only_past_the_page_it_shows(editor, monkeypatch, matches, more):
    """Select2 asks page by page whether there is more; the count stops one match past the
    page asked for, and says so right at the edges."""
    monkeypatch.setattr(AutocompleteJsonView, "paginate_by", 2)
    for number in range(matches):
        QuestionFactory(text=f"Does metformin matter, case {number}?")
    QuestionFactory(text="Unrelated: sleep.")
    query = {"app_label": "articles", "model_name": "article", "field_name": "question"}
    seen, answers = [], []
    for page in range(1, len(more) + 1):
        with CaptureQueriesContext(connection) as captured:
            response = editor.get(
                reverse("admin:autocomplete"), {**query, "term": "metformin", "page": page}
            )
        answer = response.json()
        answers.append(answer["pagination"]["more"])
        seen += [result["id"] for result in answer["results"]]
        assert [q["sql"] for q in captured if "COUNT(" in q["sql"]] == []
        walks = [q["sql"] for q in captured if f"LIMIT {2 * page + 1}" in q["sql"]]
        assert len(walks) == 1
    assert answers == more
    assert len(set(seen)) == matches
    # A page past any count is "not found", not an error from a LIMIT out of range.
    far = {**query, "term": "metformin", "page": "9" * 30}
    assert editor.get(reverse("admin:autocomplete"), far).status_code == 404


def test_the_list_and_search_indexes_exist():
    """Migration 0018: the newest-first indexes everywhere, the trigram ones on PostgreSQL."""
    expected = {
        "articles_article": {"article_updated_newest"},
        "articles_question": {"question_created_newest"},
    }
    if connection.vendor == "postgresql":
        expected["articles_article"] |= {"article_headline_trgm", "article_bottom_line_trgm"}
        expected["articles_question"] |= {"question_text_trgm"}
        expected["articles_section"] = {"section_body_trgm"}
    with connection.cursor() as cursor:
        for table, names in expected.items():
            found = set(connection.introspection.get_constraints(cursor, table))
            assert names <= found, (table, names - found)


# -- "Reference updated since approval", references first ------------------------------------


def flagged_as_before() -> set:
    """The work filter's definition before it asked the references first: an approved
    article with a citation of its approved revision whose digest is not its reference's."""
    outdated = Citation.objects.filter(revision=OuterRef("approval__revision")).exclude(
        displayed_hash=F("reference__displayed_hash")
    )
    approved = Article.objects.filter(Exists(outdated), approval__isnull=False)
    return set(approved.values_list("pk", flat=True))


def flagged() -> set:
    return set(Article.objects.reference_updated_since_approval().values_list("pk", flat=True))


def citing(*references, status="approved") -> Article:
    keys = " ".join(f"[@{reference.key}]" for reference in references)
    article = ArticleFactory(bottom_line=f"An answer {keys}.")
    return workflow_to(article, status)


def test_the_flag_is_the_old_definition_on_a_mixed_catalogue():
    low, high, edited, back, steady = (ReferenceFactory() for _ in range(5))
    articles = {
        "low": citing(low),
        "high": citing(high, steady),
        "edited": citing(edited),
        "back": citing(back),
        "steady": citing(steady),
        "submitted citing low": citing(low, status="submitted"),
        "draft citing high": citing(high, status="draft"),
    }
    # Approved, then a new draft cites a changed reference: the approved revision does not.
    redrafted = citing(steady)
    redrafted.bottom_line = f"Now also [@{low.key}]."
    redrafted.save()
    record(redrafted, by=user_with_role(roles.EDITORS))
    assert flagged() == flagged_as_before() == set()

    # Digests below and above every citation's: both probes of the index are needed.
    Reference.objects.filter(pk=low.pk).update(displayed_hash="0" * 64)
    Reference.objects.filter(pk=high.pk).update(displayed_hash="f" * 64)
    edited.title = "A retitled trial"
    edited.save()
    original = back.title
    back.title = "Briefly retitled"
    back.save()
    back.title = original
    back.save()

    assert flagged() == flagged_as_before()
    assert flagged() == {articles[name].pk for name in ("low", "high", "edited")}


def test_the_flag_reads_no_article_when_no_reference_changed(django_assert_num_queries):
    citing(ReferenceFactory())
    with django_assert_num_queries(1):  # the references' probe; an empty answer then
        assert flagged() == set()


@pytest.mark.parametrize("changed", [False, True])
def test_the_change_form_runs_as_many_queries_with_a_changed_reference(editor, changed):
    reference = ReferenceFactory()
    article, other = citing(reference), citing(reference)
    url = reverse("admin:articles_article_change", args=[article.pk])
    queries_of(editor, url)  # the first request reads more
    before = queries_of(editor, url)
    if changed:
        reference.title = "A retitled trial"
        reference.save()
    response = editor.get(url)
    assert ("Reference updated since approval" in response.content.decode()) is changed
    assert queries_of(editor, url) == before
    assert flagged() == ({article.pk, other.pk} if changed else set())


def test_the_work_indexes_exist():
    """Migration 0020: citations by reference and digest everywhere; on PostgreSQL, the
    latest review step, review comments and askers' addresses too."""
    expected = {"articles_citation": {"citation_reference_digest"}}
    if connection.vendor == "postgresql":
        expected["articles_reviewevent"] = {
            "review_event_latest_step",
            "review_event_comment_trgm",
        }
        expected["articles_question"] = {"question_asker_email_trgm"}
    with connection.cursor() as cursor:
        for table, names in expected.items():
            found = set(connection.introspection.get_constraints(cursor, table))
            assert names <= found, (table, names - found)


# -- work lists: a costly count capped, a page's ids first -------------------------------------


def sent_back(n: int) -> list[Article]:
    """`n` drafts the board sent back with changes requested."""
    reviewer = user_with_role(roles.MEDICAL_ADVISORY_BOARD)
    found = []
    for _ in range(n):
        article = workflow_to(ArticleFactory(), "under_review", reviewer=reviewer)
        services.request_changes(article, by=reviewer, comment="Cite the trial.")
        found.append(article)
    return found


@pytest.mark.parametrize(
    "query",
    [{"work": "changes"}, {"state": "changes_requested"}, {"state": "draft"}],
)
def test_a_list_told_by_each_drafts_latest_step_is_counted_up_to_the_cap(
    editor, monkeypatch, query
):
    monkeypatch.setattr(CappedCountPaginator, "MAX_COUNT", 2)
    sent_back(3)
    for _ in range(3):
        ArticleFactory()  # plain drafts, never submitted
    response = editor.get(CHANGELIST, query)
    assert response.context["cl"].result_count == 2
    assert "More than 2 articles match" in response.content.decode()
    # A filter read from an index is counted in full.
    response = editor.get(CHANGELIST, {"status__exact": "draft"})
    assert response.context["cl"].result_count == 6
    assert "More than" not in response.content.decode()


def test_the_article_lists_pages_follow_the_one_long_pages_order(editor, monkeypatch):
    """Sent-back drafts over pages of two, ids first: the order of one long page, each row
    still labelled from its latest step."""
    articles = sent_back(5)
    for hours, article in zip((3, 1, 4, 2, 5), articles, strict=True):
        Article.objects.filter(pk=article.pk).update(
            updated_at=timezone.now() - datetime.timedelta(hours=hours)
        )
    expected = [articles[i].pk for i in (1, 3, 0, 2, 4)]  # the latest update first
    one_page = editor.get(CHANGELIST, {"work": "changes"})
    assert [a.pk for a in one_page.context["cl"].result_list] == expected

    model_admin = admin.site._registry[Article]
    monkeypatch.setattr(model_admin, "list_per_page", 2)
    rows, html = [], ""
    for page in (1, 2, 3):
        response = editor.get(CHANGELIST, {"work": "changes", "p": page})
        assert isinstance(response.context["cl"].paginator, IdsFirstPaginator)
        rows += list(response.context["cl"].result_list)
        html += response.content.decode()
    assert [a.pk for a in rows] == expected
    assert html.count('<td class="field-state">Changes requested</td>') == 5


def test_a_searched_pages_rows_are_read_by_id_alone(editor, monkeypatch):
    """The ids of a page of search results already hold every word: the rows are read by
    id, without testing the words again, and still carry their state and topic."""
    found = [ArticleFactory(bottom_line=f"Heparin, case {n}.") for n in range(3)]
    ArticleFactory(bottom_line="Unrelated.")
    monkeypatch.setattr(admin.site._registry[Article], "list_per_page", 2)
    with CaptureQueriesContext(connection) as captured:
        response = editor.get(CHANGELIST, {"q": "heparin"})
    rows = list(response.context["cl"].result_list)
    assert len(rows) == 2
    assert {row.pk for row in rows} < {article.pk for article in found}
    assert all(row.last_step is None and row.topic.name for row in rows)
    full_rows = [q["sql"] for q in captured if '"articles_article"."headline", ' in q["sql"]]
    assert len(full_rows) == 1
    assert "HEPARIN" not in full_rows[0].upper()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE and plans: PostgreSQL")
def test_the_overdue_lists_page_is_found_from_the_newest_first_index_alone(editor):
    """Overdue articles are those updated longest ago, so the list walks past every recent
    one: the newest-first index carries what "overdue" reads (articles migration 0028), and
    no row is read. PostgreSQL is told to walk in order (as it does at 100,000 articles) and
    avoid other ways, so a column missing from the index makes this plan read the table."""
    article = workflow_to(ArticleFactory(), "approved")
    Article.objects.filter(pk=article.pk).update(next_review_due=datetime.date(2020, 1, 1))
    changelist = editor.get(CHANGELIST, {"work": "overdue"}).context["cl"]
    assert [row.pk for row in changelist.result_list] == [article.pk]
    ids = changelist.queryset.values_list("pk", flat=True)[:100]
    # The walk in order (no sort), as at 100,000.
    plan = plan_of(ids, avoid=("seqscan", "bitmapscan", "sort"))
    assert "Index Only Scan Backward using article_updated_newest" in plan, plan

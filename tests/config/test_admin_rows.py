"""Changelist rows drawn once per page (`config.admin_rows`): every table is byte for byte
the one Django's own `items_for_result` draws, whatever the columns are, and dates read as
Django's date formats write them, in any language."""

import datetime
import decimal
import zoneinfo
from unittest.mock import patch

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result, result_list
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import AccountEvent
from articles.models import Article, Question, ReviewEvent, Revision
from config.admin_base import LongListAdmin
from config.admin_rows import DateText, RowDrawer, date_text, drawn_result_list, drawn_table
from reviews import roles, services
from reviews.models import ReviewQueueItem
from tests.factories import (
    ArticleFactory,
    QuestionFactory,
    board_member,
    logged_in,
    staff,
    workflow_to,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def catalogue():
    """Articles in every state, with a headline to escape and dates on the hour, at noon and
    at midnight; questions with and without their links; a sent-back draft."""
    board = board_member(first_name="Ana <Ruiz>", last_name="& Co")
    approved = workflow_to(
        ArticleFactory(headline="Warfarin & <aspirin>"), Article.Status.APPROVED, reviewer=board
    )
    under_review = workflow_to(ArticleFactory(), Article.Status.UNDER_REVIEW, reviewer=board)
    workflow_to(ArticleFactory(), Article.Status.SUBMITTED)
    sent_back = workflow_to(ArticleFactory(), Article.Status.UNDER_REVIEW, reviewer=board)
    services.request_changes(sent_back, by=board, comment="Cite the 2024 update.")
    tz = timezone.get_current_timezone()
    for hour, article in zip((0, 12, 16), (approved, under_review, sent_back), strict=True):
        Article.objects.filter(pk=article.pk).update(
            updated_at=datetime.datetime(2026, 3, 1, hour, 0 if hour != 16 else 5, tzinfo=tz),
            next_review_due=datetime.date(2027, 1, 9) if hour else None,
        )
    QuestionFactory(text="Is <b>this</b> drawn   as text?", answer=approved)
    QuestionFactory(text="   ")
    return board


def changelist_for(model, query, user):
    request = RequestFactory().get("/", query)
    request.user = user
    changelist = admin.site._registry[model].get_changelist_instance(request)
    changelist.formset = None  # as changelist_view sets it for a list not edited in place
    return changelist


def as_django_draws_it(model, query, user) -> tuple[dict, dict]:
    """The changelist's table context as drawn here, and as Django's `{% result_list %}`."""
    changelist = changelist_for(model, query, user)
    return drawn_table(changelist), result_list(changelist)


STATES = {  # a list's query strings beyond the plain list
    Article: [{"status__exact": "draft"}, {"q": "warfarin", "o": "-2"}, {"work": "changes"},
              {"_popup": "1", "_to_field": "id"}],
    Question: [{"q": "drawn"}, {"o": "-6"}],
    ReviewEvent: [{"q": "warfarin"}, {"action__exact": "approved"}],
    ReviewQueueItem: [{"o": "-1"}],
}  # fmt: skip


@pytest.mark.parametrize(
    ("model", "query"),
    [(model, {}) for model in admin.site._registry]
    + [(model, query) for model, queries in STATES.items() for query in queries],
    ids=lambda value: value.__name__ if isinstance(value, type) else str(value or ""),
)
def test_every_list_draws_the_table_djangos_result_list_draws(catalogue, model, query):
    user = catalogue if model is ReviewQueueItem else User.objects.create_superuser("root")
    ours, djangos = as_django_draws_it(model, query, user)
    # A row here is one string; Django's, a list of cells.
    rows = ["".join(r) for r in djangos.pop("results")]
    assert ours.pop("results") == rows
    assert ours.pop("rows") == "".join(f"<tr>{row}</tr>\n" for row in rows)
    assert ours == djangos  # headers, hidden fields, the list itself
    # The table as the page writes it: Django's, but for the blank lines of its loop.
    changelist = changelist_for(model, query, user)
    djangos_table = render_to_string("admin/change_list_results.html", result_list(changelist))
    assert " ".join(drawn_result_list(changelist).split()) == " ".join(djangos_table.split())


def test_the_lists_in_the_catalogue_have_rows_to_compare(catalogue):
    superuser = User.objects.create_superuser("root")
    for model in (Article, Question, ReviewEvent, Revision, User, AccountEvent):
        ours, _ = as_django_draws_it(model, {}, superuser)
        assert len(ours["results"]) > 1, model
    assert as_django_draws_it(ReviewQueueItem, {}, catalogue)[0]["results"]


NARROWED = [
    model for model, model_admin in admin.site._registry.items()
    if getattr(model_admin, "list_related_fields", None)
]  # fmt: skip


@pytest.mark.parametrize("per_page", [100, 1], ids=["one page", "paged"])
@pytest.mark.parametrize(("model", "query"), [
    (model, query) for model in NARROWED for query in [{}, *STATES.get(model, [])]
], ids=lambda value: value.__name__ if isinstance(value, type) else str(value or ""))  # fmt: skip
def test_a_lists_related_rows_hold_what_its_columns_draw(
    catalogue, monkeypatch, model, query, per_page
):
    """The related rows a list joins are read only for the fields its columns draw
    (`list_related_fields`): drawing the page reads nothing more, on one page (the list's
    own query) as when paged (rows read by id, `rows_of`), and the rest of each related row
    was left in the database."""
    assert {Article, Question, ReviewEvent, Revision, ReviewQueueItem} <= set(NARROWED)
    answer = Article.objects.filter(approval__isnull=False).first()
    QuestionFactory(text="Which drawn question follows up?", answer=answer, follow_up_to=answer)
    model_admin = admin.site._registry[model]
    monkeypatch.setattr(model_admin, "list_per_page", per_page)
    user = catalogue if model is ReviewQueueItem else User.objects.create_superuser("root")
    request = RequestFactory().get("/", query)
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    changelist.formset = None
    rows = list(changelist.result_list)
    with CaptureQueriesContext(connection) as drawing:
        table = drawn_table(changelist)
    assert len(table["results"]) == len(rows)
    assert drawing.captured_queries == []
    related = [
        getattr(row, relation)
        for row in rows
        for relation in model_admin.list_related_fields
        if getattr(row, relation) is not None
    ]
    assert all(instance.get_deferred_fields() for instance in related)
    # Every other list's first row has what it joins; the queue's, sorted by headline, is
    # the article nobody has claimed yet (a reviewer is its only join).
    if model is not Article and not (model is ReviewQueueItem and query):
        assert related


def test_a_changelist_page_draws_its_rows_here(catalogue, monkeypatch):
    drawn = []
    rows = RowDrawer.rows
    monkeypatch.setattr(RowDrawer, "rows", lambda self: drawn.append(self) or rows(self))
    client = logged_in(staff(roles.EDITORS, roles.CHIEF_EDITORS))
    response = client.get(reverse("admin:articles_article_changelist"))
    assert len(drawn) == 1
    html = response.content.decode()
    assert html.count('<th class="field-headline"><a href=') == Article.objects.count()
    assert "Warfarin &amp; &lt;aspirin&gt;" in html


# -- columns of every kind, drawn side by side with items_for_result -----------------------------


def _lambda_column(article):
    return article.headline.upper()


class OddColumnsAdmin(LongListAdmin):
    """Every kind of column Django's changelist accepts."""

    list_display = [
        "id", "__str__", "headline", "status", "topic", "topic__name", _lambda_column,
        lambda article: article.pk % 2, "flagged", "flag_as_number", "due_or_nothing",
        "updated_at", "next_review_due", "updated_time", "naive_time", "thousands", "a_decimal",
    ]  # fmt: skip
    list_display_links = ["headline", "topic"]
    list_select_related = ["topic"]

    @admin.display(boolean=True)
    def flagged(self, obj):
        return obj.pk % 2 == 0

    @admin.display(boolean=True)
    def flag_as_number(self, obj):
        return obj.pk % 2  # drawn with alt="1" / "0", as Django does

    @admin.display(empty_value="(never)")
    def due_or_nothing(self, obj):
        return obj.next_review_due

    def updated_time(self, obj):
        return timezone.localtime(obj.updated_at).time()

    def naive_time(self, obj):
        return obj.updated_at.replace(tzinfo=None)

    def thousands(self, obj):
        return obj.pk + 1_000_000  # "1000007", or "1,000,007" with the thousands separator

    def a_decimal(self, obj):
        return decimal.Decimal(obj.pk) / 4


@pytest.mark.parametrize(
    ("links", "query"),
    [
        (["headline", "topic"], {}),
        ([], {"o": "-3"}),  # the first column links
        (None, {}),  # none does
        (["headline"], {"_popup": "1", "_to_field": "id"}),
    ],
)
@pytest.mark.parametrize("separator", [False, True], ids=["plain numbers", "thousands"])
def test_columns_of_every_kind_are_drawn_as_djangos_rows(catalogue, links, query, separator):
    with override_settings(USE_THOUSAND_SEPARATOR=separator):
        drawn, djangos = _drawn_both_ways(links, query)
    assert len(drawn) == Article.objects.count() > 3
    assert drawn == djangos
    number = Article.objects.first().pk + 1_000_000
    shown = f"{number:,}" if separator else str(number)
    assert f'<td class="field-thousands">{shown}</td>' in "".join(drawn)


def _drawn_both_ways(links, query):
    site = admin.AdminSite(name="odd")
    model_admin = OddColumnsAdmin(Article, site)
    model_admin.list_display_links = links
    request = RequestFactory().get("/", query)
    request.user = User.objects.create_superuser("root", "root@example.org", "x")
    changelist = model_admin.get_changelist_instance(request)
    # A row link is made by the changelist that draws it, whichever the admin site.
    with patch.object(type(changelist), "url_for_result", lambda self, obj: f"/odd/{obj.pk}/"):
        drawn = list(RowDrawer(changelist).rows())
        djangos = [
            "".join(items_for_result(changelist, row, None)) for row in changelist.result_list
        ]
    return drawn, djangos


# -- dates ----------------------------------------------------------------------------------------

SPECIFIERS = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ"
aware = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.sampled_from([datetime.UTC, zoneinfo.ZoneInfo("America/New_York")]),
)


@settings(max_examples=300, deadline=None)
@given(
    value=st.one_of(aware, st.datetimes(), st.dates(), st.times()),
    language=st.sampled_from(["en", "en-gb", "de", "fr", "ja", "pt-br"]),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "Asia/Kolkata"]),
)
def test_a_date_reads_as_djangos_localized_date_in_every_language(value, language, zone):
    with translation.override(language), timezone.override(zone):
        expected = formats.localize(timezone.template_localtime(value))
        assert DateText()(value) == expected


@settings(max_examples=300, deadline=None)
@given(
    value=st.one_of(aware, st.datetimes()),
    format_string=st.text(st.sampled_from(SPECIFIERS + " ,.:/-\\"), max_size=12),
)
def test_any_format_is_written_as_djangos_dateformat_writes_it(value, format_string):
    _, parts, _ = DateText().compile(format_string)
    written = "".join(part if isinstance(part, str) else part(value) for part in parts)
    assert written == dateformat.format(value, format_string)


def test_a_date_format_with_a_time_in_it_is_refused_for_a_date_as_django_refuses_it():
    with (
        translation.override("en"),
        patch.object(formats, "get_format", lambda kind: "j P"),
        pytest.raises(TypeError, match="time-related format specifiers"),
    ):
        DateText()(datetime.date(2026, 12, 7))


def test_a_queue_row_leads_to_its_review_screen_whatever_the_list_s_order(catalogue):
    response = logged_in(catalogue).get(
        reverse("admin:reviews_reviewqueueitem_changelist"), {"o": "-1"}
    )
    items = ReviewQueueItem.objects.awaiting_review()
    assert items.exists()
    for item in items:
        # The review screen takes no list filters: the row link carries none.
        review = reverse("admin:articles_article_review", args=[item.pk])
        assert f'<th class="field-article"><a href="{review}">' in response.content.decode()


def test_the_shared_date_text_follows_the_language_the_time_zone_and_the_settings():
    moment = datetime.datetime(2026, 12, 7, 23, 30, tzinfo=datetime.UTC)
    with translation.override("en"), timezone.override("UTC"):
        assert date_text()(moment) == "Dec. 7, 2026, 11:30 p.m."
    with translation.override("de"), timezone.override("Europe/Berlin"):
        assert date_text()(moment) == formats.localize(timezone.localtime(moment))
        assert date_text()(moment).startswith("8. Dezember 2026")
        with override_settings(USE_TZ=False):  # no conversion: still the 7th
            assert date_text()(moment).startswith("7. Dezember 2026")


def test_a_list_edited_in_place_is_drawn_by_django_with_its_inputs():
    client = logged_in(User.objects.create_superuser("root"))
    html = client.get(reverse("admin:articles_readertype_changelist")).content.decode()
    assert 'name="form-0-order"' in html  # the order, editable in the list


class OwnCheckboxAdmin(OddColumnsAdmin):
    list_display = ["action_checkbox", "headline"]

    def action_checkbox(self, obj):
        return f"<{obj.pk}>"  # an admin's own, escaped as any other text


def test_an_admins_own_checkbox_is_drawn_as_it_writes_it_djangos_own_as_django_does(catalogue):
    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("root")
    for model_admin_class, mark in [(OwnCheckboxAdmin, "&lt;"), (OddColumnsAdmin, "action-select")]:
        model_admin = model_admin_class(Article, admin.AdminSite(name="odd"))
        model_admin.list_display = ["action_checkbox", "headline"]
        changelist = model_admin.get_changelist_instance(request)
        with patch.object(type(changelist), "url_for_result", lambda self, obj: f"/{obj.pk}/"):
            drawn = list(RowDrawer(changelist).rows())
            djangos = [
                "".join(items_for_result(changelist, row, None)) for row in changelist.result_list
            ]
        assert drawn == djangos
        assert all(mark in row for row in drawn)

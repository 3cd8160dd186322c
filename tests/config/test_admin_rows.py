"""Long lists' rows drawn once per page (`config.admin_rows`): every table is byte for byte
the one Django's own `items_for_result` draws, whatever the columns are, and dates read as
Django's date formats write them, in any language."""

import datetime
import zoneinfo
from unittest.mock import patch

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import AccountEvent
from articles.models import Article, Question, ReviewEvent, Revision
from config.admin_base import LongListAdmin
from config.admin_rows import DateText, RowDrawer, date_text
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


def table(response) -> str:
    html = response.content.decode()
    start = html.find('<table id="result_list">')
    end = html.find("</table>", start)
    assert response.status_code == 200 and start != -1, "no rows drawn"
    return html[start:end]


def both_tables(client, model, query) -> tuple[str, str]:
    """The list's table as drawn, and as Django's own changelist template draws it."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    drawn = table(client.get(url, query))
    with patch.object(admin.site._registry[model], "change_list_template", None):
        djangos = table(client.get(url, query))
    return drawn, djangos


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


@pytest.mark.parametrize(
    ("model", "query", "who"),
    [
        (Article, {}, "chief"),
        (Article, {"status__exact": "draft"}, "chief"),
        (Article, {"q": "warfarin", "o": "-2"}, "chief"),
        (Article, {"_popup": "1", "_to_field": "id"}, "chief"),
        (Article, {"work": "changes"}, "chief"),
        (Question, {}, "chief"),
        (Question, {"q": "drawn"}, "chief"),
        (ReviewEvent, {}, "chief"),
        (ReviewEvent, {"q": "warfarin"}, "chief"),
        (Revision, {}, "chief"),
        (ReviewQueueItem, {}, "board"),
        (User, {}, "superuser"),
        (AccountEvent, {}, "superuser"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_every_long_list_draws_the_table_djangos_changelist_draws(catalogue, model, query, who):
    user = {
        "chief": lambda: staff(roles.EDITORS, roles.CHIEF_EDITORS),
        "board": lambda: catalogue,
        "superuser": lambda: User.objects.create_superuser("root", "root@example.org", "x"),
    }[who]()
    assert isinstance(admin.site._registry[model], LongListAdmin)
    drawn, djangos = both_tables(logged_in(user), model, query)
    assert drawn.count("<tr>") > 1  # a header and at least one row
    assert drawn == djangos


# -- columns of every kind, drawn side by side with items_for_result -----------------------------


def _lambda_column(article):
    return article.headline.upper()


class OddColumnsAdmin(LongListAdmin):
    """Every kind of column Django's changelist accepts."""

    list_display = [
        "id", "__str__", "headline", "status", "topic", "topic__name", _lambda_column,
        lambda article: article.pk % 2, "flagged", "flag_as_number", "due_or_nothing",
        "updated_at", "next_review_due", "updated_time", "naive_time",
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


@pytest.mark.parametrize(
    ("links", "query"),
    [
        (["headline", "topic"], {}),
        ([], {"o": "-3"}),  # the first column links
        (None, {}),  # none does
        (["headline"], {"_popup": "1", "_to_field": "id"}),
    ],
)
def test_columns_of_every_kind_are_drawn_as_djangos_rows(catalogue, links, query):
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
    assert len(drawn) == Article.objects.count() > 3
    assert drawn == djangos


# -- dates ------------------------------------------------------------------------------------------

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
    with translation.override("en"), patch.object(formats, "get_format", lambda kind: "j P"):
        with pytest.raises(TypeError, match="time-related format specifiers"):
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

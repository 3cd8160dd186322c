"""The long lists' rows, drawn for less than Django's own (`config.admin_base`): links
reversed once per list, yet each row still leads to its own change page and back to the list
as it was filtered, searched and sorted; checkboxes in the same markup as Django's widget."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.templatetags import admin_urls
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.urls import reverse

from articles.models import Article, Question
from config.admin_rows import checkbox
from reviews import roles
from tests.factories import ArticleFactory, QuestionFactory, logged_in, staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor():
    return logged_in(staff(roles.EDITORS, roles.CHIEF_EDITORS))


def row_links(response) -> dict[int, str]:
    """Each row's headline link, by the article it names."""
    html = response.content.decode()
    links = re.findall(r'<th class="field-headline"><a href="([^"]+)"', html)
    assert links, "no rows drawn"
    return {
        int(re.search(r"/article/(\d+)/change/", unescape(u)).group(1)): unescape(u) for u in links
    }


def djangos_link(pk: int, list_query: dict) -> str:
    """The link Django's own changelist draws for a row of the list at `list_query`."""
    preserved = urlencode({"_changelist_filters": urlencode(list_query)}) if list_query else ""
    return add_preserved_filters(
        {"preserved_filters": preserved, "opts": Article._meta},
        reverse("admin:articles_article_change", args=[pk]),
    )


@pytest.mark.parametrize(
    "list_query",
    [
        {},
        {"status__exact": "draft"},
        {"q": "warfarin & aspirin", "o": "-1"},
        {"status__exact": "draft", "_popup": "1", "_to_field": "id"},
    ],
    ids=["plain", "filtered", "searched and sorted", "popup"],
)
def test_each_row_links_to_its_own_change_page_and_back_to_the_same_list(editor, list_query):
    articles = [ArticleFactory(headline=f"Warfarin & aspirin, case {n}") for n in range(3)]
    links = row_links(editor.get(CHANGELIST, list_query))
    assert set(links) == {article.pk for article in articles}
    for pk, link in links.items():
        assert link == djangos_link(pk, list_query)


def test_the_change_page_reached_by_a_row_link_knows_the_list_to_return_to(editor):
    article = ArticleFactory(headline="Apixaban dosing")
    query = {"status__exact": "draft", "q": "apixaban"}
    form = editor.get(row_links(editor.get(CHANGELIST, query))[article.pk])
    assert form.status_code == 200
    # The change page passes the list's filters on (to its history, and to the list after
    # saving): the row link carried them in the form Django reads.
    history = reverse("admin:articles_article_history", args=[article.pk])
    expected = f"{history}?{urlencode({'_changelist_filters': urlencode(query)})}"
    assert expected in unescape(form.content.decode())


def test_a_filtered_list_draws_its_row_links_without_resolving_each_url(editor, monkeypatch):
    """Django resolves each row's URL again to carry the filters (130 µs a row); the row
    links here need no URL resolved, however many rows there are."""
    for n in range(4):
        ArticleFactory(headline=f"Heparin, case {n}")
    resolved = []
    real_resolve = admin_urls.resolve
    monkeypatch.setattr(
        admin_urls, "resolve", lambda path: resolved.append(path) or real_resolve(path)
    )
    links = row_links(editor.get(CHANGELIST, {"status__exact": "draft", "q": "heparin"}))
    assert len(links) == 4
    assert not [path for path in resolved if "/change/" in path]


def test_a_rows_checkbox_is_the_markup_djangos_widget_renders():
    """Made directly (the widget's templates cost close to 1 ms a row), byte for byte the
    same, escaping included."""
    question = QuestionFactory(text='Is "low-dose" <aspirin> & clopidogrel safe?')
    model_admin = admin.site._registry[Question]
    ours = checkbox()(question)
    assert ours == ModelAdmin.action_checkbox(model_admin, question)
    assert "&lt;aspirin&gt; &amp; clopidogrel" in ours

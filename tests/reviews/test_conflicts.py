"""Two editors, one article: the second save is refused (someone saved first), and the page
shows the other person's text beside one's own, field by field, with who changed what, so the
second editor merges without retyping and saves again against the version they have seen."""

import pytest
from django.http import QueryDict

from articles import conflicts
from articles.models import Article
from reviews import roles
from tests.factories import SectionFactory, logged_in, staff
from tests.reviews.test_admin import change_url, form_data, new_article, save

pytestmark = pytest.mark.django_db

EDITORS = roles.EDITORS


@pytest.fixture
def editors():
    return (
        staff(EDITORS, username="alice", first_name="Alice", last_name="Ng"),
        staff(EDITORS, username="bob", first_name="Bob", last_name="Marsh"),
    )


def conflict_of(response) -> conflicts.Conflict:
    assert response.status_code == 200
    conflict = response.context["workflow_panel"]["conflict"]
    assert conflict is not None
    return conflict


def by_name(conflict):
    return {field.name: field for field in conflict.fields}


def test_the_second_editor_merges_field_by_field_and_saves_again(editors):
    alice, bob = editors
    article = new_article(alice)
    SectionFactory(article=article, position=2, heading="Treatment", body="Start low.")
    as_alice, as_bob = logged_in(alice), logged_in(bob)
    opened = Article.objects.get(pk=article.pk)
    # Alice opens the form and types: the bottom line and the second section's heading.
    alices = form_data(
        opened, bottom_line="Alice's answer.", **{"sections-1-heading": "Alice's treatment"}
    )
    # Bob saves first: the headline, the bottom line and the first section's body.
    save(
        as_bob,
        article,
        headline="Managing it well",
        bottom_line="Bob's answer.",
        **{"sections-0-body": "Bob's history taking."},
    )

    refused = as_alice.post(change_url(article), alices)

    conflict = conflict_of(refused)
    assert conflict.saved_by == ["Bob Marsh"]
    assert conflict.version == Article.objects.get(pk=article.pk).version
    fields = by_name(conflict)
    assert set(fields) == {"headline", "bottom_line", "sections-0-body", "sections-1-heading"}
    assert fields["headline"].changed_by == "them"
    assert (fields["headline"].theirs, fields["headline"].mine) == (
        "Managing it well",
        opened.headline,
    )
    assert fields["bottom_line"].changed_by == "both"
    assert str(fields["bottom_line"].diff) == "<del>Bob</del><ins>Alice</ins>&#x27;s answer."
    assert fields["sections-0-body"].changed_by == "them"
    assert fields["sections-1-heading"].changed_by == "you"
    assert [f.name for f in conflict.fields if f.take_by_default] == [
        "headline",
        "sections-0-body",
    ]
    html = refused.content.decode()
    assert "Bob Marsh saved this article at" in html
    assert "bob saved" not in html
    assert "Alice&#x27;s answer." in html  # in the form and beside theirs: nothing lost
    assert 'name="take_theirs" value="headline" checked' in html
    assert 'name="take_theirs" value="bottom_line">' in html  # both changed: hers is kept
    assert 'form="article_form" name="conflict_version"' in html
    article.refresh_from_db()
    assert article.bottom_line == "Bob's answer."

    # She keeps her bottom line and heading, takes Bob's headline and body, and saves again.
    merged = alices | {
        conflicts.CONFLICT_VERSION: str(conflict.version),
        conflicts.TAKE_THEIRS: ["headline", "sections-0-body"],
    }
    response = as_alice.post(change_url(article), merged)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Managing it well"
    assert article.bottom_line == "Alice's answer."
    sections = list(article.sections.order_by("position").values_list("heading", "body"))
    assert sections == [
        ("Assessment", "Bob's history taking."),
        ("Alice's treatment", "Start low."),
    ]
    assert article.version == conflict.version + 1
    latest = article.revisions.order_by("-number").first()
    assert latest.created_by == alice
    assert latest.sections[0].body == "Bob's history taking."


def test_a_third_save_in_between_is_shown_as_a_new_conflict_with_the_text_kept(editors):
    alice, bob = editors
    carol = staff(EDITORS, username="carol", first_name="Carol", last_name="Diaz")
    article = new_article(alice)
    opened = Article.objects.get(pk=article.pk)
    alices = form_data(opened, bottom_line="Alice's answer.")
    save(logged_in(bob), article, headline="Bob's headline")
    as_alice = logged_in(alice)
    conflict = conflict_of(as_alice.post(change_url(article), alices))
    save(logged_in(carol), article, headline="Carol's headline")

    response = as_alice.post(
        change_url(article),
        alices | {conflicts.CONFLICT_VERSION: str(conflict.version), "take_theirs": "headline"},
    )

    again = conflict_of(response)
    assert again.saved_by == ["Bob Marsh", "Carol Diaz"]  # since she opened the form
    assert by_name(again)["headline"].theirs == "Carol's headline"
    assert by_name(again)["headline"].mine == opened.headline  # not replaced: not seen yet
    assert "Alice&#x27;s answer." in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.bottom_line) == (
        "Carol's headline",
        "Start with the simplest effective option.",
    )


def test_sections_added_or_deleted_by_the_other_editor_are_explained(editors):
    alice, bob = editors
    article = new_article(alice)
    SectionFactory(article=article, position=2, heading="Treatment", body="Start low.")
    alices = form_data(article, **{"sections-1-body": "Start low, go slow."})
    bobs = form_data(article) | {
        "sections-1-DELETE": "on",
        "sections-TOTAL_FORMS": "3",
        "sections-2-position": "3",
        "sections-2-heading": "Follow-up",
        "sections-2-kind": "standard",
        "sections-2-body": "See them in a week.",
    }
    assert logged_in(bob).post(change_url(article), bobs).status_code == 302

    conflict = conflict_of(logged_in(alice).post(change_url(article), alices))

    gone = by_name(conflict)["sections-1-body"]
    assert (gone.theirs, gone.mine, gone.can_take) == ("", "Start low, go slow.", False)
    [added] = conflict.added  # its position is the section placing's business
    assert added.startswith("Section ")
    assert added.endswith(": Follow-up")
    html = logged_in(alice).post(change_url(article), alices).content.decode()
    assert "Deleted by them: to keep your text, copy it into a new part." in html
    assert "They also added: Section" in html


def querydict(data: dict) -> QueryDict:
    result = QueryDict(mutable=True)
    for key, value in data.items():
        result.setlist(key, value if isinstance(value, list) else [value])
    return result


def test_take_theirs_reads_only_this_articles_rows(editors):
    alice, bob = editors
    article = new_article(alice)
    other_section = new_article(bob).sections.get()
    other_section.body = "Another article's private draft."
    other_section.save()
    save(logged_in(bob), article, headline="Bob's headline", bottom_line="Bob's answer.")
    data = form_data(article, bottom_line="Mine.", **{"sections-0-body": "My body."}) | {
        "sections-0-id": str(other_section.pk),
        conflicts.CONFLICT_VERSION: str(article.version),
        conflicts.TAKE_THEIRS: ["sections-0-body", "bottom_line", "no-such-field"],
    }

    merged = conflicts.merged(querydict(data), article)

    assert merged["sections-0-body"] == "My body."  # not the other article's text
    assert merged["bottom_line"] == "Bob's answer."
    assert "no-such-field" not in merged
    assert merged["edit_version"] == str(article.version)
    stale = conflicts.merged(querydict(data | {conflicts.CONFLICT_VERSION: "1"}), article)
    assert stale["bottom_line"] == "Mine."  # a version not current: nothing replaced

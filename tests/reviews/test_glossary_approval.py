"""Glossary definitions go through the Medical Advisory Board: a term reaches lay readers only
once a board member approved it (reviews.services.approve_glossary_term), an edit needs a new
approval while the approved text stays live, four eyes hold as for articles (judged from the
term's history), the admin list shows where each term stands and offers board members the
"Approve" action, and the page applies the case rules of the approved text."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, GlossaryApproval, GlossaryTerm
from reviews import roles, services
from reviews.services import ConflictError, TransitionError
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    approved_term,
    logged_in,
    staff,
    workflow_to,
)

pytestmark = pytest.mark.django_db

EDITORS, BOARD, CHIEFS = roles.EDITORS, roles.MEDICAL_ADVISORY_BOARD, roles.CHIEF_EDITORS

MARK = re.compile(r'<a href="#gloss-\d+" class="glossary-term" aria-describedby="gloss-\d+-def"'
                  r"[^>]*>([^<]*)</a>")  # fmt: skip
NOT_APPROVED = "Not approved: not shown to readers"
CHANGED = "Changed since approval: readers see the approved text"
APPROVED = "Approved"
FOUR_EYES = "You wrote or changed this definition"


# --- building blocks -----------------------------------------------------------------------


def add_url():
    return reverse("admin:articles_glossaryterm_add")


def term_change_url(term):
    return reverse("admin:articles_glossaryterm_change", args=[term.pk])


def changelist_url():
    return reverse("admin:articles_glossaryterm_changelist")


def term_data(term="hypertension", definition="Blood pressure that stays too high.", **more):
    data = {"term": term, "synonyms": "", "definition": definition} | more
    if data.pop("match_case", False):
        data["match_case"] = "on"
    return data


def write_term(user, **fields):
    """`user` adds a term through the admin form; returns it."""
    response = logged_in(user).post(add_url(), term_data(**fields))
    assert response.status_code == 302, response.context and response.context["errors"]
    return GlossaryTerm.objects.get(term=fields.get("term", "hypertension"))


def edit_term(user, term, **changes):
    """`user` changes `term` through the admin form; returns it reloaded."""
    data = term_data(term.term, term.definition, synonyms=term.synonyms) | changes
    if term.match_case and "match_case" not in changes:
        data["match_case"] = "on"
    response = logged_in(user).post(term_change_url(term), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    term.refresh_from_db()
    return term


def page(client, article, reader="patient"):
    response = client.get(article.get_absolute_url(), {"reader": reader} if reader else {})
    assert response.status_code == 200
    return response.content.decode()


def marks(html):
    return MARK.findall(html)


def words_explained(html):
    """{term: definition} of the page's "Words explained" list."""
    return dict(re.findall(r'<dt id="gloss-\d+">([^<]*)</dt>\s*<dd id="gloss-\d+-def">([^<]*)</dd>',
                           html))  # fmt: skip


def states(client):
    """The Review column of the glossary changelist, by term."""
    response = client.get(changelist_url())
    assert response.status_code == 200
    html = response.content.decode()
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        term = re.search(r'<th class="field-term"[^>]*>(?:<a [^>]*>)?([^<]*)', row)
        state = re.search(r'<td class="field-state">([^<]*)</td>', row)
        if term and state:
            found[term.group(1)] = state.group(1)
    return found


def messages_of(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def cast():
    return {
        "editor": staff(EDITORS, first_name="Eva", last_name="Editor"),
        "chief": staff(CHIEFS, first_name="Cleo", last_name="Chief"),
        "reviewer": staff(BOARD, first_name="Ana", last_name="Ruiz"),
        "second_reviewer": staff(BOARD, first_name="Ben", last_name="Okafor"),
        # Writes definitions and sits on the board.
        "both": staff(EDITORS, BOARD, first_name="Dana", last_name="Dual"),
    }


@pytest.fixture
def article(cast):
    """An approved article that mentions hypertension and high blood pressure."""
    article = ArticleFactory(bottom_line="Hypertension raises the risk of stroke.")
    SectionFactory(
        article=article, position=1, heading="Why", body="Lowering high blood pressure helps."
    )
    return workflow_to(
        article, Article.Status.APPROVED, editor=cast["editor"], reviewer=cast["reviewer"]
    )


# --- what lay readers see ------------------------------------------------------------------


def test_a_new_term_reaches_lay_readers_only_once_a_board_member_approves_it(client, article, cast):
    term = write_term(cast["editor"])
    assert term.approval is None
    for reader in ("patient", "student"):
        html = page(client, article, reader)
        assert marks(html) == []
        assert "Words explained" not in html
        assert "Blood pressure that stays too high." not in html

    approval = services.approve_glossary_term(term, by=cast["reviewer"])

    term.refresh_from_db()
    assert term.approval == approval
    assert (approval.approved_by, approval.definition) == (
        cast["reviewer"],
        "Blood pressure that stays too high.",
    )
    for reader in ("patient", "student"):
        html = page(client, article, reader)
        assert marks(html) == ["Hypertension"]
        assert words_explained(html) == {"hypertension": "Blood pressure that stays too high."}
    for reader in ("physician", None):
        assert marks(page(client, article, reader)) == []


def test_an_edit_keeps_the_approved_definition_until_approved_again(client, article, cast):
    term = write_term(cast["editor"])
    services.approve_glossary_term(term, by=cast["reviewer"])
    assert marks(page(client, article)) == ["Hypertension"]

    term = edit_term(
        cast["editor"],
        term,
        definition="Blood pressure that is too high for a long time.",
        synonyms="high blood pressure",
    )

    assert term.is_pending
    html = page(client, article)
    assert words_explained(html) == {"hypertension": "Blood pressure that stays too high."}
    assert "for a long time" not in html
    # The pending synonym is not a form readers see yet: one mark only.
    assert marks(html) == ["Hypertension"]
    change_page = logged_in(cast["editor"]).get(term_change_url(term)).content.decode()
    assert "Blood pressure that stays too high." in change_page  # what readers see
    assert "approved by Ana Ruiz" in change_page

    services.approve_glossary_term(term, by=cast["second_reviewer"])

    html = page(client, article)
    assert words_explained(html) == {
        "hypertension": "Blood pressure that is too high for a long time."
    }
    # Now the synonym counts: but it is the same term, so it is marked once only.
    assert marks(html) == ["Hypertension"]
    term.refresh_from_db()
    assert not term.is_pending
    assert term.approvals.count() == 2


def test_the_admin_list_shows_where_each_term_stands(cast):
    write_term(cast["editor"], term="stroke", definition="Damage to the brain.")
    approved = write_term(cast["editor"], term="diuretic", definition="A water pill.")
    services.approve_glossary_term(approved, by=cast["reviewer"])
    changed = write_term(cast["editor"], term="statin", definition="A cholesterol drug.")
    services.approve_glossary_term(changed, by=cast["reviewer"])
    edit_term(cast["editor"], changed, definition="A drug that lowers cholesterol.")

    for user in (cast["editor"], cast["reviewer"]):
        assert states(logged_in(user)) == {
            "diuretic": APPROVED,
            "statin": CHANGED,
            "stroke": NOT_APPROVED,
        }


# --- four eyes -----------------------------------------------------------------------------


def test_the_board_member_who_wrote_a_term_cannot_approve_it(cast):
    term = write_term(cast["both"])
    assert term.history.earliest("history_id").history_user == cast["both"]

    with pytest.raises(TransitionError, match=FOUR_EYES):
        services.approve_glossary_term(term, by=cast["both"])

    term.refresh_from_db()
    assert term.approval is None
    assert not GlossaryApproval.objects.exists()
    approval = services.approve_glossary_term(term, by=cast["reviewer"])
    assert approval.approved_by == cast["reviewer"]


@pytest.mark.parametrize("how", ["admin", "orm"])
def test_the_board_member_who_edited_an_approved_term_cannot_approve_the_edit(cast, how):
    term = write_term(cast["editor"])
    services.approve_glossary_term(term, by=cast["reviewer"])
    term.refresh_from_db()
    if how == "admin":
        edit_term(cast["both"], term, definition="High pressure in the arteries.")
    else:
        term.definition = "High pressure in the arteries."
        term._history_user = cast["both"]
        term.save()
    # An edit by someone else afterwards does not wash the first one out.
    edit_term(cast["editor"], term, synonyms="high blood pressure")

    with pytest.raises(TransitionError, match=FOUR_EYES):
        services.approve_glossary_term(term, by=cast["both"])

    term.refresh_from_db()
    assert term.approval.definition == "Blood pressure that stays too high."
    services.approve_glossary_term(term, by=cast["second_reviewer"])
    term.refresh_from_db()
    assert term.approval.definition == "High pressure in the arteries."
    assert term.approval.approved_by == cast["second_reviewer"]


def test_an_approvers_own_approval_does_not_bar_them_from_the_next_one(cast):
    term = write_term(cast["editor"])
    services.approve_glossary_term(term, by=cast["reviewer"])
    edit_term(cast["editor"], term, definition="Second wording.")

    services.approve_glossary_term(term, by=cast["reviewer"])

    edit_term(cast["editor"], term, definition="Third wording.")
    services.approve_glossary_term(term, by=cast["reviewer"])
    term.refresh_from_db()
    assert [a.definition for a in term.approvals.order_by("pk")] == [
        "Blood pressure that stays too high.",
        "Second wording.",
        "Third wording.",
    ]
    assert term.approval.definition == "Third wording."


def test_the_writer_may_approve_someone_elses_later_edit(cast):
    term = write_term(cast["both"])
    services.approve_glossary_term(term, by=cast["reviewer"])
    edit_term(cast["editor"], term, definition="Someone else's wording.")

    approval = services.approve_glossary_term(term, by=cast["both"])

    assert approval.definition == "Someone else's wording."


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_editors_and_chief_editors_may_not_approve(cast, role):
    term = write_term(cast["both"])
    with pytest.raises(TransitionError, match="approve glossary definitions"):
        services.approve_glossary_term(term, by=cast[role])
    term.refresh_from_db()
    assert term.approval is None
    assert not GlossaryApproval.objects.exists()


def test_an_inactive_board_member_may_not_approve(cast):
    term = write_term(cast["editor"])
    reviewer = cast["reviewer"]
    reviewer.is_active = False
    reviewer.save()
    with pytest.raises(TransitionError, match="approve glossary definitions"):
        services.approve_glossary_term(term, by=reviewer)


def test_approving_an_unchanged_approved_term_is_a_conflict(cast):
    term = write_term(cast["editor"])
    services.approve_glossary_term(term, by=cast["reviewer"])

    with pytest.raises(ConflictError, match="already approved as it stands, by Ana Ruiz"):
        services.approve_glossary_term(term, by=cast["second_reviewer"])

    # An edit back to the approved text is no change either.
    edit_term(cast["editor"], term, definition="Changed for a moment.")
    edit_term(cast["editor"], term, definition="Blood pressure that stays too high.")
    with pytest.raises(ConflictError):
        services.approve_glossary_term(term, by=cast["second_reviewer"])
    assert term.approvals.count() == 1


# --- the admin action ----------------------------------------------------------------------


def test_a_board_member_approves_from_the_list(client, article, cast):
    hypertension = write_term(cast["editor"])
    stroke = write_term(cast["both"], term="stroke", definition="Damage to the brain.")
    settled = write_term(cast["editor"], term="statin", definition="A cholesterol drug.")
    services.approve_glossary_term(settled, by=cast["reviewer"])
    board = logged_in(cast["both"])
    html = board.get(changelist_url()).content.decode()
    assert '<option value="approve_definitions">Approve the selected definitions</option>' in html

    response = board.post(
        changelist_url(),
        {
            "action": "approve_definitions",
            "_selected_action": [hypertension.pk, stroke.pk, settled.pk],
        },
        follow=True,
    )

    assert response.status_code == 200
    found = messages_of(response)
    assert ("info", "Approved: hypertension.") in found
    assert any(level == "error" and "stroke" in m and FOUR_EYES in m for level, m in found)
    assert any(level == "error" and "statin" in m and "already approved" in m for level, m in found)
    assert settled.approvals.count() == 1
    hypertension.refresh_from_db()
    stroke.refresh_from_db()
    assert hypertension.approval.approved_by == cast["both"]
    assert stroke.approval is None
    assert marks(page(client, article)) == ["Hypertension"]
    assert "stroke" not in words_explained(page(client, article))


def test_editors_are_not_offered_the_approve_action(cast):
    term = write_term(cast["editor"])
    for role in ("editor", "chief"):
        editor = logged_in(cast[role])
        html = editor.get(changelist_url()).content.decode()
        assert "approve_definitions" not in html

        response = editor.post(
            changelist_url(),
            {"action": "approve_definitions", "_selected_action": [term.pk]},
            follow=True,
        )

        assert response.status_code == 200
        assert not [m for _, m in messages_of(response) if m.startswith("Approved")]
        term.refresh_from_db()
        assert term.approval is None
    assert not GlossaryApproval.objects.exists()


# --- case rules on the page ----------------------------------------------------------------


def approved_article(cast, bottom_line, body="Plain text."):
    article = ArticleFactory(bottom_line=bottom_line)
    SectionFactory(article=article, position=1, heading="Details", body=body)
    return workflow_to(
        article, Article.Status.APPROVED, editor=cast["editor"], reviewer=cast["reviewer"]
    )


def test_an_acronym_term_does_not_match_another_capitalisation(client, cast):
    approved_term("eGFR", definition="A blood test of how well the kidneys filter.")
    tumour = approved_article(cast, "Anti-EGFR agents act on the tumour.", "EGFR is a receptor.")
    kidney = approved_article(cast, "Check the eGFR every year.")

    html = page(client, tumour)
    assert marks(html) == []
    assert "Words explained" not in html
    assert "A blood test of how well the kidneys filter." not in html
    assert marks(page(client, kidney)) == ["eGFR"]


def test_a_lowercase_term_matches_a_capitalised_sentence_start(client, cast):
    approved_term("hypertension", definition="Blood pressure that stays too high.")
    article = approved_article(cast, "Hypertension is common. Most people feel nothing.")

    html = page(client, article)

    assert marks(html) == ["Hypertension"]
    assert words_explained(html) == {"hypertension": "Blood pressure that stays too high."}


def test_the_approved_case_rule_applies_until_a_change_is_approved(client, cast):
    term = approved_term("stroke", definition="Damage to the brain.")
    article = approved_article(cast, "Stroke is common.", "A stroke needs care at once.")
    assert marks(page(client, article)) == ["Stroke"]

    edit_term(cast["editor"], term, match_case=True)
    assert marks(page(client, article)) == ["Stroke"]  # the approved rule: any case

    services.approve_glossary_term(term, by=cast["second_reviewer"])
    assert marks(page(client, article)) == ["stroke"]  # now only as written


def test_a_superuser_cannot_approve_a_term_they_wrote_or_any_other(admin_client, admin_user, cast):
    """Superusers administer accounts, so they approve nothing (separation of duties)."""
    response = admin_client.post(add_url(), term_data())
    assert response.status_code == 302
    term = GlossaryTerm.objects.get(term="hypertension")
    other = GlossaryTerm.objects.create(term="stroke", definition="Damage to the brain.")

    for pending in (term, other):
        with pytest.raises(TransitionError, match="^Account administrators can't review: "):
            services.approve_glossary_term(pending, by=admin_user)
        pending.refresh_from_db()
        assert pending.approval_id is None

    assert services.approve_glossary_term(term, by=cast["reviewer"]).approved_by == cast["reviewer"]

"""Two board members confirming the same article still current at the same moment, each on
their own connection (threads, as in test_concurrency): one confirmation is recorded, the
other gets a conflict naming who confirmed, on SQLite and on PostgreSQL."""

import pytest

from articles.models import Article, ReviewEvent
from reviews import roles, services
from reviews.services import ConflictError
from tests.factories import StaffUserFactory
from tests.reviews.test_concurrency import ROUNDS, draft, race, split

pytestmark = pytest.mark.django_db(transaction=True)

Action = ReviewEvent.Action


def board_member(first, last):
    return StaffUserFactory(
        roles=[roles.MEDICAL_ADVISORY_BOARD],
        first_name=first,
        last_name=last,
        specialties=["General medicine"],  # every factory topic's: ordinary approvals
    )


def test_two_confirmations_at_once_give_one_confirmation_and_one_conflict():
    author = StaffUserFactory(roles=[roles.EDITORS])
    approver = board_member("Ana", "Ruiz")
    members = [board_member("Chen", "Li"), board_member("Dara", "Okafor")]
    names = {members[0]: "Chen Li", members[1]: "Dara Okafor"}
    for _ in range(ROUNDS):
        article = draft(author)
        services.submit(article, by=author)
        approval = services.approve(article, by=approver, comment="Fine.")

        outcomes = race(
            article.pk,
            members,
            lambda a, by, seen=approval.pk: services.confirm_current(
                a, by=by, seen_approval_id=seen
            ),
        )

        winners, losers = split(outcomes, ConflictError)
        assert len(winners) == len(losers) == 1
        winner, loser = winners[0], losers[0]
        message = str(outcomes[loser])
        assert message.startswith(f"{names[winner]} confirmed or approved this article on ")
        assert "your confirmation was not recorded" in message
        article.refresh_from_db()
        approvals = ReviewEvent.objects.filter(article=article, action=Action.APPROVED)
        assert approvals.count() == 2
        assert article.status == Article.Status.APPROVED
        assert article.approval == outcomes[winner]
        assert article.approval.actor == winner
        assert article.approval.revision_id == approval.revision_id
        assert article.history.filter(history_user=loser).count() == 0

"""Every transition happens once under concurrency: two people acting on the same article at
the same moment, each on their own database connection, give one transition and one clear
refusal. On PostgreSQL the article row lock (`select_for_update`) serialises them; on SQLite
the immediate transactions do (the second waits for the first's write lock), with the same
messages and never "database is locked"."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from articles.models import Article, ReviewEvent, Revision
from reviews import roles, services
from reviews.services import ConflictError, TransitionError
from tests.articles.test_admin import article_data, change_url
from tests.factories import ArticleFactory, SectionFactory, StaffUserFactory

pytestmark = pytest.mark.django_db(transaction=True)

Status = Article.Status
Action = ReviewEvent.Action
ROUNDS = 20


@pytest.fixture
def author(db):
    return StaffUserFactory(roles=[roles.EDITORS])


def draft(author):
    article = ArticleFactory(status=Status.DRAFT)
    SectionFactory(article=article, position=1, heading="Assessment", body="Take a history.")
    article.authors.add(author)
    return article


def race(pk, actors, action):
    """Run `action(article, actor)` for every actor at once, each in its own thread (and so on
    its own connection). Returns {actor: the result or the exception raised}."""
    barrier = threading.Barrier(len(actors))
    outcomes = {}

    def run(actor):
        try:
            article = Article.objects.get(pk=pk)
            barrier.wait(timeout=10)
            outcomes[actor] = action(article, actor)
        except Exception as error:  # reported to the test below
            outcomes[actor] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    assert set(outcomes) == set(actors)
    return outcomes


def split(outcomes, error_class):
    """(the winners, the losers) of a race; anything else fails the test."""
    winners = [actor for actor, outcome in outcomes.items() if not isinstance(outcome, Exception)]
    losers = [actor for actor, outcome in outcomes.items() if isinstance(outcome, error_class)]
    unexpected = {
        actor: outcome
        for actor, outcome in outcomes.items()
        if isinstance(outcome, Exception) and not isinstance(outcome, error_class)
    }
    assert not unexpected
    return winners, losers


def board(**fields):
    """A board member declaring every factory topic's specialty: approvals are ordinary."""
    return StaffUserFactory(
        roles=[roles.MEDICAL_ADVISORY_BOARD], specialties=["General medicine"], **fields
    )


def test_the_holder_approving_twice_at_once_gives_one_approval_and_one_conflict(author):
    """Two tabs, or a double click: the same board member approves twice at once."""
    holder = board(first_name="Ana", last_name="Ruiz")
    tabs = [("first tab", holder), ("second tab", holder)]
    for _ in range(ROUNDS):
        article = draft(author)
        services.submit(article, by=author)
        services.start_review(article, by=holder)

        outcomes = race(
            article.pk, tabs, lambda a, tab: services.approve(a, by=tab[1], comment="Fine.")
        )

        winners, losers = split(outcomes, ConflictError)
        assert len(winners) == len(losers) == 1
        assert str(outcomes[losers[0]]).startswith("Already approved by Ana Ruiz on ")
        article.refresh_from_db()
        approvals = ReviewEvent.objects.filter(article=article, action=Action.APPROVED)
        assert approvals.count() == 1
        assert article.status == Status.APPROVED
        assert article.approval == approvals.get() == outcomes[winners[0]]
        assert article.approval.actor == holder
        assert article.history.filter(status=Status.APPROVED).count() == 1


def test_a_take_over_racing_the_holders_approval_gives_one_result_and_one_conflict(author):
    holder, other = (
        board(first_name=first, last_name=last) for first, last in [("Ana", "Ruiz"), ("Chen", "Li")]
    )

    def act(article, by):
        if by == holder:
            return services.approve(article, by=holder, comment="Fine.")
        return services.take_over(
            article, by=other, reason="Ana is on leave.", seen_holder_id=holder.pk
        )

    for _ in range(ROUNDS):
        article = draft(author)
        services.submit(article, by=author)
        services.start_review(article, by=holder)

        outcomes = race(article.pk, [holder, other], act)

        winners, losers = split(outcomes, ConflictError)
        assert len(winners) == len(losers) == 1
        message = str(outcomes[losers[0]])
        article.refresh_from_db()
        events = ReviewEvent.objects.filter(article=article)
        if winners == [holder]:  # approved first: there is no review left to take over
            assert message.startswith("Already approved by Ana Ruiz on ")
            assert message.endswith("there is no review left to take over.")
            assert (article.status, article.approval.actor) == (Status.APPROVED, holder)
            assert article.assigned_reviewer is None
            assert not events.filter(action=Action.TAKEN_OVER).exists()
        else:  # taken over first: the approval comes from a stale screen
            assert message.startswith("Chen Li took over this review on ")
            assert message.endswith("You no longer hold it, so your approval was not recorded.")
            assert (article.status, article.assigned_reviewer) == (Status.UNDER_REVIEW, other)
            assert article.approval_id is None
            assert not events.filter(action=Action.APPROVED).exists()
            assert events.filter(action=Action.TAKEN_OVER).get().actor == other
        assert events.count() == 3  # submitted, review started, and the one result


def test_two_take_overs_at_once_give_one_new_holder_and_one_conflict(author):
    holder, *others = (board(first_name=first, last_name="Li") for first in ("Ana", "Chen", "Dan"))
    for _ in range(ROUNDS):
        article = draft(author)
        services.submit(article, by=author)
        services.start_review(article, by=holder)

        outcomes = race(
            article.pk,
            others,
            lambda a, by: services.take_over(
                a, by=by, reason="Ana is on leave.", seen_holder_id=holder.pk
            ),
        )

        winners, losers = split(outcomes, ConflictError)
        assert len(winners) == len(losers) == 1
        assert str(outcomes[losers[0]]).startswith(
            f"The review changed hands while you were looking: {winners[0].first_name} Li took "
            "over this review on "
        )
        article.refresh_from_db()
        assert article.assigned_reviewer == winners[0]
        taken = ReviewEvent.objects.filter(article=article, action=Action.TAKEN_OVER)
        assert list(taken.values_list("actor", flat=True)) == [winners[0].pk]


def test_two_reviewers_claiming_at_once_give_one_claim(author):
    reviewers = [board() for _ in range(2)]
    for _ in range(ROUNDS):
        article = draft(author)
        services.submit(article, by=author)

        outcomes = race(article.pk, reviewers, lambda a, by: services.start_review(a, by=by))

        winners, losers = split(outcomes, TransitionError)
        assert len(winners) == len(losers) == 1
        assert "under review" in str(outcomes[losers[0]])
        article.refresh_from_db()
        assert article.status == Status.UNDER_REVIEW
        assert article.assigned_reviewer == winners[0]
        started = ReviewEvent.objects.filter(article=article, action=Action.REVIEW_STARTED)
        assert list(started.values_list("actor", flat=True)) == [winners[0].pk]


def test_two_board_members_approving_a_submitted_article_in_one_step_give_one_approval(author):
    """Approving straight from Submitted starts the review first: two board members doing it
    at once give one start, one approval (the winner's) and a conflict naming the winner."""
    reviewers = [board(first_name=name, last_name="Ruiz") for name in ("Ana", "Eva")]
    for _ in range(ROUNDS):
        article = draft(author)
        services.submit(article, by=author)

        outcomes = race(
            article.pk, reviewers, lambda a, by: services.approve(a, by=by, comment="Fine.")
        )

        winners, losers = split(outcomes, ConflictError)
        assert len(winners) == len(losers) == 1
        winner = winners[0]
        assert str(outcomes[losers[0]]).startswith(f"Already approved by {winner.first_name} ")
        article.refresh_from_db()
        assert (article.status, article.approval.actor) == (Status.APPROVED, winner)
        steps = article.review_events.exclude(action=Action.SUBMITTED).order_by("pk")
        assert list(steps.values_list("action", "actor")) == [
            (Action.REVIEW_STARTED, winner.pk),
            (Action.APPROVED, winner.pk),
        ]


def test_two_editors_submitting_at_once_give_one_submission(author):
    editors = [author, StaffUserFactory(roles=[roles.EDITORS])]
    for _ in range(ROUNDS):
        article = draft(author)

        outcomes = race(article.pk, editors, lambda a, by: services.submit(a, by=by))

        winners, losers = split(outcomes, TransitionError)
        assert len(winners) == len(losers) == 1
        assert "submitted" in str(outcomes[losers[0]])
        article.refresh_from_db()
        assert article.status == Status.SUBMITTED
        submitted = ReviewEvent.objects.filter(article=article, action=Action.SUBMITTED)
        assert list(submitted.values_list("actor", flat=True)) == [winners[0].pk]
        assert Revision.objects.filter(article=article).count() == 1
        assert article.submitted_revision == outcomes[winners[0]]


def test_two_editors_saving_the_same_article_at_once_keep_one_save_and_explain_the_other():
    """Over HTTP, through the admin: one save lands, the other gets the stale-form message with
    the editor's text kept, on every database (no 500)."""
    author, second = (StaffUserFactory(roles=[roles.EDITORS], is_staff=True) for _ in range(2))
    clients = {}
    for editor in (author, second):
        clients[editor] = Client()
        clients[editor].force_login(editor)
    for round_ in range(ROUNDS // 4):
        article = draft(author)
        section = article.sections.get()
        posts = {
            editor: article_data(
                [{"id": section.pk, "article": article.pk, "position": 1, "heading": "H",
                  "body": f"Text by {editor.username} in round {round_}."}],
                initial=1,
                question=str(article.question.pk),
                topic=str(article.topic.pk),
                slug=article.slug,
                edit_version=str(article.version),
            )
            for editor in (author, second)
        }  # fmt: skip

        def save(article, by, posts=posts):
            return clients[by].post(change_url(article), posts[by])

        outcomes = race(article.pk, [author, second], save)

        codes = sorted(response.status_code for response in outcomes.values())
        assert codes == [200, 302], codes
        saved = next(e for e, r in outcomes.items() if r.status_code == 302)
        refused = next(e for e, r in outcomes.items() if r.status_code == 200)
        html = outcomes[refused].content.decode()
        assert "after you opened it, so your changes were not saved" in html
        assert f"Text by {refused.username} in round {round_}." in html  # input kept
        section.refresh_from_db()
        assert section.body == f"Text by {saved.username} in round {round_}."


def test_a_reader_during_a_glossary_change_does_not_keep_the_old_definition_cached(author):
    """The cache generation moves inside the writing transaction; a reader who renders the
    old rows before the commit must not pin them under the new generation."""
    from articles.models import GlossaryTerm
    from tests.factories import approved_term, workflow_to

    approved_term("stent", "A small mesh tube.")
    article = ArticleFactory(bottom_line="Put in a stent.")
    SectionFactory(article=article)
    article = workflow_to(article, "approved")
    url = f"{article.get_absolute_url()}?reader=patient"
    assert "A small mesh tube." in Client().get(url).content.decode()

    deleted, read = threading.Event(), threading.Event()

    def withdraw():
        try:
            with transaction.atomic():
                GlossaryTerm.objects.get(term="stent").delete()
                deleted.set()
                read.wait(timeout=10)  # a reader comes in before the commit
        finally:
            connection.close()

    writer = threading.Thread(target=withdraw)
    writer.start()
    assert deleted.wait(timeout=10)
    during = Client().get(url).content.decode()  # this thread: its own connection
    read.set()
    writer.join(timeout=30)
    assert "A small mesh tube." in during  # not committed yet: still the approved text
    assert "A small mesh tube." not in Client().get(url).content.decode()

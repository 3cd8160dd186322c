"""Specialties in the review, written once: whose field an article is (its topic's specialty),
who declared it (board members' profiles), and what follows — the review queue shows a
member's own specialties first, a submission is announced to the members of its specialty,
and approving (or confirming still current) outside one's specialties takes an explicit
confirmation, recorded on the approval, or is refused where the topic requires a match.

A board member without a profile has declared no specialty: everything is outside it."""

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, QuerySet, Value, When

from articles.models import Article, Specialty, Topic

from .roles import MEDICAL_ADVISORY_BOARD


def declared_by(user) -> QuerySet:
    """The specialties `user` declared on their board profile (none without a profile)."""
    return Specialty.objects.filter(board_members__user=user)


def within(article: Article, user) -> bool:
    """Whether `article`'s topic is in one of `user`'s declared specialties."""
    return declared_by(user).filter(pk=article.topic.specialty_id).exists()


def objection(article: Article, user) -> str | None:
    """Why `user` may not approve `article` at all for want of its specialty, or None."""
    topic = article.topic
    if topic.requires_specialty_match and not within(article, user):
        return (
            f"Only a board member in {topic.specialty.name} can approve articles in "
            f"“{topic.name}”; the chief editors require it for this topic. You have not "
            f"declared {topic.specialty.name} on your board profile."
        )
    return None


def needs_confirmation(article: Article, user) -> bool:
    """Whether approving `article` is outside `user`'s specialties (and allowed, with a
    confirmation): the review screen asks, the service insists."""
    return not article.topic.requires_specialty_match and not within(article, user)


def confirmation_prompt(article: Article) -> str:
    """The words of the box the board member ticks, naming what they confirm."""
    specialty = article.topic.specialty.name
    return (
        f"I approve outside my specialties: this article is in {specialty}, which I have not "
        "declared. The review log records this."
    )


def unconfirmed(article: Article) -> str:
    """The refusal when the confirmation was not given."""
    return (
        f"This article is in {article.topic.specialty.name}, outside the specialties on your "
        "board profile. Tick the box to confirm you approve it anyway (the review log "
        "records it), or leave it to a board member in that specialty."
    )


def self_declaration_objection(before: set, after: set) -> str | None:
    """Why a board member may not make this change to their own specialties, or None. Those
    of topics that require their specialty decide who may approve there: a chief editor
    records them (adding or removing), so nobody makes themselves an approver."""
    changed = before ^ after
    gated = Specialty.objects.filter(
        pk__in=[s.pk for s in changed], topics__requires_specialty_match=True
    ).distinct()
    names = sorted(s.name for s in gated)
    if not names:
        return None
    return (
        f"Only a chief editor can record {', '.join(names)} on a profile: some topics accept "
        "approvals only from board members in it. Ask a chief editor to record the change."
    )


def with_match(queryset: QuerySet, user) -> QuerySet:
    """Articles with `in_specialty`: whether their topic is in one of `user`'s specialties.
    The member's few specialties are read first, and an article's own topic decides (no
    join to topics), so the list stays one plain query that an index can order."""
    mine = list(declared_by(user).values_list("pk", flat=True))
    if not mine:
        return queryset.annotate(in_specialty=Value(False, output_field=BooleanField()))
    return queryset.annotate(
        in_specialty=Case(
            When(
                topic__in=Topic.objects.filter(specialty__in=mine).values("pk"),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def members_for(article: Article):
    """The active board members who declared `article`'s specialty, but not its authors
    (who may not review it)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=MEDICAL_ADVISORY_BOARD,
            reviewer_profile__specialties=article.topic.specialty_id,
        )
        .exclude(pk__in=article.authors.values("pk"))
        .distinct()
    )

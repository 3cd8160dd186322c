"""The Medical Advisory Board's public pages: who the board page lists, and what a member's
profile lists."""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404

from . import stamps
from .models import Listing, ReviewerProfile

REVIEWED_PER_PAGE = 20
# Moves whenever what the board page lists changes: a member's profile, name, account or
# specialties, or a specialty's name (articles/page_invalidation.py).
BOARD_STAMP = "vetted:board-stamp"


def members():
    """The board as its page lists it: every active member with a public profile."""
    return ReviewerProfile.objects.filter(user__is_active=True).prefetch_related("specialties")


def list_version() -> str:
    """What the board page's list is stored under (its `{% cache %}` fragment): the release
    and the board's stamp. A board of 84 took 14 ms to list, where 6 took 4: stored, the list
    is one read from the shared cache, whatever the board's size."""
    return f"{stamps.release()}:{stamps.read(BOARD_STAMP)[BOARD_STAMP]}"


def reviewed_by(user_id: int):
    """The articles whose current approval — the one readers see — is this member's, newest
    approval first: read from the catalogue (`Listing`), which holds the approved revision's
    headline and approval date, so no revision is loaded. An article whose stored text no
    longer matches what was signed is not shown as approved anywhere, nor here."""
    return (
        Listing.objects.approved()
        .filter(reviewer=user_id)
        .for_cards()
        .order_by("-reviewed_at", "-pk")
    )


def page_of(queryset, number: str | None, per_page: int | None = None) -> Page:
    """One page of `queryset` (REVIEWED_PER_PAGE to a page unless told); a page that is not
    a number or does not exist is a 404."""
    paginator = Paginator(queryset, per_page or REVIEWED_PER_PAGE)
    try:
        return paginator.page(number or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error

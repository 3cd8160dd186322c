"""The Medical Advisory Board's public pages: what a member's profile lists."""

from django.core.paginator import InvalidPage, Page, Paginator
from django.db import models
from django.db.models.fields.json import KT
from django.http import Http404

from .models import Article

REVIEWED_PER_PAGE = 20


def reviewed_by(user_id: int):
    """Articles whose current approval — the one readers see — is this member's, newest
    approval first. Each carries the approved revision's headline (`approved_headline`, read
    out of the revision in the query, not its whole text) and `approved_at`."""
    return (
        Article.objects.filter(approval__actor=user_id)
        .select_related("topic")
        .annotate(
            approved_headline=KT("approval__revision__content__headline"),
            approved_at=models.F("approval__created_at"),
        )
        .only("slug", "topic__name", "topic__slug")
        .order_by("-approval__created_at", "-pk")
    )


def page_of(queryset, number: str | None, per_page: int = REVIEWED_PER_PAGE) -> Page:
    """One page of `queryset`; a page that is not a number or does not exist is a 404."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(number or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error

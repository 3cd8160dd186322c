import datetime

from django import template
from django.utils import timezone
from django.utils.http import urlencode

from ..models import Article

register = template.Library()

# The three public steps of review; a draft has reached none of them.
STEPS = (
    (Article.Status.SUBMITTED, "Submitted"),
    (Article.Status.UNDER_REVIEW, "Under review"),
    (Article.Status.APPROVED, "Approved"),
)


@register.inclusion_tag("articles/tracker.html")
def review_tracker(status: str) -> dict:
    """The review-status tracker: each step is done, current or to come, said in words and
    shapes as well as colour."""
    reached = [value for value, _ in STEPS].index(status) if status in dict(STEPS) else -1
    steps = [
        {
            "label": label,
            "state": "done" if i < reached else "current" if i == reached else "todo",
        }
        for i, (_, label) in enumerate(STEPS)
    ]
    return {"steps": steps}


@register.filter
def machine_time(value) -> str:
    """A valid HTML `datetime` attribute value: a date as 2026-12-06, a moment as
    2026-12-06T10:15:00+00:00 in the current time zone (as the date shown beside it), never
    with the microseconds that `|date:'c'` writes and validators refuse. Anything else: ""."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.simple_tag(takes_context=True)
def page_address(context, article, reader=None) -> str:
    """The full address of the article as this reader reads it (for the printout)."""
    path = article.get_absolute_url()
    if reader is not None:
        path += "?" + urlencode({"reader": reader.slug})
    return context["request"].build_absolute_uri(path)

from django import template

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

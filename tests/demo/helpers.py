"""What the demo tests share: running the command and finding what it loaded."""

from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article
from demo import data as demo_content

USERNAMES = ["editor", "reviewer", "reviewer2", "chief"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_articles() -> list[Article]:
    slugs = [a["slug"] for a in demo_content.ARTICLES]
    return list(Article.objects.filter(slug__in=slugs).select_related("topic", "question"))


def demo_article(status: str) -> Article:
    data = next(a for a in demo_content.ARTICLES if a["status"] == status)
    return Article.objects.get(slug=data["slug"])


def article_data(slug: str) -> dict:
    return next(a for a in demo_content.ARTICLES if a["slug"] == slug)


def users() -> dict:
    return {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}


def row_counts() -> dict:
    """Rows in every table Django knows: models, history models, m2m tables."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


# The two articles with full patient variants.
HYPERTENSION = "hypertension-adults-starting-treatment"
DIABETES = "type-2-diabetes-add-on-to-metformin-cardiorenal"

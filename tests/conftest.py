import pytest

from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    UserFactory,
    workflow_to,
)


@pytest.fixture
def reference():
    return ReferenceFactory()


@pytest.fixture
def article():
    """A submitted article with one section: public while the site shows pending articles."""
    return workflow_to(ArticleFactory(), "submitted")


@pytest.fixture
def cited_article():
    """A submitted article: bottom line cites one reference, two sections cite three more."""
    refs = [ReferenceFactory(key=f"key{i}") for i in range(1, 5)]
    article = ArticleFactory(bottom_line="Treat early [@key2].")
    SectionFactory(article=article, position=1, heading="Why", body="Because [@key1; @key3].")
    SectionFactory(article=article, position=2, heading="How", body="Like this [@key4; @key2].")
    return workflow_to(article, "submitted"), refs


@pytest.fixture
def staff_user(django_user_model):
    """A staff member who may view (and so preview) articles."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="staff", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered articles are cached by revision id, and ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

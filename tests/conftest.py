import importlib

import pytest
from pytest_django.plugin import blocking_manager_key

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


# -- rows the migrations create --------------------------------------------------------------

# Data migrations whose rows the tests rely on (roles, reader types, site pages, settings).
_DATA_MIGRATIONS = [
    ("articles.migrations.0002_site_pages", "create_pages"),
    ("articles.migrations.0006_default_reader_types_and_plain_disclaimer", "create"),
    ("articles.migrations.0015_about_contact_privacy_pages", "create_pages"),
    ("accounts.migrations.0002_separation_of_duties", "update_roles"),
]


def _restore_migration_data() -> None:
    from django.apps import apps

    from articles.models import SiteSettings

    for module, function in _DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
    SiteSettings.load()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, the migrations' rows included. Put
    those back once it is done, so whatever runs next on this process (pytest-xdist hands
    tests out in no fixed order) finds the database as `migrate` left it."""
    yield
    # After the last test, the session's teardown has already put the real database back.
    if nextitem is not None and _is_transactional(item):
        with item.config.stash[blocking_manager_key].unblock():
            _restore_migration_data()

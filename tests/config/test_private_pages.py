"""Whatever a signed-in person sees is `Cache-Control: private, no-store` (config.middleware):
no shared cache or back button serves a draft, an admin page or the review screen to anyone
else. Readers' pages are left as they are."""

import pytest
from django.test import Client
from django.utils.cache import get_max_age

from reviews import roles
from tests.factories import (
    ArticleFactory,
    PageFactory,
    UserFactory,
    logged_in,
    staff,
    workflow_to,
)


def directives(response) -> set[str]:
    return {d.strip().lower() for d in response.headers.get("Cache-Control", "").split(",") if d}


def is_private(response) -> bool:
    return {"private", "no-store"} <= directives(response) and get_max_age(response) == 0


@pytest.fixture
def articles(db):
    return {
        "approved": workflow_to(ArticleFactory(), "approved"),
        "draft": ArticleFactory(),
        "page": PageFactory(slug="about-us"),
    }


def public_urls(articles):
    approved = articles["approved"].get_absolute_url()
    return [
        "/",
        approved,
        f"{approved}?reader=patient",
        articles["page"].get_absolute_url(),
        "/board/",
        f"/reader/?reader=patient&next={approved}",
        "/no-such-page/",
    ]


def test_readers_pages_are_left_alone(articles):
    reader = Client()
    for url in public_urls(articles):
        response = reader.get(url)
        assert response.status_code in (200, 302, 404), url
        assert not directives(response) & {"private", "no-store", "no-cache"}, url
        assert "sessionid" not in response.cookies, url


def test_every_page_is_private_to_a_signed_in_editor(articles):
    editor = logged_in(staff(roles.EDITORS))
    approved, draft = articles["approved"], articles["draft"]
    urls = [
        *public_urls(articles),
        f"{draft.get_absolute_url()}?preview=1",
        f"{approved.get_absolute_url()}?preview=1",
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{draft.pk}/change/",
        f"/admin/articles/article/{draft.pk}/review/",
        f"/admin/articles/article/{approved.pk}/revisions/",
        "/admin/articles/article/999999/review/",  # a 404 inside the admin
    ]
    for url in urls:
        response = editor.get(url)
        assert response.status_code in (200, 302, 404), url
        assert is_private(response), (url, response.headers.get("Cache-Control"))


def test_the_draft_preview_is_private(articles):
    draft = articles["draft"]
    response = logged_in(staff(roles.EDITORS)).get(f"{draft.get_absolute_url()}?preview=1")
    assert response.status_code == 200
    assert draft.headline in response.content.decode()
    assert is_private(response)


def test_a_signed_in_user_without_staff_rights_is_private_too(articles):
    response = logged_in(UserFactory()).get(articles["approved"].get_absolute_url())
    assert response.status_code == 200
    assert is_private(response)


def test_signing_in_and_out_are_private(db):
    user = staff(roles.EDITORS)
    client = Client()
    signed_in = client.post(
        "/admin/login/",
        {"username": user.username, "password": "correct horse battery staple"},
    )
    assert signed_in.status_code == 302
    assert "sessionid" in signed_in.cookies
    assert is_private(signed_in)
    signed_out = client.post("/admin/logout/")
    assert signed_out.status_code == 200
    assert is_private(signed_out)

"""The permission matrix: every URL of the project, for every role, with the outcome it must
give. The routes are read from the URL resolver (the admin's included), so a new URL without
an entry in `EXPECTED` fails `test_every_url_has_an_entry_in_the_matrix`.

The matrix is driven with GET; a few POSTs follow for the actions that change state."""

import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import AccountEvent
from articles.models import (
    Article,
    GlossaryTerm,
    ReaderType,
    ReviewerProfile,
    ReviewEvent,
    Revision,
    SiteSettings,
)
from outbox.models import Message
from reviews import roles
from tests.factories import (
    ArticleFactory,
    PageFactory,
    QuestionFactory,
    ReferenceFactory,
    SectionFactory,
    SpecialtyFactory,
    TopicFactory,
    UserFactory,
    user_with_role,
    workflow_to,
)

ANON, EDITOR, REVIEWER, CHIEF = "anonymous", "editor", "reviewer", "chief editor"
ACCOUNTS = "account administrator"
ROLES = (ANON, EDITOR, REVIEWER, CHIEF, ACCOUNTS)
OWNER = "the profile's own board member"  # not a column of the matrix: world.profile's user

# Outcomes other than a plain status code: a 302 to …
LOGIN = "302 to login"  # …the admin login page, with ?next= the page asked for
INDEX = "302 to admin index"
CHANGE = "302 to change page"  # …the change page of the object in the URL
SITE = "302 to public page"  # …the object's public page (the admin's "View on site")
SETUP = "302 to two-factor set-up"
SEND_LINK = "302 to send link"  # …the page that e-mails a password link


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def staff(editor, reviewer, chief, accounts=403):
    """An admin page: anonymous visitors are sent to the login page. Account administrators
    see accounts and nothing editorial unless said otherwise."""
    return {ANON: LOGIN, EDITOR: editor, REVIEWER: reviewer, CHIEF: chief, ACCOUNTS: accounts}


ALL_STAFF = staff(200, 200, 200)
EVERY_STAFF = staff(200, 200, 200, 200)  # the admin's own pages, account administrators too
NOBODY = staff(403, 403, 403)
CHIEF_ONLY = staff(403, 403, 200)
ACCOUNTS_ONLY = staff(403, 403, 403, 200)
CHIEF_AND_ACCOUNTS = staff(403, 403, 200, 200)
VIEW_ALL_EDIT_STAFF = {  # editors and chief editors write, reviewers read
    "changelist": ALL_STAFF,
    "add": staff(200, 403, 200),
    "change": ALL_STAFF,  # reviewers: read-only (see test_view_only_change_pages)
    "history": ALL_STAFF,
}

# `route` or `route [variant]` (the same route with other arguments) → role → outcome.
EXPECTED = {
    # --- the public site ---------------------------------------------------------------------
    "articles:home": everyone(200),
    "articles:list": everyone(200),
    "articles:topic": everyone(200),
    "articles:detail": everyone(200),  # an approved article
    "articles:detail [draft]": {ANON: 404, EDITOR: 200, REVIEWER: 200, CHIEF: 200, ACCOUNTS: 404},
    "articles:follow_up": everyone(405),  # POST only
    "articles:follow_up_suggestions": everyone(405),  # POST only (the reader's words)
    "articles:follow_up_sent": everyone(200),  # without its signed address: says it expired
    "articles:page": everyone(200),
    "articles:reader": everyone(SITE),  # remembers the choice, back to the article
    "articles:board": everyone(200),
    "articles:profile": everyone(200),
    "articles:feed": everyone(200),  # Atom, newly approved articles
    # Files for reference managers: the public revision's, for everyone alike; never a draft.
    "articles:cite": everyone(200),
    "articles:cite [draft]": everyone(404),
    "articles:cited_references": everyone(200),
    "articles:cited_references [draft]": everyone(404),
    # for crawlers and browsers, at the site's root
    "sitemap": everyone(200),
    "sitemap_section": everyone(200),
    "robots": everyone(200),
    "favicon": everyone(200),
    # --- the admin site ----------------------------------------------------------------------
    "admin:index": EVERY_STAFF,
    "admin:login": {ANON: 200, EDITOR: INDEX, REVIEWER: INDEX, CHIEF: INDEX, ACCOUNTS: INDEX},
    "admin:logout": {ANON: INDEX, EDITOR: 405, REVIEWER: 405, CHIEF: 405, ACCOUNTS: 405},
    "admin:password_change": EVERY_STAFF,
    "admin:password_change_done": EVERY_STAFF,
    "admin:autocomplete": ALL_STAFF,  # topics, from the article form
    "admin:autocomplete [user]": CHIEF_AND_ACCOUNTS,  # users, from the reviewer profile form
    "admin:jsi18n": EVERY_STAFF,
    "admin:view_on_site": staff(SITE, SITE, SITE, SITE),
    "admin:app_list": staff(200, 200, 200, 404),  # articles
    "admin:app_list [auth]": staff(404, 404, 200, 200),
    "admin:app_list [references]": staff(200, 200, 200, 404),
    "admin:app_list [reviews]": staff(404, 200, 404, 404),  # the review queue only
    "admin/(?P<url>.*)$": staff(404, 404, 404, 404),  # the admin's catch-all
    # auth: account administrators manage accounts; chief editors read them; nobody else
    "admin:auth_group_changelist": CHIEF_AND_ACCOUNTS,
    "admin:auth_group_add": NOBODY,
    "admin:auth_group_change": CHIEF_AND_ACCOUNTS,  # read-only
    "admin:auth_group_history": CHIEF_AND_ACCOUNTS,
    "admin:auth_group_delete": NOBODY,
    "admin/auth/group/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    "admin:auth_user_changelist": CHIEF_AND_ACCOUNTS,
    "admin:auth_user_add": ACCOUNTS_ONLY,
    "admin:auth_user_change": CHIEF_AND_ACCOUNTS,  # chief editors: read-only
    "admin:auth_user_history": CHIEF_AND_ACCOUNTS,
    "admin:auth_user_delete": NOBODY,  # deactivated, never deleted
    # Nobody types another person's password: to the page that e-mails them a link.
    "admin:auth_user_password_change": staff(403, 403, 403, SEND_LINK),
    "admin:auth_user_send_link": ACCOUNTS_ONLY,
    "admin/auth/user/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    "admin:app_list [accounts]": staff(404, 404, 200, 200),
    "admin:accounts_accountevent_changelist": CHIEF_AND_ACCOUNTS,
    "admin:accounts_accountevent_add": NOBODY,
    "admin:accounts_accountevent_change": CHIEF_AND_ACCOUNTS,  # read-only
    "admin:accounts_accountevent_history": CHIEF_AND_ACCOUNTS,
    "admin:accounts_accountevent_delete": NOBODY,
    "admin/accounts/accountevent/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    # outgoing mail: chief editors see what was not delivered and retry it
    "admin:app_list [outbox]": staff(404, 404, 200, 404),
    "admin:outbox_message_changelist": CHIEF_ONLY,
    "admin:outbox_message_add": NOBODY,
    "admin:outbox_message_change": CHIEF_ONLY,  # read-only
    "admin:outbox_message_history": CHIEF_ONLY,
    "admin:outbox_message_delete": NOBODY,
    "admin/outbox/message/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    # signing in: the second factor (signed-in people only) and password links (anyone)
    # Without a device yet, the page to confirm one leads to setting one up.
    "accounts:two_factor": {ANON: LOGIN, **dict.fromkeys(ROLES[1:], SETUP)},
    "accounts:two_factor_setup": {ANON: LOGIN, **dict.fromkeys(ROLES[1:], 200)},
    "accounts:password_reset": everyone(200),
    "accounts:password_reset_done": everyone(200),
    "accounts:password_reset_confirm": everyone(200),  # an invalid link: says so
    "accounts:password_reset_complete": everyone(200),
    "admin_password_reset": everyone("302 to password reset"),  # the admin's link to it
    # references
    "admin:references_reference_changelist": VIEW_ALL_EDIT_STAFF["changelist"],
    "admin:references_reference_add": VIEW_ALL_EDIT_STAFF["add"],
    "admin:references_reference_change": VIEW_ALL_EDIT_STAFF["change"],
    "admin:references_reference_history": VIEW_ALL_EDIT_STAFF["history"],
    "admin:references_reference_simple_history": ALL_STAFF,  # view only: revert is disabled
    "admin:references_reference_delete": CHIEF_ONLY,
    "admin:references_reference_import": staff(200, 403, 200),  # add_reference; upload + preview
    "admin:references_reference_import_confirm": staff(405, 403, 405),  # POST only
    "admin:references_reference_merge": CHIEF_ONLY,  # reviews/merge_admin.py
    "admin/references/reference/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    # articles
    "admin:articles_topic_changelist": VIEW_ALL_EDIT_STAFF["changelist"],
    "admin:articles_topic_add": VIEW_ALL_EDIT_STAFF["add"],
    "admin:articles_topic_change": VIEW_ALL_EDIT_STAFF["change"],
    "admin:articles_topic_history": VIEW_ALL_EDIT_STAFF["history"],
    "admin:articles_topic_simple_history": ALL_STAFF,  # view only: revert is disabled
    "admin:articles_topic_delete": CHIEF_ONLY,
    "admin/articles/topic/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    # specialties: chief editors keep the list; editors and reviewers read it
    "admin:articles_specialty_changelist": ALL_STAFF,
    "admin:articles_specialty_add": CHIEF_ONLY,
    "admin:articles_specialty_change": ALL_STAFF,  # editors and reviewers: read-only
    "admin:articles_specialty_history": ALL_STAFF,
    "admin:articles_specialty_simple_history": ALL_STAFF,  # view only: revert is disabled
    "admin:articles_specialty_delete": CHIEF_ONLY,  # says its topics keep it (PROTECT)
    "admin/articles/specialty/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    "admin:articles_article_changelist": VIEW_ALL_EDIT_STAFF["changelist"],
    "admin:articles_article_add": VIEW_ALL_EDIT_STAFF["add"],
    "admin:articles_article_change": VIEW_ALL_EDIT_STAFF["change"],
    "admin:articles_article_history": VIEW_ALL_EDIT_STAFF["history"],
    "admin:articles_article_simple_history": ALL_STAFF,
    "admin:articles_article_delete": NOBODY,  # unpublished, never deleted
    "admin:articles_article_review": ALL_STAFF,
    "admin:articles_article_review [draft]": ALL_STAFF,
    # No editorial role: refused before the address is even looked up.
    "admin:articles_article_review [unknown id]": staff(404, 404, 404, 403),
    "admin:articles_article_revisions": ALL_STAFF,
    "admin:articles_article_revisions [unknown id]": staff(404, 404, 404, 403),
    "admin/articles/article/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    # the article form's live preview (POST only, for those who write) and key completion
    "admin:articles_article_editor_preview": staff(405, 403, 405),
    "admin:articles_article_editor_keys": ALL_STAFF,
    "admin:articles_question_changelist": VIEW_ALL_EDIT_STAFF["changelist"],
    "admin:articles_question_add": VIEW_ALL_EDIT_STAFF["add"],
    "admin:articles_question_change": VIEW_ALL_EDIT_STAFF["change"],
    "admin:articles_question_history": VIEW_ALL_EDIT_STAFF["history"],
    "admin:articles_question_simple_history": VIEW_ALL_EDIT_STAFF["history"],
    "admin:articles_question_delete": CHIEF_ONLY,
    "admin/articles/question/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    "admin:articles_readertype_changelist": ALL_STAFF,
    "admin:articles_readertype_add": CHIEF_ONLY,
    "admin:articles_readertype_change": ALL_STAFF,  # editors and reviewers: read-only
    "admin:articles_readertype_history": ALL_STAFF,
    "admin:articles_readertype_delete": NOBODY,  # variants and revisions refer to them
    "admin/articles/readertype/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    "admin:articles_glossaryterm_changelist": ALL_STAFF,
    "admin:articles_glossaryterm_add": staff(200, 403, 200),
    "admin:articles_glossaryterm_change": ALL_STAFF,  # reviewers: read-only
    "admin:articles_glossaryterm_history": ALL_STAFF,
    "admin:articles_glossaryterm_simple_history": ALL_STAFF,
    "admin:articles_glossaryterm_delete": CHIEF_ONLY,
    "admin/articles/glossaryterm/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    "admin:articles_page_changelist": CHIEF_ONLY,
    "admin:articles_page_add": CHIEF_ONLY,
    "admin:articles_page_change": CHIEF_ONLY,
    "admin:articles_page_history": CHIEF_ONLY,
    "admin:articles_page_simple_history": CHIEF_ONLY,
    "admin:articles_page_delete": NOBODY,
    "admin/articles/page/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    # reviews: the review log and the revisions are append-only, for everyone
    "admin:articles_reviewevent_changelist": ALL_STAFF,
    "admin:articles_reviewevent_add": NOBODY,
    "admin:articles_reviewevent_change": ALL_STAFF,  # read-only
    "admin:articles_reviewevent_history": ALL_STAFF,
    "admin:articles_reviewevent_delete": NOBODY,
    "admin/articles/reviewevent/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    "admin:articles_revision_changelist": ALL_STAFF,
    "admin:articles_revision_add": NOBODY,
    "admin:articles_revision_change": ALL_STAFF,  # read-only
    "admin:articles_revision_history": ALL_STAFF,
    "admin:articles_revision_delete": NOBODY,
    "admin/articles/revision/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    # the Medical Advisory Board's queue
    "admin:reviews_reviewqueueitem_changelist": staff(403, 200, 403),
    "admin:reviews_reviewqueueitem_add": NOBODY,
    "admin:reviews_reviewqueueitem_change": staff(403, 200, 403),  # read-only
    "admin:reviews_reviewqueueitem_history": staff(403, 200, 403),
    "admin:reviews_reviewqueueitem_delete": NOBODY,
    "admin/reviews/reviewqueueitem/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    "admin:articles_reviewerprofile_changelist": staff(403, 200, 200),
    "admin:articles_reviewerprofile_add": CHIEF_ONLY,
    "admin:articles_reviewerprofile_change": staff(403, 200, 200),  # reviewers: read-only
    "admin:articles_reviewerprofile_history": staff(403, 200, 200),
    "admin:articles_reviewerprofile_simple_history": staff(403, 200, 200),
    "admin:articles_reviewerprofile_delete": NOBODY,
    "admin/articles/reviewerprofile/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
    "admin:articles_sitesettings_changelist": CHIEF_ONLY,
    "admin:articles_sitesettings_add": NOBODY,  # one row, made by a migration
    "admin:articles_sitesettings_change": CHIEF_ONLY,
    "admin:articles_sitesettings_history": CHIEF_ONLY,
    "admin:articles_sitesettings_simple_history": CHIEF_ONLY,
    "admin:articles_sitesettings_delete": NOBODY,
    "admin/articles/sitesettings/<path:object_id>/": staff(CHANGE, CHANGE, CHANGE, CHANGE),
}


# --- the routes ----------------------------------------------------------------------------


def walk(patterns, prefix="", namespace=None):
    """(key, pattern) for every route: `namespace:name`, or the full pattern when unnamed."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        else:
            assert isinstance(pattern, URLPattern)
            full = prefix + str(pattern.pattern)
            if pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), full
            else:
                yield full, full


def project_routes() -> set[str]:
    return {key for key, _ in walk(get_resolver().url_patterns)}


def route_of(case: str) -> str:
    return case.split(" [")[0]


# Which object each admin model's routes are opened on (attribute names of `world`).
ADMIN_OBJECT = {
    "auth_group": "group",
    "auth_user": "user",
    "references_reference": "reference",
    "articles_topic": "topic",
    "articles_specialty": "specialty",
    "articles_article": "approved",
    "articles_question": "question",
    "articles_page": "page",
    "articles_readertype": "reader_type",
    "articles_glossaryterm": "glossary_term",
    "articles_reviewevent": "approval",
    "articles_revision": "revision",
    "reviews_reviewqueueitem": "submitted",  # unassigned and awaiting review: in the queue
    "articles_reviewerprofile": "profile",
    "articles_sitesettings": "site_settings",
    "accounts_accountevent": "account_event",
    "outbox_message": "message",
}
ADMIN_UNNAMED = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/$")

# Routes and variants whose arguments are not an admin model's object.
URLS = {
    "articles:detail": lambda w: reverse("articles:detail", args=[w.approved.slug]),
    "articles:detail [draft]": lambda w: reverse("articles:detail", args=[w.draft.slug]),
    "articles:follow_up": lambda w: reverse("articles:follow_up", args=[w.approved.slug]),
    "articles:cite": lambda w: reverse("articles:cite", args=[w.approved.slug, "ris"]),
    "articles:cite [draft]": lambda w: reverse("articles:cite", args=[w.draft.slug, "bib"]),
    "articles:cited_references": lambda w: reverse(
        "articles:cited_references", args=[w.approved.slug, "bib"]
    ),
    "articles:cited_references [draft]": lambda w: reverse(
        "articles:cited_references", args=[w.draft.slug, "ris"]
    ),
    "articles:follow_up_suggestions": lambda w: reverse(
        "articles:follow_up_suggestions", args=[w.approved.slug]
    ),
    "articles:follow_up_sent": lambda w: reverse("articles:follow_up_sent", args=[w.approved.slug]),
    "articles:page": lambda w: reverse("articles:page", args=[w.page.slug]),
    "articles:topic": lambda w: reverse("articles:topic", args=[w.approved.topic.slug]),
    "articles:profile": lambda w: reverse("articles:profile", args=[w.profile.slug]),
    "sitemap_section": lambda w: reverse("sitemap_section", args=["articles"]),
    "articles:reader": lambda w: (
        reverse("articles:reader") + f"?reader=&next={w.approved.get_absolute_url()}"
    ),
    "admin:autocomplete": lambda w: (
        reverse("admin:autocomplete") + "?app_label=articles&model_name=article&field_name=topic"
    ),
    "admin:autocomplete [user]": lambda w: (
        reverse("admin:autocomplete")
        + "?app_label=articles&model_name=reviewerprofile&field_name=user"
    ),
    "admin:view_on_site": lambda w: reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, w.approved.pk]
    ),
    "admin:app_list": lambda w: reverse("admin:app_list", args=["articles"]),
    "admin:app_list [auth]": lambda w: reverse("admin:app_list", args=["auth"]),
    "admin:app_list [references]": lambda w: reverse("admin:app_list", args=["references"]),
    "admin:app_list [reviews]": lambda w: reverse("admin:app_list", args=["reviews"]),
    "admin:app_list [accounts]": lambda w: reverse("admin:app_list", args=["accounts"]),
    "admin:app_list [outbox]": lambda w: reverse("admin:app_list", args=["outbox"]),
    "accounts:password_reset_confirm": lambda w: reverse(
        "accounts:password_reset_confirm", args=["MQ", "no-such-token"]
    ),
    "admin/(?P<url>.*)$": lambda w: "/admin/no-such-page/",
    "admin:articles_article_editor_preview": lambda w: reverse(
        "admin:articles_article_editor_preview"
    ),
    "admin:articles_article_editor_keys": lambda w: (
        reverse("admin:articles_article_editor_keys") + "?q=a"
    ),
    "admin:articles_article_review [draft]": lambda w: reverse(
        "admin:articles_article_review", args=[w.draft.pk]
    ),
    "admin:articles_article_review [unknown id]": lambda w: reverse(
        "admin:articles_article_review", args=["no-such-article"]
    ),
    "admin:articles_article_revisions [unknown id]": lambda w: reverse(
        "admin:articles_article_revisions", args=["no-such-article"]
    ),
}


def obj_is_user_link(location, world) -> bool:
    return location == reverse("admin:auth_user_send_link", args=[world.user.pk])


def admin_object(case, world):
    """The object an admin model route of `case` is about, and its model's `app_model`."""
    route = route_of(case)
    if match := ADMIN_UNNAMED.match(route):
        app_model = f"{match['app']}_{match['model']}"
    else:
        app_model = next((name for name in ADMIN_OBJECT if route.startswith(f"admin:{name}_")), "")
    return (getattr(world, ADMIN_OBJECT[app_model]), app_model) if app_model else (None, None)


def url_for(case, world) -> str:
    if case in URLS:
        return URLS[case](world)
    route = route_of(case)
    obj, app_model = admin_object(case, world)
    if obj is None:
        return reverse(route)  # a route without arguments; raises if it has some
    if ADMIN_UNNAMED.match(route):
        return route.replace("<path:object_id>", str(obj.pk)).replace("admin/", "/admin/", 1)
    action = route.removeprefix(f"admin:{app_model}_")
    if action in ("changelist", "add", "import", "import_confirm"):  # no object in the route
        return reverse(route)
    if action == "simple_history":
        return reverse(route, args=[obj.pk, obj.history.first().history_id])
    return reverse(route, args=[obj.pk])


def outcome(response, url, case, world):
    """The status code, or for a redirect, which kind of redirect it is."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    parts = urlsplit(location)
    if parts.path == reverse("admin:login") and parse_qs(parts.query).get("next") == [url]:
        return LOGIN
    if location == reverse("admin:index"):
        return INDEX
    if parts.path == reverse("accounts:two_factor_setup"):
        return SETUP
    if parts.path == reverse("accounts:password_reset"):
        return "302 to password reset"
    if obj_is_user_link(location, world):
        return SEND_LINK
    if location in (
        world.approved.get_absolute_url(),
        f"http://testserver{world.approved.get_absolute_url()}",
    ):
        return SITE
    obj, app_model = admin_object(case, world)
    if obj is not None and location == reverse(f"admin:{app_model}_change", args=[obj.pk]):
        return CHANGE
    return f"302 to {location}"


# --- the people and the things -------------------------------------------------------------


@pytest.fixture
def people(db):
    return {
        ANON: None,
        EDITOR: user_with_role(roles.EDITORS, username="eddie", is_staff=True),
        REVIEWER: user_with_role(roles.MEDICAL_ADVISORY_BOARD, username="rita", is_staff=True),
        CHIEF: user_with_role(roles.CHIEF_EDITORS, username="chief", is_staff=True),
        ACCOUNTS: user_with_role(roles.ACCOUNT_ADMINISTRATORS, username="keys", is_staff=True),
    }


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(db):
    author = user_with_role(roles.EDITORS, username="author", is_staff=True)
    board_member = user_with_role(roles.MEDICAL_ADVISORY_BOARD, username="ana", is_staff=True)
    specialty = SpecialtyFactory(name="Cardiology", schema_org="Cardiovascular")
    profile = ReviewerProfile.objects.create(
        user=board_member,
        slug="ana-ruiz",
        display_name="Ana Ruiz",
        credentials="MD",
        disclosures="None declared.",
    )
    profile.specialties.add(specialty)
    # In Ana's specialty: an ordinary approval, no confirmation needed.
    approved = workflow_to(
        ArticleFactory(topic=TopicFactory(specialty=specialty)),
        "approved",
        editor=author,
        reviewer=board_member,
    )
    draft = ArticleFactory()
    SectionFactory(article=draft)
    draft.authors.add(author)
    submitted = workflow_to(ArticleFactory(), "submitted", editor=author)
    site_settings = SiteSettings.load()
    site_settings.save()  # a history row to open
    return SimpleNamespace(
        author=author,
        approved=approved,
        draft=draft,
        submitted=submitted,
        approval=approved.approval,
        revision=approved.approval.revision,
        topic=approved.topic,
        specialty=specialty,
        question=QuestionFactory(source="reader"),
        reference=ReferenceFactory(),
        page=PageFactory(slug="how-we-review"),
        reader_type=ReaderType.objects.get(slug="patient"),
        glossary_term=GlossaryTerm.objects.create(
            term="Hypertension", definition="High blood pressure."
        ),
        profile=profile,
        site_settings=site_settings,
        group=Group.objects.get(name=roles.EDITORS),
        user=UserFactory(username="someone", is_staff=True),
        account_event=AccountEvent.objects.filter(user__username="someone").first(),
        message=Message.objects.create(
            recipients=["chief@example.org"],
            subject="Approved",
            body="…",
            next_attempt_at=timezone.now(),
        ),  # fmt: skip
    )


# --- the matrix ----------------------------------------------------------------------------


def test_every_url_has_an_entry_in_the_matrix():
    routes = project_routes()
    covered = {route_of(case) for case in EXPECTED}
    assert sorted(routes - covered) == [], "URLs without an entry in EXPECTED"
    assert sorted(covered - routes) == [], "EXPECTED entries for URLs that no longer exist"
    assert [case for case, row in EXPECTED.items() if set(row) != set(ROLES)] == []


def test_the_route_walk_finds_public_admin_and_custom_routes():
    routes = project_routes()
    assert {
        "articles:home",
        "articles:profile",
        "admin:index",
        "admin:articles_article_review",
        "admin:articles_article_simple_history",
        "admin:reviews_reviewqueueitem_changelist",
        "admin/(?P<url>.*)$",
    } <= routes


def test_no_admin_for_history_tables():
    """History is append-only: the historical models have no admin pages at all."""
    assert [
        model for model in admin.site._registry if model._meta.model_name.startswith("historical")
    ] == []
    assert [route for route in project_routes() if "historical" in route.lower()] == []


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_get_matrix(case, people, world):
    url = url_for(case, world)
    actual = {role: outcome(client_for(people[role]).get(url), url, case, world) for role in ROLES}
    assert actual == EXPECTED[case], url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("admin:index", 200),
        ("admin:articles_article_review", 403),
        ("admin:articles_article_revisions", 403),
        ("admin:articles_article_changelist", 403),
        ("admin:articles_article_change", 403),
        ("admin:articles_article_editor_preview", 403),
        ("admin:articles_article_editor_keys", 403),
        ("admin:articles_reviewevent_changelist", 403),
        ("admin:reviews_reviewqueueitem_changelist", 403),
        ("articles:detail [draft]", 404),
    ],
)
def test_staff_without_a_role_gets_nothing(case, status, world):
    """Deny by default: the staff flag alone opens the admin's door, nothing behind it."""
    response = client_for(UserFactory(is_staff=True)).get(url_for(case, world))
    assert response.status_code == status


# --- read-only pages -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "obj", "role", "can_save"),
    [
        ("admin:articles_article_change", "approved", EDITOR, True),
        ("admin:articles_article_change", "approved", REVIEWER, False),
        ("admin:articles_article_change", "approved", CHIEF, True),
        ("admin:articles_question_change", "question", REVIEWER, False),
        ("admin:references_reference_change", "reference", REVIEWER, False),
        # A board member may change only their own profile: the REVIEWER (rita) has none,
        # and world.profile is Ana's, so for rita it stays read-only; Ana may save hers.
        ("admin:articles_reviewerprofile_change", "profile", REVIEWER, False),
        ("admin:articles_reviewerprofile_change", "profile", OWNER, True),
        ("admin:articles_reviewerprofile_change", "profile", CHIEF, True),
        ("admin:articles_specialty_change", "specialty", EDITOR, False),
        ("admin:articles_specialty_change", "specialty", REVIEWER, False),
        ("admin:articles_specialty_change", "specialty", CHIEF, True),
        ("admin:articles_topic_change", "topic", REVIEWER, False),
        ("admin:articles_sitesettings_change", "site_settings", CHIEF, True),
        ("admin:auth_group_change", "group", CHIEF, False),
        ("admin:articles_reviewevent_change", "approval", CHIEF, False),
        ("admin:articles_revision_change", "revision", CHIEF, False),
        ("admin:reviews_reviewqueueitem_change", "submitted", REVIEWER, False),
    ],
)
def test_view_only_change_pages(route, obj, role, can_save, people, world):
    user = world.profile.user if role == OWNER else people[role]
    response = client_for(user).get(reverse(route, args=[getattr(world, obj).pk]))
    assert response.status_code == 200
    assert ('name="_save"' in response.content.decode()) is can_save


@pytest.mark.django_db
def test_reviewer_cannot_post_an_article_change_or_add(people, world):
    client = client_for(people[REVIEWER])
    change = reverse("admin:articles_article_change", args=[world.approved.pk])
    response = client.post(change, {"headline": "Changed by a reviewer"})
    assert response.status_code == 403
    assert client.post(reverse("admin:articles_article_add"), {}).status_code == 403
    world.approved.refresh_from_db()
    assert world.approved.headline != "Changed by a reviewer"
    assert Article.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status", "switched"), [(EDITOR, 403, False), (CHIEF, 302, True)])
def test_only_chief_editors_switch_the_site_settings(role, status, switched, people, world):
    assert world.site_settings.show_unapproved_articles is True
    url = reverse("admin:articles_sitesettings_change", args=[world.site_settings.pk])
    response = client_for(people[role]).post(url, {})  # the checkbox unticked
    assert response.status_code == status
    assert SiteSettings.load().show_unapproved_articles is (not switched)


# --- nobody, not even a superuser ----------------------------------------------------------

APPEND_ONLY = [
    ("get", "admin:articles_reviewevent_add", None),
    ("post", "admin:articles_reviewevent_add", None),
    ("post", "admin:articles_reviewevent_change", "approval"),
    ("get", "admin:articles_reviewevent_delete", "approval"),
    ("post", "admin:articles_reviewevent_delete", "approval"),
    ("get", "admin:articles_revision_add", None),
    ("post", "admin:articles_revision_add", None),
    ("post", "admin:articles_revision_change", "revision"),
    ("get", "admin:articles_revision_delete", "revision"),
    ("post", "admin:articles_revision_delete", "revision"),
    ("get", "admin:articles_article_delete", "approved"),
    ("post", "admin:articles_article_delete", "approved"),
    ("get", "admin:articles_sitesettings_add", None),
    ("post", "admin:articles_sitesettings_delete", "site_settings"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [EDITOR, REVIEWER, CHIEF, "superuser"])
@pytest.mark.parametrize(("method", "route", "obj"), APPEND_ONLY)
def test_nobody_adds_changes_or_deletes_history(method, route, obj, role, people, world):
    user = UserFactory(is_staff=True, is_superuser=True) if role == "superuser" else people[role]
    counts = (
        ReviewEvent.objects.count(),
        Revision.objects.count(),
        Article.objects.count(),
        SiteSettings.objects.count(),
    )
    approval_comment = world.approval.comment
    url = reverse(route, args=[getattr(world, obj).pk] if obj else [])
    data = {"post": "yes", "comment": "Rewritten", "action": "approved", "number": "9"}
    response = getattr(client_for(user), method)(url, data if method == "post" else None)
    assert response.status_code == 403
    assert counts == (
        ReviewEvent.objects.count(),
        Revision.objects.count(),
        Article.objects.count(),
        SiteSettings.objects.count(),
    )
    world.approval.refresh_from_db()
    assert world.approval.comment == approval_comment


@pytest.mark.django_db
@pytest.mark.parametrize("role", [EDITOR, REVIEWER, CHIEF, "superuser"])
@pytest.mark.parametrize(
    ("route", "obj"),
    [
        ("admin:articles_article_simple_history", "approved"),
        ("admin:references_reference_simple_history", "reference"),
        ("admin:articles_page_simple_history", "page"),
        ("admin:articles_question_simple_history", "question"),
        ("admin:articles_glossaryterm_simple_history", "glossary_term"),
        ("admin:articles_reviewerprofile_simple_history", "profile"),
        ("admin:articles_topic_simple_history", "topic"),
        ("admin:articles_specialty_simple_history", "specialty"),
        ("admin:articles_sitesettings_simple_history", "site_settings"),
    ],
)
def test_nobody_reverts_through_the_history_pages(route, obj, role, people, world):
    """simple-history's version page would save whatever is posted to it, checking only the
    *view* permission; restoring goes through the Revisions screen instead."""
    user = UserFactory(is_staff=True, is_superuser=True) if role == "superuser" else people[role]
    target = getattr(world, obj)
    rows = type(target).history.count()
    url = reverse(route, args=[target.pk, target.history.first().history_id])
    data = {
        "headline": "Reverted",
        "title": "Reverted",
        "name": "Reverted",
        "display_name": "Reverted",
        "question": str(world.approved.question_id),
        "slug": "reverted",
        "topic": str(world.approved.topic_id),
        "bottom_line": "Reverted.",
        "edit_version": str(world.approved.version),
        "key": "reverted",
        "kind": "research",
        "body": "Reverted.",
        "credentials": "MD",
        "specialty": str(world.specialty.pk),
        "specialties": str(world.specialty.pk),
        "review_interval_months": "12",
        "disclosures": "None.",
        "user": str(world.profile.user_id),
    }
    response = client_for(user).post(url, data)
    assert response.status_code == 403
    assert type(target).history.count() == rows
    for model_obj in (
        world.approved,
        world.reference,
        world.page,
        world.profile,
        world.topic,
        world.specialty,
    ):
        model_obj.refresh_from_db()
    assert world.approved.headline != "Reverted"
    assert world.topic.name != "Reverted"
    assert world.specialty.name != "Reverted"
    assert world.reference.key != "reverted"
    assert world.page.title != "Reverted"
    assert world.profile.display_name != "Reverted"
    assert SiteSettings.load().show_unapproved_articles is True  # unticked in `data`


# --- the review screen ---------------------------------------------------------------------


@pytest.fixture
def under_review(world):
    return workflow_to(ArticleFactory(), "under_review", editor=world.author)


@pytest.mark.django_db
def test_editor_posting_approve_gets_an_error_and_nothing_changes(people, under_review):
    events = under_review.review_events.count()
    url = reverse("admin:articles_article_review", args=[under_review.pk])
    response = client_for(people[EDITOR]).post(
        url, {"action": "approve", "seen_revision": under_review.submitted_revision_id}
    )
    assert response.status_code == 409
    assert "You may not approve articles" in response.content.decode()
    under_review.refresh_from_db()
    assert under_review.status == Article.Status.UNDER_REVIEW
    assert under_review.approval_id is None
    assert under_review.review_events.count() == events


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["approve", "request_changes", "start_review", "unpublish"])
def test_anonymous_post_to_the_review_screen_is_sent_to_login(action, under_review):
    events = under_review.review_events.count()
    url = reverse("admin:articles_article_review", args=[under_review.pk])
    response = Client().post(url, {"action": action, "comment": "Looks fine to me."})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")
    under_review.refresh_from_db()
    assert under_review.status == Article.Status.UNDER_REVIEW
    assert under_review.review_events.count() == events


@pytest.mark.django_db
def test_reviewer_posting_unpublish_or_assign_is_refused(people, world, under_review):
    client = client_for(people[REVIEWER])
    url = reverse("admin:articles_article_review", args=[world.approved.pk])
    response = client.post(url, {"action": "unpublish", "comment": "Out of date."})
    assert response.status_code == 409
    world.approved.refresh_from_db()
    assert world.approved.status == Article.Status.APPROVED
    url = reverse("admin:articles_article_review", args=[under_review.pk])
    response = client.post(url, {"action": "assign", "reviewer": people[REVIEWER].pk})
    assert response.status_code == 409
    under_review.refresh_from_db()
    assert under_review.assigned_reviewer_id != people[REVIEWER].pk

"""Which reader type a request is for (URL > cookie > no choice), the chooser and its /reader/
endpoint, the disclaimer per reader type, and the cache of articles as each type sees them."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Page, Question, ReaderType, Variant
from articles.readers import COOKIE
from reviews import roles, services
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    approved_term,
    board_member,
    user_with_role,
    workflow_to,
)

pytestmark = pytest.mark.django_db

SLUGS = ["patient", "student", "nurse", "physician"]
LABELS = {
    "patient": "Patient or caregiver",
    "student": "Student",
    "nurse": "Nurse or allied health professional",
    "physician": "Physician or other prescriber",
}
DEFAULT = "Default answer for clinicians."
TEXT = {None: DEFAULT} | {slug: f"Answer worded for the {slug} reader." for slug in SLUGS}
CHOOSER_URL = reverse("articles:reader")


# -- helpers --------------------------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: attributes, inputs, the text of labels wrapping an input, and
    button texts."""

    def __init__(self, html):
        super().__init__()
        self.forms, self._form, self._label, self._button = [], None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "inputs": [], "labels": {}, "buttons": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form["inputs"].append(attrs)
            if self._label is not None:
                self._label["input"] = attrs
        elif tag == "label":
            self._label = {"text": "", "input": None}
        elif tag == "button":
            self._button = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "label" and self._label is not None:
            if self._label["input"] is not None:
                self._form["labels"][self._label["text"].strip()] = self._label["input"]
            self._label = None
        elif tag == "button" and self._button is not None:
            self._form["buttons"].append(self._button.strip())
            self._button = None

    def handle_data(self, data):
        if self._label is not None:
            self._label["text"] += data
        if self._button is not None:
            self._button += data


def chooser_forms(html):
    return [f for f in Forms(html).forms if f["attrs"].get("action") == CHOOSER_URL]


def bottom_line(html):
    start = html.index('class="bottom-line"')
    return html[start : html.index("</div>", start)]


def shown(html):
    """Which reader type's text the bottom line shows (None: the default)."""
    found = [slug for slug, text in TEXT.items() if text in bottom_line(html)]
    assert len(found) == 1, found
    return found[0]


def get(client, article, query="", **params):
    url = article.get_absolute_url() + (f"?{query}" if query else "")
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def reader_type(slug):
    return ReaderType.objects.get(slug=slug)


@pytest.fixture
def editor():
    return user_with_role(roles.EDITORS)


@pytest.fixture
def article(editor):
    """Approved, with a bottom-line variant for every reader type."""
    article = ArticleFactory(bottom_line=DEFAULT)
    SectionFactory(article=article, position=1, heading="Why", body="Because of the evidence.")
    for slug in SLUGS:
        Variant.objects.create(article=article, reader_type=reader_type(slug), text=TEXT[slug])
    return workflow_to(article, "approved", editor=editor)


# -- resolution -----------------------------------------------------------------------------


def test_the_default_reader_types_exist_in_order():
    types = list(ReaderType.objects.all())
    assert [t.slug for t in types] == SLUGS
    assert [t.label for t in types] == [LABELS[s] for s in SLUGS]
    assert [t.is_professional for t in types] == [False, False, True, True]


def test_no_choice_shows_the_default_text(client, article):
    html = get(client, article)
    assert shown(html) is None
    assert "Showing the standard text for health professionals." in html


@pytest.mark.parametrize("slug", SLUGS)
def test_url_choice(client, article, slug):
    assert shown(get(client, article, reader=slug)) == slug


@pytest.mark.parametrize("slug", SLUGS)
def test_cookie_choice(client, article, slug):
    client.cookies[COOKIE] = slug
    assert shown(get(client, article)) == slug


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("cookie", SLUGS)
def test_url_wins_over_cookie(client, article, slug, cookie):
    client.cookies[COOKIE] = cookie
    html = get(client, article, reader=slug)
    assert shown(html) == slug
    assert f"Showing this article for: <strong>{LABELS[slug]}</strong>" in html


BAD_VALUES = [
    "",
    "unknown",
    "PATIENT",
    " patient",
    "patient/",
    "x" * 5000,
    "patient" * 700,
    "患者",
    "pâtient",
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "../patient",
    "../../etc/passwd",
    "\x00",
    "patient\x00",
    "%00",
]


@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_url_value_gets_the_default_text(client, article, value):
    html = get(client, article, reader=value)
    assert shown(html) is None
    assert "Showing the standard text for health professionals." in html
    assert "<script>alert(1)" not in html
    [form] = chooser_forms(html)
    assert not any("checked" in i for i in form["inputs"])


@pytest.mark.parametrize("raw", ["%00", "patient%00", "%2e%2e%2fpatient", "%3Cscript%3E", "%ZZ"])
def test_bad_raw_query_strings_get_the_default_text(client, article, raw):
    assert shown(get(client, article, query=f"reader={raw}")) is None


@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_cookie_value_gets_the_default_text(client, article, value):
    # As a WSGI server hands over the header: its UTF-8 bytes, decoded as ISO-8859-1.
    client.cookies[COOKIE] = value.encode().decode("iso-8859-1")
    html = get(client, article)
    assert shown(html) is None
    assert "<script>alert(1)" not in html


def test_an_empty_reader_in_the_url_overrides_the_cookie(client, article):
    client.cookies[COOKIE] = "patient"
    assert shown(get(client, article, reader="")) is None


def test_a_reader_type_added_by_staff_is_chosen_like_the_others(client, article):
    ReaderType.objects.create(label="Carer", slug="carer", order=9)
    html = get(client, article, reader="carer")
    assert shown(html) is None  # no variant of its own: the default text
    assert "Showing this article for: <strong>Carer</strong>" in html


# -- the chooser ----------------------------------------------------------------------------


def test_chooser_is_a_get_form_with_a_labelled_radio_per_reader_type(client, article):
    html = get(client, article)
    [form] = chooser_forms(html)
    assert form["attrs"]["method"] == "get"
    radios = [i for i in form["inputs"] if i.get("type") == "radio"]
    assert [(r["name"], r["value"]) for r in radios] == [("reader", s) for s in SLUGS]
    assert {label: attrs["value"] for label, attrs in form["labels"].items()} == {
        LABELS[s]: s for s in SLUGS
    }
    assert not any("checked" in r for r in radios)
    nexts = [i for i in form["inputs"] if i.get("name") == "next"]
    # Back at the sentence saying which text is shown: the browser focuses it, so it is read out.
    assert [n["value"] for n in nexts] == [f"{article.get_absolute_url()}#reader-choice"]
    assert form["buttons"] == ["Show this article for me"]
    assert "Which best describes you?" in html
    assert "Clear my choice" not in html


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("how", ["url", "cookie"])
def test_current_choice_is_shown_checked_and_can_be_cleared(client, article, slug, how):
    if how == "cookie":
        client.cookies[COOKIE] = slug
        html = get(client, article)
    else:
        html = get(client, article, reader=slug)
    assert f"Showing this article for: <strong>{LABELS[slug]}</strong>" in html
    choose, clear = chooser_forms(html)
    checked = [i["value"] for i in choose["inputs"] if i.get("type") == "radio" and "checked" in i]
    assert checked == [slug]
    assert choose["buttons"] == ["Change"]
    assert clear["attrs"]["method"] == "get"
    assert clear["buttons"] == ["Clear my choice"]
    fields = {i["name"]: i["value"] for i in clear["inputs"]}
    assert fields == {"next": f"{article.get_absolute_url()}#reader-choice", "reader": ""}


def test_submitting_the_chooser_form_as_a_browser_would(client, article):
    """No JavaScript: the form's GET goes to /reader/, which redirects back to the article."""
    [form] = chooser_forms(get(client, article))
    data = {i["name"]: i["value"] for i in form["inputs"] if i.get("type") == "hidden"}
    response = client.get(form["attrs"]["action"], data | {"reader": "patient"}, follow=True)
    assert response.redirect_chain == [
        (f"{article.get_absolute_url()}?reader=patient#reader-choice", 302)
    ]
    assert shown(response.content.decode()) == "patient"
    # The cookie now stands on its own: the bare address keeps the choice.
    assert shown(get(client, article)) == "patient"
    # Clearing, with the clear form's own fields.
    _, clear = chooser_forms(get(client, article))
    data = {i["name"]: i["value"] for i in clear["inputs"]}
    response = client.get(clear["attrs"]["action"], data, follow=True)
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#reader-choice", 302)]
    assert shown(response.content.decode()) is None
    assert client.cookies[COOKIE].value == ""
    assert shown(get(client, article)) is None


def test_the_chooser_on_a_follow_up_error_page_returns_to_the_article(client, article):
    """The page re-rendered after a refused follow-up question lives at the follow-up URL,
    which only takes POST: the chooser must send the reader back to the article itself."""
    follow_up = reverse("articles:follow_up", args=[article.slug])
    response = client.post(follow_up, {"text": "Too short"})
    assert response.status_code == 400
    choose, *_ = chooser_forms(response.content.decode())
    nexts = [i["value"] for i in choose["inputs"] if i.get("name") == "next"]
    assert nexts == [f"{article.get_absolute_url()}#reader-choice"]
    response = client.get(CHOOSER_URL, {"next": nexts[0], "reader": "student"}, follow=True)
    assert response.status_code == 200
    assert shown(response.content.decode()) == "student"


# -- the /reader/ endpoint ------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_choosing_sets_a_long_lived_lax_httponly_cookie_and_redirects(client, article, slug):
    path = article.get_absolute_url()
    response = client.get(CHOOSER_URL, {"reader": slug, "next": path})
    assert response.status_code == 302
    assert response["Location"] == f"{path}?reader={slug}"
    cookie = response.cookies[COOKIE]
    assert cookie.value == slug
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
    assert cookie["path"] == "/"
    assert 360 * 24 * 3600 <= int(cookie["max-age"]) <= 366 * 24 * 3600


def test_an_empty_choice_clears_the_cookie(client, article):
    client.cookies[COOKIE] = "patient"
    path = article.get_absolute_url()
    response = client.get(CHOOSER_URL, {"reader": "", "next": f"{path}?reader=patient"})
    assert response.status_code == 302
    assert response["Location"] == path
    cookie = response.cookies[COOKIE]
    assert cookie.value == ""
    assert int(cookie["max-age"]) == 0
    assert cookie["samesite"] == "Lax"
    assert shown(get(client, article)) is None


@pytest.mark.parametrize("value", ["unknown", "<script>", "../patient", "x" * 3000, "\x00"])
def test_an_unknown_choice_sets_nothing_and_redirects_safely(client, article, value):
    path = article.get_absolute_url()
    response = client.get(CHOOSER_URL, {"reader": value, "next": path})
    assert response.status_code == 302
    assert response["Location"] == path
    assert COOKIE not in response.cookies


@pytest.mark.parametrize(
    "raw",
    [
        "reader=%00",
        "reader=patient%00",
        "reader=%ZZ&next=%ZZ",
        "reader=patient&next=/articles/%00/",
        "reader=patient&next=%2F%2Fevil.example",
        "reader=%E6%82%A3%E8%80%85&next=/%E6%82%A3/",
    ],
)
def test_malformed_raw_requests_to_the_chooser_redirect_without_error(client, raw):
    response = client.get(f"{CHOOSER_URL}?{raw}")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc) == ("", "")
    assert "\x00" not in response["Location"]
    if COOKIE in response.cookies:
        assert response.cookies[COOKIE].value in ("", "patient")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "//evil.example/articles/x/",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http://evil.example/?reader=nurse",
        "javascript:alert(1)",
        "https://testserver.evil.example/",
        "",
    ],
)
def test_next_to_another_host_is_refused(client, target):
    response = client.get(CHOOSER_URL, {"reader": "patient", "next": target})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == ("", "", "/")
    assert parse_qs(location.query) == {"reader": ["patient"]}
    assert response.cookies[COOKIE].value == "patient"


def test_missing_next_goes_home(client):
    response = client.get(CHOOSER_URL, {"reader": "student"})
    assert response["Location"] == "/?reader=student"


def test_next_keeps_its_query_and_replaces_an_old_reader(client, article):
    path = article.get_absolute_url()
    response = client.get(
        CHOOSER_URL, {"reader": "patient", "next": f"{path}?page=2&reader=nurse&reader=x#refs"}
    )
    location = urlsplit(response["Location"])
    assert location.path == path
    assert parse_qs(location.query) == {"page": ["2"], "reader": ["patient"]}
    assert location.fragment == "refs"
    cleared = client.get(CHOOSER_URL, {"reader": "", "next": f"{path}?page=2&reader=nurse"})
    assert parse_qs(urlsplit(cleared["Location"]).query) == {"page": ["2"]}


# -- disclaimers ----------------------------------------------------------------------------


@pytest.fixture
def disclaimers():
    professional = Page.objects.get(slug=Page.DISCLAIMER)
    plain = Page.objects.get(slug=Page.PLAIN_DISCLAIMER)
    professional.title, professional.body = (
        "For health professionals",
        "Clinical judgement *rules*.",
    )
    plain.title, plain.body = "About this information", "Talk to your *own* doctor."
    professional.save()
    plain.save()
    return professional, plain


def disclaimer(html):
    start = html.index('class="disclaimer"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    ("slug", "kind"),
    [(None, "professional"), ("nurse", "professional"), ("physician", "professional"),
     ("patient", "plain"), ("student", "plain")],
)  # fmt: skip
def test_disclaimer_per_reader_type(client, article, disclaimers, slug, kind):
    html = get(client, article, **({"reader": slug} if slug else {}))
    section = disclaimer(html)
    if kind == "professional":
        assert '<h2 id="disclaimer-title">For health professionals</h2>' in section
        assert "Clinical judgement <em>rules</em>." in section
        assert "own" not in section
    else:
        assert '<h2 id="disclaimer-title">About this information</h2>' in section
        assert "Talk to your <em>own</em> doctor." in section
        assert "Clinical judgement" not in section


def test_editing_a_disclaimer_shows_on_the_next_request(client, article, disclaimers):
    professional, plain = disclaimers
    for slug in (None, "patient"):  # warm the cache for both kinds
        get(client, article, **({"reader": slug} if slug else {}))
    plain.body = "Ask your pharmacist first."
    plain.save()
    assert "Ask your pharmacist first." in disclaimer(get(client, article, reader="patient"))
    assert "Ask your pharmacist" not in disclaimer(get(client, article))
    professional.title = "Professional use only"
    professional.save()
    assert "Professional use only" in disclaimer(get(client, article, reader="physician"))
    assert "Professional use only" in disclaimer(get(client, article))
    assert "Professional use only" not in get(client, article, reader="student")


# -- the cache ------------------------------------------------------------------------------


def test_each_reader_type_gets_its_own_cached_text(client, article):
    for _ in range(2):  # cold, then warm
        for slug in [*SLUGS, None]:
            html = get(client, article, **({"reader": slug} if slug else {}))
            assert shown(html) == slug


def test_patient_then_physician_differ(client, article):
    patient = bottom_line(get(client, article, reader="patient"))
    physician = bottom_line(get(client, article, reader="physician"))
    assert patient != physician
    assert TEXT["patient"] in patient
    assert TEXT["patient"] not in physician
    assert TEXT["physician"] in physician


def test_a_reader_type_without_a_variant_gets_the_default_not_the_cached_variant(client, editor):
    article = ArticleFactory(bottom_line=DEFAULT)
    Variant.objects.create(
        article=article, reader_type=reader_type("patient"), text=TEXT["patient"]
    )
    article = workflow_to(article, "approved", editor=editor)
    assert shown(get(client, article, reader="patient")) == "patient"
    for slug in ("student", "nurse", "physician"):
        assert shown(get(client, article, reader=slug)) is None
    assert shown(get(client, article)) is None


@pytest.mark.parametrize("order", ["preview-first", "reader-first"])
def test_a_staff_preview_never_reaches_readers(client, article, staff_user, order):
    article.bottom_line = "Unapproved default draft."
    article.save()
    Variant.objects.filter(article=article, reader_type__slug="patient").update(
        text="Unapproved patient draft."
    )
    staff = Client()
    staff.force_login(staff_user)

    def preview():
        html = get(staff, article, preview="1", reader="patient")
        assert "Preview of the working copy" in html
        assert "Unapproved patient draft." in bottom_line(html)
        assert "Unapproved default draft." in bottom_line(get(staff, article, preview="1"))

    def readers():
        html = get(client, article, reader="patient")
        assert shown(html) == "patient"
        assert "Unapproved" not in html
        assert "Preview of the working copy" not in html
        assert shown(get(client, article)) is None

    steps = [preview, readers] if order == "preview-first" else [readers, preview]
    for step in steps + steps:
        step()
    # Staff without ?preview=1 read the approved text, like everyone.
    assert shown(get(staff, article, reader="patient")) == "patient"


def test_a_new_approval_is_public_on_the_next_request(client, article, editor):
    assert shown(get(client, article, reader="patient")) == "patient"
    assert shown(get(client, article)) is None
    variant = Variant.objects.get(article=article, reader_type__slug="patient")
    variant.text = "Newly approved patient words."
    variant.save()
    article.bottom_line = "Newly approved default words."
    article.save()
    services.record_edit(article, by=editor)
    # A draft: the approved text stays public, from the cache or not.
    assert TEXT["patient"] in bottom_line(get(client, article, reader="patient"))
    assert DEFAULT in bottom_line(get(client, article))
    services.submit(article, by=editor)
    reviewer = board_member(specialties=[article.topic.specialty])
    services.start_review(article, by=reviewer)
    services.approve(article, by=reviewer)
    assert "Newly approved patient words." in bottom_line(get(client, article, reader="patient"))
    assert "Newly approved default words." in bottom_line(get(client, article))
    assert shown(get(client, article, reader="nurse")) == "nurse"


def test_an_edited_glossary_term_shows_once_approved_on_the_next_request(client, editor):
    term = approved_term(term="stroke", definition="Old definition.")
    article = ArticleFactory(bottom_line="A stroke is serious.")
    article = workflow_to(article, "approved", editor=editor)
    assert "Old definition." in get(client, article, reader="patient")
    term.definition = "New definition of a stroke."
    term.save()
    html = get(client, article, reader="patient")
    assert "Old definition." in html  # the approved text stays live until the edit is approved
    assert "New definition of a stroke." not in html
    services.approve_glossary_term(term, by=user_with_role(roles.MEDICAL_ADVISORY_BOARD))
    html = get(client, article, reader="patient")
    assert "New definition of a stroke." in html
    assert "Old definition." not in html
    # A new term is marked at once; a deleted one disappears at once.
    approved_term(term="serious", definition="Dangerous.")
    assert '<dd id="gloss-2-def">Dangerous.</dd>' in get(client, article, reader="patient")
    term.delete()
    html = get(client, article, reader="patient")
    assert "New definition of a stroke." not in html
    assert '<dd id="gloss-1-def">Dangerous.</dd>' in html


def test_every_reader_gets_the_same_page_and_can_send_a_question_from_it(article):
    """A cached page holds nothing personal: no CSRF token, no cookie. Each reader's question
    from it is accepted, by the headers their browser sends (config/same_origin.py)."""
    follow_up = reverse("articles:follow_up", args=[article.slug])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as cold:
        first_page = first.get(article.get_absolute_url(), {"reader": "patient"})
    with CaptureQueriesContext(connection) as warm:
        second_page = second.get(article.get_absolute_url(), {"reader": "patient"})
    assert len(cold) > 0
    assert len(warm) == 0
    assert first_page.content == second_page.content
    assert "csrfmiddlewaretoken" not in first_page.content.decode()
    assert not first.cookies
    assert not second.cookies
    browser = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
    for client, text in (
        (first, "Is this safe in pregnancy at all?"),
        (second, "And after the first week?"),
    ):
        assert client.post(follow_up, {"text": text}, **browser).status_code == 302
    assert Question.objects.filter(follow_up_to=article).count() == 2


@pytest.fixture
def rich_article(editor):
    """Variants, glossary terms and citations, so every reader type has work to do."""
    from tests.factories import ReferenceFactory

    for key in ("a", "b", "c"):
        ReferenceFactory(key=key)
    approved_term(term="stroke", definition="Brain damage.")
    approved_term(term="warfarin", definition="A blood thinner.")
    article = ArticleFactory(bottom_line="A stroke is treated [@a].")
    section = SectionFactory(article=article, position=1, body="Warfarin [@b; @c].")
    Variant.objects.create(
        article=article, reader_type=reader_type("patient"), text="A stroke [@c]."
    )
    Variant.objects.create(
        article=article, section=section, reader_type=reader_type("nurse"), text="Dose [@a]."
    )
    return workflow_to(article, "approved", editor=editor)


@pytest.mark.parametrize("how", ["url", "cookie"])
def test_query_counts_are_the_same_for_every_reader_type(client, rich_article, how):
    cold, warm = {}, {}
    for slug in [None, *SLUGS]:
        cache.clear()
        client.cookies.clear()
        params = {}
        if slug and how == "url":
            params = {"reader": slug}
        elif slug:
            client.cookies[COOKIE] = slug
        with CaptureQueriesContext(connection) as queries:
            get(client, rich_article, **params)
        cold[slug] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            get(client, rich_article, **params)
        warm[slug] = len(queries)
    assert len(set(cold.values())) == 1, cold
    assert len(set(warm.values())) == 1, warm
    assert warm[None] < cold[None]


def test_an_evicted_content_generation_never_revives_old_cache_entries():
    from django.core.cache import cache

    from articles.readers import _GENERATION_KEY, bump_content_generation, content_generation

    first = content_generation()
    bump_content_generation()
    second = content_generation()
    assert second != first
    cache.delete(_GENERATION_KEY)  # evicted, as a full cache may do
    assert content_generation() not in (first, second)


def test_a_deploy_renders_the_answer_anew(rich_article, monkeypatch):
    """The rendered answer is cached without a time limit, so it is keyed by the release: a
    deploy that renders differently (a sanitizer fix, say) never serves the old HTML."""
    from articles import readers, stamps

    revision = rich_article.public_revision
    renders = []
    real = readers._render
    monkeypatch.setattr(readers, "_render", lambda *a: renders.append(a) or real(*a))
    readers.render_revision(revision, None)
    readers.render_revision(revision, None)
    assert len(renders) == 1
    monkeypatch.setattr(stamps, "release", lambda: "the-next-deploy")
    readers.render_revision(revision, None)
    assert len(renders) == 2


def test_the_release_changes_with_an_installed_package(monkeypatch):
    from importlib import metadata

    from articles import stamps

    installed = list(metadata.distributions())
    stamps.release.cache_clear()
    try:
        before = stamps.release()
        upgraded = installed[0]
        monkeypatch.setattr(
            metadata,
            "distributions",
            lambda: [
                *installed[1:],
                type("Upgraded", (), {"metadata": upgraded.metadata, "version": "999.0"})(),
            ],
        )
        stamps.release.cache_clear()
        assert stamps.release() != before
    finally:
        stamps.release.cache_clear()

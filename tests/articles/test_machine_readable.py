"""What machines read: sitemap.xml and its sections, robots.txt, favicon.ico, the Atom feed of
approvals, each page's head (description, canonical, Open Graph, Twitter card, robots) and
the schema.org JSON-LD, checked against schema.org's own vocabulary (tests/schema_org.py)."""

import datetime
import json
import re
import struct
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import seo
from articles.feeds import ApprovedArticlesFeed
from articles.models import Page, ReaderType, ReviewerProfile, SiteSettings, Variant
from articles.sitemaps import ArticleSitemap, BoardSitemap
from reviews import roles, services
from tests import schema_org
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    SectionFactory,
    SpecialtyFactory,
    TopicFactory,
    user_with_role,
    workflow_to,
)
from tests.tampering import tamper

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver"


# -- helpers --------------------------------------------------------------------------------


class Head(HTMLParser):
    """The <meta>, <link> and JSON-LD <script> elements of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: list[dict] = []
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def content(self, key: str) -> list[str]:
        """Every `content` of <meta name=key> or <meta property=key>."""
        return [m["content"] for m in self.meta if key in (m.get("name"), m.get("property"))]

    def one(self, key: str) -> str:
        found = self.content(key)
        assert len(found) == 1, (key, found)
        return found[0]

    def canonical(self) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == "canonical"]

    def data(self) -> dict:
        assert len(self.json_ld) == 1, self.json_ld
        return json.loads(self.json_ld[0])


def head_of(client, url: str, status: int = 200) -> Head:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return Head(response.content.decode())


def xml(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return ElementTree.fromstring(response.content)  # noqa: S314 — our own response


def urls(client, section: str, page: int | None = None) -> dict[str, str | None]:
    """{location: lastmod} of one sitemap section."""
    path = reverse("sitemap_section", args=[section]) + (f"?p={page}" if page else "")
    root = xml(client, path)
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }


def lastmods(sitemap) -> dict:
    """{location: lastmod} of a sitemap section, to the microsecond."""
    return {sitemap.location(item): sitemap.lastmod(item) for item in sitemap.items()}


def day(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


def board_member(slug="ana-ruiz", specialties=("General medicine",), **fields):
    """Ana Ruiz, with a profile declaring `specialties` (names): by default the factory
    topics' specialty, so her approvals are ordinary ones."""
    user = user_with_role(roles.MEDICAL_ADVISORY_BOARD, first_name="Ana", last_name="Ruiz")
    profile = ReviewerProfile.objects.create(
        user=user,
        slug=slug,
        display_name=fields.pop("display_name", "Ana Ruiz"),
        credentials=fields.pop("credentials", "MD, PhD"),
        disclosures="None declared",
        **fields,
    )
    profile.specialties.set(SpecialtyFactory(name=specialty) for specialty in specialties)
    return user, profile


def approved(reviewer=None, **fields):
    return workflow_to(ArticleFactory(**fields), "approved", reviewer=reviewer)


def show_pending(on: bool) -> None:
    SiteSettings.load()
    SiteSettings.objects.update(show_unapproved_articles=on)


# -- sitemap.xml --------------------------------------------------------------------------


class TestSitemap:
    def test_the_index_names_each_section_with_its_address_and_date(self, client):
        article = approved()
        root = xml(client, "/sitemap.xml")
        found = {
            s.findtext(f"{SITEMAP}loc"): s.findtext(f"{SITEMAP}lastmod")
            for s in root.iter(f"{SITEMAP}sitemap")
        }
        assert set(found) == {
            f"{BASE}/sitemap-{name}.xml" for name in ("pages", "articles", "topics", "board")
        }
        approval_day = day(article.approval.created_at)
        assert found[f"{BASE}/sitemap-articles.xml"].startswith(approval_day)
        assert found[f"{BASE}/sitemap-topics.xml"].startswith(approval_day)

    def test_articles_readers_may_see_with_the_date_they_last_changed(self, client):
        show_pending(True)
        reviewer, _ = board_member()
        done = approved(reviewer=reviewer, slug="approved-one")
        pending = workflow_to(ArticleFactory(slug="pending-one"), "submitted")
        ArticleFactory(slug="draft-one")
        found = urls(client, "articles")
        assert set(found) == {f"{BASE}/articles/approved-one/", f"{BASE}/articles/pending-one/"}
        assert found[f"{BASE}/articles/approved-one/"] == day(done.approval.created_at)
        assert found[f"{BASE}/articles/pending-one/"] == day(pending.submitted_revision.created_at)

    def test_pending_articles_leave_with_the_site_setting(self, client):
        approved(slug="approved-one")
        workflow_to(ArticleFactory(slug="pending-one"), "submitted")
        show_pending(False)
        assert set(urls(client, "articles")) == {f"{BASE}/articles/approved-one/"}

    def test_an_approved_article_edited_since_keeps_its_approved_date(self, client):
        editor = user_with_role(roles.EDITORS)
        article = approved(slug="edited")
        moment = article.approval.created_at
        article.bottom_line = "A new answer that nobody has reviewed."
        article.save()
        services.record_edit(article, by=editor)
        services.submit(article, by=editor)
        assert urls(client, "articles") == {f"{BASE}/articles/edited/": day(moment)}

    def test_an_articles_page_is_kept_until_the_catalogue_changes(self, client):
        approved(slug="first")
        path = reverse("sitemap_section", args=["articles"])
        first = client.get(path)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(path)
        assert again.content == first.content
        assert len(queries) == 1  # the site setting: which listings are public
        assert again["Content-Type"] == first["Content-Type"] == "application/xml"
        assert again["X-Robots-Tag"] == first["X-Robots-Tag"]
        assert again["Cache-Control"] == first["Cache-Control"]  # public, for shared caches

        approved(slug="second")  # the catalogue moves on: the next crawler sees it at once
        assert set(urls(client, "articles")) == {
            f"{BASE}/articles/first/",
            f"{BASE}/articles/second/",
        }

    def test_the_index_is_kept_until_the_catalogue_changes(self, client):
        approved(slug="first")
        first = client.get("/sitemap.xml")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sitemap.xml").content == first.content
        assert len(queries) == 1  # the site setting; the counts and dates are kept

        newer = approved(slug="second")
        index = xml(client, "/sitemap.xml")
        dates = {s.findtext(f"{SITEMAP}loc"): s.findtext(f"{SITEMAP}lastmod") for s in index}
        assert dates[f"{BASE}/sitemap-articles.xml"].startswith(day(newer.approval.created_at))
        assert client.get("/sitemap.xml").content != first.content

    def test_a_page_that_does_not_exist_is_not_kept(self, client):
        approved(slug="first")
        path = reverse("sitemap_section", args=["articles"]) + "?p=9"
        assert client.get(path).status_code == 404
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 404
        assert len(queries) > 1  # looked up again, not served from the cache

    def test_articles_come_a_page_at_a_time(self, client, monkeypatch):
        monkeypatch.setattr(ArticleSitemap, "limit", 2)
        for n in range(3):
            approved(slug=f"article-{n}")
        index = xml(client, "/sitemap.xml")
        locations = [s.findtext(f"{SITEMAP}loc") for s in index.iter(f"{SITEMAP}sitemap")]
        assert f"{BASE}/sitemap-articles.xml?p=2" in locations
        assert f"{BASE}/sitemap-articles.xml?p=3" not in locations
        first, second = urls(client, "articles"), urls(client, "articles", page=2)
        assert len(first) == 2
        assert len(second) == 1
        assert not set(first) & set(second)
        assert client.get("/sitemap-articles.xml?p=3").status_code == 404

    def test_every_section_costs_the_same_queries_however_many_articles(self, client):
        reviewer, _ = board_member()

        def queries() -> list[int]:
            counts = []
            for path in ["/sitemap.xml"] + [
                f"/sitemap-{name}.xml" for name in ("pages", "articles", "topics", "board")
            ]:
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(path).status_code == 200
                counts.append(len(captured))
            return counts

        approved(reviewer=reviewer)
        few = queries()
        topic = TopicFactory()
        for _ in range(4):
            approved(reviewer=reviewer, topic=topic)
            approved(reviewer=reviewer)
        assert queries() == few

    def test_topics_that_list_a_public_article(self, client):
        show_pending(False)
        shown = TopicFactory(slug="shown")
        empty = TopicFactory(slug="only-drafts")
        hidden = TopicFactory(slug="only-pending")
        article = approved(topic=shown)
        ArticleFactory(topic=empty)
        workflow_to(ArticleFactory(topic=hidden), "submitted")
        found = urls(client, "topics")
        assert found == {f"{BASE}/topics/shown/": day(article.approval.created_at)}
        show_pending(True)
        assert f"{BASE}/topics/only-pending/" in urls(client, "topics")

    def test_board_members_with_their_latest_approval(self, client):
        reviewer, profile = board_member(slug="ana")
        approved(reviewer=reviewer)
        latest = approved(reviewer=reviewer)
        gone, _ = board_member(slug="gone")
        gone.is_active = False
        gone.save()
        assert urls(client, "board") == {f"{BASE}/board/ana/": day(latest.approval.created_at)}
        # To the moment: the approval is later than the profile's last edit.
        assert lastmods(BoardSitemap()) == {"/board/ana/": latest.approval.created_at}

    def test_a_profile_edit_dates_the_profile_page(self, client):
        reviewer, profile = board_member(slug="ana")
        approved(reviewer=reviewer)
        profile.bio = "Now with a biography."
        profile.save()
        edited = profile.history.latest().history_date
        assert lastmods(BoardSitemap()) == {"/board/ana/": edited}
        assert urls(client, "board") == {f"{BASE}/board/ana/": day(edited)}

    def test_site_pages_home_list_and_board(self, client):
        article = approved()
        policy = Page.objects.get(slug=Page.EDITORIAL_POLICY)
        Page.objects.filter(pk=policy.pk).update(
            updated_at=timezone.now() - datetime.timedelta(days=40)
        )
        found = urls(client, "pages")
        changed = day(article.approval.created_at)
        assert found[f"{BASE}/"] == changed
        assert found[f"{BASE}/articles/"] == changed
        assert f"{BASE}/board/" in found
        assert found[f"{BASE}/pages/editorial-policy/"] == day(
            timezone.now() - datetime.timedelta(days=40)
        )
        for slug in ("about", "contact", "privacy", "disclaimer"):
            assert f"{BASE}/pages/{slug}/" in found


# -- robots.txt and favicon.ico -----------------------------------------------------------


def test_robots_txt_keeps_crawlers_out_of_staff_pages_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for path in ("/admin/", "/accounts/", "/*?preview=", "/*&preview="):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def test_favicon_ico_is_a_real_icon_cached_for_a_year(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "public, max-age=31536000"
    body = response.content
    assert body == (Path(settings.BASE_DIR) / "static" / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", body[:6])
    assert (reserved, kind) == (0, 1)  # an icon resource
    sizes = {(body[6 + 16 * i] or 256, body[7 + 16 * i] or 256) for i in range(count)}
    assert {(16, 16), (32, 32), (48, 48)} <= sizes
    assert 'href="/favicon.ico"' in client.get("/").content.decode()


def test_staff_pages_ask_not_to_be_indexed(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert re.search(r'<meta name="robots" content="NONE,NOARCHIVE">', html)


# -- the Atom feed ----------------------------------------------------------------------------


class TestFeed:
    def entries(self, client) -> list[ElementTree.Element]:
        response = client.get(reverse("articles:feed"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ElementTree.fromstring(response.content)  # noqa: S314 — our own response
        return root.findall(f"{ATOM}entry")

    def test_an_entry_per_approval_newest_first(self, client):
        reviewer, _ = board_member()
        ReferenceFactory(key="nice")
        first = approved(reviewer=reviewer, headline="Older approval")
        second = approved(
            reviewer=reviewer,
            headline="Newer approval",
            bottom_line="Give **two** doses [@nice] & check levels <24 h later.",
        )
        workflow_to(ArticleFactory(headline="Pending"), "submitted")
        ArticleFactory(headline="Draft")
        entries = self.entries(client)
        assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newer approval", "Older approval"]
        entry = entries[0]
        assert entry.find(f"{ATOM}link").get("href") == f"{BASE}{second.get_absolute_url()}"
        assert entry.findtext(f"{ATOM}id") == f"{BASE}{second.get_absolute_url()}"
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        # HTML that reads as the plain bottom line: no Markdown, no citation key.
        assert summary.text == "Give two doses &amp; check levels &lt;24 h later."
        updated = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        assert updated == second.approval.created_at
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ana Ruiz, MD, PhD"
        assert entry.findtext(f"{ATOM}author/{ATOM}uri") == f"{BASE}/board/ana-ruiz/"
        assert entries[1].findtext(f"{ATOM}id") == f"{BASE}{first.get_absolute_url()}"

    def test_a_reviewer_without_a_profile_is_named(self, client):
        reviewer = user_with_role(roles.MEDICAL_ADVISORY_BOARD, first_name="Bo", last_name="Lind")
        approved(reviewer=reviewer)
        (entry,) = self.entries(client)
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Bo Lind"
        assert entry.find(f"{ATOM}author/{ATOM}uri") is None

    def test_only_the_latest_approvals_in_one_query(self, client, monkeypatch):
        monkeypatch.setattr(ApprovedArticlesFeed, "LENGTH", 3)
        reviewer, _ = board_member()
        headlines = [approved(reviewer=reviewer).headline for _ in range(4)]
        with CaptureQueriesContext(connection) as captured:
            entries = self.entries(client)
        assert [e.findtext(f"{ATOM}title") for e in entries] == headlines[:0:-1]
        assert len(captured) == 1

    def test_every_page_links_the_feed(self, client):
        head = head_of(client, "/")
        feeds = [link for link in head.links if link.get("type") == "application/atom+xml"]
        assert [(f["rel"], f["href"]) for f in feeds] == [("alternate", "/feed/")]
        assert 'href="/feed/"' in client.get("/board/").content.decode()


# -- the head of each page ------------------------------------------------------------------


class TestShorten:
    def test_short_text_is_kept_on_one_line(self):
        assert seo.shorten("A short\n answer.") == "A short answer."

    def test_long_text_is_cut_at_a_word(self):
        text = "word " * 50
        cut = seo.shorten(text)
        assert len(cut) <= 160
        assert cut.endswith("word…")

    def test_whole_sentences_when_they_fill_enough(self):
        first = "This first sentence is long enough to fill more than half of the limit. " * 2
        cut = seo.shorten(first + "And this one runs on and on past the end of it all.")
        assert cut == first.strip()


class TestArticleHead:
    def test_description_is_the_bottom_line_never_the_question(self, client):
        ReferenceFactory(key="g")
        long_answer = "Start with **nitrofurantoin** for five days [@g]. " + "More detail. " * 20
        article = approved(bottom_line=long_answer)
        head = head_of(client, article.get_absolute_url())
        description = head.one("description")
        assert description.startswith("Start with nitrofurantoin for five days. More")
        assert "[@g]" not in description
        assert "**" not in description
        assert len(description) <= 160
        assert article.question.text not in description
        assert head.one("og:description") == description

    def test_canonical_open_graph_and_twitter_card(self, client):
        article = approved(headline="Treating cystitis")
        head = head_of(client, f"{article.get_absolute_url()}?utm_source=mail")
        assert head.canonical() == [f"{BASE}{article.get_absolute_url()}"]
        assert head.one("og:url") == f"{BASE}{article.get_absolute_url()}"
        assert head.one("og:type") == "article"
        assert head.one("og:title") == "Treating cystitis"
        assert head.one("og:site_name") == "Vetted"
        assert head.one("twitter:card") == "summary"
        assert head.content("robots") == []

    def test_a_reader_version_is_canonical_only_where_it_has_its_own_text(self, client):
        patient = ReaderType.objects.get(slug="patient")
        article = ArticleFactory(bottom_line="Default answer.")
        Variant.objects.create(article=article, reader_type=patient, text="Plain **answer**.")
        article = workflow_to(article, "approved")
        url = article.get_absolute_url()
        head = head_of(client, f"{url}?reader=patient")
        assert head.canonical() == [f"{BASE}{url}?reader=patient"]
        assert head.one("description") == "Plain answer."
        # Students have no text of their own: the default page is the one to index.
        head = head_of(client, f"{url}?reader=student")
        assert head.canonical() == [f"{BASE}{url}"]
        assert head.one("description") == "Default answer."
        # The cookie's choice shows the same version as its address would.
        client.cookies["vetted_reader"] = "patient"
        assert head_of(client, url).canonical() == [f"{BASE}{url}?reader=patient"]

    def test_a_preview_is_not_for_search_engines(self, client, staff_user):
        article = approved()
        client.force_login(staff_user)
        head = head_of(client, f"{article.get_absolute_url()}?preview=1")
        assert head.one("robots") == "noindex"
        assert head.canonical() == []


class TestOtherPagesHeads:
    @pytest.mark.parametrize(
        "url",
        ["/", "/articles/", "/board/", "/board/ana-ruiz/", "/pages/privacy/", "/topics/t/"],
    )
    def test_one_description_canonical_and_card_per_page(self, client, url):
        board_member()
        approved(topic=TopicFactory(slug="t"))
        head = head_of(client, url)
        assert head.one("description")
        assert head.canonical() == [f"{BASE}{url}"]
        assert head.one("og:url") == f"{BASE}{url}"
        assert head.one("og:type") == "website"
        assert head.one("og:title")
        assert head.one("twitter:card") == "summary"

    def test_page_descriptions_say_what_is_on_the_page(self, client):
        board_member(specialties=["Nephrology", "Urology"])
        description = head_of(client, "/board/ana-ruiz/").one("description")
        assert "Ana Ruiz, MD, PhD, Nephrology, Urology: member of" in description
        privacy = head_of(client, "/pages/privacy/").one("description")
        assert privacy.startswith("We collect as little about you as we can.")
        assert "<" not in privacy
        assert "&#" not in privacy

    def test_lists_keep_the_page_number_and_drop_the_rest(self, client):
        topic = TopicFactory(slug="t")
        for _ in range(21):
            ArticleFactory(topic=topic)
        for article in topic.articles.all():
            workflow_to(article, "submitted")
        head = head_of(client, "/topics/t/?page=2&utm_campaign=x&ref=mail")
        assert head.canonical() == [f"{BASE}/topics/t/?page=2"]
        assert head_of(client, "/topics/t/?page=1").canonical() == [f"{BASE}/topics/t/"]
        assert head_of(client, "/articles/?page=2&utm_source=x").canonical() == [
            f"{BASE}/articles/?page=2"
        ]

    def test_error_pages_have_no_canonical_address(self, client):
        head = head_of(client, "/no-such-page/", status=404)
        assert head.canonical() == []
        assert head.one("description")


def test_canonical_path_keeps_only_what_it_is_told(rf):
    request = rf.get("/articles/", {"q": ["b", "a", ""], "page": "３", "utm_source": "x"})
    assert seo.canonical_path(request) == "/articles/"
    assert seo.canonical_path(request, ("q",)) == "/articles/?q=a&q=b"
    request = rf.get("/articles/", {"page": "007"})
    assert seo.canonical_path(request, ("page",)) == "/articles/?page=7"


# -- schema.org JSON-LD ---------------------------------------------------------------------


@pytest.fixture
def cited_approved():
    """An approved article citing one reference of each kind, in a topic of Infectious
    diseases (schema.org's `Infectious`), reviewed by a board member of that specialty."""
    infectious = SpecialtyFactory(name="Infectious diseases", schema_org="Infectious")
    reviewer, profile = board_member(specialties=[infectious.name])
    kinds = ["research", "systematic_review", "guideline", "textbook", "other"]
    for kind in kinds:
        ReferenceFactory(
            key=kind,
            kind=kind,
            title=f"A {kind} source",
            authors="Smith J, van der Berg AM, World Health Organization, et al.",
            source="The Source",
            year=2023,
            doi=f"10.1000/{kind}",
            pmid="12345" if kind == "research" else "",
        )
    article = ArticleFactory(
        headline="Treating cystitis",
        bottom_line="Nitrofurantoin is first-line [@guideline; @research].",
        topic=TopicFactory(specialty=infectious),
    )
    SectionFactory(
        article=article, body="Evidence [@systematic_review], background [@textbook; @other]."
    )
    return workflow_to(article, "approved", reviewer=reviewer), profile


class TestArticleStructuredData:
    def test_valid_by_the_schema_org_vocabulary(self, client, cited_approved):
        article, _ = cited_approved
        for reader in ("", "?reader=patient", "?reader=physician"):
            data = head_of(client, f"{article.get_absolute_url()}{reader}").data()
            assert schema_org.problems(data) == []

    def test_what_the_page_says(self, client, cited_approved):
        article, profile = cited_approved
        data = head_of(client, article.get_absolute_url()).data()
        assert data["@type"] == "MedicalWebPage"
        assert data["url"] == f"{BASE}{article.get_absolute_url()}"
        assert data["name"] == data["headline"] == "Treating cystitis"
        assert data["description"] == "Nitrofurantoin is first-line."
        assert data["isAccessibleForFree"] is True
        assert data["lastReviewed"] == day(article.approval.created_at)
        assert (
            data["dateModified"]
            == timezone.localtime(article.approval.revision.created_at)
            .replace(microsecond=0)
            .isoformat()
        )
        # The article's field is its topic's specialty; the reviewer is named, nothing more
        # (their specialties are on their own page).
        assert data["specialty"] == "https://schema.org/Infectious"
        assert data["reviewedBy"] == {
            "@type": "Person",
            "name": "Ana Ruiz",
            "honorificSuffix": "MD, PhD",
            "url": f"{BASE}{profile.get_absolute_url()}",
        }
        assert data["about"]["name"] == article.topic.name
        assert data["about"]["url"] == f"{BASE}/topics/{article.topic.slug}/"
        assert data["publisher"] == {"@type": "Organization", "name": "Vetted", "url": f"{BASE}/"}
        assert data["audience"]["audienceType"] == "Clinician"

    def test_citations_in_the_order_the_page_lists_them(self, client, cited_approved):
        article, _ = cited_approved
        citations = head_of(client, article.get_absolute_url()).data()["citation"]
        assert [(c["@type"], c["name"]) for c in citations] == [
            ("CreativeWork", "A guideline source"),
            ("ScholarlyArticle", "A research source"),
            ("ScholarlyArticle", "A systematic_review source"),
            ("Book", "A textbook source"),
            ("CreativeWork", "A other source"),
        ]
        research = citations[1]
        assert research["author"] == [
            {"@type": "Person", "name": "Smith J"},
            {"@type": "Person", "name": "van der Berg AM"},
            {"@type": "Organization", "name": "World Health Organization"},
        ]
        assert research["isPartOf"] == {"@type": "Periodical", "name": "The Source"}
        assert research["datePublished"] == "2023"
        assert research["sameAs"] == [
            "https://doi.org/10.1000/research",
            "https://pubmed.ncbi.nlm.nih.gov/12345/",
        ]
        assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "12345"} in research[
            "identifier"
        ]
        assert citations[0]["publisher"] == {"@type": "Organization", "name": "The Source"}

    def test_the_audience_is_the_reader_version_shown(self, client, cited_approved):
        article, _ = cited_approved
        url = article.get_absolute_url()
        patient = head_of(client, f"{url}?reader=patient").data()["audience"]
        assert patient == {
            "@type": "MedicalAudience",
            "audienceType": "Patient",
            "name": "Patient or caregiver",
        }
        nurse = head_of(client, f"{url}?reader=nurse").data()["audience"]
        assert nurse["audienceType"] == "Clinician"

    def test_no_specialty_where_schema_org_has_none_for_it(self, client):
        article = approved(reviewer=board_member()[0])  # General medicine: no schema.org value
        assert article.topic.specialty.schema_org == ""
        data = head_of(client, article.get_absolute_url()).data()
        assert "specialty" not in data
        assert data["reviewedBy"]["name"] == "Ana Ruiz"
        assert schema_org.problems(data) == []

    def test_no_review_claimed_for_a_pending_revision(self, client):
        show_pending(True)
        article = workflow_to(ArticleFactory(), "under_review")
        data = head_of(client, article.get_absolute_url()).data()
        assert "lastReviewed" not in data
        assert "reviewedBy" not in data
        assert schema_org.problems(data) == []

    def test_no_review_claimed_for_a_preview(self, client, staff_user, cited_approved):
        article, _ = cited_approved
        client.force_login(staff_user)
        data = head_of(client, f"{article.get_absolute_url()}?preview=1").data()
        assert "lastReviewed" not in data
        assert "reviewedBy" not in data

    def test_no_review_claimed_over_a_tampered_revision(self, client, cited_approved):
        article, _ = cited_approved
        revision = article.approval.revision
        tamper(revision, {**revision.content, "headline": "Changed behind our back"})
        data = head_of(client, article.get_absolute_url()).data()
        assert "lastReviewed" not in data
        assert "reviewedBy" not in data

    def test_no_text_can_end_the_script_element(self, client):
        hostile = "Dosing </script><script>alert(1)</script> & <!-- more"
        article = approved(headline=hostile)
        html = client.get(article.get_absolute_url()).content.decode()
        block = html.split('<script type="application/ld+json">', 1)[1]
        json_text = block.split("</script>", 1)[0]
        for character in "<>&":
            assert character not in json_text
        assert json.loads(json_text)["headline"] == hostile

    def test_costs_no_query_beyond_the_page(self, client, cited_approved, monkeypatch):
        article, _ = cited_approved
        client.get(article.get_absolute_url())  # rendered article cached
        with CaptureQueriesContext(connection) as with_data:
            client.get(article.get_absolute_url())
        monkeypatch.setattr(
            "articles.templatetags.seo_tags.structured_data.article_page", lambda page, r: {}
        )
        with CaptureQueriesContext(connection) as without:
            client.get(article.get_absolute_url())
        assert len(with_data) == len(without)


def test_profile_pages_describe_the_person(client):
    _, profile = board_member(
        specialties=["Urology", "Infectious diseases"], bio="Treats infections."
    )
    data = head_of(client, profile.get_absolute_url()).data()
    assert schema_org.problems(data) == []
    assert data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person["@type"] == "Person"
    assert (person["name"], person["honorificSuffix"]) == ("Ana Ruiz", "MD, PhD")
    assert person["knowsAbout"] == ["Infectious diseases", "Urology"]  # the declared ones
    assert "jobTitle" not in person
    assert person["description"] == "Treats infections."
    assert person["memberOf"]["url"] == f"{BASE}/board/"


def test_a_profile_without_specialties_claims_no_knowledge(client):
    _, profile = board_member(specialties=[])
    person = head_of(client, profile.get_absolute_url()).data()["mainEntity"]
    assert "knowsAbout" not in person
    assert person["name"] == "Ana Ruiz"


class TestTheVocabularyCheck:
    """The check is schema.org's published vocabulary, and it can fail."""

    def test_it_is_schema_org_s_release(self):
        vocabulary = schema_org.vocabulary()
        assert vocabulary.release == "30.0"
        assert vocabulary.is_a("MedicalWebPage", "WebPage")
        assert vocabulary.is_a("ScholarlyArticle", "CreativeWork")
        assert len(vocabulary.parents) > 800
        assert len(vocabulary.domains) > 1400

    @pytest.mark.parametrize(
        ("data", "problem"),
        [
            ({"@type": "MedicalWebpage"}, "not a schema.org class"),
            ({"@type": "Clinician"}, "not a schema.org class"),  # an enumeration member
            ({"@type": "Person", "lastReviewed": "2026-01-01"}, "does not apply to Person"),
            ({"@type": "WebPage", "reviewedBy": "Dr Ruiz"}, "is not a value of"),
            ({"@type": "WebPage", "lastReviewed": "06/12/2026"}, "is not a value of"),
            ({"@type": "WebPage", "url": "/relative/"}, "is not a value of"),
            ({"@type": "WebPage", "about": {"@type": "Nonsense"}}, "not a schema.org class"),
            ({"@type": "WebPage", "reviewedBy": {"@type": "Book"}}, "not in the range"),
            ({"@type": "WebPage", "isAccessibleForFree": "yes"}, "is not a value of"),
            ({"@type": "WebPage", "keywords": "cystitis"}, None),  # Text is in its range
            ({"@type": "Person", "name": True}, "takes no boolean"),
            ({"@type": "WebPage", "revieweBy": "x"}, "not a schema.org property"),
            ({"@type": "Organization", "contactPoints": []}, "is superseded"),
        ],
    )
    def test_it_finds_what_is_wrong(self, data, problem):
        found = schema_org.problems({"@context": "https://schema.org", **data})
        if problem is None:
            assert found == []
        else:
            assert any(problem in line for line in found), found

    def test_it_wants_the_schema_org_context(self):
        assert schema_org.problems({"@type": "Person"}) == [
            "$: @context is None, not 'https://schema.org'"
        ]

"""The board's public pages: the list of members with their credentials, each member's
profile with the articles whose current approval is theirs (paginated, a constant number of
queries), and the site pages About, Contact and Privacy (migration 0015) in the footer."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import board
from articles.models import Page, ReviewerProfile
from reviews import roles, services
from tests.factories import ArticleFactory, SpecialtyFactory, user_with_role, workflow_to

pytestmark = pytest.mark.django_db

PAGES = importlib.import_module("articles.migrations.0015_about_contact_privacy_pages")


def member(slug: str, name: str, specialties=("General medicine",), **fields):
    """A board member whose profile declares `specialties` (names): by default the factory
    topics' specialty, so their approvals are ordinary ones."""
    user = user_with_role(roles.MEDICAL_ADVISORY_BOARD, username=slug)
    profile = ReviewerProfile.objects.create(
        user=user,
        slug=slug,
        display_name=name,
        credentials=fields.pop("credentials", "MD"),
        disclosures="None declared",
        **fields,
    )
    profile.specialties.set(SpecialtyFactory(name=specialty) for specialty in specialties)
    return user, profile


def approved_by(reviewer, **fields):
    return workflow_to(ArticleFactory(**fields), "approved", reviewer=reviewer)


def reviewed_headlines(html: str) -> list[str]:
    section = html.split('id="reviewed-title"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li><a href="/articles/[^"]+/">([^<]+)</a>', section)


class TestBoardList:
    def test_each_member_with_credentials_and_specialty(self, client):
        member(
            "ana",
            "Ana Ruiz",
            credentials="MD, PhD",
            specialties=["Internal medicine", "Infectious diseases"],
        )
        member("bo", "Bo Lind", credentials="RN", specialties=["Renal nursing"])
        gone, _ = member("cy", "Cy Gone")
        gone.is_active = False
        gone.save()
        html = client.get(reverse("articles:board")).content.decode()
        assert (
            '<a href="/board/ana/">Ana Ruiz, MD, PhD</a> — Infectious diseases, Internal medicine'
            in html
        )
        assert '<a href="/board/bo/">Bo Lind, RN</a> — Renal nursing' in html
        assert "Cy Gone" not in html

    def test_the_list_is_stored_and_every_change_to_it_shows_at_once(self, client):
        """The list is read from the database once, then from the shared cache, until a
        member's profile, account or specialties, or a specialty's name, change."""
        ana_user, ana = member("ana", "Ana Ruiz", specialties=["Nephrology"])
        bo_user, bo = member("bo", "Bo Lind", credentials="RN", specialties=["Renal nursing"])

        def board_page():
            with CaptureQueriesContext(connection) as queries:
                html = client.get(reverse("articles:board")).content.decode()
            read = [q for q in queries if "articles_reviewerprofile" in q["sql"]]
            return html, read

        html, read = board_page()
        assert '<a href="/board/ana/">Ana Ruiz, MD</a> — Nephrology' in html
        assert read
        html_again, read = board_page()
        assert html_again == html
        assert read == []  # stored

        ana.credentials = "MD, PhD"
        ana.save()
        assert "Ana Ruiz, MD, PhD</a> — Nephrology" in board_page()[0]
        nephrology = ana.specialties.get()
        nephrology.name = "Kidney medicine"
        nephrology.save()
        assert "Ana Ruiz, MD, PhD</a> — Kidney medicine" in board_page()[0]
        ana.specialties.add(SpecialtyFactory(name="Dialysis"))
        assert "— Dialysis, Kidney medicine" in board_page()[0]
        bo_user.is_active = False
        bo_user.save()
        assert "Bo Lind" not in board_page()[0]
        bo_user.is_active = True
        bo_user.save(update_fields=["is_active"])
        assert "Bo Lind, RN" in board_page()[0]
        bo.delete()
        assert "Bo Lind" not in board_page()[0]
        member("cy", "Cy Park")
        html, read = board_page()
        assert "Cy Park" in html
        assert "Ana Ruiz" in html
        assert read
        # Signing in (its last-login time) changes nothing the board shows.
        ana_user.last_login = ana_user.date_joined
        ana_user.save(update_fields=["last_login"])
        assert board_page()[1] == []


class TestProfile:
    def test_lists_the_current_approvals_of_this_member_newest_first(self, client):
        ana, profile = member("ana", "Ana Ruiz")
        bo, _ = member("bo", "Bo Lind")
        older = approved_by(ana, headline="Older approval")
        approved_by(ana, headline="Newer approval")
        approved_by(bo, headline="Bo's approval")
        workflow_to(ArticleFactory(headline="Only under review"), "under_review", reviewer=ana)
        # Approved by Ana, then changed and approved again by Bo: now Bo's.
        moved = approved_by(ana, headline="Approved again by someone else")
        editor = user_with_role(roles.EDITORS)
        moved.bottom_line = "A corrected answer."
        moved.save()
        services.record_edit(moved, by=editor)
        workflow_to(moved, "approved", editor=editor, reviewer=bo)
        # Edited since Ana approved it, not yet approved again: readers still see her approval,
        # under the headline she approved.
        older.headline = "A working title nobody approved"
        older.save()
        services.record_edit(older, by=editor)

        html = client.get(profile.get_absolute_url()).content.decode()
        assert reviewed_headlines(html) == ["Newer approval", "Older approval"]
        assert "A working title nobody approved" not in html
        assert re.search(r'approved <time datetime="\d{4}-\d\d-\d\dT[\d:]{8}[+-]\d\d:\d\d">', html)

    def test_a_member_with_no_approvals_yet(self, client):
        _, profile = member("ana", "Ana Ruiz")
        html = client.get(profile.get_absolute_url()).content.decode()
        assert "No published article carries Ana Ruiz" in html
        assert reviewed_headlines(html) == []

    def test_twenty_a_page(self):
        assert board.REVIEWED_PER_PAGE == 20

    def test_pages_through_the_list(self, client, monkeypatch):
        monkeypatch.setattr(board, "REVIEWED_PER_PAGE", 2)
        ana, profile = member("ana", "Ana Ruiz")
        headlines = [approved_by(ana, headline=f"Article {n}").headline for n in range(5)]
        url = profile.get_absolute_url()
        seen = []
        for page in (1, 2, 3):
            html = client.get(url, {"page": page}).content.decode()
            seen += reviewed_headlines(html)
        assert seen == headlines[::-1]
        html = client.get(url, {"page": 2}).content.decode()
        assert 'rel="next"' in html
        assert 'rel="prev"' in html
        assert "(page 2)" in html.split("</title>")[0]
        for page in ("4", "0", "two"):
            assert client.get(url, {"page": page}).status_code == 404

    def test_the_same_queries_however_many_articles(self, client):
        ana, profile = member("ana", "Ana Ruiz")

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(profile.get_absolute_url()).status_code == 200
            return len(captured)

        approved_by(ana)
        few = queries()
        for _ in range(6):
            approved_by(ana)
        assert queries() == few


class TestSitePages:
    @pytest.mark.parametrize("slug", ["about", "contact", "privacy"])
    def test_each_page_is_there_and_in_the_footer(self, client, slug):
        page = Page.objects.get(slug=slug)
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200
        footer = response.content.decode().split('class="site-footer"', 1)[1]
        assert f'href="{page.get_absolute_url()}"' in footer

    def test_the_footer_links_every_policy_page_and_the_feed(self, client):
        footer = client.get("/").content.decode().split('class="site-footer"', 1)[1]
        links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer)
        assert [href for href, _ in links] == [
            "/pages/about/",
            "/pages/contact/",
            "/pages/privacy/",
            "/pages/editorial-policy/",
            "/pages/disclaimer/",
            "/feed/",
        ]

    def test_privacy_explains_the_cookie_and_follow_up_e_mails(self):
        body = Page.objects.get(slug="privacy").body
        for fact in (
            "`vetted_reader`",
            "one year",
            "not a tracking cookie",
            "e-mail address is optional",
            "never published",
            "editors",
            "do not see your address",
            "Server logs",
            "No third-party trackers",
        ):
            assert fact in body, fact

    def test_contact_points_to_the_follow_up_form(self):
        body = Page.objects.get(slug="contact").body
        assert "Have a follow-up question?" in body
        assert "in the admin" in body

    def test_the_migration_keeps_pages_staff_have_edited(self):
        Page.objects.filter(slug="about").update(title="About us", body="Our own words.")
        Page.objects.filter(slug="privacy").delete()
        PAGES.create_pages(apps, None)
        about = Page.objects.get(slug="about")
        assert (about.title, about.body) == ("About us", "Our own words.")
        assert Page.objects.get(slug="privacy").title == "Privacy"

    def test_links_inside_the_pages_lead_somewhere(self, client):
        for slug in ("about", "contact", "privacy"):
            html = client.get(reverse("articles:page", args=[slug])).content.decode()
            body = html.split('class="page__body"', 1)[1].split("</article>", 1)[0]
            for href in re.findall(r'href="(/[^"]*)"', body):
                assert client.get(href).status_code == 200, (slug, href)

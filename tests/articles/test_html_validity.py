"""Every public page type is valid HTML by the Nu HTML Checker (vnu.jar, from its npm package,
installed by `make test`; it needs Java): the demo site's pages for every reader type and
none, lists, search, topic, board, profile, site page, the follow-up form with errors, and the
404 page. Without Java or the checker this test skips and says why, except in CI
(VETTED_REQUIRE_BROWSER, which also requires the browser), where that is a failure."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Article, ReviewerProfile, Topic
from tests.demo.helpers import load_demo

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
READERS = [None, "patient", "student", "nurse", "physician"]


@pytest.fixture(scope="module")
def vnu():
    java = shutil.which("java")
    missing = (
        "java not found (apt-get install default-jre-headless)"
        if not java
        else f"{VNU} is missing: run `make test`, which installs vnu-jar with npm"
        if not VNU.exists()
        else None
    )
    if missing:
        if os.environ.get("VETTED_REQUIRE_BROWSER"):
            pytest.fail(missing)
        pytest.skip(missing)

    def check(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
        """{name: HTML} -> {name: ["line N: error", …]} for the pages with errors."""
        files = {}
        for number, (name, html) in enumerate(pages.items()):
            files[name] = folder / f"page-{number}.html"
            files[name].write_text(html, encoding="utf-8")
        result = subprocess.run(  # noqa: S603 — our own checker on our own files
            [java, "-jar", str(VNU), "--format", "json", "--stdout", *map(str, files.values())],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        names = {path.name: name for name, path in files.items()}  # vnu writes "file:/…"
        errors: dict[str, list[str]] = {}
        for message in json.loads(result.stdout)["messages"]:
            if message["type"] in ("error", "non-document-error"):
                url = message.get("url", "?")
                name = names.get(url.rsplit("/", 1)[-1], url)
                errors.setdefault(name, []).append(
                    f"line {message.get('lastLine', '?')}: {message['message']}"
                )
        return errors

    return check


def test_the_checker_reports_invalid_html(vnu, tmp_path):
    """A page with the faults the audit found is reported (so a clean result means something)."""
    bad = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><p><time datetime="2026-12-06T10:15:00.123456+00:00">now</time>'
        '<a href="#x" aria-describedby="x">x</a><div></p></body></html>'
    )
    good = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
    errors = vnu({"bad": bad, "good": good + "<body><p>Fine.</p></body></html>"}, tmp_path)
    assert set(errors) == {"bad"}
    assert any("datetime" in error for error in errors["bad"])


@pytest.mark.django_db
def test_every_public_page_type_is_valid_html(vnu, client, tmp_path):
    load_demo()
    approved = Article.objects.get(status=Article.Status.APPROVED)
    submitted = Article.objects.get(status=Article.Status.SUBMITTED)
    topic = Topic.objects.get(articles=approved)
    profile = ReviewerProfile.objects.order_by("slug").first()
    paths = {
        "home": ("/", 200),
        "list": ("/articles/", 200),
        "search": ("/articles/?q=blood+pressure&sort=relevance", 200),
        "topic": (topic.get_absolute_url(), 200),
        "board": ("/board/", 200),
        "profile": (profile.get_absolute_url(), 200),
        "site page": ("/pages/editorial-policy/", 200),
        "not found": ("/no-such-page/", 404),
    }
    for article in (approved, submitted):
        for slug in READERS:
            query = f"?reader={slug}" if slug else ""
            paths[f"{article.status} {slug or 'default'}"] = (
                f"{article.get_absolute_url()}{query}",
                200,
            )
    pages = {}
    for name, (path, status) in paths.items():
        response = client.get(path)
        assert response.status_code == status, (name, response.status_code)
        pages[name] = response.content.decode()
    # The follow-up form sent empty comes back with its errors marked.
    response = client.post(f"{approved.get_absolute_url()}follow-up/", {"text": ""})
    assert response.status_code == 400
    pages["follow-up with errors"] = response.content.decode()

    errors = vnu(pages, tmp_path)
    assert errors == {}, json.dumps(errors, indent=2)

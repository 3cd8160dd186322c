"""Which reader type a request is for, and the article as that reader sees it.

`?reader=<slug>` wins over the cookie, so every variant has a shareable address; anything
unknown means no choice, which gets the default (professional) text. The rendered answer is
cached per (revision, reader type, content generation); the page around it — forms with their
CSRF token, the chooser, staff previews — is never cached.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.safestring import SafeString

from .glossary import Glossary
from .models import GlossaryTerm, Page, ReaderType
from .rendering import RenderedArticle, render_article, render_markdown

COOKIE = "vetted_reader"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
_GENERATION_KEY = "vetted:content-generation"


def chosen_reader_type(request, reader_types) -> ReaderType | None:
    by_slug = {t.slug: t for t in reader_types}
    if "reader" in request.GET:
        return by_slug.get(request.GET["reader"])
    return by_slug.get(request.COOKIES.get(COOKIE, ""))


@dataclass(frozen=True)
class ReaderView:
    """The parts of an article page that depend on the reader type."""

    rendered: RenderedArticle
    disclaimer_title: str
    disclaimer_html: SafeString


def render_for(bottom_line: str, sections, reader: ReaderType | None) -> ReaderView:
    """Render texts (already resolved to `reader`'s variants) with the reader's disclaimer and,
    for lay readers, glossary marks. Costs the same queries for every reader type: cited
    references, the disclaimer and the glossary (small; loaded for all to keep it so)."""
    lay = reader is not None and not reader.is_professional
    glossary_terms = list(GlossaryTerm.objects.all())
    rendered = render_article(bottom_line, sections, Glossary(glossary_terms) if lay else None)
    slug = Page.PLAIN_DISCLAIMER if lay else Page.DISCLAIMER
    disclaimer = Page.objects.filter(slug=slug).first()
    return ReaderView(
        rendered,
        disclaimer.title if disclaimer else "",
        render_markdown(disclaimer.body) if disclaimer else SafeString(""),
    )


def revision_for(revision, reader: ReaderType | None) -> ReaderView:
    """A frozen revision as `reader` sees it, from the cache when possible. The key holds the
    revision (a new approval is a new key) and the content generation, which moves whenever a
    glossary term, site page, reference or reader type changes."""
    slug = reader.slug if reader else None
    key = f"vetted:article:{revision.pk}:{slug or '-'}:{content_generation()}"
    view = cache.get(key)
    if view is None:
        view = render_for(revision.bottom_line_for(slug), revision.sections_for(slug), reader)
        cache.set(key, view, timeout=None)
    return view


def content_generation() -> int:
    """A value that changes whenever anything every article shows changes. It is a timestamp,
    not a counter: if the cache evicts it, the fresh value is newer than any before, so old
    entries can never come back into use."""
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(_GENERATION_KEY) or time.time_ns()
    return generation


def bump_content_generation(**kwargs) -> None:
    """Signal receiver: something every rendered article may show has changed."""
    cache.set(_GENERATION_KEY, time.time_ns(), timeout=None)

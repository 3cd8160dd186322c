"""Citing an article and exporting its reference list, always from its public revision.

The article is cited as a web page in AMA style: the editorial team as author (see
`EDITORIAL_TEAM`), the headline, the site, the date of the public revision ("Updated", the
date the page shows as "Last updated") and the article's canonical address. Its reference
list is exported in the order the page numbers it, from the revision's frozen references.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from references import export
from references.formatting import Name, Work, WorkType, ama_html, work

from .models import Article, ReaderType
from .readers import ShownArticle, render_revision
from .revisions import Revision
from .structured_data import SITE_NAME

# The author of every article. `Article.authors` is not a byline: it is the staff accounts
# that wrote or edited the working copy (the four-eyes rule reads it), not frozen in the
# revision readers see, and a username there is a login name, never shown to readers.
EDITORIAL_TEAM = f"{SITE_NAME} Editorial Team"

FORMATS = {
    "ris": (export.to_ris, export.RIS_CONTENT_TYPE),
    "bib": (export.to_bibtex, export.BIBTEX_CONTENT_TYPE),
}


def article_work(article: Article, revision: Revision, url: str) -> Work:
    """`article` as its public `revision` shows it, found at the absolute `url`."""
    day = timezone.localtime(revision.created_at).date()
    return Work(
        type=WorkType.WEBPAGE,
        title=revision.headline,
        key=article.slug,
        authors=(Name(literal=EDITORIAL_TEAM),),
        container=SITE_NAME,
        year=day.year,
        date=(day.year, day.month, day.day),
        date_label="Updated",
        url=url,
    )


def reference_works(revision: Revision, reader: ReaderType | None) -> list[Work]:
    """The references the revision's text for `reader` cites, numbered as on its page (the
    rendering is cached per revision and reader type: no formatting or parsing here)."""
    rendered = render_revision(revision, reader).rendered
    return [work(cited.reference) for cited in rendered.references]


def absolute_url(request, article: Article) -> str:
    return request.build_absolute_uri(article.get_absolute_url())


def download(works: list[Work], fmt: str) -> tuple[str, str]:
    """(file text, content type) of `works` in `fmt` ("ris" or "bib"; KeyError otherwise)."""
    write, content_type = FORMATS[fmt]
    return write(works), content_type


@dataclass(frozen=True)
class PageCitation:
    """The "Cite this article" block of one article page."""

    html: SafeString
    downloads: list[tuple[str, str]]  # (label, url)


def page_citation(page: ShownArticle, request) -> PageCitation:
    """What the page's "Cite this article" block shows: the article in AMA style and the
    download links. The reference list's links name the reader type only when its text
    (and so its list) is its own, as the page's own address does (`seo.article_path`)."""
    article = page.article
    cited = article_work(article, page.revision, absolute_url(request, article))
    downloads = [
        (label, reverse("articles:cite", args=[article.slug, fmt]))
        for label, fmt in (("Citation (RIS)", "ris"), ("Citation (BibTeX)", "bib"))
    ]
    if page.view.rendered.references:
        query = ""
        reader = page.reader
        if reader is not None and reader.slug in page.revision.shown.reader_types_with_variants:
            query = "?" + urlencode({"reader": reader.slug})
        downloads += [
            (label, reverse("articles:cited_references", args=[article.slug, fmt]) + query)
            for label, fmt in (("Reference list (RIS)", "ris"), ("Reference list (BibTeX)", "bib"))
        ]
    return PageCitation(ama_html(cited, mark_title=False), downloads)

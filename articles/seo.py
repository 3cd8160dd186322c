"""What search engines and link previews read of a page besides its text: its canonical
address and its description. Article pages take both from the `ShownArticle` they show
(`articles.readers`); other pages from the request. Templates reach these through
`articles.templatetags.seo_tags`."""

import re
from urllib.parse import urlencode

from .readers import ShownArticle
from .rendering import plain_text

DESCRIPTION_LENGTH = 160


_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """`text` on one line, at most `limit` characters: whole sentences when those fill at
    least half of it, else cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text[: limit + 1]) if m.end() <= limit]
    if ends and ends[-1] >= limit // 2:
        return text[: ends[-1]]
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:–—-") + "…"


def article_description(page: ShownArticle) -> str:
    """The bottom line the page shows (the reader's variant, if any) as plain text: never the
    question, which is not an answer."""
    slug = page.reader.slug if page.reader else None
    return shorten(plain_text(page.revision.shown.bottom_line_for(slug)))


def article_path(page: ShownArticle) -> str:
    """The address of the version shown: `?reader=<slug>` only when the revision has its own
    text for that reader type; every other reader sees the default text's page."""
    path = page.article.get_absolute_url()
    reader = page.reader
    if reader is not None and reader.slug in page.revision.shown.reader_types_with_variants:
        return f"{path}?{urlencode({'reader': reader.slug})}"
    return path


def canonical_path(request, keep: tuple[str, ...] = ()) -> str:
    """The request's path with only the query parameters named in `keep`, in that order,
    empty values left out, and the page number (`page`) only when it is a number above 1:
    tracking and other junk parameters never make a second address for the same page."""
    query = []
    for name in keep:
        if name == "page":
            continue
        values = sorted({value for value in request.GET.getlist(name) if value.strip()})
        query += [(name, value) for value in values]
    page = request.GET.get("page", "")
    if page.isdigit() and page.isascii() and int(page) > 1:
        query.append(("page", str(int(page))))
    return f"{request.path}?{urlencode(query)}" if query else request.path

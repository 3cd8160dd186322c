"""Tags for what a page tells search engines and link previews (base.html's <head>).

- `{% capture as name %}…{% endcapture %}` renders its contents once into a variable, so a
  block a page fills (its description, its canonical address) can be written into more than
  one tag.
- `{% canonical_url %}` / `{% canonical_url keep="q topic" %}`: the absolute address of the
  page asked for, without junk parameters (`articles.seo.canonical_path`).
- `{% head_tags … %}`: the description, canonical link, Open Graph and Twitter card tags.
- `{% article_head page %}`: all of these for an article page, from its `ShownArticle`.
- `{{ text|markdown_description }}`: a Markdown text as a plain, shortened description.
- `{% json_ld data %}`: a <script type="application/ld+json"> data block, escaped so no text
  in it can end the element.
"""

import html
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from .. import seo, structured_data
from ..rendering import plain_text

register = template.Library()

# What may not appear raw inside a <script> element: "</script>", "<!--" and entities.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Template output is escaped already: kept safe, so it is not escaped twice.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def canonical_url(context, keep: str = "") -> str:
    """Empty where there is no request (the error pages render without one)."""
    request = context.get("request")
    if request is None:
        return ""
    return request.build_absolute_uri(seo.canonical_path(request, tuple(keep.split())))


@register.inclusion_tag("articles/_head_tags.html")
def head_tags(*, title, description, canonical="", og_type="website", robots=""):
    """`description` may be a block's output (escaped HTML): it is read back as plain text
    and shortened. A page asked not to be indexed gets no canonical link."""
    return {
        "title": title,
        "description": seo.shorten(html.unescape(strip_tags(str(description)))),
        "canonical": "" if robots else canonical,
        "og_type": og_type or "website",
        "robots": robots,
        "site_name": structured_data.SITE_NAME,
    }


@register.inclusion_tag("articles/_head_tags.html", takes_context=True)
def article_head(context, page):
    """Head tags for an article page: the bottom line shown as the description, the reader
    version's own address as canonical, a preview kept out of search engines, and the page's
    `MedicalWebPage` data."""
    request = context["request"]
    return {
        "title": page.revision.headline,
        "description": seo.article_description(page),
        "canonical": "" if page.preview else request.build_absolute_uri(seo.article_path(page)),
        "og_type": "article",
        "robots": "noindex" if page.preview else "",
        "site_name": structured_data.SITE_NAME,
        "modified": structured_data.moment(page.updated_at),
        "structured_data": structured_data.article_page(page, request),
    }


@register.filter
def markdown_description(text: str) -> str:
    """A Markdown text (a site page's body) as a plain description, shortened."""
    return seo.shorten(plain_text(text))


@register.simple_tag(takes_context=True)
def profile_json_ld(context, profile):
    return json_ld(structured_data.profile_page(profile, context["request"]))


@register.simple_tag
def json_ld(data) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 — escaped for <script>
    )

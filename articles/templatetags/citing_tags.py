"""The "Cite this article" block (articles/citing.py)."""

from django import template

from ..citing import page_citation

register = template.Library()


@register.simple_tag(takes_context=True)
def cite_article(context, page):
    return page_citation(page, context["request"])

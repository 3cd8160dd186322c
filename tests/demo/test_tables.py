"""Every table in the demo content, default text and reader-type variants, has a heading in
every column and a caption ("Table: …" right before it), so each reaches readers as a named,
captioned table."""

import re
from html import unescape

from django.utils.html import strip_tags

from articles.rendering import render_markdown

from .test_content import demo_texts

TABLE_RE = re.compile(r"<table>.*?</table>", re.S)


def tables() -> list[str]:
    return [table for text in demo_texts() for table in TABLE_RE.findall(render_markdown(text))]


def test_the_demo_content_has_tables_in_default_texts_and_variants():
    assert len(tables()) >= 10


def test_every_demo_table_has_a_caption():
    for table in tables():
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
        assert caption, table[:200]
        assert len(strip_tags(caption.group(1)).split()) >= 3, caption.group(1)


def test_every_column_of_every_demo_table_has_a_heading():
    for table in tables():
        head = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
        cells = re.findall(r"<th[^>]*>.*?</th>", head)
        headings = [unescape(strip_tags(th)).strip() for th in cells]
        first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table, re.S).group(1)
        assert len(headings) == first_row.count("<td")
        assert all(headings), (headings, table[:200])

"""Article page cost by length: queries and median time per request for an anonymous reader,
with the caches cold (cleared before each request: the page is rendered) and warm (the page
comes whole from the page cache, articles/page_cache.py: its time should not grow with length).

Run: .venv/bin/python bench/article_page.py   (prints a table; never run as a test)
Uses a throwaway test database (SQLite in memory unless DATABASE_URL says otherwise).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SHAPES = [(1, 1), (5, 6), (30, 60), (100, 200)]
REPEATS = 30


def build(sections: int, references: int):
    from tests.factories import ArticleFactory, ReferenceFactory, SectionFactory

    refs = [ReferenceFactory() for _ in range(references)]
    article = ArticleFactory(bottom_line=f"**Answer** [@{refs[0].key}].")
    for i in range(sections):
        keys = "; ".join(f"@{r.key}" for r in refs[i::sections][:4] or refs[:1])
        body = (
            f"Paragraph with a citation [{keys}].\n\n- a bullet\n- another [@{refs[0].key}]\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n"
        )
        SectionFactory(article=article, position=i + 1, body=body)
    from tests.factories import workflow_to

    return workflow_to(article, "approved")


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        client = Client()
        print(
            f"{'sections':>8} {'refs':>5} {'queries cold/warm':>18} "
            f"{'cold median ms':>15} {'warm median ms':>15}"
        )
        for sections, references in SHAPES:
            url = build(sections, references).get_absolute_url()
            figures = []
            for warm in (False, True):
                cache.clear()
                assert client.get(url).status_code == 200
                if not warm:
                    cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                queries = len(captured)  # read now: the next request clears the log
                times = []
                for _ in range(REPEATS):
                    if not warm:
                        cache.clear()
                    start = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                figures.append((queries, statistics.median(times)))
            (cold_q, cold_ms), (warm_q, warm_ms) = figures
            print(
                f"{sections:>8} {references:>5} {f'{cold_q}/{warm_q}':>18} "
                f"{cold_ms:>15.1f} {warm_ms:>15.1f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

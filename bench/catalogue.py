"""The public catalogue's pages on a generated catalogue: home, the article list (first, next,
middle and last page, each filter, each sort), a topic page and search (common, topical,
rare, several words, no match, with a filter), each against a static file of the same bytes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vetted_bench [REDIS_URL=redis://…/15] \\
        nice -n 10 .venv/bin/python bench/catalogue.py [--runs 30] [--profile]

Generate the database first (bench/generate_catalogue.py). Each page is requested through
the project's WSGI application in this process (config.wsgi, the same entry gunicorn uses,
with the test settings: DEBUG off, nothing sent by mail) and, as a baseline, the same bytes
are served from a file by WhiteNoise, in the same run and the same way. Prints a Markdown
table: median and 95th-percentile time over --runs requests after --warmup, the median of
five "cold" requests each made right after the catalogue changed (so nothing computed from it
is remembered in the cache: `articles.catalogue.generation`), SQL queries (one request),
response size, the static file's median, how many times slower the page is, and for searches
how many articles match. With --profile, the cProfile of the slowest page and, on PostgreSQL,
EXPLAIN ANALYZE of its slowest query. Nothing is written to the database.
"""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (rare words)")
    parser.add_argument("--only", default="", help="pages whose name contains this text")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="",
        default=None,
        help="profile the slowest page, or the first page whose name contains this text",
    )
    return parser.parse_args(argv)


# -- measuring ------------------------------------------------------------------------------------


def environ_for(path: str, query: str = "") -> dict:
    from wsgiref.util import setup_testing_defaults

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}
    setup_testing_defaults(environ)
    environ["HTTP_ACCEPT"] = "text/html"
    return environ


def request(app, path: str, query: str = "") -> tuple[str, bytes]:
    """One GET through a WSGI application, read to the last byte, as a server would."""
    found = {}

    def start_response(status, headers, exc_info=None):
        found["status"] = status
        return lambda data: None

    response = app(environ_for(path, query), start_response)
    try:
        body = b"".join(response)
    finally:
        if hasattr(response, "close"):
            response.close()
    return found["status"], body


def timed(app, path: str, query: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        request(app, path, query)
        times.append((time.perf_counter() - start) * 1000)
    return times


COLD_RUNS = 5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# -- the pages ------------------------------------------------------------------------------------


def pages(seed: int) -> list[tuple[str, str, dict]]:
    """(name, path, query) of every page measured, chosen from what the database holds."""
    from django.db.models import Count

    from articles.filters import APPROVED, NEWEST, PENDING, REVIEWED
    from articles.models import Listing, Topic

    listings = Listing.objects.count()
    per_page = 20
    last = max(1, -(-listings // per_page))
    topic = (
        Topic.objects.annotate(n=Count("listings")).order_by("-n", "slug").first()
    )  # the largest
    small = Topic.objects.annotate(n=Count("listings")).filter(n__gt=0).order_by("n").first()
    since = (datetime.date.today() - datetime.timedelta(days=90)).isoformat()
    article = Listing.objects.approved().order_by("-published_at").first()
    found = [
        ("home", "/", {}),
        ("list", "/articles/", {}),
        ("list, page 2", "/articles/", {"page": 2}),
        (f"list, page {last // 2} (middle)", "/articles/", {"page": max(1, last // 2)}),
        (f"list, page {last} (last)", "/articles/", {"page": "last"}),
        (f"list, topic ({topic.name})", "/articles/", {"topic": topic.slug}),
        ("list, approved", "/articles/", {"status": APPROVED}),
        ("list, pending review", "/articles/", {"status": PENDING}),
        ("list, cites a guideline", "/articles/", {"cites": "guideline"}),
        ("list, cites a textbook", "/articles/", {"cites": "textbook"}),
        ("list, has a patient version", "/articles/", {"reader": "patient"}),
        ("list, has a nurse version", "/articles/", {"reader": "nurse"}),
        ("list, updated in 90 days", "/articles/", {"since": since}),
        ("list, newest", "/articles/", {"sort": NEWEST}),
        ("list, recently reviewed", "/articles/", {"sort": REVIEWED}),
        ("list, recently reviewed, last page", "/articles/", {"sort": REVIEWED, "page": "last"}),
        (
            "list, topic + approved + guideline + reviewed",
            "/articles/",
            {"topic": topic.slug, "status": APPROVED, "cites": "guideline", "sort": REVIEWED},
        ),
        (f"topic ({topic.name})", f"/topics/{topic.slug}/", {}),
        (f"topic ({topic.name}), last page", f"/topics/{topic.slug}/", {"page": "last"}),
        (f"topic ({small.name}, smallest)", f"/topics/{small.slug}/", {}),
    ]
    for name, terms, extra in searches(seed, topic):
        found.append((name, "/articles/", {"q": terms, **extra}))
    if article:
        found.append(("article page (for comparison)", article.get_absolute_url(), {}))
    return found


def searches(seed: int, topic) -> list[tuple[str, str, dict]]:
    """Search terms from the generator's own words: a word in most articles, a topic's
    condition, an invented drug name few articles mention, several words, and nothing."""
    from articles.models import Listing
    from bench import vocabulary as words

    condition = next(t for t in words.topics() if t["name"] == topic.name)["conditions"][0]
    rare = _rare_word(seed)
    return (
        [
            ("search, common word (review)", "review", {}),
            ("search, common word, last page", "review", {"page": "last"}),
            ("search, common word, newest", "review", {"sort": "newest"}),
            (f"search, topical ({condition})", condition, {}),
            ("search, topical + topic filter", condition, {"topic": topic.slug}),
            (f"search, rare ({rare})", rare, {}),
            ("search, four words", f"{condition} older adults dose", {}),
            ("search, quoted phrase", '"kidney function"', {}),
            ("search, no match", "zyxwvutsrq", {}),
            ("search, words and a minus", f"{condition} -surgery", {}),
        ]
        if Listing.objects.exists()
        else []
    )


def _rare_word(seed: int) -> str:
    """An invented drug name that only a handful of articles mention."""
    from articles.models import Listing
    from bench.generation import Vocabulary

    vocabulary = Vocabulary(seed)
    fallback = vocabulary.drugs[0].items[-1]
    for pool in vocabulary.drugs[:10]:
        for name in reversed(pool.items[-5:]):
            if 1 <= Listing.objects.search(name).count() <= 30:
                return name
    return fallback


def hits(query: dict) -> int | None:
    if "q" not in query:
        return None
    from articles.filters import ArticleFilter
    from articles.models import Listing

    return ArticleFilter(
        {k: v for k, v in query.items() if k != "page"}, queryset=Listing.objects.all()
    ).qs.count()


# -- the run --------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = arguments(argv)
    if not args.database_url:
        print("Give the generated database with --database-url or DATABASE_URL.", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext
    from whitenoise import WhiteNoise

    from articles.catalogue import new_generation
    from articles.models import Article, Listing
    from config.wsgi import application

    # One connection kept for the run, as production's CONN_MAX_AGE does.
    connections["default"].settings_dict["CONN_MAX_AGE"] = None
    if not Listing.objects.exists():
        print("The database holds no catalogue: run bench/generate_catalogue.py first.")
        return 1
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: "
        f"{Article.objects.count():,} articles, {Listing.objects.count():,} listed; "
        f"cache {cache}; {args.runs} runs after {args.warmup} warm-up requests; "
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}\n"
    )
    chosen = [p for p in pages(args.seed) if args.only.lower() in p[0].lower()]
    static_root = Path(tempfile.mkdtemp(prefix="vetted-bench-"))
    results, failed = [], []
    for number, (name, path, params) in enumerate(chosen):
        query = urlencode(params)
        status, body = request(application, path, query)
        if not status.startswith("200"):
            print(f"  {name}: {path}?{query} answered {status}", file=sys.stderr)
            failed.append(f"{name} ({path}?{query}): {status}")
            continue
        for _ in range(args.warmup):
            request(application, path, query)
        with CaptureQueriesContext(connection) as captured:
            request(application, path, query)
        queries = list(captured.captured_queries)
        page_times = timed(application, path, query, args.runs)
        # Cold: the first request after the catalogue changed (nothing remembered from it).
        cold_times = []
        for _ in range(min(args.runs, COLD_RUNS)):
            new_generation()
            cold_times += timed(application, path, query, 1)
        # The baseline: the same bytes from a file, served by WhiteNoise the same way.
        (static_root / f"page{number}.html").write_bytes(body)
        static = WhiteNoise(lambda environ, start: [], root=static_root, prefix="static/")
        static_path = f"/static/page{number}.html"
        assert request(static, static_path)[1] == body
        for _ in range(args.warmup):
            request(static, static_path)
        static_times = timed(static, static_path, "", args.runs)
        results.append(
            {
                "name": name,
                "url": path + (f"?{query}" if query else ""),
                "median": statistics.median(page_times),
                "cold": statistics.median(cold_times),
                "p95": percentile(page_times, 0.95),
                "queries": queries,
                "bytes": len(body),
                "static": statistics.median(static_times),
                "hits": hits(params),
            }
        )
        print(f"  {name}: {results[-1]['median']:.1f} ms", file=sys.stderr, flush=True)
    print(table(results))
    for line in failed:
        print(f"\n**Failed:** {line}")
    if args.profile is not None and results:
        profile(results, args.profile, application)
    return 1 if failed else 0


def table(results: list[dict]) -> str:
    lines = [
        "| page | median ms | p95 ms | cold ms | queries | KB | static file ms | × static "
        "| matches |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        matches = "" if r["hits"] is None else f"{r['hits']:,}"
        lines.append(
            f"| {r['name']} | {r['median']:.1f} | {r['p95']:.1f} | {r['cold']:.1f} | "
            f"{len(r['queries'])} | "
            f"{r['bytes'] / 1024:.1f} | {r['static']:.3f} | {r['median'] / r['static']:.0f} | "
            f"{matches} |"
        )
    return "\n".join(lines)


def profile(results: list[dict], which: str, application) -> None:
    """cProfile of one page, and the query plan of its slowest query."""
    from django.db import connection

    if which:
        chosen = next(r for r in results if which.lower() in r["name"].lower())
    else:
        chosen = max(results, key=lambda r: r["median"])
    path, _, query = chosen["url"].partition("?")
    print(f"\n## Profile: {chosen['name']} ({chosen['url']})\n")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        request(application, path, query)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    print("```\n" + out.getvalue().strip() + "\n```")
    slowest = max(chosen["queries"], key=lambda q: float(q["time"]))
    print(f"\nSlowest query ({float(slowest['time']) * 1000:.1f} ms):\n")
    print("```sql\n" + slowest["sql"] + "\n```")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print("\n```\n" + plan + "\n```")


if __name__ == "__main__":
    sys.exit(main())

"""The admin pages staff use every day, on a generated catalogue: every changelist (the
article list with each work filter, status and topic filters, searches by a common and a rare
word; questions, references, glossary, pages, review log, revisions, reviewer profiles, the
review queue…), the change form of an article with many sections and variants, its history,
the change and delete pages of a much-cited reference, every autocomplete in use and the
review screen of a submitted article, each signed in as the role that uses it.

    nice -n 10 .venv/bin/python bench/admin_pages.py \\
        --small-url postgres://postgres@127.0.0.1:5432/vetted_small \\
        --database-url postgres://postgres@127.0.0.1:5432/vetted_bench [--runs 10] [--profile]

Generate the databases first (bench/generate_catalogue.py, e.g. 100 and 100,000 articles).
Each page is requested through the project's WSGI application (config.wsgi, the entry
gunicorn uses) with the test settings, in a process of its own per database. Sessions live
in the process's cache, not the database: nothing is written to the database. Prints a
Markdown table: median and 95th-percentile time over --runs requests after --warmup, SQL
queries (one request), the rows a changelist shows; with two databases, both side by side,
the ratio large/small and a flag where a page takes over 300 ms on the large one or over
twice its time on the small one. A list that draws more rows on the large catalogue (100
where the small one has 5 to show) is timed again drawing as many rows as on the small one
(its `list_per_page` lowered for those requests): that ratio is what the catalogue's size
costs, the first one includes drawing the longer page.
With --profile, the cProfile of the slowest page (or the first whose name contains the given
text) on the last database and, on PostgreSQL, EXPLAIN ANALYZE of its slowest query.
"""

import argparse
import cProfile
import datetime
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

LIMIT_MS = 300
LIMIT_RATIO = 2.0
ROLE_USERNAMES = {
    "chief": "bench-chief-01",
    "editor": "bench-editor-01",
    "reviewer": "bench-reviewer-01",
}


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        action="append",
        default=[],
        help="a generated database; give it twice (small first) to compare",
    )
    parser.add_argument("--small-url", default="", help="the small database to compare with")
    parser.add_argument("--runs", type=int, default=10, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests first")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (rare words)")
    parser.add_argument("--only", default="", help="pages whose name contains this text")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="",
        default=None,
        help="profile the slowest page, or the first page whose name contains this text",
    )
    parser.add_argument("--json-out", default="", help=argparse.SUPPRESS)  # one database's run
    parser.add_argument("--rows-of", default="", help=argparse.SUPPRESS)  # the small run's rows
    return parser.parse_args(argv)


# -- measuring ------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    query: dict = field(default_factory=dict)
    role: str = "chief"


def environ_for(path: str, query: str, cookie: str) -> dict:
    from wsgiref.util import setup_testing_defaults

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}
    setup_testing_defaults(environ)
    environ["HTTP_ACCEPT"] = "text/html"
    environ["HTTP_COOKIE"] = cookie
    return environ


def request(app, page: Page, cookie: str) -> tuple[str, bytes]:
    """One GET through a WSGI application, read to the last byte, as a server would."""
    found = {}

    def start_response(status, headers, exc_info=None):
        found["status"] = status
        return lambda data: None

    response = app(environ_for(page.path, urlencode(page.query), cookie), start_response)
    try:
        body = b"".join(response)
    finally:
        if hasattr(response, "close"):
            response.close()
    return found["status"], body


def rows_shown(body: bytes) -> int | None:
    """The rows of a changelist's results table (None for any other page): a list that shows
    5 rows on the small catalogue and 100 on the large one does 20 times the drawing."""
    start = body.find(b'id="result_list"')
    if start < 0:  # an empty changelist draws no table
        return 0 if b'id="changelist"' in body else None
    table = body[start : body.find(b"</table>", start)]
    body_rows = table[table.find(b"<tbody") :]
    return body_rows.count(b"<tr")


def median_at_rows(app, page: Page, cookie: str, args, rows: int) -> dict:
    """The changelist's median time when it draws `rows` rows (its admin's `list_per_page`
    set to that for the run): the same page, filter, search and count, only fewer rows
    drawn. Against the small catalogue's page drawing as many rows, what remains is what
    the catalogue's size costs, not the drawing of a longer page."""
    from django.urls import resolve

    model_admin = resolve(page.path).func.model_admin
    was = model_admin.list_per_page
    model_admin.list_per_page = rows
    try:
        for _ in range(args.warmup):
            request(app, page, cookie)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            status, body = request(app, page, cookie)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        model_admin.list_per_page = was
    return {"median": statistics.median(times), "rows": rows_shown(body)}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def signed_in(username: str) -> str:
    """A session cookie for `username`, as a sign-in would leave it, kept in the cache (the
    run sets SESSION_ENGINE to the cache backend) so nothing is written to the database."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.cache import SessionStore

    from accounts.middleware import SIGNED_IN_AT

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT] = int(time.time())
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# -- the pages ------------------------------------------------------------------------------------


def pages(seed: int) -> list[Page]:
    """Every page measured, chosen from what the database holds."""
    from django.contrib import admin
    from django.db.models import Count
    from django.urls import reverse

    from articles.models import Article, ReviewEvent, Topic
    from articles.revisions import Citation
    from bench.catalogue import _rare_word
    from reviews.models import ReviewQueueItem

    found = []
    # Every changelist registered, signed in as the first role that may see it.
    for model, model_admin in admin.site._registry.items():
        role = _first_role_that_views(model_admin)
        if role is None:
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        found.append(Page(f"list: {opts.verbose_name_plural}", url, {}, role))

    articles = reverse("admin:articles_article_changelist")
    topic = Topic.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
    rare = _rare_word(seed)
    found += [
        Page("articles: my drafts", articles, {"work": "mine"}, "editor"),
        Page("articles: changes requested", articles, {"work": "changes"}, "editor"),
        Page("articles: awaiting review", articles, {"work": "awaiting"}),
        Page("articles: review overdue", articles, {"work": "overdue"}),
        Page("articles: reference updated", articles, {"work": "references"}),
        Page("articles: status draft", articles, {"status__exact": "draft"}),
        Page("articles: status approved", articles, {"status__exact": "approved"}),
        Page("articles: topic (largest)", articles, {"topic__id__exact": topic.pk}),
        Page("articles: search, common word", articles, {"q": "review"}, "editor"),
        Page("articles: search, rare word", articles, {"q": rare}, "editor"),
        Page("articles: search, two words", articles, {"q": "kidney function"}, "editor"),
        Page("articles: search + awaiting", articles, {"q": "children", "work": "awaiting"}),
        Page("articles: sorted by headline", articles, {"o": "1"}),
    ]
    questions = reverse("admin:articles_question_changelist")
    references = reverse("admin:references_reference_changelist")
    events = reverse("admin:articles_reviewevent_changelist")
    revisions = reverse("admin:articles_revision_changelist")
    queue = reverse("admin:reviews_reviewqueueitem_changelist")
    found += [
        Page("questions: search", questions, {"q": "breastfeeding"}, "editor"),
        Page("questions: new", questions, {"status__exact": "new"}, "editor"),
        Page("references: search", references, {"q": "angina"}, "editor"),
        Page("references: kind guideline", references, {"kind__exact": "guideline"}, "editor"),
        Page("review log: approvals", events, {"action__exact": ReviewEvent.Action.APPROVED}),
        Page("review log: search", events, {"q": "kidney"}),
        Page("revisions: search", revisions, {"q": "kidney"}),
        Page("review queue: topic", queue, {"topic__id__exact": topic.pk}, "reviewer"),
    ]

    # One article with many sections and variants: its form, history and review screen.
    article = (
        Article.objects.annotate(
            n_variants=Count("variants", distinct=True), n_sections=Count("sections", distinct=True)
        )
        .order_by("-n_variants", "-n_sections", "pk")
        .first()
    )
    found += [
        Page(
            f"article form ({article.n_sections} sections, {article.n_variants} variants)",
            reverse("admin:articles_article_change", args=[article.pk]),
            {},
            "editor",
        ),
        Page("article history", reverse("admin:articles_article_history", args=[article.pk])),
        Page(
            "article revisions",
            reverse("admin:articles_article_revisions", args=[article.pk]),
            {},
            "editor",
        ),
    ]
    submitted = (
        ReviewQueueItem.objects.filter(status=Article.Status.SUBMITTED).order_by("pk").first()
    )
    if submitted:
        found.append(
            Page(
                "review screen (submitted)",
                reverse("admin:articles_article_review", args=[submitted.pk]),
                {},
                "reviewer",
            )
        )
    cited = (
        Citation.objects.values("reference")
        .annotate(n=Count("pk"))
        .order_by("-n", "reference")
        .first()
    )
    if cited:
        pk, n = cited["reference"], cited["n"]
        found += [
            Page(
                f"reference change ({n:,} citations)",
                reverse("admin:references_reference_change", args=[pk]),
                {},
                "editor",
            ),
            Page(
                "reference delete page",
                reverse("admin:references_reference_delete", args=[pk]),
                {},
                "chief",  # editors may not delete references
            ),
            Page(
                "reference history",
                reverse("admin:references_reference_history", args=[pk]),
                {},
                "editor",
            ),
        ]

    # Every autocomplete the forms use, with a common term.
    auto = reverse("admin:autocomplete")
    for name, (app_label, model_name, field_name), term, role in [
        ("autocomplete: question", ("articles", "article", "question"), "children", "editor"),
        ("autocomplete: topic", ("articles", "article", "topic"), "dis", "editor"),
        ("autocomplete: answer article", ("articles", "question", "answer"), "review", "editor"),
        ("autocomplete: user", ("articles", "reviewerprofile", "user"), "bench", "chief"),
    ]:
        query = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
        found.append(Page(name, auto, {**query, "term": term}, role))
    return found


def _first_role_that_views(model_admin) -> str | None:
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    for role, username in ROLE_USERNAMES.items():
        request = RequestFactory().get("/admin/")
        request.user = get_user_model().objects.get(username=username)
        if model_admin.has_view_permission(request):
            return role
    return None


# -- one database ---------------------------------------------------------------------------------


def measure(args: argparse.Namespace, database_url: str) -> dict:
    """Every page on one database, in this process."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings

    # Sessions in the process's cache: a signed-in request writes nothing to the database.
    # Set before the WSGI application loads its middleware.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from articles.revisions import Revision
    from config.wsgi import application

    # One connection kept for the run, as production's CONN_MAX_AGE does.
    connections["default"].settings_dict["CONN_MAX_AGE"] = None
    history = Article.history.model.objects.count()
    header = (
        f"{connection.vendor} {connection.settings_dict['NAME']}: "
        f"{Article.objects.count():,} articles, {Revision.objects.count():,} revisions, "
        f"{history:,} article history rows; {args.runs} runs after {args.warmup} warm-up"
    )
    print(header, file=sys.stderr, flush=True)
    cookies = {role: signed_in(username) for role, username in ROLE_USERNAMES.items()}
    chosen = [p for p in pages(args.seed) if args.only.lower() in p.name.lower()]
    small_rows = json.loads(Path(args.rows_of).read_text()) if args.rows_of else {}
    results, failed = [], []
    for page in chosen:
        cookie = cookies[page.role]
        status, body = request(application, page, cookie)
        if not status.startswith("200"):
            print(f"  {page.name}: {page.path} answered {status}", file=sys.stderr)
            failed.append(f"{page.name} ({page.path}?{urlencode(page.query)}): {status}")
            continue
        for _ in range(args.warmup):
            request(application, page, cookie)
        with CaptureQueriesContext(connection) as captured:
            request(application, page, cookie)
        # Copied now: the next request empties the connection's log (request_started).
        queries = list(captured.captured_queries)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            request(application, page, cookie)
            times.append((time.perf_counter() - start) * 1000)
        slowest = max(queries, key=lambda q: float(q["time"]), default=None)
        rows = rows_shown(body)
        drawn_small = small_rows.get(page.name.split(" (")[0])  # as _key() matches pages
        at_small_rows = None
        if rows and drawn_small is not None and rows > max(drawn_small, 1):
            # An empty list on the small catalogue is compared with one row here.
            at_small_rows = median_at_rows(application, page, cookie, args, max(drawn_small, 1))
        results.append(
            {
                "page": asdict(page),
                "median": statistics.median(times),
                "p95": percentile(times, 0.95),
                "queries": len(queries),
                "slowest_sql": slowest["sql"] if slowest else "",
                "query_ms": [round(float(q["time"]) * 1000, 1) for q in queries],
                "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0.0,
                "kb": len(body) / 1024,
                "rows": rows,
                "at_small_rows": at_small_rows,
            }
        )
        print(f"  {page.name}: {results[-1]['median']:.1f} ms", file=sys.stderr, flush=True)
    run = {"header": header, "results": results, "failed": failed}
    if args.profile is not None and results:
        run["profile"] = profile(results, args.profile, application, cookies)
    return run


def profile(results: list[dict], which: str, application, cookies: dict) -> str:
    """cProfile of one page, and the query plan of its slowest query."""
    from django.db import connection

    if which:
        chosen = next(r for r in results if which.lower() in r["page"]["name"].lower())
    else:
        chosen = max(results, key=lambda r: r["median"])
    page = Page(**chosen["page"])
    lines = [f"## Profile: {page.name} ({page.path}?{urlencode(page.query)})\n"]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        request(application, page, cookies[page.role])
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)  # where the time is spent, function by function
    lines.append("```\n" + out.getvalue().strip() + "\n```")
    if chosen["query_ms"]:
        lines.append(f"\nEach query's time, in order (ms): {chosen['query_ms']}")
    if chosen["slowest_sql"]:
        lines.append(f"\nSlowest query ({chosen['slowest_ms']:.1f} ms):\n")
        lines.append("```sql\n" + chosen["slowest_sql"] + "\n```")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + chosen["slowest_sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            lines.append("\n```\n" + plan + "\n```")
    return "\n".join(lines)


# -- the report -----------------------------------------------------------------------------------


def table(runs: list[dict]) -> str:
    """One row per page; with two databases, the small one first and the large one beside."""
    if len(runs) == 1:
        lines = [
            "| page | role | median ms | p95 ms | queries | rows | KB |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for r in runs[0]["results"]:
            lines.append(
                f"| {r['page']['name']} | {r['page']['role']} | {r['median']:.1f} | "
                f"{r['p95']:.1f} | {r['queries']} | {_rows(r)} | {r['kb']:.1f} |"
            )
        return "\n".join(lines)
    small, large = runs[0], runs[-1]
    by_name = {_key(r): r for r in small["results"]}
    lines = [
        "| page | role | small ms | small queries | small rows | large ms | large p95 | "
        "large queries | large rows | × small | large ms at small's rows | × small, same rows "
        "| flag |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in large["results"]:
        s = by_name.get(_key(r))
        ratio = r["median"] / s["median"] if s else None
        same = r.get("at_small_rows")
        same_ratio = same["median"] / s["median"] if s and same else ratio
        flags = []
        if r["median"] > LIMIT_MS:
            flags.append(f"> {LIMIT_MS} ms")
        if ratio is not None and ratio > LIMIT_RATIO:
            flags.append(f"> {LIMIT_RATIO:g}×" + (" (more rows)" if same else ""))
        if same and same_ratio > LIMIT_RATIO:
            flags.append(f"> {LIMIT_RATIO:g}× with the same rows")
        small_cells = f"{s['median']:.1f} | {s['queries']} | {_rows(s)}" if s else "— | — | —"
        same_cells = f"{same['median']:.1f} ({same['rows']} rows)" if same else "—"
        lines.append(
            f"| {r['page']['name']} | {r['page']['role']} | {small_cells} | "
            f"{r['median']:.1f} | {r['p95']:.1f} | {r['queries']} | {_rows(r)} | "
            + (f"{ratio:.1f} | " if ratio is not None else "— | ")
            + f"{same_cells} | "
            + (f"{same_ratio:.1f} | " if same_ratio is not None else "— | ")
            + f"{' '.join(flags) or 'ok'} |"
        )
    return "\n".join(lines)


def _rows(result: dict) -> str:
    return "—" if result.get("rows") is None else str(result["rows"])


def _key(result: dict) -> str:
    """Pages named after what they hold ("article form (9 sections…)") match by their start."""
    return result["page"]["name"].split(" (")[0]


def main(argv=None) -> int:
    args = arguments(argv)
    urls = ([args.small_url] if args.small_url else []) + args.database_url
    urls = urls or [u for u in [os.environ.get("DATABASE_URL", "")] if u]
    if not urls:
        print(
            "Give the generated database(s) with --database-url (or DATABASE_URL).", file=sys.stderr
        )
        return 2
    if args.json_out:  # a child: one database
        Path(args.json_out).write_text(json.dumps(measure(args, urls[0])))
        return 0
    runs = []
    for number, url in enumerate(urls):
        # A process per database: Django connects to one database for its lifetime.
        out = Path(tempfile.mkdtemp(prefix="vetted-admin-bench-")) / "run.json"
        child = [sys.executable, __file__, "--database-url", url, "--json-out", str(out)]
        child += ["--runs", str(args.runs), "--warmup", str(args.warmup), "--seed", str(args.seed)]
        child += ["--only", args.only]
        if args.profile is not None and number == len(urls) - 1:
            child += ["--profile", args.profile]
        if runs:  # the large catalogue: also timed drawing as many rows as the small one
            rows_of = out.with_name("rows.json")
            drawn = {_key(r): r["rows"] for r in runs[0]["results"] if r["rows"] is not None}
            rows_of.write_text(json.dumps(drawn))
            child += ["--rows-of", str(rows_of)]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        # This script itself, with the arguments it was given.
        if subprocess.run(child, env=env, check=False).returncode != 0:  # noqa: S603
            return 1
        runs.append(json.loads(out.read_text()))
    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M}")
    for run in runs:
        print(f"- {run['header']}")
    print()
    print(table(runs))
    for run in runs:
        for line in run["failed"]:
            print(f"\n**Failed:** {line}")
    for run in runs:
        if run.get("profile"):
            print("\n" + run["profile"])
    return 1 if any(run["failed"] for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())

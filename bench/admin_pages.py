"""The admin pages staff use every day, on a generated catalogue: every changelist (the
article list with each work filter, status and topic filters, searches by a common and a rare
word; questions, references, glossary, pages, review log and revisions, searched by a common
word and by a drug in a few hundred headlines, reviewer profiles, the review queue…), the
change form of an article with many sections and variants, its history, the change and
delete pages of a much-cited reference, every autocomplete in use and the review screen of a
submitted article, each signed in as the role that uses it.

    nice -n 10 .venv/bin/python bench/admin_pages.py \\
        --small-url postgres://postgres@127.0.0.1:5432/vetted_small \\
        --database-url postgres://postgres@127.0.0.1:5432/vetted_bench [--runs 10] [--profile]

Generate the databases first (bench/generate_catalogue.py, e.g. 100 and 100,000 articles).
Each page is requested through the project's WSGI application (config.wsgi, the entry
gunicorn uses) with the test settings, in a process of its own per database; the databases
take turns request by request, so a page's times on both come from the same minutes, however
the machine's load moves. Sessions live in the process's cache, not the database: nothing is
written to the database. Prints a
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
import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from unittest.mock import patch
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
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # a database's
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
    from bench.generation import Vocabulary
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
    # The most drawn name of the first topic's invented drugs: in a few hundred of 100,000
    # headlines, whose review steps are far apart in the log (a walk newest first reads
    # tens of thousands of steps to fill a page).
    drug = Vocabulary(seed).drugs[0].items[0]
    found += [
        Page("questions: search", questions, {"q": "breastfeeding"}, "editor"),
        Page("questions: new", questions, {"status__exact": "new"}, "editor"),
        Page("references: search", references, {"q": "angina"}, "editor"),
        Page("references: kind guideline", references, {"kind__exact": "guideline"}, "editor"),
        Page("review log: approvals", events, {"action__exact": ReviewEvent.Action.APPROVED}),
        Page("review log: search", events, {"q": "kidney"}),
        Page("review log: search, a drug", events, {"q": drug}),
        Page("revisions: search", revisions, {"q": "kidney"}),
        Page("revisions: search, a drug", revisions, {"q": drug}),
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


# -- one database, in a process of its own ---------------------------------------------------------


class Catalogue:
    """The pages of one database, requested through its WSGI application on demand: the
    parent process asks each database's process in turn, request by request (`serve`)."""

    def __init__(self, application, chosen: list[Page], cookies: dict):
        self.application = application
        self.pages = chosen
        self.cookies = cookies
        self.probes: dict[int, dict] = {}

    def probe(self, index: int, warmup: int) -> dict:
        """The first requests of a page: its status, rows, size and queries (one request's)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        page = self.pages[index]
        status, body = self._get(page)
        if not status.startswith("200"):
            return {"failed": f"{page.name} ({page.path}?{urlencode(page.query)}): {status}"}
        for _ in range(warmup):
            self._get(page)
        with CaptureQueriesContext(connection) as captured:
            self._get(page)
        # Copied now: the next request empties the connection's log (request_started).
        queries = list(captured.captured_queries)
        slowest = max(queries, key=lambda q: float(q["time"]), default=None)
        self.probes[index] = {
            "queries": len(queries),
            "slowest_sql": slowest["sql"] if slowest else "",
            "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0.0,
            "query_ms": [round(float(q["time"]) * 1000, 1) for q in queries],
            "kb": len(body) / 1024,
            "rows": rows_shown(body),
        }
        return self.probes[index]

    def time(self, index: int, rows: int | None = None) -> float:
        """One request's milliseconds. With `rows`, the changelist draws that many (its admin's
        `list_per_page` lowered for the request): the same filter, search, count and order."""
        from django.urls import resolve

        page = self.pages[index]
        # Only a changelist's view has a model admin (not an autocomplete's, say).
        model_admin = resolve(page.path).func.model_admin if rows else None
        with patch.object(model_admin, "list_per_page", rows) if rows else nullcontext():
            start = time.perf_counter()
            self._get(page)
            return (time.perf_counter() - start) * 1000

    def profile(self, index: int) -> str:
        """cProfile of one page, each query's time and the query plan of its slowest."""
        from django.db import connection

        page, probed = self.pages[index], self.probes[index]
        lines = [f"## Profile: {page.name} ({page.path}?{urlencode(page.query)})\n"]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            self._get(page)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)  # where the time is spent, function by function
        lines.append("```\n" + out.getvalue().strip() + "\n```")
        if probed["query_ms"]:
            lines.append(f"\nEach query's time, in order (ms): {probed['query_ms']}")
        if probed["slowest_sql"]:
            lines.append(f"\nSlowest query ({probed['slowest_ms']:.1f} ms):\n")
            lines.append("```sql\n" + probed["slowest_sql"] + "\n```")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + probed["slowest_sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                lines.append("\n```\n" + plan + "\n```")
        return "\n".join(lines)

    def _get(self, page: Page) -> tuple[str, bytes]:
        return request(self.application, page, self.cookies[page.role])


def serve(args: argparse.Namespace, database_url: str) -> None:
    """A database's process: answers the parent's requests, one JSON line each way."""
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
    cookies = {role: signed_in(username) for role, username in ROLE_USERNAMES.items()}
    chosen = [p for p in pages(args.seed) if args.only.lower() in p.name.lower()]
    catalogue = Catalogue(application, chosen, cookies)
    answers = {
        "header": lambda: header,
        "pages": lambda: [asdict(page) for page in chosen],
        "probe": lambda index: catalogue.probe(index, args.warmup),
        "time": catalogue.time,
        "profile": catalogue.profile,
    }
    for line in sys.stdin:
        asked = json.loads(line)
        answer = answers[asked.pop("op")](**asked)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


class Database:
    """The parent's handle on one database's process."""

    def __init__(self, args: argparse.Namespace, url: str):
        command = [sys.executable, __file__, "--serve", "--database-url", url]
        command += ["--runs", str(args.runs), "--warmup", str(args.warmup)]
        command += ["--seed", str(args.seed), "--only", args.only]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        # This script itself, with the arguments it was given.
        self.process = subprocess.Popen(  # noqa: S603
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
        )
        self.url = url
        self.header = self.ask("header")
        self.pages = [Page(**page) for page in self.ask("pages")]
        self.index = {page_key(page.name): i for i, page in enumerate(self.pages)}

    def ask(self, op: str, **arguments):
        self.process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the process for {self.url} stopped")
        return json.loads(answer)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def measure(args: argparse.Namespace, urls: list[str]) -> list[dict]:
    """Every page on every database, request by request in turn: each database's times come
    from the same minutes as the others', whatever the machine's load does meanwhile. A list
    that draws more rows on the last (large) database than on the first is also timed there
    drawing the first one's rows, in the same rounds."""
    databases = [Database(args, url) for url in urls]
    try:
        runs = [{"header": d.header, "results": [], "failed": []} for d in databases]
        large = databases[-1]
        for page in large.pages:
            key = page_key(page.name)
            present = [(n, d) for n, d in enumerate(databases) if key in d.index]
            probes = {}
            for number, database in present:
                probed = database.ask("probe", index=database.index[key])
                if "failed" in probed:
                    runs[number]["failed"].append(probed["failed"])
                else:
                    probes[number] = probed
            if len(probes) < len(present):
                continue
            same_rows = None
            small_rows = probes[0]["rows"] if len(databases) > 1 and 0 in probes else None
            large_rows = probes[len(databases) - 1]["rows"]
            if small_rows is not None and large_rows and large_rows > max(small_rows, 1):
                same_rows = max(small_rows, 1)  # an empty list: matched with one row
            times = {number: [] for number, _ in present}
            at_rows = []
            for round_number in range(args.runs):
                order = present if round_number % 2 == 0 else present[::-1]
                for number, database in order:
                    times[number].append(database.ask("time", index=database.index[key]))
                if same_rows:
                    at_rows.append(large.ask("time", index=large.index[key], rows=same_rows))
            for number, database in present:
                page_of = database.pages[database.index[key]]
                result = {
                    "page": asdict(page_of),
                    "median": statistics.median(times[number]),
                    "p95": percentile(times[number], 0.95),
                    **probes[number],
                    "at_small_rows": None,
                }
                if same_rows and database is large:
                    result["at_small_rows"] = {
                        "median": statistics.median(at_rows),
                        "rows": same_rows,
                    }
                runs[number]["results"].append(result)
            medians = " / ".join(f"{statistics.median(t):.1f}" for t in times.values())
            print(f"  {page.name}: {medians} ms", file=sys.stderr, flush=True)
        if args.profile is not None and runs[-1]["results"]:
            results = runs[-1]["results"]
            if args.profile:
                chosen = next(
                    r for r in results if args.profile.lower() in r["page"]["name"].lower()
                )
            else:
                chosen = max(results, key=lambda r: r["median"])
            runs[-1]["profile"] = large.ask("profile", index=large.index[_key(chosen)])
        return runs
    finally:
        for database in databases:
            database.close()


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


def page_key(name: str) -> str:
    """Pages named after what they hold ("article form (9 sections…)") match by their start."""
    return name.split(" (")[0]


def _key(result: dict) -> str:
    return page_key(result["page"]["name"])


def main(argv=None) -> int:
    args = arguments(argv)
    urls = ([args.small_url] if args.small_url else []) + args.database_url
    urls = urls or [u for u in [os.environ.get("DATABASE_URL", "")] if u]
    if not urls:
        print(
            "Give the generated database(s) with --database-url (or DATABASE_URL).", file=sys.stderr
        )
        return 2
    if args.serve:  # a database's process
        serve(args, urls[0])
        return 0
    runs = measure(args, urls)
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

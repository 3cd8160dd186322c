"""Public pages under load: gunicorn with the production settings, PostgreSQL and Redis, driven by
wrk over loopback, each page against a static file of the same bytes served by the same server
in the same run.

    nice -n 10 .venv/bin/python bench/load.py \\
        --database-url postgres://postgres@127.0.0.1:5432/vetted_bench \\
        [--redis-url redis://127.0.0.1:6379/14] [--workers 4] [--duration 10] [--connections 8]
        [--only article] [--no-redis | --no-cache | --evicted]

Needs wrk (`apt-get install wrk`) and a generated catalogue (bench/generate_catalogue.py).
The database is only read: every connection, the servers' and this process's, is opened with
`default_transaction_read_only=on` (PostgreSQL), so a page that tried to write would fail
loudly instead. The one exception is `manage.py publish_pages`, run once before anything is
measured (below). The Redis database of --redis-url is emptied (FLUSHDB) before the run and
before each cold request: give a database number of its own. The settings module is
bench/load_settings.py: production's, with the run's own STATIC_ROOT and, for --no-redis
(each worker's memory, as without REDIS_URL, which production refuses), --no-cache (every
request renders; ARTICLE_PAGES_IN_DATABASE off too, so no article page comes from the
database either) or --evicted (Redis, but article pages are never stored in it, as if it had
evicted them all while keeping the small stamps: bench/evicting_cache.py; every article page
then comes from its row in the database, X-Cache DATABASE), another cache.

Both servers of a run listen on one port, and SITE_URL is that address
(http://127.0.0.1:<port>, which is also the Host header wrk and this script send): pages are
stored in the database for the site's own address only.

What happens: `collectstatic` into a temporary STATIC_ROOT (production's manifest storage
renders no page without it, and its manifest is part of the release the stored pages are
checked against), where the pages' copies go too, in /static/bench-pages/; unless
ARTICLE_PAGES_IN_DATABASE is off, `manage.py publish_pages --slug ...` for the articles
measured, with a writable connection, as after a deploy (it prints what it stored); for each
page, its SQL queries with the cache emptied (an article page then comes from the database
when published) and again warm, through Django's test client in this process under the same
settings and at the same address; then gunicorn (config.wsgi, as production)
answers each page once, without and with `Accept-Encoding: br, gzip`, and its status, headers
and bytes are kept; the bytes go into files (a compressed answer as the `.br`/`.gz` sibling
WhiteNoise serves to clients that accept it, so the file is served with the page's own
encoding). A second gunicorn, whose WhiteNoise has read those files, serves them as it serves
the site's CSS: through the middleware above WhiteNoise (security headers, CSP), as a stored
article page comes. It is then measured: for each page and each Accept-Encoding, a warm-up,
then wrk on the page and wrk on its file, and the CPU time (/proc) over each run of
gunicorn's processes and of the PostgreSQL backends serving them (found by their
connections' application_name; shown only when PostgreSQL runs on this machine). The
server is left to go idle between runs.

Sync workers, as production's `gunicorn config.wsgi` gives: one request at a time per process,
so CPU time per request is the page's own cost, nothing is lost to an event loop or threads
contending for the GIL, and throughput scales with processes, which is how it would be sized.
Sync workers close the connection after each response (no keep-alive), which the static file
pays too.

Prints the machine, the settings (the cache mode, and whether article pages are stored in the
database), a table of headers per page (X-Cache of the first and second request: HIT from
Redis, DATABASE from the published row, MISS rendered) and a Markdown table: requests per
second of the page and of its file and their ratio, p50/p99 latency of both, CPU milliseconds
per request (gunicorn, its database backends, the file's), response size and encoding, and
queries (cold/warm). A run of fewer than 20 requests is flagged: raise --duration. With
--evicted, an article page not answered from the database is reported and the run fails.
"""

import argparse
import datetime
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
COMPRESSED = "br, gzip"
FEW = 20  # requests in a run below which its figures are flagged: raise --duration
READ_ONLY = "options=-c%20default_transaction_read_only%3Don"
# The name the servers' database connections go by, to find their PostgreSQL backends.
APPLICATION = f"vetted-load-{os.getpid()}"


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/14",
        help="the cache; this Redis database is FLUSHED (FLUSHDB) by the run, "
        "so give one of its own (default %(default)s)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per run")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of wrk before each page")
    parser.add_argument("--connections", type=int, default=0, help="wrk -c (2 × workers)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--only", default="", help="pages whose name contains this text")
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument(
        "--no-redis",
        action="store_true",
        help="each worker caches in its own memory (base.py's cache without REDIS_URL)",
    )
    cache.add_argument(
        "--no-cache",
        action="store_true",
        help="Django's dummy cache and no pages in the database: every request renders "
        "(the cold path under load)",
    )
    cache.add_argument(
        "--evicted",
        action="store_true",
        help="Redis keeps no article page (as if it had evicted them all, stamps kept): "
        "every article page comes from its row in the database",
    )
    args = parser.parse_args(argv)
    args.connections = args.connections or 2 * args.workers
    modes = {"no_cache": "none", "no_redis": "locmem", "evicted": "evicted"}
    args.cache = next((mode for flag, mode in modes.items() if getattr(args, flag)), "redis")
    return args


# -- wrk ------------------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class Load:
    """What one wrk run reports."""

    requests: int
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int = 0  # non-2xx/3xx answers and socket errors
    cpu_ms: float | None = None  # gunicorn's CPU time per request, filled in by the caller
    db_cpu_ms: float | None = None  # its PostgreSQL backends' (same machine only)


def parse_wrk(output: str) -> Load:
    """The figures of `wrk --latency`'s report."""

    def latency(percent: str) -> float:
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
        if not found:
            raise ValueError(f"no {percent}% latency in wrk's output:\n{output}")
        return float(found[1]) * _UNITS_MS[found[2]]

    requests = re.search(r"^\s*(\d+) requests in ", output, re.M)
    per_second = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not (requests and per_second):
        raise ValueError(f"no request count in wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return Load(int(requests[1]), float(per_second[1]), latency("50"), latency("99"), errors)


def wrk(url: str, args, seconds: int, accept_encoding: str | None) -> str:
    # wrk gives up on a request after 2 s by default and leaves it out of the latencies; a slow
    # page must count with its real time (gunicorn's own timeout is 30 s).
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s"]
    command += ["--timeout", "30s", "--latency"]
    if accept_encoding:
        command += ["-H", f"Accept-Encoding: {accept_encoding}"]
    return subprocess.run(  # noqa: S603 (our own arguments)
        [*command, url], capture_output=True, text=True, check=True
    ).stdout


# -- gunicorn -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PAGES = "bench-pages"  # the pages' copies, under STATIC_ROOT: served like the site's CSS


class Server:
    """gunicorn in a process group of its own, stopped (group and all) when the block ends."""

    def __init__(self, port: int, workers: int, log: Path):
        self.port = port
        self.workers = workers
        self.log = log
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
            "--worker-class", "sync", "--error-logfile", str(log), "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)  # noqa: S603

    def __enter__(self):
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Until the socket accepts and the application answers (each worker imports it)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            try:
                if fetch(self.port, "/robots.txt", timeout=timeout).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer in {timeout:.0f} s:\n{self.tail()}")
            time.sleep(0.2)
        # One worker answered; the others may still be importing Django, which must not be
        # counted as the first page's CPU time: wait until all are up and idle.
        while len(children(self.process.pid)) < self.workers:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn's workers did not start:\n{self.tail()}")
            time.sleep(0.2)
        self.settle(timeout)

    def settle(self, timeout: float = 120) -> None:
        """Until the workers are idle: when wrk stops, requests it sent may still be queued or
        in progress, and must neither slow down nor be counted in the next run."""
        deadline = time.monotonic() + timeout
        while self.busy():
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn stayed busy for {timeout:.0f} s")

    def busy(self, seconds: float = 0.5) -> bool:
        """Whether gunicorn, or PostgreSQL for it (a worker waiting for a query is idle),
        used more than 2 % of a CPU over `seconds`."""

        def used() -> float:
            return self.cpu_seconds() + sum((database_cpu() or {}).values())

        before = used()
        time.sleep(seconds)
        return used() - before > 0.02 * seconds

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def tail(self) -> str:
        return "\n".join(self.log.read_text().splitlines()[-30:]) if self.log.exists() else ""

    def cpu_seconds(self) -> float:
        """User and system time of the master and its workers so far."""
        return sum(cpu_seconds([self.process.pid, *children(self.process.pid)]).values())


def cpu_seconds(pids) -> dict[int, float]:
    """User and system time of each process so far (/proc/<pid>/stat)."""
    found = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:  # gone since listed, or on another machine
            continue
        fields = stat.rsplit(")", 1)[1].split()  # the name may hold spaces
        # utime and stime: the stat's 14th and 15th fields
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def database_cpu() -> dict[int, float] | None:
    """CPU time so far of the PostgreSQL backends serving gunicorn (their connections carry
    APPLICATION as application_name), or None where they can't be seen from here."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
            "AND pid <> pg_backend_pid()",
            [APPLICATION],
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    found = cpu_seconds(pids)
    return found if len(found) == len(pids) else None


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    if path.exists():
        return [int(p) for p in path.read_text().split()]
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


@dataclass
class Fetched:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def encoding(self) -> str:
        return self.headers.get("Content-Encoding", "identity")


def fetch(port: int, path: str, accept_encoding: str | None = None, timeout=120) -> Fetched:
    """One GET with exactly the headers wrk sends (http.client adds no Accept-Encoding here)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        if accept_encoding:
            connection.putheader("Accept-Encoding", accept_encoding)
        connection.endheaders()
        response = connection.getresponse()
        return Fetched(response.status, response.msg, response.read())
    finally:
        connection.close()


# -- the pages ------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    queries: tuple[int, int] | None = None  # cold, warm
    status: int | None = None
    answers: dict = field(default_factory=dict)  # Accept-Encoding (or None) -> Fetched
    x_cache: list = field(default_factory=list)  # X-Cache of the first and second request
    slug: str | None = None  # an article page's: published to the database
    file: str = ""
    loads: dict = field(default_factory=dict)  # Accept-Encoding -> (page Load, file Load)


def pages() -> list[Page]:
    """Every page measured, chosen from what the database holds."""
    from django.db.models import Count

    from articles.models import Listing, ReaderType, Topic

    article = (
        Listing.objects.approved().with_facet("reader:patient").order_by("-published_at").first()
        or Listing.objects.approved().order_by("-published_at").first()
    )
    pending = Listing.objects.pending().order_by("-published_at").first()
    topic = Topic.objects.annotate(n=Count("listings")).order_by("-n", "slug").first()
    found = []
    if article:
        url = article.article.get_absolute_url()
        found.append(Page("article", url))
        found += [
            Page(f"article, {t.slug}", f"{url}?reader={t.slug}") for t in ReaderType.objects.all()
        ]
    if pending:
        found.append(Page("article, pending review", pending.article.get_absolute_url()))
    found += [
        Page("home", "/"),
        Page("list", "/articles/"),
        Page("list, search (review)", "/articles/?q=review"),
    ]
    if topic:
        found.append(Page(f"topic ({topic.slug})", f"/topics/{topic.slug}/"))
    return found + [
        Page("board", "/board/"),
        Page("sitemap.xml", "/sitemap.xml"),
        Page("sitemap, articles", "/sitemap-articles.xml"),
        Page("feed", "/feed/"),
    ]


def article_slug(path: str) -> str | None:
    """The slug of an article page's address (articles:detail), else None."""
    from django.urls import Resolver404, resolve

    path = urlsplit(path).path
    if not path.startswith("/articles/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.kwargs["slug"] if match.view_name == "articles:detail" else None


def count_queries(page: Page, host: str) -> None:
    """Queries of one request with the cache emptied, then of the next (warm) one, at the
    servers' address (`host`), whose published pages are in the database."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    counts = []
    cache.clear()  # FLUSHDB on Redis: the database of --redis-url only
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            page.status = client.get(page.path).status_code
        counts.append(len(captured))
    page.queries = (counts[0], counts[1])


# -- the run --------------------------------------------------------------------------------------


def database_url(url: str, application: str, *, read_only: bool = True) -> str:
    """The database URL, on PostgreSQL read-only (unless told otherwise) and with the
    connections' application_name."""
    if not url.startswith("postgres"):
        return url
    options = [f"application_name={application}"]
    if read_only and "default_transaction_read_only" not in url:
        options.insert(0, READ_ONLY)
    return url + ("&" if "?" in url else "?") + "&".join(options)


def environment(args, tmp: Path, port: int) -> dict:
    """The production settings' environment; the database read-only; the site's address
    (SITE_URL, which published pages are stored for) the servers' own."""
    found = {
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url(args.database_url, APPLICATION),
        "REDIS_URL": args.redis_url,
        "VETTED_BENCH_CACHE": args.cache,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(tmp / "static"),
    }
    if args.cache == "none":  # every request renders: no stored page from the database either
        found["ARTICLE_PAGES_IN_DATABASE"] = "false"
    return found


def main(argv=None) -> int:
    args = arguments(argv)
    if not args.database_url:
        print("Give the generated database with --database-url or DATABASE_URL.", file=sys.stderr)
        return 2
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    flushed = args.cache in ("redis", "evicted")
    if flushed and not urlsplit(args.redis_url).path.strip("/").isdigit():
        print("--redis-url must name its database number (it is flushed).", file=sys.stderr)
        return 2
    # SIGTERM ends the run through the `finally` blocks, servers included.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="vetted-load-"))
    try:
        header, chosen = run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(header + f"; load average after {' '.join(f'{n:.2f}' for n in os.getloadavg())}\n")
    print(headers_table(chosen) + "\n")
    print(table(chosen))
    failed = [p for p in chosen if p.status != 200]
    for page in failed:
        print(f"\n**Failed:** {page.name} ({page.path}) answered {page.status}")
    # --evicted measures the pages stored in the database: an article page that came from
    # anywhere else (not published, or its row no longer valid) measured something else.
    astray = [p for p in chosen if args.cache == "evicted" and p.slug and p.status == 200]
    astray = [p for p in astray if set(sources(p)) != {"DATABASE"}]
    for page in astray:
        print(
            f"\n**Not from the database:** {page.name} ({page.path}) answered X-Cache "
            f"{', '.join(sources(page))}"
        )
    return 1 if failed or astray else 0


def run(args, tmp: Path) -> tuple[str, list[Page]]:
    (tmp / "static" / PAGES).mkdir(parents=True)
    # Both servers answer at this one address, the site's own (SITE_URL): published pages
    # are stored for it, and wrk and fetch() send it as the Host header.
    port = free_port()
    os.environ.update(environment(args, tmp, port))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", interactive=False, verbosity=0)
    chosen = [p for p in pages() if args.only.lower() in p.name.lower()]
    for page in chosen:
        page.slug = article_slug(page.path)
    published = None
    if getattr(settings, "ARTICLE_PAGES_IN_DATABASE", False):
        published = sorted({page.slug for page in chosen if page.slug})
        publish(args, published)
    header = describe(args, published)
    runs = len(chosen) * 2 * (args.warmup + 2 * args.duration)
    print(f"{len(chosen)} pages, about {runs // 60 + 1} minutes of wrk", file=sys.stderr)
    for page in chosen:
        count_queries(page, f"127.0.0.1:{port}")
    cache.clear()  # the servers start cold
    connections.close_all()
    with Server(port, args.workers, tmp / "gunicorn-1.log") as server:
        for page in chosen:
            keep(page, server.port, tmp / "static" / PAGES)
    with Server(port, args.workers, tmp / "gunicorn-2.log") as server:
        for page in chosen:
            if page.status != 200:
                continue
            for accept in (None, COMPRESSED):
                measure(page, server, args, accept)
            print(f"  {page.name}: done", file=sys.stderr, flush=True)
    return header, chosen


def sources(page: Page) -> list[str]:
    """X-Cache of the page's answers kept (first, second, compressed)."""
    compressed = page.answers.get(COMPRESSED)
    found = [*page.x_cache, compressed.headers.get("X-Cache", "") if compressed else ""]
    return [x or "none" for x in found]


def publish(args, slugs: list[str]) -> None:
    """Store the pages of these articles in the database (and Redis), for every reader type,
    as `manage.py publish_pages` does after a deploy: the one process of the run that writes
    to the database."""
    if not slugs:
        return
    from django.conf import settings

    writable = database_url(args.database_url, f"{APPLICATION}-publish", read_only=False)
    command = [sys.executable, "manage.py", "publish_pages"]
    command += [part for slug in slugs for part in ("--slug", slug)]
    done = subprocess.run(  # noqa: S603 (our own arguments)
        command,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": writable},
        capture_output=True,
        text=True,
    )
    output = (done.stdout + done.stderr).strip()
    if done.returncode:
        raise RuntimeError(f"publish_pages failed ({done.returncode}):\n{output}")
    print(
        f"Published for {settings.SITE_URL}: {', '.join(slugs)}"
        + (f"\n{output}" if output else ""),
        file=sys.stderr,
    )


def keep(page: Page, port: int, directory: Path) -> None:
    """The page's answers, and its bytes in a file (a compressed answer as the sibling file
    WhiteNoise serves with that Content-Encoding)."""
    first = fetch(port, page.path)
    second = fetch(port, page.path)
    page.status = first.status
    page.x_cache = [first.headers.get("X-Cache", ""), second.headers.get("X-Cache", "")]
    page.answers = {None: first, COMPRESSED: fetch(port, page.path, COMPRESSED)}
    if page.status != 200:
        return
    kind = first.headers.get("Content-Type", "")
    page.file = re.sub(r"[^a-z0-9]+", "-", page.name.lower()).strip("-")
    page.file += ".xml" if "xml" in kind else ".html"
    (directory / page.file).write_bytes(first.body)
    compressed = page.answers[COMPRESSED]
    if compressed.encoding in ("br", "gzip"):
        suffix = {"br": ".br", "gzip": ".gz"}[compressed.encoding]
        (directory / (page.file + suffix)).write_bytes(compressed.body)


def measure(page: Page, server: Server, args, accept: str | None) -> None:
    base = f"http://127.0.0.1:{server.port}"
    static = f"/static/{PAGES}/{page.file}"
    answer = page.answers[accept]
    # WhiteNoise must serve what the page sent, in its encoding: the compressed answer, or the
    # uncompressed one (a CSRF token makes two answers differ in bytes, not in length).
    written = answer if answer.encoding != "identity" else page.answers[None]
    copy = fetch(server.port, static, accept)
    assert (copy.encoding, copy.body) == (written.encoding, written.body), page.name
    if args.warmup:
        wrk(base + page.path, args, args.warmup, accept)
    results = []
    for path in (page.path, static):
        server.settle()
        before, before_db = server.cpu_seconds(), database_cpu()
        load = parse_wrk(wrk(base + path, args, args.duration, accept))
        if load.requests:
            load.cpu_ms = (server.cpu_seconds() - before) * 1000 / load.requests
        after_db = database_cpu()
        if before_db is not None and after_db is not None and load.requests:
            spent = sum(t - before_db.get(pid, 0) for pid, t in after_db.items())
            load.db_cpu_ms = spent * 1000 / load.requests
        results.append(load)
    page.loads[accept] = tuple(results)


# -- the report -----------------------------------------------------------------------------------


def describe(args, published: list[str] | None) -> str:
    import django
    import gunicorn
    from django.conf import settings
    from django.db import connection

    from articles.models import Article, Listing

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = connection.vendor
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.machine(),
    )  # fmt: skip
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout  # noqa: S607
    cache = {
        "redis": f"Redis ({args.redis_url})",
        "locmem": "each worker's memory (--no-redis)",
        "none": "none: every request renders (--no-cache)",
        "evicted": f"Redis ({args.redis_url}) keeping no article page, as if all were "
        "evicted: each comes from the database (--evicted)",
    }[args.cache]
    if published is None:
        stored = "article pages in the database: no (ARTICLE_PAGES_IN_DATABASE off)"
    else:
        stored = (
            f"article pages in the database: yes, those of {len(published)} "
            f"article{'' if len(published) == 1 else 's'} published for {settings.SITE_URL}"
        )
    return (
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}; {os.cpu_count()} CPUs ({cpu}); "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__} ({args.workers} sync workers), "
        f"{version.split(' Copyright')[0].strip()} (-t{args.threads} -c{args.connections} "
        f"-d{args.duration}s, {args.warmup} s warm-up per page)\n"
        f"{database} {connection.settings_dict['NAME']} (read-only): "
        f"{Article.objects.count():,} articles, {Listing.objects.count():,} listed; "
        f"settings {os.environ['DJANGO_SETTINGS_MODULE']} (config.settings.production, "
        f"STATIC_ROOT of the run), DEBUG {settings.DEBUG}; cache {cache}; {stored}"
    )


def headers_table(chosen: list[Page]) -> str:
    lines = [
        "| page | address | status | Cache-Control | ETag | Last-Modified | Vary | X-Cache | "
        "cookies | encoding for br, gzip |",
        "|---|---|---:|---|---|---|---|---|---|---|",
    ]
    for page in chosen:
        if not page.answers:
            continue
        h = page.answers[None].headers
        cookies = ", ".join(c.split("=", 1)[0] for c in h.get_all("Set-Cookie") or [])
        lines.append(
            f"| {page.name} | `{page.path}` | {page.status} | {h.get('Cache-Control', '')} | "
            f"{'yes' if h.get('ETag') else ''} | {'yes' if h.get('Last-Modified') else ''} | "
            f"{h.get('Vary', '')} | {' → '.join(x for x in page.x_cache if x)} | {cookies} | "
            f"{page.answers[COMPRESSED].encoding} |"
        )
    return "\n".join(lines)


def table(chosen: list[Page]) -> str:
    lines = [
        "| page | Accept-Encoding | req/s | static req/s | ratio | p50 ms | p99 ms | "
        "static p50/p99 ms | CPU ms/req | DB CPU ms/req | static CPU ms/req | bytes | encoding | "
        "queries cold/warm |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for page in chosen:
        for accept, (load, static) in page.loads.items():
            answer = page.answers[accept]
            notes = f" ({load.errors} errors)" if load.errors else ""
            notes += f" (static: {static.errors} errors)" if static.errors else ""
            # A page slower than the run is long gives no figures worth reading.
            notes += f" (only {load.requests} requests)" if load.requests < FEW else ""
            latency = f"{load.p50_ms:.1f} | {load.p99_ms:.1f}" if load.requests else "— | —"
            lines.append(
                f"| {page.name}{notes} | {accept or '—'} | {load.per_second:,.1f} | "
                f"{static.per_second:,.0f} | {ratio(load.per_second, static.per_second)} | "
                f"{latency} | "
                f"{static.p50_ms:.1f}/{static.p99_ms:.1f} | {ms(load.cpu_ms)} | "
                f"{ms(load.db_cpu_ms)} | {ms(static.cpu_ms)} | {len(answer.body):,} | "
                f"{answer.encoding} | "
                f"{page.queries[0]}/{page.queries[1]} |"
            )
    return "\n".join(lines)


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def ratio(page: float, static: float) -> str:
    return f"{page / static:.3f}" if static else "—"


if __name__ == "__main__":
    sys.exit(main())

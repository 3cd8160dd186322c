"""Generate a realistic catalogue into an empty database, for the benchmarks.

    createdb vetted_bench
    nice -n 10 .venv/bin/python bench/generate_catalogue.py --articles 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/vetted_bench

Migrates the database, then writes staff accounts, 50 topics, a reference library of a few
thousand references and the articles with their history (see bench/generation.py for how),
and builds the public catalogue. Prints progress, then the time taken, the rows written and
the database's size. The same --seed always gives the same catalogue. Works on SQLite too
(`--database-url sqlite:////tmp/bench.sqlite3`), best with a few thousand articles.

The database must hold no articles: revisions and history are append-only, so a catalogue is
written once, in full. Never point this at a database that matters.
"""

import argparse
import os
import sys
import time
from pathlib import Path


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="The database to fill (default: $DATABASE_URL). Required: a dedicated one.",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--through-services",
        type=int,
        default=300,
        help="How many articles go through the review services one by one (default 300); "
        "the rest are written in bulk with the same rows.",
    )
    parser.add_argument("--references", type=int, default=None, help="Default: articles / 25.")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--password",
        default=None,
        help="Give every generated staff account this password (default: none can sign in).",
    )
    parser.add_argument("--no-rebuild", action="store_true", help="Skip the catalogue rebuild.")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = arguments(argv)
    if not args.database_url:
        print(
            "Give the database to fill with --database-url (or DATABASE_URL), e.g. "
            "postgres://postgres@127.0.0.1:5432/vetted_bench. Use a dedicated, empty database.",
            file=sys.stderr,
        )
        return 2
    if args.articles < 1:
        print("--articles must be at least 1.", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = args.database_url
    # The test settings: no debug query log, nothing sent by mail, no HTTPS or collected static
    # files needed; the database is the one given.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import generation

    started = time.monotonic()
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    options = generation.Options(
        articles=args.articles,
        seed=args.seed,
        through_services=args.through_services,
        references=args.references,
        batch_size=args.batch_size,
        password=args.password,
        rebuild=not args.no_rebuild,
    )
    try:
        report = generation.generate(options, progress=lambda text: print(text, flush=True))
    except generation.GenerationError as error:
        print(error, file=sys.stderr)
        return 1
    if connection.vendor == "postgresql":
        print("VACUUM ANALYZE…", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    total = time.monotonic() - started
    print()
    print(f"Generated {args.articles} articles (seed {args.seed}) in {total:.0f} s:")
    for step, (wall, cpu) in report.seconds.items():
        print(f"  {step}: {wall:.1f} s ({cpu:.1f} s CPU in this process)")
    print(f"  Snapshot checks passed: {report.checked}")
    print("Stories: " + ", ".join(f"{name} {n}" for name, n in sorted(report.stories.items())))
    print("Article status: " + ", ".join(
        f"{status} {n}" for status, n in generation.public_status_counts().items()
    ))  # fmt: skip
    print(f"Listings (public articles): {report.listings}")
    print("Rows:")
    for name, count in generation.row_counts().items():
        print(f"  {name:<40} {count:>10,}")
    size = generation.database_size()
    if size:
        print(f"Database size: {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

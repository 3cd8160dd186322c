"""What AMA formatting (references/formatting.py) costs: per reference the first time a process
formats it (citeproc-py runs), and again (the in-process cache answers), for each kind.

Run: .venv/bin/python bench/citations.py   (prints a table; never run as a test)
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

from references.formatting import _formatted, reference_html  # noqa: E402
from references.models import FrozenReference  # noqa: E402

N = 200
KINDS = ["research", "guideline", "textbook", "other"]


def reference(kind: str, i: int) -> FrozenReference:
    return FrozenReference(
        key=f"{kind}-{i}",
        kind=kind,
        title=f"A study of approach {i} in adults with a common condition",
        authors="Smith JA, Lee K, Müller Ö, Patel R, Chen L, Okafor B, Doe J",
        source="Journal of Examples",
        year=2000 + i % 25,
        volume=str(i) if kind == "research" else "",
        issue="2" if kind == "research" else "",
        pages=f"{i}-{i + 9}" if kind == "research" else "",
        doi=f"10.1000/example.{i}",
        url=f"https://example.org/{i}",
    )


def timed(refs) -> list[float]:
    times = []
    for ref in refs:
        start = time.perf_counter()
        reference_html(ref)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    reference_html(reference("research", -1))  # loads the style once
    print(f"{'kind':<10} {'first (ms, median)':>20} {'p95':>8} {'cached (µs, median)':>22}")
    for kind in KINDS:
        refs = [reference(kind, i) for i in range(N)]
        cold = timed(refs)
        warm = timed(refs)
        p95 = statistics.quantiles(cold, n=20)[-1]
        print(
            f"{kind:<10} {statistics.median(cold):>20.2f} {p95:>8.2f} "
            f"{statistics.median(warm) * 1000:>22.1f}"
        )
    print(_formatted.cache_info())


if __name__ == "__main__":
    main()

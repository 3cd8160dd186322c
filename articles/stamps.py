"""Stamps in the shared cache: a value per key that changes whenever what the key stands for
does (the rendered-answer cache's content generation, the catalogue's generation, the page
cache's site and article stamps). Whatever is cached under a stamp, or checked against one,
is simply never read again once the stamp moves, on every app server at once.

A stamp is a time, not a counter: if the cache evicts it, the fresh value is newer than any
before, so old entries can never come back into use. It moves inside the writing transaction
and again once that commits, so a reader who computed from the old rows in between stored
the result under a stamp that the commit then leaves behind.

Every stamp is also kept in the database (`Stamp`), moved in the writing transaction itself:
what outlives the cache (a published page, articles/published.py) is checked against that
copy, which no eviction or restart can lose and no reader can see before the change commits.

The release is the one stamp kept outside the cache: it is part of every key whose value our
code renders, so a deploy leaves the old values behind."""

import hashlib
import time
from functools import cache as once
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import Stamp

# Our code that can change what is rendered (migrations cannot).
_RELEASE_FOLDERS = ("accounts", "articles", "config", "references", "reviews", "templates")


def read(*keys: str) -> dict[str, int]:
    """The current stamps of `keys`, each set first if the cache has none."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, time.time_ns(), timeout=None)
    if missing:
        found = cache.get_many(keys)
    return {key: found.get(key, 0) for key in keys}


def move(*keys: str) -> None:
    """What `keys` stand for changes: move them now, in the cache and in the database (part
    of the transaction), and in the cache again when the transaction commits (at once
    outside one)."""
    if not keys:
        return

    def set_now():
        now = time.time_ns()
        cache.set_many(dict.fromkeys(keys, now), timeout=None)

    set_now()
    now = time.time_ns()
    Stamp.objects.bulk_create(
        [Stamp(key=key, value=now) for key in sorted(keys)],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["value"],
    )
    transaction.on_commit(set_now)


@once
def release() -> str:
    """Changes with every deploy that can change rendered bytes: our code and templates, the
    installed packages' versions (a Markdown parser or sanitizer upgrade changes the HTML), and
    the hashed static file names (the manifest). Read once per process."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in _RELEASE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}".lower() for dist in metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    if settings.STATIC_ROOT:
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if manifest.is_file():
            digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]

"""Hooks `articles` offers the apps above it, which it never imports."""

import logging

from django.core.cache import cache
from django.dispatch import Signal

from .revisions import Revision, hash_of

integrity_log = logging.getLogger("vetted.integrity")

# A revision's stored content no longer matches the SHA-256 taken when it was saved: someone
# changed the database behind the application's back. Sent with `revision` and `found_hash`
# (the hash of the content as it is now), once per revision and altered content, however
# many readers open the page. `reviews` alerts the chief editors.
revision_tampered = Signal()


def report_tampered(revision: Revision) -> None:
    """Log the mismatch (every time it is seen) and send `revision_tampered` the first time.
    A receiver's failure is logged, never raised: the page must still be served, without its
    badge, and the next reader's request tries the alert again."""
    found = hash_of(revision.content)
    integrity_log.error(
        "Revision %s (number %s) of article %s fails its hash check: recorded %s, found %s",
        revision.pk,
        revision.number,
        revision.article_id,
        revision.content_hash,
        found,
    )
    key = f"vetted:tampered:{revision.pk}:{found}"
    if not cache.add(key, True, timeout=None):
        return
    results = revision_tampered.send_robust(sender=Revision, revision=revision, found_hash=found)
    failures = [error for _, error in results if isinstance(error, Exception)]
    for error in failures:
        integrity_log.error("Alert about revision %s failed", revision.pk, exc_info=error)
    if failures:
        cache.delete(key)

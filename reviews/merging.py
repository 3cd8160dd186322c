"""Merging a duplicate reference into the one to keep.

The library cannot edit articles (references is the lowest app), so the merge lives here. It
rewrites `[@duplicate]` to `[@kept]` in every working copy that cites the duplicate — the
headline, bottom line, sections and every variant — and each edited article goes the way any
edit goes, through `services.record_edit`: a new revision, and review again. Approved pages
keep showing their approved revision, which still cites the duplicate as it was frozen;
nothing a reader sees changes until a board member approves the new revision.

The duplicate itself is not deleted: old revisions cite it (`Citation` protects it). It is
marked `merged_into` the kept reference, which hides it from choosing and says on its admin
page where it went.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from articles.models import Article, Section, Variant
from references.citations import keys_in_line, replace_key
from references.models import Reference

from . import services
from .services import TransitionError

Status = Article.Status
MERGE_PERMISSIONS = ("references.delete_reference", "articles.change_article")


class MergeError(Exception):
    """The merge may not happen; the message says why, for the user."""


@dataclass
class MergeResult:
    kept: Reference
    merged: Reference
    edited: list[Article] = field(default_factory=list)
    submitted: list[Article] = field(default_factory=list)  # back in review
    left_as_draft: dict[int, str] = field(default_factory=dict)  # article pk -> why


def may_merge(user) -> bool:
    """Chief editors (who may delete references and change articles) and superusers."""
    return user.is_active and all(user.has_perm(p) for p in MERGE_PERMISSIONS)


def citing_articles(reference: Reference):
    """Articles whose working copy cites `reference` (what the merge will edit). The text
    search finds candidates; `_rewrite` confirms each by parsing its citations."""
    needle = f"@{reference.key}"
    return (
        Article.objects.filter(
            Q(headline__icontains=needle)
            | Q(bottom_line__icontains=needle)
            | Q(sections__body__icontains=needle)
            | Q(sections__heading__icontains=needle)
            | Q(variants__text__icontains=needle)
            | Q(variants__heading__icontains=needle)
        )
        .distinct()
        .order_by("headline")
    )


def articles_citing(reference: Reference) -> list[Article]:
    """The articles the merge will edit: candidates whose working copy really cites it."""
    key = reference.key
    candidates = citing_articles(reference).prefetch_related("sections", "variants")
    return [
        article
        for article in candidates
        if any(key in keys_in_line(text) for text in _working_texts(article))
    ]


def _working_texts(article: Article) -> list[str]:
    texts = [article.headline, article.bottom_line]
    texts += [t for s in article.sections.all() for t in (s.heading, s.body)]
    texts += [t for v in article.variants.all() for t in (v.heading, v.text)]
    return texts


def check(duplicate: Reference, kept: Reference, by) -> None:
    if not may_merge(by):
        raise MergeError(
            "Only chief editors may merge references: it edits every article citing them."
        )
    if duplicate.pk == kept.pk:
        raise MergeError("Choose another reference to keep: a reference cannot merge into itself.")
    if duplicate.merged_into_id:
        raise MergeError(f"[@{duplicate.key}] was already merged into another reference.")
    if kept.merged_into_id:
        raise MergeError(
            f"[@{kept.key}] was itself merged into another reference: merge into that one."
        )


@transaction.atomic
def merge(duplicate: Reference, kept: Reference, *, by) -> MergeResult:
    """Merge `duplicate` into `kept`, all or nothing."""
    pks = [duplicate.pk, kept.pk]
    locked = {r.pk: r for r in Reference.objects.select_for_update().filter(pk__in=pks)}
    if len(locked) != len({duplicate.pk, kept.pk}):
        raise MergeError("One of the references no longer exists.")
    duplicate, kept = locked[duplicate.pk], locked[kept.pk]
    check(duplicate, kept, by)
    reason = f"Merged [@{duplicate.key}] into [@{kept.key}]"
    result = MergeResult(kept=kept, merged=duplicate)
    for article in citing_articles(duplicate):
        article = Article.objects.select_for_update().get(pk=article.pk)
        was = article.status
        if not _rewrite(article, duplicate.key, kept.key, by=by, reason=reason):
            continue
        try:
            services.record_edit(article, by=by)
        except TransitionError as error:
            raise MergeError(f"“{article}” could not be edited: {error}") from None
        result.edited.append(article)
        if was != Status.DRAFT:
            _resubmit(article, by, result)
    # Whatever was merged into the duplicate before now points at the kept one: no chains.
    for earlier in Reference.objects.filter(merged_into=duplicate):
        earlier.merged_into = kept
        earlier._history_user, earlier._change_reason = by, reason
        earlier.save(update_fields=["merged_into"])
    duplicate.merged_into = kept
    duplicate._history_user, duplicate._change_reason = by, reason
    duplicate.save(update_fields=["merged_into"])
    return result


def _rewrite(article: Article, old: str, new: str, *, by, reason: str) -> bool:
    """Rewrite the working copy's citations; True if anything changed. Each changed row is
    saved with its history (who, why); the article's version moves on, so a form opened
    before the merge is refused as stale rather than silently undoing it."""
    changed = False
    for obj, names in (
        *((s, ("heading", "body")) for s in Section.objects.filter(article=article)),
        *((v, ("heading", "text")) for v in Variant.objects.filter(article=article)),
    ):
        edited = [n for n in names if _replace(obj, n, old, new)]
        if edited:
            obj._history_user, obj._change_reason = by, reason
            obj.save(update_fields=edited)
            changed = True
    fields = [n for n in ("headline", "bottom_line") if _replace(article, n, old, new)]
    if fields or changed:
        article.version += 1
        article._history_user, article._change_reason = by, reason
        article.save(update_fields=[*fields, "version", "updated_at"])
        return True
    return False


def _replace(obj, name: str, old: str, new: str) -> bool:
    text = getattr(obj, name)
    rewritten = replace_key(text, old, new)
    if rewritten == text:
        return False
    setattr(obj, name, rewritten)
    return True


def _resubmit(article: Article, by, result: MergeResult) -> None:
    """An article that was in review or approved goes back to review with the new revision;
    if it cannot be submitted (say, another citation is broken), it stays a draft and the
    merge says why. Its approved page, if any, is unchanged either way."""
    try:
        with transaction.atomic():
            services.submit(article, by=by)
    except TransitionError as error:
        result.left_as_draft[article.pk] = str(error)
    else:
        result.submitted.append(article)

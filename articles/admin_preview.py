"""The article form's live preview and citation-key completion, for static/js/article-editor.js.

The preview renders what the form holds right now — unsaved text, new and deleted sections,
variants — through the readers' own path: `revisions.snapshot_unsaved` builds the content a
revision would freeze, `readers.render_revision` renders an unsaved `Revision` of it (never
cached) and the public page's `_article_body.html` lays it out. Nothing is written: no
revision, no history, no cache entry. Both endpoints are admin views (staff, CSRF on the
POST), allowed to those who may write articles or read the library, and counted per person.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from references.models import Reference

from .models import Question, ReaderType
from .readers import render_revision
from .rendering import cited_keys, malformed_citations
from .revisions import Content, Revision, snapshot_unsaved

# Each pause in typing is one preview (the script waits PREVIEW_DELAY ms and keeps one
# request in flight): a minute of steady writing costs a few dozen. Past the limit the page
# says the preview is paused and tries again when the server says so.
PREVIEW_LIMIT = {"group": "articles.editor_preview", "key": "user", "rate": "120/m"}
KEYS_LIMIT = {"group": "articles.editor_keys", "key": "user", "rate": "240/m"}
# A long article is ~100 KB of Markdown with its variants; the cap leaves room and refuses to
# render anything bigger (parsing the post is bounded before that by Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE, when the CSRF check reads it).
PREVIEW_MAX_BYTES = 512 * 1024
MAX_SECTIONS = 200
MAX_VARIANTS = 400
KEYS_SHOWN = 10
KEY_QUERY_MAX = 100


def _retry_after(request, limit) -> str:
    usage = get_usage(request, **limit)
    return str(max((usage or {}).get("time_left", 1), 1))


def _limited(request, limit) -> bool:
    """Counts this request (every one counts, answered or not) and says if it is one too many."""
    usage = get_usage(request, increment=True, **limit)
    return bool(usage and usage["should_limit"])


# -- reading the form as posted ----------------------------------------------------------

# The inline formsets' prefixes: their default, the related names of Section and Variant.
SECTION_PREFIX = "sections"
VARIANT_PREFIX = "variants"


def place_sections(typed: list[int | None]) -> list[int]:
    """Each section's position, given what the form posted for it (None: nothing usable).
    The editor's script posts 1, 2, 3… in the order on screen; a typed position is kept as
    typed, so an unchanged article saves with unchanged positions (and no new revision); a
    section without one goes after the others, in the order of the form. The article form's
    save (`admin.SectionFormSet`) and the live preview order sections by this one rule."""
    following = max((p for p in typed if p is not None), default=0)
    placed = []
    for position in typed:
        if position is None:
            following += 1
            position = following
        placed.append(position)
    return placed


def _rows(data, prefix: str, fields: tuple[str, ...], cap: int) -> list[dict]:
    """The rows of one inline formset as posted, raw (a preview shows text that would not
    validate yet). Rows marked for deletion are left out."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), cap)
    except ValueError:
        total = 0
    rows = []
    for i in range(max(total, 0)):
        row = {name: data.get(f"{prefix}-{i}-{name}", "") for name in fields}
        if data.get(f"{prefix}-{i}-DELETE"):
            continue
        rows.append(row)
    return rows


def _int_or_none(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def content_from_post(data, reader_types: dict[str, ReaderType], question: str) -> dict:
    """The revision content the posted article form would make, built by the revision's own
    code (`snapshot_unsaved`). Sections are placed by the form's own rule (`place_sections`);
    a variant goes with its section, found by the section's id among the posted rows."""
    section_rows = [
        row
        for row in _rows(
            data, SECTION_PREFIX, ("id", "position", "heading", "kind", "body"), MAX_SECTIONS
        )
        if row["id"] or row["heading"].strip() or row["body"].strip()
    ]
    positions = place_sections([_int_or_none(row["position"]) for row in section_rows])
    order = sorted(range(len(section_rows)), key=lambda i: (positions[i], i))
    sections = {}
    for i in order:
        row = section_rows[i]
        section = SimpleNamespace(
            position=positions[i],
            heading=row["heading"],
            kind=row["kind"] or "standard",
            body=row["body"],
        )
        sections[row["id"] or f"new-{i}"] = (section, [])
    line_variants = []
    for row in _rows(
        data, VARIANT_PREFIX, ("section", "reader_type", "heading", "text"), MAX_VARIANTS
    ):
        reader_type = reader_types.get(row["reader_type"])
        if reader_type is None:
            continue
        variant = SimpleNamespace(reader_type=reader_type, heading=row["heading"], text=row["text"])
        if not row["section"]:
            line_variants.append(variant)
        elif row["section"] in sections:  # a deleted section's variants go with it
            sections[row["section"]][1].append(variant)
    return snapshot_unsaved(
        question=question,
        headline=data.get("headline", ""),
        bottom_line=data.get("bottom_line", ""),
        sections=list(sections.values()),
        bottom_line_variants=line_variants,
    )


@dataclass(frozen=True)
class Problem:
    key: str  # the cited key, or the malformed text
    where: str


def citation_problems(content: Content) -> tuple[list[Problem], list[Problem]]:
    """(unknown keys, malformed groups), each with the text it is in: what the editor must fix
    before the form saves."""
    known = set(content.references)
    unknown, malformed = [], []
    for where, text in content.texts():
        unknown += [Problem(key, where) for key in sorted(cited_keys([text]) - known)]
        malformed += [
            Problem(bad, f"{where}, line {line}") for bad, line in malformed_citations(text)
        ]
    return unknown, malformed


# -- the views -----------------------------------------------------------------------------


def preview_view(request, *, model_admin):
    """POST: the posted article form rendered for one reader type (`reader`), as an HTML
    fragment. 403 without add/change permission, 405 for other methods, 413 past the size
    cap, 429 past the rate."""
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        return HttpResponse("You may not write articles.", status=403)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if _limited(request, PREVIEW_LIMIT):
        return HttpResponse(
            "Preview paused: too many updates in a minute.",
            status=429,
            headers={"Retry-After": _retry_after(request, PREVIEW_LIMIT)},
        )
    if (_int_or_none(request.META.get("CONTENT_LENGTH")) or 0) > PREVIEW_MAX_BYTES:
        return HttpResponse("The article is too long to preview as you type.", status=413)
    reader_types = {str(t.pk): t for t in ReaderType.objects.order_by("order", "pk")}
    by_slug = {t.slug: t for t in reader_types.values()}
    reader = by_slug.get(request.POST.get("reader", ""))
    question = ""
    question_id = _int_or_none(request.POST.get("question"))
    if question_id and request.user.has_perm("articles.view_question"):
        question = Question.objects.filter(pk=question_id).values_list("text", flat=True).first()
    data = content_from_post(request.POST, reader_types, question or "")
    revision = Revision(content=data)  # unsaved: rendered, never stored or cached
    view = render_revision(revision, reader)
    unknown, malformed = citation_problems(revision.shown)
    slug = reader.slug if reader else None
    own = [where for where, _ in revision.shown.texts() if slug and where.endswith(f" for {slug}")]
    return render(
        request,
        "admin/articles/article/_preview.html",
        {
            "content": revision.shown,
            "rendered": view.rendered,
            "reader": reader,
            "own_texts": own,
            "unknown": unknown,
            "malformed": malformed,
        },
    )


def citation_keys_view(request, *, model_admin):
    """GET `?q=`: up to KEYS_SHOWN library references whose key, title or authors contain
    `q` (any case), keys starting with it first, as JSON for the key completion."""
    if not request.user.has_perm("references.view_reference"):
        return JsonResponse({"error": "You may not read the reference library."}, status=403)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    if _limited(request, KEYS_LIMIT):
        return JsonResponse(
            {"error": "Too many look-ups in a minute."},
            status=429,
            headers={"Retry-After": _retry_after(request, KEYS_LIMIT)},
        )
    query = request.GET.get("q", "").strip()[:KEY_QUERY_MAX]
    # A reference merged into another stays for the revisions that froze it; new text cites
    # the one it was merged into.
    found = Reference.objects.current()
    if query:
        found = found.filter(
            Q(key__icontains=query) | Q(title__icontains=query) | Q(authors__icontains=query)
        ).annotate(
            rank=Case(
                When(key__istartswith=query, then=Value(0)),
                When(key__icontains=query, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        found = found.order_by("rank", "key")
    else:
        found = found.order_by("key")
    results = [
        {"key": r["key"], "title": r["title"], "year": r["year"]}
        for r in found.values("key", "title", "year")[:KEYS_SHOWN]
    ]
    return JsonResponse({"results": results})

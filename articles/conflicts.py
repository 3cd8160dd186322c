"""Two people editing one article: what the second one is shown when their save is refused
because the first saved since they opened the form (`ArticleAdminForm`'s stale check).

The refused form keeps everything typed. This module compares it, field by field, with what
is saved now (question, headline, bottom line, each section's heading, kind and body, each
variant), so the second editor can keep theirs or take the other person's text per field
(`take_theirs`), and then save again against the version they have now seen
(`CONFLICT_VERSION`). It reads the working copy's rows only: revisions are not involved.
"""

import re
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString

from .models import Article, Question, Section, Topic, Variant
from .revisions import diff_text

CONFLICT_VERSION = "conflict_version"  # the version whose changes the editor was shown
TAKE_THEIRS = "take_theirs"  # the form fields to replace with what is saved

# The article form's own fields compared (the foreign keys shown by name), and the inline
# fields per formset prefix.
ARTICLE_FIELDS = {
    "question": "Question", "headline": "Headline", "slug": "Slug", "topic": "Topic",
    "bottom_line": "Bottom line",
}  # fmt: skip
FOREIGN = {"question": (Question, "text"), "topic": (Topic, "name")}
INLINE_FIELDS = {
    "sections": (Section, ("heading", "kind", "body")),
    "variants": (Variant, ("heading", "text")),
}
_INLINE_NAME = re.compile(r"^(?P<prefix>sections|variants)-(?P<index>\d+)-(?P<field>\w+)$")


def name_of(user) -> str:
    """A person by name, as staff know each other (the username only if no name is set)."""
    return (user.get_full_name() or user.get_username()) if user else "someone"


def saved_since(article: Article, seen_version) -> list[str]:
    """Who saved the article after the form was opened at `seen_version`, by name, in order
    (the latest saver when the form carried no version)."""
    rows = article.history.select_related("history_user").order_by("history_id")
    if isinstance(seen_version, int):
        rows = rows.filter(version__gt=seen_version)
    else:
        rows = rows.reverse()[:1]
    names = []
    for row in rows:
        name = name_of(row.history_user)
        if name not in names:
            names.append(name)
    return names or ["someone"]


def stale_message(article: Article, seen_version) -> str:
    who = " and ".join(saved_since(article, seen_version))
    return (
        f"{who} saved this article at {timezone.localtime(article.updated_at):%H:%M} after "
        "you opened it, so your changes were not saved (they are still in the form below). "
        "Their text and yours are compared field by field above: keep yours or take theirs "
        "for each, edit the form if you like, then save again."
    )


@dataclass(frozen=True)
class FieldConflict:
    name: str  # the form field's name, e.g. "sections-0-body"
    label: str
    theirs: str  # as saved now
    mine: str  # as typed
    diff: SafeString  # theirs -> mine, word by word
    changed_by: str  # "them", "you", "both", or "" when the form's starting point is unknown
    can_take: bool = True  # False when what is saved no longer has this field

    @property
    def take_by_default(self) -> bool:
        """Only they changed it: keeping the form's old text would undo their change."""
        return self.can_take and self.changed_by == "them"


@dataclass(frozen=True)
class Conflict:
    version: int  # the version now saved: saving again against it goes through
    saved_by: list[str]
    fields: list[FieldConflict]  # only those where theirs and mine differ
    added: list[str]  # parts the others added that the form does not have (they are kept)


def _shown(name: str, value) -> str:
    """A field's value as people read it: a foreign key by its text."""
    if name in FOREIGN:
        model, attribute = FOREIGN[name]
        row = model.objects.filter(pk=value).first() if str(value).isdigit() else None
        return getattr(row, attribute) if row else ""
    return str(value or "")


def _raw(row, name: str) -> str:
    """A field's value as the form posts it (a foreign key as its id)."""
    value = getattr(row, f"{name}_id" if name in FOREIGN else name)
    return "" if value is None else str(value)


def _rows(article: Article, prefix: str) -> dict[int, object]:
    model, _ = INLINE_FIELDS[prefix]
    rows = model.objects.filter(article=article)
    if model is Variant:
        rows = rows.select_related("section", "reader_type")
    return {row.pk: row for row in rows}


def _label(prefix: str, row) -> str:
    if prefix == "sections":
        return f"Section {row.position}: {row.heading}"
    part = f"section {row.section.position}" if row.section_id else "the bottom line"
    return f"{row.reader_type} variant of {part}"


def opened(article: Article, seen_version) -> dict | None:
    """The working copy as the refused form showed it when opened (at `seen_version`), from
    the history of the article, its sections and variants: {"article": {field: value},
    "sections"/"variants": {pk: {field: value}}}. None when the history can't say."""
    if not isinstance(seen_version, int):
        return None
    at_open = article.history.filter(version=seen_version).order_by("-history_id").first()
    next_save = article.history.filter(version__gt=seen_version).order_by("history_id").first()
    if at_open is None or next_save is None:
        return None
    base = {"article": {name: _raw(at_open, name) for name in ARTICLE_FIELDS}}
    # The admin saves the article row first, then its inlines: what the inlines were before
    # the next save is their latest history before that save's article row.
    for prefix, (model, names) in INLINE_FIELDS.items():
        latest = {}
        rows = model.history.filter(
            article_id=article.pk, history_date__lt=next_save.history_date
        ).order_by("id", "-history_date", "-history_id")
        for row in rows:
            latest.setdefault(row.id, row)
        base[prefix] = {
            pk: {name: _raw(row, name) for name in names}
            for pk, row in latest.items()
            if row.history_type != "-"
        }
    return base


def _changed_by(base: str | None, theirs: str, mine: str) -> str:
    if base is None:
        return ""
    they, you = _normal(base) != _normal(theirs), _normal(base) != _normal(mine)
    return "both" if they and you else "them" if they else "you" if you else ""


def compare(article: Article, data: QueryDict, seen_version) -> Conflict:
    """What is saved now against what the refused form holds, field by field."""
    base = opened(article, seen_version)
    fields = []
    for name, label in ARTICLE_FIELDS.items():
        theirs, mine = _raw(article, name), data.get(name, "")
        if _normal(theirs) != _normal(mine):
            was = base["article"][name] if base else None
            shown_theirs, shown_mine = _shown(name, theirs), _shown(name, mine)
            fields.append(
                FieldConflict(
                    name, label, shown_theirs, shown_mine, diff_text(shown_theirs, shown_mine),
                    _changed_by(was, theirs, mine),
                )
            )  # fmt: skip
    added = []
    for prefix, (_, names) in INLINE_FIELDS.items():
        rows, in_form = _rows(article, prefix), set()
        for index in range(_count(data, prefix)):
            pk = data.get(f"{prefix}-{index}-id", "")
            if not pk.isdigit():
                continue  # a part this editor added: nothing saved to compare it with
            row = rows.get(int(pk))
            in_form.add(int(pk))
            was = base[prefix].get(int(pk), {}) if base else {}
            for field in names:
                name = f"{prefix}-{index}-{field}"
                mine = data.get(name, "")
                if row is None:
                    if mine:
                        fields.append(
                            FieldConflict(
                                name, f"A {prefix[:-1]} deleted since — {field}", "", mine,
                                diff_text("", mine), "them", can_take=False,
                            )
                        )  # fmt: skip
                    continue
                theirs = _raw(row, field)
                if _normal(theirs) != _normal(mine):
                    fields.append(
                        FieldConflict(
                            name, f"{_label(prefix, row)} — {field}", theirs, mine,
                            diff_text(theirs, mine),
                            _changed_by(was.get(field) if base else None, theirs, mine),
                        )
                    )  # fmt: skip
        added += [_label(prefix, row) for pk, row in rows.items() if pk not in in_form]
    return Conflict(article.version, saved_since(article, seen_version), fields, added)


def _count(data: QueryDict, prefix: str) -> int:
    total = data.get(f"{prefix}-TOTAL_FORMS", "0")
    return min(int(total), 1000) if total.isdigit() else 0


def _normal(text: str) -> str:
    # Browsers send textareas with CRLF line ends; what is saved has LF.
    return text.replace("\r\n", "\n").strip()


def _theirs(article: Article, data: QueryDict, name: str) -> str | None:
    """The saved value of the form field `name`, as the form would post it; None when the
    field is not one compared here or its row is gone (or belongs to another article)."""
    if name in ARTICLE_FIELDS:
        return _raw(article, name)
    match = _INLINE_NAME.match(name)
    if not match or match["field"] not in INLINE_FIELDS[match["prefix"]][1]:
        return None
    pk = data.get(f"{match['prefix']}-{match['index']}-id", "")
    row = _rows(article, match["prefix"]).get(int(pk)) if pk.isdigit() else None
    return _raw(row, match["field"]) if row is not None else None


def merged(data: QueryDict, article: Article) -> QueryDict:
    """The form data to save after a conflict: the fields the editor chose to take from the
    saved version replaced by it, and the form's version set to the one they were shown. If
    someone saved yet again since, nothing is replaced: the next refusal shows the new
    changes, with the editor's text as it was."""
    seen = data.get(CONFLICT_VERSION, "")
    if not seen.isdigit() or int(seen) != article.version:
        return data
    data = data.copy()
    for name in data.getlist(TAKE_THEIRS):
        value = _theirs(article, data, name)
        if value is not None:
            data[name] = value
    data["edit_version"] = seen
    return data

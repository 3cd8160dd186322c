"""What changed between two revisions, field by field, as readable word-level HTML."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    html: SafeString  # the new text with <ins>/<del> marks; the whole text when unchanged
    changed: bool


def diff_text(old: str, new: str) -> SafeString:
    """Word-level diff: deletions in <del>, insertions in <ins>, the rest as is (escaped)."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 — every piece of text is escaped above


def diff_contents(old: dict | None, new: dict) -> list[FieldDiff]:
    """Compare two revision contents: question, headline, bottom line, then every section by
    position (added and removed sections included). `old=None` shows everything as new."""
    old = old or {"question": "", "headline": "", "bottom_line": "", "sections": []}
    fields = [
        FieldDiff(label, diff_text(old[key], new[key]), old[key] != new[key])
        for key, label in (
            ("question", "Question"),
            ("headline", "Headline"),
            ("bottom_line", "Bottom line"),
        )
    ]
    old_lines, new_lines = old.get("bottom_line_variants", {}), new.get("bottom_line_variants", {})
    for slug in sorted(old_lines.keys() | new_lines.keys()):
        o, n = old_lines.get(slug, ""), new_lines.get(slug, "")
        fields.append(FieldDiff(f"Bottom line — for {slug}", diff_text(o, n), o != n))
    before = {s["position"]: s for s in old["sections"]}
    after = {s["position"]: s for s in new["sections"]}
    for position in sorted(before.keys() | after.keys()):
        o, n = before.get(position), after.get(position)
        empty = {"heading": "", "kind": "", "body": ""}
        o_, n_ = o or empty, n or empty
        label = f"Section {position}: {n_['heading'] or o_['heading']}"
        if o is None:
            label += " (added)"
        elif n is None:
            label += " (removed)"
        for key, part in (("heading", "heading"), ("kind", "kind"), ("body", "text")):
            if key == "kind" and o_[key] == n_[key]:
                continue
            fields.append(
                FieldDiff(f"{label} — {part}", diff_text(o_[key], n_[key]), o_[key] != n_[key])
            )
        o_variants, n_variants = o_.get("variants", {}), n_.get("variants", {})
        for slug in sorted(o_variants.keys() | n_variants.keys()):
            ov = o_variants.get(slug, {"heading": "", "body": ""})
            nv = n_variants.get(slug, {"heading": "", "body": ""})
            for key, part in (("heading", "heading"), ("body", "text")):
                fields.append(
                    FieldDiff(
                        f"{label} — {part} for {slug}",
                        diff_text(ov[key], nv[key]),
                        ov[key] != nv[key],
                    )
                )
    return fields

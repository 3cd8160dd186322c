import unicodedata

from django.core.exceptions import ValidationError

from .rendering import checked_citations, malformed_citations


def validate_citation_keys(text: str) -> None:
    """Reject Markdown with malformed citations, keys missing from the reference library or
    keys of references merged into another, naming each and the line it is on, so the
    editor can fix it before submitting. One query, whatever the text cites."""
    unknown, merged = checked_citations(text)
    errors = [
        ValidationError(
            "“%(text)s” on line %(line)s is not a valid citation. Write [@key] or "
            "[@key1; @key2]: keys separated by semicolons, nothing else inside the brackets.",
            code="malformed_citation",
            params={"text": bad, "line": line},
        )
        for bad, line in malformed_citations(text)
    ]
    errors += [
        ValidationError(
            "Unknown citation key “@%(key)s” on line %(line)s. Add it to the reference "
            "library or correct the key.",
            code="unknown_citation",
            params={"key": key, "line": line},
        )
        for key, line in unknown
    ]
    errors += [
        ValidationError(
            "“@%(key)s” on line %(line)s was merged into “@%(into)s”, a duplicate of it: "
            "cite [@%(into)s] instead.",
            code="merged_citation",
            params={"key": key, "line": line, "into": into},
        )
        for key, line, into in merged
    ]
    if errors:
        raise ValidationError(errors)


CHANGE_SUMMARY_MAX_LENGTH = 300


def clean_change_summary(text: str | None) -> str:
    """A submission's public change summary (`ReviewEvent.change_summary`) as stored: one line
    of at most 300 characters, without surrounding spaces; empty is allowed (a change that is
    not material). Raises `ValidationError` with a message for the editor otherwise."""
    text = (text or "").strip()
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text):
        raise ValidationError(
            "Write the summary on one line, without line breaks or tabs.",
            code="change_summary_lines",
        )
    if len(text) > CHANGE_SUMMARY_MAX_LENGTH:
        raise ValidationError(
            "Keep the summary to %(limit)d characters or fewer (it has %(length)d).",
            code="change_summary_length",
            params={"limit": CHANGE_SUMMARY_MAX_LENGTH, "length": len(text)},
        )
    return text

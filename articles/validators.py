from django.core.exceptions import ValidationError

from .rendering import malformed_citations, unknown_citations


def validate_citation_keys(text: str) -> None:
    """Reject Markdown with malformed citations or keys missing from the reference library,
    naming each and the line it is on, so the editor can fix it before submitting."""
    errors = [
        ValidationError(
            "“%(text)s” on line %(line)s is not a valid citation. Write [@key] or "
            "[@key1; @key2]: keys separated by semicolons, nothing else inside the brackets.",
            code="malformed_citation",
            params={"text": bad, "line": line},
        )
        for bad, line in malformed_citations(text)
    ] + [
        ValidationError(
            "Unknown citation key “@%(key)s” on line %(line)s. Add it to the reference "
            "library or correct the key.",
            code="unknown_citation",
            params={"key": key, "line": line},
        )
        for key, line in unknown_citations(text)
    ]
    if errors:
        raise ValidationError(errors)

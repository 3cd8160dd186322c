from django.core.exceptions import ValidationError

from .rendering import unknown_citations


def validate_citation_keys(text: str) -> None:
    """Reject Markdown that cites keys missing from the reference library, naming each key and
    the line it is on, so the editor can fix it before submitting."""
    unknown = unknown_citations(text)
    if unknown:
        raise ValidationError(
            [
                ValidationError(
                    "Unknown citation key “@%(key)s” on line %(line)s. Add it to the reference "
                    "library or correct the key.",
                    code="unknown_citation",
                    params={"key": key, "line": line},
                )
                for key, line in unknown
            ]
        )

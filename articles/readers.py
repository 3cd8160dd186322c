"""The reader types offered by "Which best describes you?".

The chooser is on every article page now; the language it changes (variants, glossary,
per-type disclaimers) and admin-configured types arrive with the personalization work.
"""

from typing import NamedTuple


class ReaderType(NamedTuple):
    slug: str
    label: str


DEFAULT_READER_TYPES = (
    ReaderType("patient", "Patient or caregiver"),
    ReaderType("student", "Student"),
    ReaderType("nurse", "Nurse or allied health professional"),
    ReaderType("physician", "Physician or other prescriber"),
)


def reader_type_from(value: str | None) -> ReaderType | None:
    """The reader type named by `value`; anything unknown means no choice (the default)."""
    return next((t for t in DEFAULT_READER_TYPES if t.slug == value), None)

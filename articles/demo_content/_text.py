# Demonstration material written for Vetted; it is not medical advice for any patient.
from textwrap import dedent


def _md(text: str) -> str:
    """Markdown written indented inside this module, stored without the indentation."""
    return dedent(text).strip() + "\n"

# Demonstration material written for Vetted; it is not medical advice for any patient.
"""Demo content for `python manage.py load_demo`: plain data, loaded idempotently.

The clinical text was written for Vetted's demo by its editors and summarises widely published
guidance; it is sample content for trying the CMS, not a clinical resource. Every reference is
a real publication; a DOI or PMID is given only where it was checked. Markdown bodies cite the
references by key, Pandoc style: [@key] or [@key1; @key2].

One module per part: people (staff accounts, board profiles), library (topics, references),
glossary, and one module per article.
"""

from .atrial_fibrillation import ATRIAL_FIBRILLATION
from .diabetes import DIABETES
from .glossary import GLOSSARY
from .hypertension import HYPERTENSION
from .library import REFERENCES, TOPICS
from .people import DEMO_PASSWORD, REVIEWER_PROFILES, USERS
from .pneumonia import PNEUMONIA

ARTICLES = [HYPERTENSION, PNEUMONIA, DIABETES, ATRIAL_FIBRILLATION]

__all__ = [
    "ARTICLES",
    "ATRIAL_FIBRILLATION",
    "DIABETES",
    "HYPERTENSION",
    "PNEUMONIA",
    "DEMO_PASSWORD",
    "GLOSSARY",
    "REFERENCES",
    "REVIEWER_PROFILES",
    "TOPICS",
    "USERS",
]

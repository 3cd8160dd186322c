"""The articles app's models: content editors write (`content`), the plain-language glossary
(`glossary`), the frozen revisions and review log readers' pages come from (`review`), the
board's public profiles and site switches (`board`), and readers' rendered pages with the
stamps they are checked against (`pages`)."""

from ..revisions import Citation, Revision  # noqa: I001 — the revision module owns them
from .board import ReviewerProfile, SiteSettings
from .catalogue import Listing, ListingFacet
from .content import (
    Article,
    ArticleStatus,
    Page,
    Question,
    QuestionSource,
    QuestionStatus,
    ReaderType,
    Section,
    SchemaOrgSpecialty,
    SectionKind,
    Specialty,
    Topic,
    Variant,
)
from .glossary import GlossaryApproval, GlossaryTerm
from .pages import PublishedPage, Stamp
from .review import ReviewEvent, ReviewEventAction

__all__ = [
    "Article",
    "ArticleStatus",
    "Citation",
    "GlossaryApproval",
    "GlossaryTerm",
    "Listing",
    "ListingFacet",
    "Page",
    "PublishedPage",
    "Question",
    "QuestionSource",
    "QuestionStatus",
    "ReaderType",
    "ReviewEvent",
    "ReviewEventAction",
    "ReviewerProfile",
    "Revision",
    "Section",
    "SchemaOrgSpecialty",
    "SectionKind",
    "SiteSettings",
    "Stamp",
    "Specialty",
    "Topic",
    "Variant",
]

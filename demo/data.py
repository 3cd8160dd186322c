"""The demo content, read from the YAML files in `demo/content/` and checked.

`USERS`, `REVIEWER_PROFILES`, `SPECIALTIES`, `TOPICS`, `REFERENCES`, `GLOSSARY` and `ARTICLES`
are read on first use and kept for the life of the process; `DEMO_PASSWORD` is the password of
every demo account. A file that is missing, is not YAML or does not have the shape below raises
`DemoContentError`, naming the file and the field (list items are counted from 1).

    people.yaml              users: [{username, first_name, last_name, email, groups: [name]}]
                             reviewer_profiles: [{username, slug, display_name, credentials,
                                                  specialties: [specialty slug], bio,
                                                  disclosures}]
    specialties.yaml         [{slug, name, schema_org?}]
    topics.yaml              [{slug, name, description, specialty (a specialty slug),
                               requires_specialty_match?}]
    references.yaml          [{key, kind, title, authors?, source?, year?, doi?, pmid?, url?}]
    glossary.yaml            [{term, synonyms: [text], definition}]
    articles.yaml            [slug], the order in which the articles are loaded
    articles/<slug>.yaml     {slug, topic, status, approval_comment?, change_summary?,
                              question_status,
                              authors: [username], question, headline, bottom_line,
                              sections: [{heading, kind, body}],
                              variants?: {reader type slug: {bottom_line?,
                                          sections?: {position: {heading?, body}}}},
                              changes_requested?: {by, comment,
                                                   earlier_sections: {position: {heading?,
                                                                      kind?, body?}}}}

Every value is text except `year` (a whole number), `requires_specialty_match` (true or
false) and the positions of sections, which are whole numbers counted from 1. `change_summary`
is the one line for readers' review history that the editor writes when submitting the sections
as given (after `changes_requested`: the resubmission); left out, the submission has none.
"""

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

DEMO_PASSWORD = "vetted-demo"  # noqa: S105 — demo accounts on a developer's machine only

CONTENT_DIR = Path(__file__).resolve().parent / "content"
NAMES = (
    "USERS", "REVIEWER_PROFILES", "SPECIALTIES", "TOPICS", "REFERENCES", "GLOSSARY", "ARTICLES",
)  # fmt: skip


class DemoContentError(ValueError):
    """A demo content file is missing, is not YAML, or does not have the expected shape."""


# -- shapes ----------------------------------------------------------------------------------


class _Shape(BaseModel):
    """Strict (`True` is not a year, `'1'` is not a position) and closed (no unknown field)."""

    model_config = ConfigDict(strict=True, extra="forbid")


class _User(_Shape):
    username: str
    first_name: str
    last_name: str
    email: str
    groups: list[str]


class _ReviewerProfile(_Shape):
    username: str
    slug: str
    display_name: str
    credentials: str
    specialties: list[str]
    bio: str
    disclosures: str


class _People(_Shape):
    users: list[_User]
    reviewer_profiles: list[_ReviewerProfile]


class _Specialty(_Shape):
    slug: str
    name: str
    schema_org: str = None


class _Topic(_Shape):
    slug: str
    name: str
    description: str
    specialty: str
    requires_specialty_match: bool = None


# Optional fields default to None, which is not validated: a field left out is fine, a field
# given as an empty value is refused like any other value that is not text.
class _Reference(_Shape):
    key: str
    kind: str
    title: str
    authors: str = None
    source: str = None
    year: int = None
    doi: str = None
    pmid: str = None
    url: str = None


class _Term(_Shape):
    term: str
    synonyms: list[str]
    definition: str


class _Section(_Shape):
    heading: str
    kind: str
    body: str


class _VariantSection(_Shape):
    heading: str = None
    body: str


class _Variant(_Shape):
    bottom_line: str = None
    sections: dict[int, _VariantSection] = None


class _EarlierSection(_Shape):
    heading: str = None
    kind: str = None
    body: str = None


class _ChangesRequested(_Shape):
    by: str
    comment: str
    earlier_sections: dict[int, _EarlierSection]


class _Article(_Shape):
    slug: str
    topic: str
    status: str
    approval_comment: str = None
    change_summary: str = None
    question_status: str
    authors: list[str]
    question: str
    headline: str
    bottom_line: str
    sections: list[_Section]
    variants: dict[str, _Variant] = None
    changes_requested: _ChangesRequested = None


PEOPLE_FILE = TypeAdapter(_People)
SPECIALTIES_FILE = TypeAdapter(list[_Specialty])
TOPICS_FILE = TypeAdapter(list[_Topic])
REFERENCES_FILE = TypeAdapter(list[_Reference])
GLOSSARY_FILE = TypeAdapter(list[_Term])
ARTICLES_FILE = TypeAdapter(list[str])
ARTICLE_FILE = TypeAdapter(_Article)


def _where(value, loc: tuple) -> str:
    """Pydantic's location of an error as the messages show it: `a.b[2].c`, list items counted
    from 1 (pydantic counts them from 0 and does not tell them from whole-number keys, so the
    data is walked alongside), a refused key as `a.b: the key '1'`."""
    if loc[-1:] == ("[key]",):
        return f"{_where(value, loc[:-2])}: the key {loc[-2]!r}".removeprefix(": ")
    where = ""
    for step in loc:
        if isinstance(value, list) and isinstance(step, int):
            where += f"[{step + 1}]"
            value = value[step] if step < len(value) else None
        else:
            where += f".{step}" if where else str(step)
            value = value.get(step) if isinstance(value, dict) else None
    return where


def _problem(value, error: ValidationError) -> str:
    """Every error of `error`, for `value` as read: `where: what, found what`."""
    problems = []
    for item in error.errors(include_url=False):
        problem, found = item["msg"], item["input"]
        if item["type"] not in ("missing", "extra_forbidden"):
            found = "an empty value" if found is None else repr(found)
            problem += f", found {found if len(found) < 60 else found[:56] + ' ...'}"
        where = _where(value, item["loc"])
        problems.append(f"{where}: {problem}" if where else problem)
    return "; ".join(problems)


def _unique(path: Path, items: list, field: str | None, where: str = "") -> None:
    """Refuse the second item of `items` with the same `field` (the item itself when None)."""
    seen = set()
    for number, item in enumerate(items, start=1):
        key = item if field is None else item[field]
        if key in seen:
            at = f"{where}[{number}]" + (f".{field}" if field else "")
            raise DemoContentError(f"{_name(path)}: {at}: {key!r} appears more than once")
        seen.add(key)


# -- reading ---------------------------------------------------------------------------------


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's safe loader (its C parser when built with libyaml), except that a key given
    twice in one mapping is an error rather than the last one silently winning (easy to do
    when copying a section)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # unhashable: the safe loader says so itself
                    continue
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"found the key {key!r} a second time",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _name(path: Path) -> str:
    """The path as the error message shows it: from the project's root when inside it."""
    try:
        return str(path.relative_to(CONTENT_DIR.parent.parent))
    except ValueError:
        return str(path)


def _read(path: Path, shape):
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DemoContentError(f"{_name(path)}: cannot be read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise DemoContentError(f"{_name(path)}: is not UTF-8 text: {error}") from error
    loader = _Loader(text)
    try:
        value = loader.get_single_data()
    except yaml.YAMLError as error:
        raise DemoContentError(f"{_name(path)}: is not valid YAML: {error}") from error
    finally:
        loader.dispose()
    try:
        shape.validate_python(value)
    except ValidationError as error:
        raise DemoContentError(f"{_name(path)}: {_problem(value, error)}") from None
    return value  # as read: the models only check it


def load(directory: Path = CONTENT_DIR) -> dict[str, list]:
    """Read and check every file of the demo content in `directory`; {name: data}."""
    directory = Path(directory)
    people_file = directory / "people.yaml"
    people = _read(people_file, PEOPLE_FILE)
    _unique(people_file, people["users"], "username", "users")
    _unique(people_file, people["reviewer_profiles"], "username", "reviewer_profiles")
    order_file = directory / "articles.yaml"
    order = _read(order_file, ARTICLES_FILE)
    _unique(order_file, order, None)
    files = {path.stem: path for path in sorted((directory / "articles").glob("*.yaml"))}
    for number, slug in enumerate(order, start=1):
        if slug not in files:
            raise DemoContentError(
                f"{_name(order_file)}: [{number}]: there is no articles/{slug}.yaml"
            )
    for slug, path in files.items():
        if slug not in order:
            raise DemoContentError(
                f"{_name(path)}: not listed in {order_file.name}; add “{slug}” there, in the "
                "place where it should be loaded"
            )
    articles = []
    for slug in order:
        article = _read(files[slug], ARTICLE_FILE)
        if article["slug"] != slug:
            raise DemoContentError(
                f"{_name(files[slug])}: slug: is “{article['slug']}”, but the file is named "
                f"{slug}.yaml; the two must agree"
            )
        articles.append(article)
    checked = {}
    for name, file_name, shape, field in (
        ("SPECIALTIES", "specialties.yaml", SPECIALTIES_FILE, "slug"),
        ("TOPICS", "topics.yaml", TOPICS_FILE, "slug"),
        ("REFERENCES", "references.yaml", REFERENCES_FILE, "key"),
        ("GLOSSARY", "glossary.yaml", GLOSSARY_FILE, "term"),
    ):
        checked[name] = _read(directory / file_name, shape)
        _unique(directory / file_name, checked[name], field)
    return {
        "USERS": people["users"],
        "REVIEWER_PROFILES": people["reviewer_profiles"],
        **checked,
        "ARTICLES": articles,
    }


@cache
def loaded() -> dict[str, list]:
    """The demo content of `CONTENT_DIR`, read and checked once per process."""
    return load(CONTENT_DIR)


def __getattr__(name: str):
    if name in NAMES:
        return loaded()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The demo content, read from the YAML files in `demo/content/` and checked.

`USERS`, `REVIEWER_PROFILES`, `TOPICS`, `REFERENCES`, `GLOSSARY` and `ARTICLES` are read on
first use and kept for the life of the process; `DEMO_PASSWORD` is the password of every demo
account. A file that is missing, is not YAML or does not have the shape below raises
`DemoContentError`, naming the file and the field (list items are counted from 1).

    people.yaml              users: [{username, first_name, last_name, email, groups: [name]}]
                             reviewer_profiles: [{username, slug, display_name, credentials,
                                                  specialty, bio, disclosures}]
    topics.yaml              [{slug, name, description}]
    references.yaml          [{key, kind, title, authors?, source?, year?, doi?, pmid?, url?}]
    glossary.yaml            [{term, synonyms: [text], definition}]
    articles.yaml            [slug], the order in which the articles are loaded
    articles/<slug>.yaml     {slug, topic, status, approval_comment?, question_status,
                              authors: [username], question, headline, bottom_line,
                              sections: [{heading, kind, body}],
                              variants?: {reader type slug: {bottom_line?,
                                          sections?: {position: {heading?, body}}}},
                              changes_requested?: {by, comment,
                                                   earlier_sections: {position: {heading?,
                                                                      kind?, body?}}}}

Every value is text except `year` (a whole number) and the positions of sections, which are
whole numbers counted from 1.
"""

from functools import cache
from pathlib import Path

import yaml

DEMO_PASSWORD = "vetted-demo"  # noqa: S105 — demo accounts on a developer's machine only

CONTENT_DIR = Path(__file__).resolve().parent / "content"
NAMES = ("USERS", "REVIEWER_PROFILES", "TOPICS", "REFERENCES", "GLOSSARY", "ARTICLES")


class DemoContentError(ValueError):
    """A demo content file is missing, is not YAML, or does not have the expected shape."""


# -- shapes ----------------------------------------------------------------------------------


class _Problem(Exception):
    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}" if where else message)


class ListOf:
    def __init__(self, item, unique: str | bool = False):
        self.item = item
        self.unique = unique  # a field of the items, or True for a list of scalars

    def check(self, value, where: str) -> None:
        _expect(value, list, where)
        seen = set()
        for number, item in enumerate(value, start=1):
            _check(item, self.item, f"{where}[{number}]")
            if self.unique:
                key = item[self.unique] if isinstance(self.unique, str) else item
                if key in seen:
                    field = f".{self.unique}" if isinstance(self.unique, str) else ""
                    raise _Problem(f"{where}[{number}]{field}", f"{key!r} appears more than once")
                seen.add(key)


class MapOf:
    def __init__(self, key: type, value, key_name: str):
        self.key, self.value, self.key_name = key, value, key_name

    def check(self, value, where: str) -> None:
        _expect(value, dict, where)
        for key, item in value.items():
            if type(key) is not self.key:
                raise _Problem(
                    where, f"the key {key!r} should be {self.key_name}, not {_kind(key)}"
                )
            _check(item, self.value, f"{where}.{key}")


class Record:
    def __init__(self, required: dict, optional: dict | None = None):
        self.required, self.optional = required, optional or {}

    def check(self, value, where: str) -> None:
        _expect(value, dict, where)
        fields = {**self.required, **self.optional}
        prefix = f"{where}." if where else ""
        for name in value:
            if name not in fields:
                raise _Problem(
                    f"{prefix}{name}", f"unknown field; expected one of {', '.join(fields)}"
                )
        for name, shape in fields.items():
            if name in value:
                _check(value[name], shape, f"{prefix}{name}")
            elif name in self.required:
                raise _Problem(f"{prefix}{name}", "missing")


_KINDS = {
    type(None): "nothing (an empty value)",
    bool: "true/false",
    int: "a whole number",
    float: "a number",
    str: "text",
    list: "a list",
    dict: "a mapping",
}


def _kind(value) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def _expect(value, kind: type, where: str) -> None:
    if type(value) is not kind:  # not isinstance: True is not a year
        raise _Problem(where, f"expected {_KINDS[kind]}, found {_kind(value)}")


def _check(value, shape, where: str) -> None:
    if isinstance(shape, type):
        _expect(value, shape, where)
    else:
        shape.check(value, where)


TEXT, WHOLE_NUMBER = str, int
POSITION = "a section position (a whole number)"
USER = Record(
    {
        "username": TEXT,
        "first_name": TEXT,
        "last_name": TEXT,
        "email": TEXT,
        "groups": ListOf(TEXT),
    }
)
REVIEWER_PROFILE = Record(
    {
        "username": TEXT,
        "slug": TEXT,
        "display_name": TEXT,
        "credentials": TEXT,
        "specialty": TEXT,
        "bio": TEXT,
        "disclosures": TEXT,
    }
)
PEOPLE_FILE = Record(
    {
        "users": ListOf(USER, unique="username"),
        "reviewer_profiles": ListOf(REVIEWER_PROFILE, unique="username"),
    }
)
TOPICS_FILE = ListOf(Record({"slug": TEXT, "name": TEXT, "description": TEXT}), unique="slug")
REFERENCES_FILE = ListOf(
    Record(
        {"key": TEXT, "kind": TEXT, "title": TEXT},
        {
            "authors": TEXT,
            "source": TEXT,
            "year": WHOLE_NUMBER,
            "doi": TEXT,
            "pmid": TEXT,
            "url": TEXT,
        },
    ),
    unique="key",
)
GLOSSARY_FILE = ListOf(
    Record({"term": TEXT, "synonyms": ListOf(TEXT), "definition": TEXT}), unique="term"
)
ARTICLES_FILE = ListOf(TEXT, unique=True)
VARIANT = Record(
    {},
    {
        "bottom_line": TEXT,
        "sections": MapOf(int, Record({"body": TEXT}, {"heading": TEXT}), POSITION),
    },
)
CHANGES_REQUESTED = Record(
    {
        "by": TEXT,
        "comment": TEXT,
        "earlier_sections": MapOf(
            int, Record({}, {"heading": TEXT, "kind": TEXT, "body": TEXT}), POSITION
        ),
    }
)
ARTICLE_FILE = Record(
    {
        "slug": TEXT,
        "topic": TEXT,
        "status": TEXT,
        "question_status": TEXT,
        "authors": ListOf(TEXT),
        "question": TEXT,
        "headline": TEXT,
        "bottom_line": TEXT,
        "sections": ListOf(Record({"heading": TEXT, "kind": TEXT, "body": TEXT})),
    },
    {
        "approval_comment": TEXT,
        "variants": MapOf(str, VARIANT, "a reader type slug"),
        "changes_requested": CHANGES_REQUESTED,
    },
)


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
        _check(value, shape, "")
    except _Problem as problem:
        raise DemoContentError(f"{_name(path)}: {problem}") from None
    return value


def load(directory: Path = CONTENT_DIR) -> dict[str, list]:
    """Read and check every file of the demo content in `directory`; {name: data}."""
    directory = Path(directory)
    people = _read(directory / "people.yaml", PEOPLE_FILE)
    order_file = directory / "articles.yaml"
    order = _read(order_file, ARTICLES_FILE)
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
    return {
        "USERS": people["users"],
        "REVIEWER_PROFILES": people["reviewer_profiles"],
        "TOPICS": _read(directory / "topics.yaml", TOPICS_FILE),
        "REFERENCES": _read(directory / "references.yaml", REFERENCES_FILE),
        "GLOSSARY": _read(directory / "glossary.yaml", GLOSSARY_FILE),
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

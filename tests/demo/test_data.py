"""demo.data: reading the YAML files and refusing malformed ones with a clear message.

No database: each test breaks one file of a copy of demo/content/ and reads the copy.
"""

import shutil

import pytest

from demo import data as demo_content
from demo.data import DemoContentError, load

from .helpers import DIABETES, HYPERTENSION


@pytest.fixture
def content(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(demo_content.CONTENT_DIR, copy)
    return copy


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def error(directory) -> str:
    with pytest.raises(DemoContentError) as raised:
        load(directory)
    return str(raised.value)


def test_the_module_names_are_the_files_as_read():
    fresh = load()
    for name in demo_content.NAMES:
        assert getattr(demo_content, name) == fresh[name], name
    assert demo_content.DEMO_PASSWORD == "vetted-demo"
    assert [a["slug"] for a in fresh["ARTICLES"]][0] == HYPERTENSION


def test_markdown_is_stored_as_written_with_one_final_newline():
    article = next(a for a in load()["ARTICLES"] if a["slug"] == HYPERTENSION)
    texts = [article["bottom_line"], *(s["body"] for s in article["sections"])]
    for variant in article["variants"].values():
        texts += [variant["bottom_line"], *(s["body"] for s in variant["sections"].values())]
    for text in texts:
        assert text.endswith("\n")
        assert not text.endswith("\n\n")
        assert text == text.lstrip()
    assert article["bottom_line"].startswith("Confirm the diagnosis with home or ambulatory")
    assert "\n| Clinic | Home |" in article["sections"][0]["body"]


def test_copy_reads_like_the_original(content):
    assert load(content) == load()


def test_file_that_is_not_yaml(content):
    (content / "glossary.yaml").write_text("- term: x\n  definition: [unclosed\n", "utf-8")
    message = error(content)
    assert "glossary.yaml: is not valid YAML" in message
    assert "line 3" in message


def test_empty_file(content):
    (content / "topics.yaml").write_text("# nothing yet\n", "utf-8")
    assert "topics.yaml: Input should be a valid list, found an empty value" in error(content)


def test_missing_file(content):
    (content / "people.yaml").unlink()
    assert "people.yaml: cannot be read" in error(content)


def test_value_of_the_wrong_type(content):
    edit(
        content / "references.yaml",
        "year: 2015\n  doi: 10.1056/NEJMoa1511939",
        "year: '2015'\n  doi: 10.1056/NEJMoa1511939",
    )
    assert "references.yaml: [4].year: Input should be a valid integer, found '2015'" in error(
        content
    )


def test_true_is_not_a_year(content):
    edit(
        content / "references.yaml",
        "year: 2015\n  doi: 10.1056/NEJMoa1511939",
        "year: true\n  doi: 10.1056/NEJMoa1511939",
    )
    assert "references.yaml: [4].year: Input should be a valid integer, found True" in error(
        content
    )


def test_optional_field_given_empty(content):
    edit(content / "references.yaml", "doi: 10.1056/NEJMoa1511939", "doi:")
    message = error(content)
    assert "references.yaml: [4].doi: Input should be a valid string, found an empty value" in (
        message
    )


def test_missing_field(content):
    edit(content / "topics.yaml", "  name: Diabetes\n", "")
    assert "topics.yaml: [3].name: Field required" in error(content)


def test_unknown_field(content):
    path = content / "articles" / f"{DIABETES}.yaml"
    edit(path, "\nbottom_line: |\n", "\nbottomline: |\n")
    message = error(content)
    assert (
        f"articles/{DIABETES}.yaml: bottom_line: Field required; "
        "bottomline: Extra inputs are not permitted"
    ) in message


def test_field_deep_in_an_article(content):
    path = content / "articles" / f"{HYPERTENSION}.yaml"
    edit(path, "  - heading: Confirm the diagnosis first\n", "  - heading: 12\n")
    message = error(content)
    assert (
        f"{HYPERTENSION}.yaml: sections[1].heading: Input should be a valid string, found 12"
        in (message)
    )


def test_section_position_must_be_a_whole_number(content):
    path = content / "articles" / f"{DIABETES}.yaml"
    edit(path, "\n      1:\n", "\n      '1':\n")
    message = error(content)
    assert (
        f"{DIABETES}.yaml: variants.patient.sections: the key '1': "
        "Input should be a valid integer, found '1'"
    ) in message


def test_key_given_twice_in_one_mapping(content):
    path = content / "articles" / f"{DIABETES}.yaml"
    edit(path, "\nstatus: submitted\n", "\nstatus: submitted\nstatus: approved\n")
    message = error(content)
    assert f"{DIABETES}.yaml: is not valid YAML" in message
    assert "found the key 'status' a second time" in message
    assert "line 6" in message


def test_natural_key_given_twice(content):
    edit(content / "topics.yaml", "- slug: diabetes\n", "- slug: hypertension\n")
    assert "topics.yaml: [3].slug: 'hypertension' appears more than once" in error(content)


def test_username_given_twice(content):
    edit(
        content / "people.yaml",
        "  - username: reviewer2\n    first_name:",
        "  - username: reviewer\n    first_name:",
    )
    assert "people.yaml: users[3].username: 'reviewer' appears more than once" in error(content)


def test_article_listed_twice(content):
    edit(
        content / "articles.yaml",
        f"- {DIABETES}\n",
        f"- {DIABETES}\n- {HYPERTENSION}\n",
    )
    assert f"articles.yaml: [4]: '{HYPERTENSION}' appears more than once" in error(content)


def test_article_file_not_listed(content):
    shutil.copy(content / "articles" / f"{DIABETES}.yaml", content / "articles" / "extra.yaml")
    message = error(content)
    assert "extra.yaml: not listed in articles.yaml" in message


def test_listed_article_without_a_file(content):
    (content / "articles" / f"{DIABETES}.yaml").unlink()
    assert f"articles.yaml: [3]: there is no articles/{DIABETES}.yaml" in error(content)


def test_article_slug_must_match_its_file_name(content):
    path = content / "articles" / f"{DIABETES}.yaml"
    edit(path, f"\nslug: {DIABETES}\n", "\nslug: something-else\n")
    message = error(content)
    assert f"{DIABETES}.yaml: slug: is “something-else”, but the file is named" in message

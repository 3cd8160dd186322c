"""The structure the code promises: apps depend one way only, each rule has one owner, and the
documentation reads the same table the code runs on."""

import ast
import re
from pathlib import Path

import pytest

from reviews import workflow

ROOT = Path(__file__).resolve().parent.parent
# Each app may import only the apps before it.
LAYERS = ["outbox", "references", "articles", "reviews", "accounts", "demo"]
APPS = {path.parent.name for path in ROOT.glob("*/apps.py")}
_MODEL_REFERENCE = re.compile(r"""["']([a-z_]+)\.[A-Z]\w*["']""")  # "app.Model" in a field


def python_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def dependencies(app: str) -> dict[str, list[str]]:
    """{other app: [where]} for every import of another app anywhere in `app` (inside
    functions too) and every string model reference ("other.Model")."""
    found: dict[str, list[str]] = {}
    for path in python_files(app):
        source = path.read_text(encoding="utf-8")
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(source)):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = _MODEL_REFERENCE.findall(f'"{node.value}"')
            for name in names:
                top = name.split(".")[0]
                if top in APPS and top != app:
                    found.setdefault(top, []).append(f"{where}:{node.lineno}")
    return found


def test_every_app_has_a_layer():
    assert set(LAYERS) == APPS


@pytest.mark.parametrize("app", LAYERS)
def test_apps_import_only_the_layers_below_them(app):
    below = set(LAYERS[: LAYERS.index(app)])
    upward = {other: where for other, where in dependencies(app).items() if other not in below}
    assert not upward, f"{app} reaches up to {upward}"


def test_no_cycle_between_apps():
    graph = {app: set(dependencies(app)) for app in APPS}

    def reaches(start, target, seen=()):
        return any(
            step == target or (step not in seen and reaches(step, target, (*seen, step)))
            for step in graph[start]
        )

    assert not [app for app in APPS if reaches(app, app)]


def test_the_import_check_finds_an_upward_import(tmp_path, monkeypatch):
    """The check above can fail: an import inside a function and a string model reference
    in a lower app are both caught."""
    app = tmp_path / "references"
    app.mkdir()
    (app / "apps.py").write_text("")
    (app / "admin.py").write_text(
        "def f():\n    from articles.models import Article\n"
        "x = models.ForeignKey('reviews.Thing', on_delete=None)\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert set(dependencies("references")) == {"articles", "reviews"}


def test_revision_json_is_read_in_one_module():
    """The stored shape of a revision has one owner, `articles/revisions.py`: its keys appear
    nowhere else in the code."""
    shape_keys = re.compile(r"""["']bottom_line_variants["']|\.content\[|\.content\.get\(""")
    elsewhere = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in python_files(app)
        if path.relative_to(ROOT).as_posix() != "articles/revisions.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if shape_keys.search(line)
    ]
    assert not elsewhere


def test_templates_compare_no_status_strings():
    statuses = "|".join(s.value for s in workflow.Status)
    comparison = re.compile(rf"""(==|!=)\s*["']({statuses})["']|["']({statuses})["']\s*(==|!=)""")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if comparison.search(line)
    ]
    assert not found


def test_readme_shows_the_workflow_table_the_code_runs_on():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert workflow.as_markdown() in readme


def test_review_form_offers_exactly_the_review_screen_transitions():
    from reviews.forms import ReviewActionForm

    offered = [value for value, _ in ReviewActionForm.ACTIONS]
    assert offered == [t.action for t in workflow.TRANSITIONS if t.on_review_screen]


def test_every_review_screen_transition_has_a_service():
    from reviews import services

    names = {"comment": "add_comment"}
    for transition in workflow.TRANSITIONS:
        name = names.get(transition.action, transition.action)
        if transition.action == "edit":
            name = "record_edit"
        assert callable(getattr(services, name, None)), transition.action

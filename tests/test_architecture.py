"""The layering and the one-place rules of DESIGN.md, checked on the source.

doluong_dialogue (shared helpers) <- petitions <- sessions <- conclusions: imports point down
(doluong_dialogue/urls.py, the URL root, is the one file that imports every app). Objects
users reach by id are reached through petitions/permissions.py. Templates ask what is allowed
(`actions`, model properties) instead of comparing status strings.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LAYERS = {"doluong_dialogue": 0, "petitions": 1, "sessions": 2, "conclusions": 3}
LABELS = {"dialogue_sessions": "sessions"}


def sources(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    apps = {name.split(".")[0] for name in names} & set(LAYERS)
    # apps.get_model("dialogue_sessions", ...) reaches an app as surely as an import.
    for label in re.findall(r"get_model\(\s*[\"'](\w+)[\"']", path.read_text(encoding="utf-8")):
        apps.add(LABELS.get(label, label))
    return apps


def test_imports_point_down_the_layers():
    upward = []
    for app, rank in LAYERS.items():
        for path in sources(app):
            if path == ROOT / "doluong_dialogue" / "urls.py":
                continue
            for other in imported_apps(path):
                if LAYERS.get(other, -1) > rank:
                    upward.append(f"{path.relative_to(ROOT)} imports {other}")
    assert upward == []


def test_objects_reached_by_id_go_through_the_access_helpers():
    direct = []
    for app in ("petitions", "sessions", "conclusions"):
        for path in sources(app):
            if path.name == "permissions.py":
                continue
            text = path.read_text(encoding="utf-8")
            if "get_object_or_404" in text or re.search(r"\.visible_to\(", text):
                direct.append(str(path.relative_to(ROOT)))
    assert direct == []


def test_templates_do_not_compare_status_strings():
    comparisons = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.(status|outcome)\s*[!=]=", line):
                comparisons.append(f"{path.relative_to(ROOT)}:{number}")
    assert comparisons == []


def test_no_template_needs_inline_script_or_style():
    inline = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "documents" in path.parts or "emails" in path.parts:
            continue  # PDFs and e-mails carry their own styles; no browser policy applies
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<style", r"\sstyle=", r"<script(?![^>]*\ssrc=)(?![^>]*application/json)"):
            if re.search(pattern, text):
                inline.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert inline == []


def test_nothing_outside_the_tests_replaces_the_clock():
    """Demo data and commands pass the day with `on=`; only tests set the clock."""
    replaced = []
    for app in LAYERS:
        for path in sources(app):
            text = path.read_text(encoding="utf-8")
            if re.search(r"\.(today|now)\s*=\s*lambda|setattr\([^)]*[\"'](today|now)[\"']", text):
                replaced.append(str(path.relative_to(ROOT)))
    assert replaced == []

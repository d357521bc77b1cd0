"""Every user-facing string has a Vietnamese translation.

makemessages runs on a copy of the source tree, so a string added without a
translation fails here, while the working tree stays untouched.
"""

import shutil
import subprocess
import sys

import pytest
from django.conf import settings

IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "var", "__pycache__", "*.mo", ".pytest_cache", ".ruff_cache", "*.egg-info"
)


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> str:
    tree = tmp_path_factory.mktemp("tree")
    for name in (
        "manage.py",
        "doluong_dialogue",
        "petitions",
        "sessions",
        "conclusions",
        "templates",
        "locale",
    ):
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=IGNORED)
        else:
            shutil.copy(source, tree / name)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "vi",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "doluong_dialogue.settings",
            "VAR_DIR": str(tree / "var"),
        },
    )
    return str(tree / "locale" / "vi" / "LC_MESSAGES" / "django.po")


def entries(po_file: str, *flags: str) -> str:
    result = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", po_file], capture_output=True, text=True, check=True
    )
    # The header is an entry with an empty msgid; keep only real messages.
    return "\n".join(
        line for line in result.stdout.split("\n\n") if 'msgid ""\nmsgstr ""\n"' not in line
    ).strip()


def test_no_message_is_left_untranslated(fresh_catalogue):
    assert entries(fresh_catalogue, "--untranslated") == ""


def test_no_translation_is_fuzzy(fresh_catalogue):
    assert entries(fresh_catalogue, "--only-fuzzy") == ""


def test_the_committed_catalogue_is_up_to_date(fresh_catalogue):
    def messages(path: str) -> set[str]:
        output = subprocess.run(
            ["msgattrib", "--no-obsolete", "--no-wrap", "--no-location", path],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return {line for line in output.splitlines() if line.startswith("msgid ")}

    committed = str(settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    assert messages(fresh_catalogue) == messages(committed)

"""The accessibility check the browser journeys run on every page they visit.

axe-core is the engine (pinned in package.json; ./dev test runs npm ci). A page fails on
any violation axe rates serious or critical; moderate and minor ones are not checked.
"""

from pathlib import Path

import pytest
from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")


def violations(page) -> list[dict]:
    """axe's serious and critical violations on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run ./dev test, which installs it with npm ci")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated by the test, not added as an inline <script>: the page's
        # Content-Security-Policy (nothing inline) stays as it is for the check.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [found for found in results["violations"] if found["impact"] in FAILING_IMPACTS]


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("    " + node["failureSummary"].replace("\n", "\n    "))
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail listing every serious or critical violation: its rule, elements and help."""
    found = violations(page)
    if found:
        pytest.fail(
            f"{page.url} has {len(found)} accessibility violation(s):\n{describe(found)}",
            pytrace=False,
        )

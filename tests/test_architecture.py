"""The rules of docs/architecture.md that import-linter cannot state (its contracts are in pyproject.toml)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_charts_import_nothing_of_the_database():
    charts = sorted((ROOT / "assessments" / "reports" / "charts").glob("*.py"))
    assert charts
    for path in charts:
        assert not {m for m in imported_modules(path) if m == "django.db" or m.startswith("django.db.")}, path


def test_views_run_no_query_of_their_own():
    """A view module that imports no model and nothing of django.db cannot build a query itself."""
    views = [
        *ROOT.glob("assessments/views/*.py"),
        *ROOT.glob("assessments/actions/views/*.py"),
        *ROOT.glob("assessments/reports/views/*.py"),
        ROOT / "drivers" / "views.py",
    ]
    assert len(views) > 8
    for path in views:
        imported = imported_modules(path)
        assert not {m for m in imported if m.endswith(".models") or m.startswith("django.db")}, path

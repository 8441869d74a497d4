"""search/ is infrastructure: it imports no domain app; the apps register with it."""

import ast
from pathlib import Path

import search
from search.registry import public_types, staff_types

DOMAIN_APPS = {"education", "honours", "merchants", "services", "demo"}
SEARCH_DIR = Path(search.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_search_imports_no_domain_app():
    offenders = {
        f"{path.relative_to(SEARCH_DIR.parent)} imports {module}"
        for path in SEARCH_DIR.rglob("*.py")
        if "migrations" not in path.parts
        for module in _imported_modules(path)
        if module.split(".")[0] in DOMAIN_APPS
    }
    assert not offenders, sorted(offenders)


def test_the_import_check_would_catch_one(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from services.models import ServiceRequest\nimport merchants\n")
    assert _imported_modules(module) == {"services.models", "merchants"}


def test_the_apps_registered_what_they_make_searchable():
    assert [t.key for t in public_types()] == [
        "guide",
        "article",
        "activity",
        "honour",
        "merchant",
        "service_point",
        "document",
        "page",
    ]
    assert [t.key for t in staff_types()] == ["service_request"]

"""Dependencies run one way: ``articles`` may import ``salaries``, never the reverse."""

import ast
from pathlib import Path

import salaries

APP = Path(salaries.__file__).parent


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_the_salaries_app_never_imports_the_articles_app():
    offenders = {
        str(path.relative_to(APP)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "articles"
        )
        for path in APP.rglob("*.py")
        if "tests" not in path.relative_to(APP).parts
    }
    assert {path: names for path, names in offenders.items() if names} == {}

"""The layers of DESIGN.md §5 are checked by ``lint-imports`` (``.importlinter``, run by ``make test``),
which sees function-level imports as well as module-level ones. This test keeps the other half of
the rule: an import inside a function is not a way round a cycle. Apps register their content from
``AppConfig.ready()`` (that is where the app registry allows it), and a few imports are lazy on
purpose; everything else imports at module level."""

import ast
from pathlib import Path

import lijian

SRC = Path(lijian.__file__).parent

# Lazy on purpose, not to dodge a cycle: importing the WSGI application loads every app, which the
# command does only once it has prepared the server.
LAZY = {("core/management/commands/serve.py", "lijian.wsgi")}


def _function_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            else:
                continue
            if module.startswith((".", "lijian")):
                yield function.name, node.lineno, module


def test_no_function_level_import_of_the_project_outside_app_registration():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in relative:
            continue  # a migration's RunPython reads the code of its moment
        for function, line, module in _function_imports(path):
            if path.name == "apps.py" and function == "ready":
                continue
            if (relative, module) in LAZY:
                continue
            found.append(f"{relative}:{line} {module} (in {function})")
    assert found == []

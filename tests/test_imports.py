"""Imports flow one way: no module imports one that (directly or not) imports it back.

The check reads the import statements (module level and inside functions: a
run-time import is still a dependency) and looks for strongly connected groups.
A few circles remain outside the core; they are listed here so that no new one
appears unnoticed and each removed one is struck off.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import redthread

PACKAGE = Path(redthread.__file__).parent
#: Circles still there (each through a run-time import; registries and lazy back-ends).
KNOWN: set[frozenset[str]] = set()


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in PACKAGE.rglob("*.py") if "node_modules" not in p.parts}


def _imports(path: Path, *, module_level: bool) -> set[str]:
    """Our modules that ``path`` imports (``TYPE_CHECKING`` blocks left out: they never run)."""
    me = _name(path)
    package = me.split(".") if path.name == "__init__.py" else me.split(".")[:-1]
    found: set[str] = set()

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import | ast.ImportFrom) and not (module_level and inner):
                if isinstance(child, ast.Import):
                    names = [a.name for a in child.names]
                else:
                    base = child.module or ""
                    if child.level:
                        base = ".".join(package[:len(package) - child.level + 1] + ([base] if base else []))
                    names = [base, *(f"{base}.{a.name}" for a in child.names)]
                found.update(n for n in names if n in MODULES and n != me)
            visit(child, inner)

    visit(ast.parse(path.read_text("utf-8")), False)
    return found


def _circles(module_level: bool) -> set[frozenset[str]]:
    return _strongly_connected({m: _imports(p, module_level=module_level) for m, p in MODULES.items()})


def _strongly_connected(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Strongly connected groups of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: set[frozenset[str]] = set()

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                out.add(frozenset(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in graph:
        if v not in index:
            connect(v)
    return out


def test_the_check_sees_imports_and_circles() -> None:
    assert "redthread.analyze.ownership" in _imports(PACKAGE / "analyze" / "views.py", module_level=True)
    assert "redthread.monitor.decisions" not in _imports(PACKAGE / "monitor" / "alerts.py", module_level=False)
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset("abc")}


def test_no_circle_at_module_level() -> None:
    assert _circles(module_level=True) == set()


def test_no_new_circle_through_run_time_imports() -> None:
    circles = _circles(module_level=False)
    assert circles <= KNOWN, sorted(sorted(c) for c in circles - KNOWN)
    assert KNOWN <= circles, "a listed circle is gone: strike it off KNOWN"
    core = {"redthread.analyze.graph", "redthread.analyze.ownership", "redthread.screen.index",
            "redthread.screen.persist", "redthread.monitor.alerts", "redthread.monitor.decisions",
            "redthread.export", "redthread.export.base", "redthread.report.brief", "redthread.report.sections"}
    assert not any(core & c for c in circles)


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    """All modules, imported in a new process in name order: none is broken or needs another imported first."""
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    done = subprocess.run([sys.executable, "-c", script, *sorted(MODULES)], capture_output=True, text=True,
                          timeout=600, cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stderr[-2000:]

"""The ``redthread`` command: a thin Typer shell over the library.

Each command module in :mod:`redthread.commands` exposes ``register(app)``;
they are discovered here so that capabilities can be added without touching
this file. Commands parse input, call one library function, format output.

A run imports only the command module that declares the command asked for
(read from the modules' source, not by importing them): importing all of
them pulls the analyses, screening and monitoring, about a second of CPU
that ``redthread extract`` spent before its first document. ``--help``, an
unknown command and ``from redthread.cli import app`` register every module.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from functools import cache
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from redthread import __version__
from redthread.errors import RedthreadError

_app = typer.Typer(
    name="redthread",
    help="Map the supply networks behind sanctions evasion, every fact sourced.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        console.print(f"redthread {__version__}")
        raise typer.Exit()


@_app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """redthread: a sourced evidence graph of sanctions-evasion networks."""


_registered: set[str] = set()


@cache
def _modules() -> dict[str, Path]:
    """The command modules by name, in name order (``_common`` and other private modules left out)."""
    import redthread.commands as pkg

    infos = sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name)
    return {i.name: Path(pkg.__path__[0]) / f"{i.name}.py" for i in infos if not i.name.startswith("_")}


def declared_commands(path: Path) -> set[str]:
    """The top-level command names a command module's ``register(app)`` declares, read from its source.

    Covers the forms the modules use: ``@app.command()`` on a function (its name, ``_`` as ``-``),
    ``@app.command("name")`` or ``name=``, ``app.command("name")(fn)`` and ``app.add_typer(sub, name=...)``.
    tests/test_cli_lazy.py checks the result against what each module really registers.
    """
    names: set[str] = set()

    def called_on_app(node: ast.AST, method: str) -> ast.Call | None:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "app"):
            return node
        return None

    def given_name(call: ast.Call) -> str | None:
        for arg in [*call.args[:1], *(k.value for k in call.keywords if k.arg == "name")]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                return arg.value
        return None

    def from_function(name: str) -> str:
        return name.lower().replace("_", "-")

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for dec in node.decorator_list:
                if (call := called_on_app(dec, "command")) is not None:
                    names.add(given_name(call) or from_function(node.name))
        elif isinstance(node, ast.Call):
            if (call := called_on_app(node.func, "command")) is not None:  # app.command("x")(fn)
                fn = node.args[0] if node.args else None
                named = given_name(call) or (from_function(fn.id) if isinstance(fn, ast.Name) else None)
                if named:
                    names.add(named)
            elif (call := called_on_app(node, "add_typer")) is not None and (named := given_name(call)):
                names.add(named)
    return names


def _discover(command: str | None = None) -> None:
    """Register the module that declares ``command``; every module when it is None or unknown."""
    modules = _modules()
    wanted = [m for m, path in modules.items() if command and command in declared_commands(path)]
    for name in wanted or list(modules):
        if name not in _registered:
            _registered.add(name)
            importlib.import_module(f"redthread.commands.{name}").register(_app)


def __getattr__(name: str) -> Any:
    """``app``: the Typer application with every command registered (tests, docs)."""
    if name == "app":
        _discover()
        return _app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Entry point: run the app, turning deliberate errors into clean exits."""
    args = sys.argv[1:]
    _discover(args[0] if args and not args[0].startswith("-") else None)
    try:
        _app(standalone_mode=False)
    except RedthreadError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except Exception as exc:  # usage errors (a mistyped option): one line, not a traceback
        # Typer ships its own copy of click, so its exceptions are not click's: test by shape.
        show = getattr(exc, "show", None)
        if callable(show) and isinstance(getattr(exc, "exit_code", None), int):
            show()
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        raise


if __name__ == "__main__":  # pragma: no cover
    main()

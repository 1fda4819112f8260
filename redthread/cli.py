"""The ``redthread`` command: a thin Typer shell over the library.

Each command module in :mod:`redthread.commands` exposes ``register(app)``;
they are discovered here so that capabilities can be added without touching
this file. Commands parse input, call one library function, format output.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from rich.console import Console
from rich.markup import escape

from redthread import __version__
from redthread.errors import RedthreadError

app = typer.Typer(
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


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """redthread: a sourced evidence graph of sanctions-evasion networks."""


def _discover() -> None:
    import redthread.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"redthread.commands.{info.name}")
        module.register(app)


_discover()


def main() -> None:
    """Entry point: run the app, turning deliberate errors into clean exits."""
    try:
        app(standalone_mode=False)
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

"""``redthread serve``: the HTTP API and web UI."""

from __future__ import annotations

import os
import threading
import time

import typer

from redthread.commands._common import console, err_console


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
        port: int = typer.Option(8000, "--port", "-p", help="TCP port."),
        store_url: str | None = typer.Option(None, "--store", help="Store URL (default: REDTHREAD_STORE)."),
    ) -> None:
        """Serve the web UI at / and the API (OpenAPI docs at /docs)."""
        import uvicorn

        from redthread import settings
        from redthread.api.app import create_app
        from redthread.case import open_case

        # Screening warms in the background while the server starts (/readyz: warming, then ok).
        application = create_app(store_url, warm=settings.serve_warmup())
        with open_case(application.state.store_url) as c:
            locked = c.keys.any_created()
        if locked:
            console.print("API keys exist: every request must send `Authorization: ApiKey <key>`.")
        else:
            err_console.print(
                "[yellow]no API key exists yet: only loopback requests (127.0.0.1, ::1) are served, "
                "read only.[/] Create one with `redthread keys create --role analyst` to write or to open "
                "the server to others (or set REDTHREAD_LOOPBACK_WRITES=1 for keyless local writes)."
            )
        console.print(f"redthread at http://{host}:{port}/  (API docs at /docs)")
        # A bounded graceful shutdown: requests still open after the grace are cancelled.
        grace = settings.shutdown_grace_seconds()
        uvicorn.run(application, host=host, port=port, log_level="info", timeout_graceful_shutdown=grace)
        # uvicorn cancels the requests left after the grace, but a synchronous route runs in a
        # worker thread that a cancel does not stop, and Python waits for such threads at exit.
        left = stragglers(grace)
        if left:
            err_console.print(f"[yellow]stopping with {len(left)} request thread(s) still running[/] "
                              "(their store writes are transactions: rolled back, none half-written)")
            os._exit(0)


def stragglers(wait_s: float) -> list[str]:
    """Names of the non-daemon threads (other than this one) still alive after ``wait_s`` seconds.

    They are what would keep the process alive after the server stopped.
    """
    deadline = time.monotonic() + wait_s
    for thread in threading.enumerate():
        if thread is threading.current_thread() or thread.daemon:
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
    return [t.name for t in threading.enumerate()
            if t is not threading.current_thread() and not t.daemon and t.is_alive()]

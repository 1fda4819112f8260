"""watchlist add/list/show/remove, rescreen, refresh, alerts, triage, audit export/verify."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import typer
from rich.table import Table

from redthread.commands._common import case, console, err_console
from redthread.errors import RedthreadError
from redthread.monitor import MonitorDB, hook
from redthread.monitor import alerts as alerts_mod
from redthread.monitor import audit as audit_mod
from redthread.monitor import decisions as decisions_mod
from redthread.monitor import rescreen as rescreen_mod
from redthread.monitor import watchlist as watchlist_mod
from redthread.screen.matching import DEFAULT_THRESHOLD
from redthread.screen.scorers import DEFAULT


def _db() -> MonitorDB:
    return case().monitor


def _print_run(run: rescreen_mod.RunResult) -> None:
    err_console.print(f"watchlist {run.watchlist}: {run.mode} run {run.run_id}, {run.changed_entities} changed "
                      f"entit(ies), {run.screened_rows} row(s) screened, {run.pairs_scored} pair(s) scored, "
                      f"{len(run.alerts)} alert(s) in {run.seconds:.1f} s", highlight=False)


def report_after_load() -> None:
    """Say what the re-screening after a load did (``redthread ingest`` calls this)."""
    for run in hook.LAST.get("runs", []):
        _print_run(run)
    if "error" in hook.LAST:
        err_console.print(f"[yellow]re-screening failed:[/] {hook.LAST['error']}", highlight=False)


def wl_add_cmd(
    name: str = typer.Argument(..., help="Watchlist name."),
    file: Path = typer.Option(..., "--file", "-f", help="Counterparties CSV (column 'name', ...) or FtM JSON lines."),
    dataset: str | None = typer.Option(None, "--dataset", "-d", help="Screen only against this dataset."),
    threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold", help="Score that counts as a match."),
    algorithm: str = typer.Option(DEFAULT, "--algorithm", help="Scoring algorithm (versioned)."),
    four_eyes: bool = typer.Option(False, "--four-eyes", help="Final decisions need a second reviewer."),
    webhook: str | None = typer.Option(None, "--webhook", help="POST each new alert to this URL."),
    command: str | None = typer.Option(None, "--command", help="Run this command per new alert (JSON on stdin)."),
    user: str = typer.Option("", "--user", "-u", help="Who does this (audit trail)."),
    no_screen: bool = typer.Option(False, "--no-screen", help="Do not screen now (the next load or run will)."),
) -> None:
    """Create or update a watchlist from a file, then screen its new or changed rows."""
    db = _db()
    counts, errors = watchlist_mod.add(db, name, file, actor=user or hook.default_actor(), dataset=dataset,
                                       threshold=threshold, algorithm=algorithm, four_eyes=four_eyes,
                                       webhook=webhook, command=command)
    for err in errors:
        err_console.print(f"[yellow]skipped[/] {err.location_message()}", highlight=False)
    console.print(f"watchlist {name}: {counts['added']} added, {counts['changed']} changed, "
                  f"{counts['removed']} removed, {counts['unchanged']} unchanged", highlight=False)
    if not no_screen:
        _print_run(rescreen_mod.run(db, name, actor=user or hook.default_actor(), trigger="watchlist"))


def wl_list_cmd(json_out: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
    """The watchlists, with their settings and row counts."""
    items = watchlist_mod.list_all(_db())
    if json_out:
        print(orjson.dumps([w.to_dict() for w in items]).decode())
        return
    table = Table("name", "rows", "dataset", "threshold", "algorithm", "four eyes", "created")
    for w in items:
        table.add_row(w.name, str(w.rows), w.dataset or "all", f"{w.threshold:.2f}", w.algorithm,
                      "yes" if w.four_eyes else "", w.created_at)
    console.print(table)


def wl_show_cmd(
    name: str,
    json_out: bool = typer.Option(False, "--json", help="JSON output."),
    limit: int = typer.Option(50, "--limit", "-n", help="Rows to show."),
) -> None:
    """A watchlist's settings, rows and current matches."""
    db = _db()
    w = watchlist_mod.get(db, name)
    rows = watchlist_mod.rows(db, name)
    matches = db.query("SELECT row_id, entity_id, score, blocked FROM monitor_pairs WHERE watchlist = ? "
                       "AND matched = 1 ORDER BY row_id, score DESC", (name,))
    by_row: dict[str, list[dict[str, object]]] = {}
    for r in matches:
        by_row.setdefault(r[0], []).append({"entity_id": r[1], "score": r[2], "blocked": bool(r[3])})
    if json_out:
        print(orjson.dumps({**w.to_dict(), "rows": [
            {"id": cp.row_id, "name": cp.name, "schema": cp.schema, "columns": cp.columns,
             "matches": by_row.get(cp.row_id, [])} for cp in rows[:limit]]}).decode())
        return
    console.print(f"[bold]{w.name}[/]: {w.rows} row(s), dataset {w.dataset or 'all'}, threshold "
                  f"{w.threshold}, {w.algorithm}{', four eyes' if w.four_eyes else ''}", highlight=False)
    table = Table("id", "name", "schema", "matches")
    for cp in rows[:limit]:
        hits = ", ".join(f"{m['entity_id']} {m['score']:.2f}{' blocked' if m['blocked'] else ''}"
                         for m in by_row.get(cp.row_id, []))
        table.add_row(cp.row_id, cp.name, cp.schema, hits)
    console.print(table)


def wl_remove_cmd(name: str, user: str = typer.Option("", "--user", "-u")) -> None:
    """Drop a watchlist (its alerts, decisions and audit entries are kept)."""
    out = watchlist_mod.remove(_db(), name, actor=user or hook.default_actor())
    console.print(f"removed watchlist {name} ({out['rows']} row(s))")


def rescreen_cmd(
    name: str | None = typer.Argument(None, help="One watchlist (default: all)."),
    full: bool = typer.Option(False, "--full", help="Screen everything again, not only what changed."),
    user: str = typer.Option("", "--user", "-u"),
    json_out: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Re-screen watchlists now (loads do this by themselves)."""
    db = _db()
    names = [name] if name else [w.name for w in watchlist_mod.list_all(db)]
    runs = [rescreen_mod.run(db, n, actor=user or hook.default_actor(), full=full) for n in names]
    if json_out:
        print(orjson.dumps([r.to_dict() for r in runs]).decode())
        return
    for r in runs:
        _print_run(r)


def refresh_cmd(
    config: Path | None = typer.Option(None, "--config", "-c", help="Refresh YAML (default <home>/refresh.yaml)."),
    user: str = typer.Option("", "--user", "-u"),
) -> None:
    """Re-read the configured list files, load what changed, re-screen every watchlist (for cron)."""
    result = hook.refresh(case().store, config, actor=user)
    hook.forget_last()
    for load in result.loads:
        note = "unchanged" if load.unchanged else f"+{load.added} -{load.removed} ={load.kept}"
        console.print(f"{load.dataset} {load.source}: {note}", highlight=False)
    for err in result.errors:
        err_console.print(f"[yellow]not loaded[/] {err}", highlight=False)
    for run in result.runs:
        _print_run(run)
    if result.errors:
        raise typer.Exit(1)


def alerts_cmd(
    watchlist: str | None = typer.Option(None, "--watchlist", "-w"),
    status: str | None = typer.Option(None, "--status", "-s", help="open, pending, needs_review, true_match, false_positive."),
    kind: str | None = typer.Option(None, "--kind", "-k", help=", ".join(alerts_mod.KINDS)),
    alert_id: int | None = typer.Option(None, "--id", help="One alert, with its decisions."),
    limit: int = typer.Option(200, "--limit", "-n"),
    json_out: bool = typer.Option(False, "--json", help="JSON lines, one alert per line."),
) -> None:
    """List alerts, newest first."""
    db = _db()
    items = [alerts_mod.get_alert(db, alert_id)] if alert_id is not None else alerts_mod.list_alerts(
        db, watchlist=watchlist, status=status, kind=kind, limit=limit)
    if json_out:
        for a in items:
            sys.stdout.write(orjson.dumps(a).decode() + "\n")
        return
    table = Table("id", "watchlist", "kind", "counterparty", "entity", "score", "status", "list version")
    for a in items:
        note = a["evidence"].get("reason") or a["evidence"].get("direction") or ""
        table.add_row(str(a["id"]), a["watchlist"], a["kind"] + (f" ({note})" if note else ""),
                      f"{a['row_name']}\n[dim]{a['row_id']}[/]", f"{a['entity_caption']}\n[dim]{a['entity_id']}[/]",
                      "" if a["score"] is None else f"{a['score']:.3f}", a["status"],
                      f"load {a['load_id']} {a['list_date'] or ''}")
    console.print(table)


def triage_cmd(
    alert_id: int = typer.Argument(..., help="The alert."),
    decision: str = typer.Argument(..., help="true_match, false_positive or needs_review."),
    note: str = typer.Option("", "--note", help="Why."),
    user: str = typer.Option("", "--user", "-u", help="Reviewer (default $REDTHREAD_USER or $USER)."),
    confirm: bool = typer.Option(False, "--confirm", help="Confirm a pending decision (four eyes)."),
) -> None:
    """Decide an alert; with four eyes a second reviewer confirms with --confirm."""
    alert = decisions_mod.decide(_db(), alert_id, decision, actor=user or hook.default_actor(), note=note,
                                 confirm=confirm)
    console.print(f"alert {alert_id}: {alert['status']}", highlight=False)


def audit_export_cmd(
    output: Path | None = typer.Option(None, "--output", "-o", help="File (default stdout)."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="jsonl (default) or csv."),
    watchlist: str | None = typer.Option(None, "--watchlist", "-w"),
) -> None:
    """Write the audit trail as JSON lines or CSV."""
    db = _db()
    if output is None:
        n = audit_mod.export(db, sys.stdout, fmt or "jsonl", watchlist)
    else:
        n = audit_mod.export_file(db, output, fmt, watchlist)
    err_console.print(f"exported {n} audit entr{'y' if n == 1 else 'ies'}")


def audit_verify_cmd() -> None:
    """Check the audit trail's hash chain (exit 1 when an entry was altered)."""
    problems = audit_mod.verify(_db())
    for p in problems:
        err_console.print(f"[red]{p}[/]", highlight=False)
    if problems:
        raise RedthreadError(f"audit trail altered: {len(problems)} problem(s)")
    console.print("audit trail intact")


def register(app: typer.Typer) -> None:
    wl_app = typer.Typer(help="Named portfolios of counterparties, re-screened on every list update.",
                         no_args_is_help=True)
    audit_app = typer.Typer(help="The append-only audit trail of screening and decisions.", no_args_is_help=True)
    app.add_typer(wl_app, name="watchlist")
    app.add_typer(audit_app, name="audit")
    wl_app.command("add")(wl_add_cmd)
    wl_app.command("list")(wl_list_cmd)
    wl_app.command("show")(wl_show_cmd)
    wl_app.command("remove")(wl_remove_cmd)
    app.command("rescreen")(rescreen_cmd)
    app.command("refresh")(refresh_cmd)
    app.command("alerts")(alerts_cmd)
    app.command("triage")(triage_cmd)
    audit_app.command("export")(audit_export_cmd)
    audit_app.command("verify")(audit_verify_cmd)

"""flows, capacity, impact: trade records as flows, production capacity, designation impact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import typer
from rich.table import Table

from redthread.commands._common import console, err_console, esc, resolve_entity, store
from redthread.model.analysis import BuyerImpact, Impact


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return esc(value)  # party names come from customs files


def print_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str = "") -> None:
    """A Rich table of ``rows`` showing ``columns`` (party ids shown by name)."""
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*[_fmt(row.get(f"{c}_name", row.get(c))) for c in columns])
    console.print(table)


def print_json(data: Any) -> None:
    print(orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode())


def flows_cmd(
    by: str = typer.Option("supplier,buyer", "--by", help="Dimensions, comma-separated: supplier, buyer, "
                           "declarant, hs, hs4, hs6, chapter, chpl_tier, month, year, route, origin, destination."),
    chpl_only: bool = typer.Option(False, "--chpl-only", help="Only goods on the Common High Priority List."),
    date_from: str | None = typer.Option(None, "--from", help="First date (YYYY-MM-DD), inclusive."),
    date_to: str | None = typer.Option(None, "--to", help="Last date (YYYY-MM-DD), inclusive."),
    top: int | None = typer.Option(20, "--top", "-n", help="Largest N rows (0: all)."),
    entrants: bool = typer.Option(False, "--entrants", help="New entrants (buyers first seen in the last "
                                  "6 months, or since --from) instead of aggregates."),
    spikes_: bool = typer.Option(False, "--spikes", help="Months where a buyer's value spikes against its "
                                 "own history."),
    chains: bool = typer.Option(False, "--chains", help="Re-export chains A -> B -> C (same HS-4, similar "
                                "value, within --days)."),
    role: str = typer.Option("buyer", "--role", help="For --entrants/--spikes: buyer or supplier."),
    days: int = typer.Option(30, "--days", help="For --chains: most days between the two shipments."),
    chart: Path | None = typer.Option(None, "--chart", help="Also draw a chart (.svg or .png): flows over "
                                      "time, or a Sankey of the chains with --chains."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
    json_out: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Trade flows: aggregates by any dimensions, new entrants, spikes, re-export chains."""
    from redthread.trade import patterns
    from redthread.trade.flows import flows as flow_rows

    st = store()
    n = top or None
    if entrants:
        rows = patterns.new_entrants(st, since=date_from, role=role, chpl_only=chpl_only, top=n, engine=engine)
        cols = ["party", "first_date", "records", "counterparties", "value_usd"]
        title = f"new {role}s"
    elif spikes_:
        rows = patterns.spikes(st, role=role, chpl_only=chpl_only, top=n, engine=engine)
        cols = ["party", "month", "value_usd", "baseline_usd", "ratio"]
        title = f"{role} spikes"
    elif chains:
        rows = patterns.reexport_chains(st, max_days=days, chpl_only=chpl_only, date_from=date_from,
                                        date_to=date_to, top=n, engine=engine)
        cols = ["supplier", "intermediary", "buyer", "hs4", "days", "in_usd", "out_usd", "in_row", "out_row"]
        title = "re-export chains"
    else:
        rows = flow_rows(st, by, chpl_only=chpl_only, date_from=date_from, date_to=date_to, top=n,
                         engine=engine)
        cols = [b.strip() for b in by.split(",")] + ["value_usd", "records", "first_date", "last_date"]
        title = "trade flows (USD)"
    if chart is not None:
        from redthread.trade import charts

        if chains:
            charts.sankey(rows, chart)
        else:
            charts.flow_chart(st, chart, chpl_only=chpl_only, date_from=date_from, date_to=date_to)
        err_console.print(f"chart written to {chart}")
    if json_out:
        print_json(rows)
        return
    print_rows(rows, cols, title)


def capacity_cmd(
    buyer: str = typer.Argument(..., help="Buyer: entity id or name."),
    bom: Path = typer.Option(..., "--bom", help="Bill of materials YAML (see docs/trade.md)."),
    date_from: str | None = typer.Option(None, "--from", help="First date (YYYY-MM-DD)."),
    date_to: str | None = typer.Option(None, "--to", help="Last date (YYYY-MM-DD)."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
    json_out: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Units per month the component flows into BUYER could support; what binds; claims in documents."""
    from redthread.trade.capacity import capacity as estimate

    st = store()
    result = estimate(st, resolve_entity(st, buyer), bom, date_from=date_from, date_to=date_to, engine=engine)
    if json_out:
        print_json(result)
        return
    console.print(f"[bold]{esc(result['buyer_name'])}[/] · {esc(result['product'])} · "
                  f"{result['months']} month(s) {esc(result['period'] or '')}")
    print_rows(result["components"], ["name", "per_unit", "records", "value_usd", "units_per_month",
                                      "supported_per_month", "recent_supported_per_month", "peak_month",
                                      "peak_supported"], "components")
    if result["missing"]:
        console.print(f"[yellow]no recorded flows for: {esc(', '.join(result['missing']))}[/] "
                      "(they may come from other suppliers or stock)")
    if result["binding"]:
        console.print(f"binding component: [bold]{esc(result['binding'])}[/] → about "
                      f"{result['supported_per_month']:,.0f} units/month on average, "
                      f"{result['recent_supported_per_month']:,.0f} recently, "
                      f"at most {result['peak_supported']:,.0f} in the best month")
    for claim in result["claims"]:
        ratio = f"{claim['ratio']:.1f}× the supported rate" if claim["ratio"] else "no flows to compare"
        near = "" if claim["near"] else " [dim](buyer not named nearby)[/]"
        console.print(esc(f"claim: “{claim['quote']}” — {claim['title'] or claim['document']}: {ratio}") + near)


def impact_cmd(
    top: int | None = typer.Option(20, "--top", "-n", help="Largest N parties (0: all)."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
    owned: bool = typer.Option(True, "--owned/--listed-only", help="Count parties owned 50 % or more by "
                               "sanctioned ones (the 50 % rule) as sanctioned end users too."),
    buyers: bool = typer.Option(False, "--buyers", help="Only the buyers: not-yet-sanctioned buyers of CHPL "
                                "goods with red flags, by value received (with --json: their rows)."),
    bom: Path | None = typer.Option(None, "--bom", help="Bill of materials YAML: adds each buyer's "
                                    "estimated capacity (units a month)."),
    json_out: bool = typer.Option(False, "--json", help="JSON output (the supplier ranking; --buyers: buyers)."),
) -> None:
    """Rank not-yet-sanctioned parties whose designation would cut the most: suppliers by the
    (CHPL-weighted) flow they carry to sanctioned buyers, then buyers of CHPL goods with red flags."""
    from redthread.trade.buyers import buyer_impact
    from redthread.trade.impact import impact as rank

    st = store()
    if buyers or not json_out:
        buyer_rows = buyer_impact(st, top=top or None, bom=bom, owned=owned)
    if json_out:
        print_json(buyer_rows if buyers else rank(st, top=top or None, engine=engine, owned=owned))
        return
    if not buyers:
        print_supplier_impact(rank(st, top=top or None, engine=engine, owned=owned))
    print_buyer_impact(buyer_rows)


def register(app: typer.Typer) -> None:
    app.command("flows")(flows_cmd)
    app.command("capacity")(capacity_cmd)
    app.command("impact")(impact_cmd)


def _usd(value: float | None) -> str:
    """$6.0 M, $850 k: the size of a figure at a glance."""
    v = float(value or 0.0)
    for size, unit in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if abs(v) >= size:
            return f"${v / size:.1f}{unit}"
    return f"${v:,.0f}"


def print_supplier_impact(rows: list[Impact]) -> None:
    """The supplier ranking, then the evidence behind each rank (its links and their largest records)."""
    if not rows:
        console.print("no trade flow reaches a sanctioned party (load sanctions lists and resolve parties)")
        return
    shown = [{**row, "cut_pct": 100.0 * row["cut_share"], "reaches": ", ".join(row["sanctioned_buyers"]),
              "min_cut": "yes" if row["in_min_cut"] else ""} for row in rows]
    print_rows(shown, ["name", "cut_usd", "cut_pct", "through_usd", "direct_usd", "min_cut", "reaches"],
               "designation impact: suppliers (CHPL-weighted USD)")
    console.print("[bold]why[/] (each party's largest trade links toward sanctioned buyers, with their largest record)")
    for i, row in enumerate(rows, 1):
        links = [*row["evidence"]["out"], *row["evidence"]["in"]]
        said = "; ".join(f"{e['supplier_name']} → {e['buyer_name']} {_usd(e['value_usd'])} in {e['records']} "
                         f"record(s), largest {e['largest_record']}" for e in links)
        console.print(esc(f"{i}. {row['name']}: {said or 'no direct link'}"))


def print_buyer_impact(rows: list[BuyerImpact]) -> None:
    """Buyers of CHPL goods with red flags, then why each ranks: suppliers, flags, capacity."""
    if not rows:
        console.print("no buyer of CHPL goods has a red flag")
        return
    table = Table("#", "buyer", "CHPL goods", "all goods", "capacity/month", "red flags", "sanctioned or blocked parties named",
                  title="designation impact: buyers of CHPL goods with red flags (USD)")
    for i, row in enumerate(rows, 1):
        counts: dict[str, int] = {}
        for flag in row["flags"]:
            counts[flag["rule"]] = counts.get(flag["rule"], 0) + 1
        cap = row["capacity"]
        table.add_row(str(i), esc(row["name"]), _usd(row["chpl_usd"]), _usd(row["value_usd"]),
                      f"{cap['supported_per_month']:,.0f} (binds: {esc(cap.get('binding'))})"
                      if cap and cap.get("supported_per_month") else "",
                      esc(", ".join(f"{r} ×{n}" if n > 1 else r for r, n in counts.items())),
                      esc(", ".join(row["sanctioned_ties"])))
    console.print(table)
    if not any(row["capacity"] for row in rows):
        console.print("[dim]capacity: give a bill of materials with --bom[/]")
    console.print("[bold]why[/] (largest suppliers with their largest record; each kind of red flag once, "
                  "with its detail and source)")
    for i, row in enumerate(rows, 1):
        sup = "; ".join(f"{x['name']} {_usd(x['value_usd'])} in {x['records']} record(s), largest "
                        f"{x['largest_record']}" for x in row["suppliers"])
        console.print(esc(f"{i}. {row['name']} received from {sup}"))
        built = row["capacity"]
        if built and built["supported_per_month"]:
            console.print(esc(f"   its components could build about {built['supported_per_month']:,.0f} "
                              f"{built['product']} a month (binding component: {built['binding']})"))
        seen: set[str] = set()
        for flag in row["flags"]:
            if flag["rule"] in seen:
                continue
            seen.add(flag["rule"])
            n = sum(1 for f in row["flags"] if f["rule"] == flag["rule"])
            more = f" (and {n - 1} more)" if n > 1 else ""
            src = f" — {flag['source']}" if flag.get("source") else ""
            console.print(esc(f"   {flag['title']}: {flag['detail']}{more}{src}"))

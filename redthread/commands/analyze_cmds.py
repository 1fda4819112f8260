"""ownership, blocked, path, exposure, redflags, claims, timeline: network analytics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, cast

import orjson
import typer
from rich.tree import Tree

from redthread.analyze.claims import claims as claims_fn
from redthread.analyze.exposure import exposure as exposure_fn
from redthread.analyze.exposure import paths as paths_fn
from redthread.analyze.graph import Graph, load_graph
from redthread.analyze.ownership import blocked as blocked_fn
from redthread.analyze.ownership import owners_tree
from redthread.analyze.redflags import evaluate
from redthread.analyze.timeline import timeline as timeline_fn
from redthread.commands._common import console, esc, print_table, progress_bar, resolve_entity, store
from redthread.errors import RedthreadError
from redthread.model.analysis import Claim, Conflict, OwnershipChild, OwnershipNode, OwnershipTree
from redthread.model.records import EvidenceFields, Link
from redthread.store import Store

FORMATS = ("table", "json")
ENGINE_HELP = "Engine for the batch computation: duckdb (default), spark or memory; or REDTHREAD_ENGINE."


def _json(data: Any) -> None:
    print(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise RedthreadError(f"unknown --format {fmt!r}: use table or json")


def _graph(st: Store) -> Graph:
    with progress_bar("loading graph") as update:
        return load_graph(st, progress=update)


def _where(ev: EvidenceFields) -> str:
    """Any evidence shape: a statement's or a customs record's (they share these fields)."""
    where = ev.get("location") or ev.get("source") or ""
    span = ev.get("span")
    if span:
        where += f" [{span[0]}:{span[1]}]"
    line = f"{ev.get('dataset', '')} · {where}"
    if ev.get("hedge"):
        line += f" · hedged: {ev['hedge']}"
    if ev.get("quote"):
        line += f"\n  “{ev['quote']}”"
    return esc(line)  # all of it comes from data


def _link_text(link: Link) -> str:
    pct = f" {link['percentage']:g}%" if link.get("percentage") is not None else ""
    return esc(f"{link['source_name']} —{link['label']}{pct}→ {link['target_name']}")


def _evidence_lines(evidence: Sequence[EvidenceFields], limit: int = 2) -> str:
    lines = [_where(e) for e in evidence[:limit]]
    if len(evidence) > limit:
        lines.append(f"(+{len(evidence) - limit} more)")
    return "\n".join(lines)


def ownership_cmd(
    name_or_id: str = typer.Argument(..., help="Entity id or name."),
    depth: int = typer.Option(6, "--depth", help="Levels of owners and holdings to show."),
    authority: str = typer.Option("OFAC", "--authority", help="Sanctioning authority for the flags."),
    fmt: str = typer.Option("table", "--format", "-f", help="table (a tree) or json."),
) -> None:
    """Owners (up) and holdings (down) of an entity, with percentages and sources."""
    _check_format(fmt)
    st = store()
    eid = resolve_entity(st, name_or_id)
    tree = owners_tree(st, eid, depth=depth, authority=authority, graph=_graph(st))
    if fmt == "json":
        _json(tree)
        return
    console.print(_render_tree(tree))
    if tree["ultimate_owners"]:
        print_table(("ultimate owner", "effective share", "chains"),
                    [(esc(o["name"]), f"{o['effective_share']:.2f}%", str(len(o["chains"])))
                     for o in tree["ultimate_owners"]], title="ultimate beneficial owners")


def blocked_cmd(
    authority: str = typer.Option("OFAC", "--authority", help="Authority whose sanctions count (OFAC, EU, UK, UN, any, or text)."),
    variant: str = typer.Option("us", "--variant", help="us: 50 % or more; eu: more than 50 % or control."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    engine: str | None = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """Entities blocked by the 50 % rule: aggregate stakes of blocked owners, to a fixed point."""
    _check_format(fmt)
    st = store()
    result = blocked_fn(st, authority, variant, engine=engine, graph=_graph(st))
    if fmt == "json":
        _json(result)
        return
    rows = []
    for item in result:
        owners = "\n".join(f"{esc(o['name'])} {o['share']:g}%" + (" (sanctioned)" if o["sanctioned"] else "")
                           for o in item["owners"])
        owners += "".join(f"\ncontrolled by {esc(c['name'])}" for c in item["controllers"])
        chain = "\n".join(_link_text(link) for link in item["chain"])
        sources = "\n".join(_evidence_lines(link["evidence"], 1) for link in item["chain"][:3])
        rows.append((f"{esc(item['name'])}\n[dim]{esc(item['id'])}[/]", f"{item['blocked_share']:g}%", owners, chain,
                     sources))
    print_table(("entity", "blocked share", "blocked owners", "chain", "sources"), rows, show_lines=True,
                title=f"blocked by the {variant.upper()} rule ({authority} sanctions)")
    console.print(f"{len(result)} blocked entit{'y' if len(result) == 1 else 'ies'}")


def path_cmd(
    a: str = typer.Argument(..., help="First party (id or name)."),
    b: str = typer.Argument(..., help="Second party (id or name)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Shortest and strongest paths between two parties, every link with its evidence."""
    _check_format(fmt)
    st = store()
    ia, ib = resolve_entity(st, a), resolve_entity(st, b)
    found = paths_fn(st, ia, ib, graph=_graph(st))
    if fmt == "json":
        _json(found)
        return
    if not found:
        console.print("no path between them")
        return
    for p in found:
        print_table(("link", "evidence"), [(_link_text(link), _evidence_lines(link["evidence"])) for link in p["links"]],
                    show_lines=True, title=f"{p['kind']} path: {p['hops']} hop(s), strength {p['strength']:.3f}")


def exposure_cmd(
    max_hops: int = typer.Option(3, "--max-hops", help="Search this many links from sanctioned parties."),
    top: int | None = typer.Option(None, "--top", help="Show only the N most exposed parties."),
    authority: str = typer.Option("all", "--authority", help="Authority whose sanctions count (OFAC, EU, UK, "
                                  "UN, ...; all: every list loaded)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    engine: str | None = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """Parties ranked by how close and how strongly tied they are to sanctioned parties."""
    _check_format(fmt)
    st = store()
    result = exposure_fn(st, max_hops, top, authority=authority, engine=engine, graph=_graph(st))
    if fmt == "json":
        _json(result)
        return
    rows = []
    for item in result:
        path_text = "\n".join(_link_text(link) for link in item.get("path", []))
        nearest = item.get("nearest")
        name = esc(item["name"]) + (" [red](blocked)[/]" if item["blocked"] else "")
        rows.append((name, str(item["hops"]), f"{item['strength']:.3f}", esc(nearest["name"] if nearest else ""),
                     path_text))
    print_table(("party", "hops", "strength", "nearest sanctioned", "path"), rows, show_lines=True,
                title=f"exposure to sanctioned parties (authority: {authority})")


def redflags_cmd(
    entity: str | None = typer.Option(None, "--entity", "-e", help="Only flags involving this entity."),
    rule: list[str] | None = typer.Option(None, "--rule", help="Only these rule ids (repeatable)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Red flags of diversion and evasion, each with why it matters and its evidence."""
    _check_format(fmt)
    st = store()
    eid = resolve_entity(st, entity) if entity else None
    flags = evaluate(st, eid, rules=rule or None, graph=_graph(st))
    if fmt == "json":
        _json(flags)
        return
    print_table(("rule", "entity", "what", "evidence"), [
        (f"{'[red]' if f['severity'] == 'high' else '[yellow]'}{esc(f['title'])}[/]\n[dim]{esc(f['rule'])}[/]",
         esc(f["entity"]["name"]), esc(f["detail"]), _evidence_lines(f["evidence"]))
        for f in flags], show_lines=True, title="red flags")
    console.print(f"{len(flags)} flag(s)")


def claims_cmd(
    conflicts: bool = typer.Option(False, "--conflicts", help="Only contradictions between sources."),
    single_source: bool = typer.Option(False, "--single-source", help="Only facts resting on one publisher."),
    entity: str | None = typer.Option(None, "--entity", "-e", help="Only facts about this entity."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Facts with their supporting sources, or the contradictions between sources."""
    _check_format(fmt)
    st = store()
    eid = resolve_entity(st, entity) if entity else None
    result = claims_fn(st, conflicts_only=conflicts, single_source=single_source, entity_id=eid)
    if fmt == "json":
        _json(result)
        return
    if conflicts:
        rows = []
        for c in cast("list[Conflict]", result):
            values = "\n".join(esc(f"{v['value']}: {', '.join(sorted({s['source'] for s in v['sources']}))}")
                                for v in c["values"])
            about = esc(", ".join(dict.fromkeys(e["name"] for e in c["entities"])))
            rows.append((f"{about}\n[dim]{esc(c['reason'])}[/]", esc(c["prop"]), values))
        print_table(("about", "property", "values and sources"), rows, show_lines=True, title="contradictions")
    else:
        print_table(("entity", "property", "value", "sources", "publishers"), [
            (esc(f["entity"]["name"]), esc(f["prop"]), esc(f["value"]), str(f["source_count"]),
             esc(", ".join(f["publishers"]))) for f in cast("list[Claim]", result)], title="claims")


def timeline_cmd(
    entity: str | None = typer.Option(None, "--entity", "-e", help="Only events involving this entity."),
    customs: bool = typer.Option(True, "--customs/--no-customs", help="Include customs records (per month "
                                 "and counterparty for an entity, per supplier -> buyer pair for the case)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Dated facts and events in order: designations, shipments, payments, removals, customs records."""
    _check_format(fmt)
    st = store()
    eid = resolve_entity(st, entity) if entity else None
    events = timeline_fn(st, eid, customs=customs)
    if fmt == "json":
        _json(events)
        return
    print_table(("date", "event", "source"), [
        (esc(e["date"]), f"{'[red]' if e['kind'] == 'removed' else ''}{esc(e['event'])}",
         _evidence_lines(e["evidence"], 1)) for e in events], title="timeline")


def register(app: typer.Typer) -> None:
    app.command("ownership")(ownership_cmd)
    app.command("blocked")(blocked_cmd)
    app.command("path")(path_cmd)
    app.command("exposure")(exposure_cmd)
    app.command("redflags")(redflags_cmd)
    app.command("claims")(claims_cmd)
    app.command("timeline")(timeline_cmd)


def _render_tree(tree: OwnershipTree) -> Tree:
    def label(node: OwnershipNode | OwnershipTree, link: Link | None = None) -> str:
        flags = " [red](sanctioned)[/]" if node["sanctioned"] else " [red](blocked)[/]" if node["blocked"] else ""
        text = f"[bold]{esc(node['name'])}[/]{flags} [dim]{esc(node['schema'])}[/]"
        if link is not None:
            pct = f"{link['percentage']:g}% " if link.get("percentage") is not None else ""
            text = f"{pct}[dim]{esc(link['type'].lower())}[/] {text}"
            if link["evidence"]:
                text += f" [dim]· {_where(link['evidence'][0]).splitlines()[0]}[/]"
        if node.get("cycle"):
            text += " [yellow](cycle)[/]"
        return text

    root = Tree(label(tree))

    def add(branch: Tree, children: list[OwnershipChild], key: Literal["owners", "holdings"]) -> None:
        for child in children:
            sub = branch.add(label(child["node"], child["link"]))
            add(sub, child["node"].get(key, []), key)

    if tree["owners"]:
        add(root.add("[cyan]owned / controlled by[/]"), tree["owners"], "owners")
    if tree["holdings"]:
        add(root.add("[cyan]owns / controls[/]"), tree["holdings"], "holdings")
    return root

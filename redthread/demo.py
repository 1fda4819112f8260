"""The demo case: load the example material, run every capability, report.

``run_demo`` is what ``redthread demo`` (the README's first command) calls.
It builds a fresh store in the output folder (a SQLite file, so the user's
own data is never touched), then runs a fixed list of *steps*: loading the
example datasets, resolving parties across sources, the analytics, the trade
analysis, charts and the dossier. Each step names the modules it needs; a
step whose modules are not installed is reported as *skipped*, a step that
raises is reported as *failed* with the error, so the summary always says
honestly what ran. Outputs go to the folder, described in ``summary.json``.

Example material (``examples/<set>/``): every sub-folder of a set is one
dataset named after the folder. A dataset folder that holds only version
folders (``v1``, ``v2``, ...) is loaded version by version into the same
dataset; files keep their names across versions, and the file name is the
load's source, so values that vanish in a later version show as removed.
Files no installed loader understands are listed as skipped;
``*.mapping.yaml`` files are column mappings read by the customs loader
beside their data file, never loaded themselves.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from followthemoney import model
from typing_extensions import TypedDict

from redthread.errors import InputError, RedthreadError
from redthread.ingest import ingest, sniff_loader
from redthread.ingest.base import ProgressFn
from redthread.model.analysis import BuyerCapacity, BuyerImpact, Capacity, Conflict, Exposure, Impact
from redthread.model.records import Flag, Party
from redthread.model.statement import now_iso
from redthread.store import Judgement, LoadResult, Store, StoreStats, open_store
from redthread.trade.engine import SqlRow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: Candidate pairs scoring at least this are accepted as the same party.
AUTO_ACCEPT = 0.9
#: At most this many candidate pairs are proposed (best first).
XREF_LIMIT = 2000
#: Party schemata counted in the summary.
PARTY_SCHEMATA = ("Person", "Company", "Organization", "PublicBody", "LegalEntity")
SIDECAR_SUFFIX = ".mapping.yaml"
_VERSION = re.compile(r"^v(\d+)$")


class SkipStep(RedthreadError):
    """A step cannot run with what is installed or loaded; the reason says why."""


# -- the example material -------------------------------------------------------


@dataclass
class DatasetPlan:
    """One dataset of an example set: its loads, in order (one list per version)."""

    name: str
    folder: Path
    versions: list[list[Path]]


def example_sets(root: Path = EXAMPLES) -> list[Path]:
    """Example sets: the folders under ``examples/``."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _data_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SIDECAR_SUFFIX)
    )


def dataset_plans(example_set: Path) -> list[DatasetPlan]:
    """The datasets of one example set, each with its ordered version loads."""
    plans = []
    for folder in sorted(p for p in example_set.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        children = [p for p in folder.iterdir() if not p.name.startswith(".")]
        versions = [p for p in children if p.is_dir() and _VERSION.match(p.name)]
        if versions and len(versions) == len(children):
            ordered = sorted(versions, key=lambda p: int(_VERSION.match(p.name).group(1)))  # type: ignore[union-attr]
            plans.append(DatasetPlan(folder.name, folder, [_data_files(v) for v in ordered]))
        else:
            plans.append(DatasetPlan(folder.name, folder, [_data_files(folder)]))
    return plans


# -- steps ------------------------------------------------------------------------


@dataclass
class StepReport:
    name: str
    status: str  # ran | skipped | failed
    detail: str = ""
    seconds: float = 0.0


class StepDict(TypedDict):
    """A :class:`StepReport` in ``summary.json``."""

    name: str
    status: str
    detail: str
    seconds: float


class NetworkCounts(TypedDict):
    """Parties (after resolution), links by type, removed statements (:func:`network_counts`)."""

    parties: int
    links: int
    links_by_type: dict[str, int]
    removed_statements: int
    removed_entities: list[str]


class BlockedShare(TypedDict):
    id: str | None
    name: str | None
    blocked_share: float | None


class Resolution(TypedDict):
    candidates: int
    auto_accepted: int
    threshold: float


class Consolidation(TypedDict):
    merged: int
    proposed: int


class RedflagCounts(TypedDict):
    total: int
    by_rule: dict[str, int]


class FlagHead(TypedDict):
    """The head of a red flag (rule, title, who, why), without its evidence."""

    rule: str
    title: str
    entity: Party
    why: str


class ClaimCounts(TypedDict):
    conflicts: int
    single_source: int
    conflicts_top: list[Conflict]


class FlowsTop(TypedDict):
    top: list[SqlRow]
    chpl_by_buyer: list[SqlRow]


class BuyerHead(TypedDict):
    id: str
    name: str
    chpl_usd: float
    capacity: BuyerCapacity | None
    sanctioned_ties: list[str]


class DemoSummary(TypedDict, total=False):
    """``summary.json``: the store, network counts, each step's status and the headlines of the steps that ran.

    A step that did not run leaves its keys out, so readers ask ``"blocked" in s``.
    """

    store: str
    seconds: float
    datasets: list[str]
    documents: int
    parties: int
    links: int
    links_by_type: dict[str, int]
    removed_statements: int
    removed_entities: list[str]
    steps: list[StepDict]
    outputs: list[str]
    loaded_files: dict[str, int]
    skipped_files: list[str]
    resolution: Resolution
    consolidation: Consolidation
    blocked: list[BlockedShare]
    exposure_top: list[Exposure]
    redflags: RedflagCounts
    redflags_top: list[FlagHead]
    claims: ClaimCounts
    timeline_events: int
    flows: FlowsTop
    capacity: list[Capacity]
    impact_top: list[Impact]
    impact_buyers_top: list[BuyerHead]
    reexport_chains: int


@dataclass
class DemoContext:
    """What steps share: the store, the output folder and the summary being built."""

    store: Store
    out_dir: Path
    examples: Path
    progress: ProgressFn | None = None
    summary: DemoSummary = field(default_factory=lambda: DemoSummary())
    outputs: list[str] = field(default_factory=list)
    loads: list[LoadResult] = field(default_factory=list)

    def tick(self, label: str, done: int, total: int | None = None) -> None:
        if self.progress is not None:
            self.progress(label, done, total)

    def write_json(self, name: str, data: Any) -> Path:
        path = self.out_dir / name
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default), encoding="utf-8")
        self.outputs.append(name)
        return path

    def bom(self) -> Path | None:
        for set_dir in example_sets(self.examples):
            if (set_dir / "bom.yaml").is_file():
                return set_dir / "bom.yaml"
        return None


StepFn = Callable[[DemoContext], str]


@dataclass(frozen=True)
class Step:
    name: str
    requires: tuple[str, ...]
    run: StepFn
    title: str


STEPS: list[Step] = []


def step(name: str, title: str, requires: tuple[str, ...] = ()) -> Callable[[StepFn], StepFn]:
    """Register a demo step (run in registration order)."""

    def wrap(fn: StepFn) -> StepFn:
        STEPS.append(Step(name, requires, fn, title))
        return fn

    return wrap


def _json_default(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if isinstance(obj, Path):
        return str(obj)
    return str(obj)


def _module(name: str) -> Any:
    return importlib.import_module(name)


@step("load", "load the example datasets")
def load_examples(ctx: DemoContext) -> str:
    plans = [plan for set_dir in example_sets(ctx.examples) for plan in dataset_plans(set_dir)]
    total = sum(len(files) for plan in plans for files in plan.versions)
    done = 0
    skipped: list[str] = []
    per_dataset: dict[str, int] = {}
    for plan in plans:
        for files in plan.versions:
            for path in files:
                done += 1
                ctx.tick(f"load {plan.name}/{path.name}", done, total)
                try:
                    loader = sniff_loader(path)
                except InputError:
                    skipped.append(str(path.relative_to(ctx.examples)))
                    continue
                loads, _ = ingest(ctx.store, [path], plan.name, loader.name)
                ctx.loads.extend(loads)
                per_dataset[plan.name] = per_dataset.get(plan.name, 0) + 1
    ctx.summary["loaded_files"] = per_dataset
    ctx.summary["skipped_files"] = skipped
    detail = ", ".join(f"{name}: {n} file(s)" for name, n in per_dataset.items())
    if skipped:
        detail += f"; {len(skipped)} file(s) no installed loader reads (e.g. {skipped[0]})"
    return detail


def _candidate_fields(cand: Any) -> tuple[str, str, float]:
    get: Callable[[str], Any] = cand.get if isinstance(cand, dict) else (lambda k: getattr(cand, k))
    return str(get("left_id")), str(get("right_id")), float(get("score") or 0.0)


@step("resolve", "resolve parties across sources", ("redthread.resolve:xref",))
def resolve_parties(ctx: DemoContext) -> str:
    xref = _module("redthread.resolve").xref
    candidates = list(xref(ctx.store, limit=XREF_LIMIT, progress=ctx.progress))
    accepted = 0
    for i, cand in enumerate(candidates):
        left, right, score = _candidate_fields(cand)
        ctx.tick("resolve", i + 1, len(candidates))
        if score >= AUTO_ACCEPT and ctx.store.canonical_id(left) != ctx.store.canonical_id(right):
            ctx.store.add_judgement(Judgement(left, right, "positive", "demo", now_iso(), score))
            accepted += 1
    ctx.summary["resolution"] = {"candidates": len(candidates), "auto_accepted": accepted,
                                 "threshold": AUTO_ACCEPT}
    return f"{len(candidates)} candidate pairs, {accepted} accepted (score ≥ {AUTO_ACCEPT})"


# After xref: its pairs come from different datasets, and before consolidation an
# entity's stray alias (a bare legal form read as a name) stays within its own.
@step("consolidate", "one node per party: merge same-named parties of the case",
      ("redthread.resolve.consolidate:consolidate",))
def consolidate_parties(ctx: DemoContext) -> str:
    result = _module("redthread.resolve.consolidate").consolidate(ctx.store)
    ctx.summary["consolidation"] = {"merged": len(result.merged), "proposed": len(result.proposed)}
    return f"{len(result.merged)} same-named pair(s) merged, {len(result.proposed)} proposed for review"


@step("blocked", "derive blocked parties (OFAC 50 % rule)", ("redthread.analyze.ownership:blocked",))
def derive_blocked(ctx: DemoContext) -> str:
    rows = list(_module("redthread.analyze.ownership").blocked(ctx.store, authority="OFAC", variant="us"))
    ctx.write_json("blocked.json", rows)
    ctx.summary["blocked"] = [
        {"id": r.get("id"), "name": r.get("name"), "blocked_share": r.get("blocked_share")} for r in rows
    ]
    return f"{len(rows)} part(ies) blocked by ownership"


@step("exposure", "rank parties by exposure to sanctioned ones", ("redthread.analyze.exposure:exposure",))
def rank_exposure(ctx: DemoContext) -> str:
    rows = list(_module("redthread.analyze.exposure").exposure(ctx.store, max_hops=3, top=25))
    ctx.write_json("exposure.json", rows)
    ctx.summary["exposure_top"] = rows[:5]
    return f"{len(rows)} exposed part(ies) within 3 hops"


@step("redflags", "evaluate red-flag rules", ("redthread.analyze.redflags:evaluate",))
def evaluate_redflags(ctx: DemoContext) -> str:
    rows = list(_module("redthread.analyze.redflags").evaluate(ctx.store))
    ctx.write_json("redflags.json", rows)
    by_rule = Counter(str(r.get("rule") or r.get("id") or r.get("rule_id")) for r in rows)
    ctx.summary["redflags"] = {"total": len(rows), "by_rule": dict(by_rule.most_common())}
    ctx.summary["redflags_top"] = [_flag_head(r) for r in rows[:10]]
    return f"{len(rows)} red flag(s) from {len(by_rule)} rule(s)"


def _flag_head(flag: Flag) -> FlagHead:
    return {"rule": flag["rule"], "title": flag["title"], "entity": flag["entity"], "why": flag["why"]}


@step("claims", "compare sources: conflicts and single-source facts", ("redthread.analyze.claims:claims",))
def compare_claims(ctx: DemoContext) -> str:
    claims = _module("redthread.analyze.claims").claims
    conflicts = list(claims(ctx.store, conflicts_only=True))
    single = list(claims(ctx.store, single_source=True))
    ctx.write_json("claims.json", {"conflicts": conflicts, "single_source": single})
    ctx.summary["claims"] = {"conflicts": len(conflicts), "single_source": len(single),
                             "conflicts_top": conflicts[:5]}
    return f"{len(conflicts)} conflict(s), {len(single)} single-source fact(s)"


@step("timeline", "build the case timeline", ("redthread.analyze.timeline:timeline",))
def build_timeline(ctx: DemoContext) -> str:
    rows = list(_module("redthread.analyze.timeline").timeline(ctx.store))
    ctx.write_json("timeline.json", rows)
    ctx.summary["timeline_events"] = len(rows)
    return f"{len(rows)} dated event(s)"


@step("flows", "aggregate customs flows", ("redthread.trade.flows:flows",))
def aggregate_flows(ctx: DemoContext) -> str:
    flows = _module("redthread.trade.flows").flows
    top = list(flows(ctx.store, by=["supplier", "buyer", "hs4"], top=25))
    chpl = list(flows(ctx.store, by=["buyer"], chpl_only=True, top=5))
    monthly = list(flows(ctx.store, by=["month"], chpl_only=True))
    ctx.write_json("flows.json", {"top": top, "chpl_by_buyer": chpl, "chpl_by_month": monthly})
    ctx.summary["flows"] = {"top": top[:5], "chpl_by_buyer": chpl}
    if not top:
        raise SkipStep("no customs flows in the store (customs records not loaded)")
    return f"{len(top)} top flows; {len(chpl)} CHPL buyers"


@step("capacity", "estimate drone capacity from component flows",
      ("redthread.trade.capacity:capacity", "redthread.trade.flows:flows", "redthread.trade.impact:sanctioned_ids"))
def estimate_capacity(ctx: DemoContext) -> str:
    """Capacity for the three largest CHPL buyers and for every sanctioned CHPL buyer."""
    bom = ctx.bom()
    if bom is None:
        raise SkipStep("no bom.yaml in the example set")
    buyers = [str(r["buyer"]) for r in _module("redthread.trade.flows").flows(ctx.store, by=["buyer"], chpl_only=True)
              if r.get("buyer")]
    sanctioned = _module("redthread.trade.impact").sanctioned_ids(ctx.store)
    chosen = list(dict.fromkeys(buyers[:3] + [b for b in buyers if b in sanctioned]))
    capacity = _module("redthread.trade.capacity").capacity
    results = [capacity(ctx.store, buyer_id, bom) for buyer_id in chosen]
    ctx.write_json("capacity.json", results)
    ctx.summary["capacity"] = results
    claims = sum(len(r.get("claims") or []) for r in results)
    return f"{len(results)} buyer(s) (top 3 and sanctioned CHPL buyers); {claims} capacity claim(s) compared"


@step("impact", "rank designation candidates by the flow they would cut",
      ("redthread.trade.impact:impact", "redthread.trade.buyers:buyer_impact"))
def designation_impact(ctx: DemoContext) -> str:
    """Suppliers by the flow to sanctioned buyers they carry; then flagged CHPL buyers (impact_buyers.json)."""
    rows = list(_module("redthread.trade.impact").impact(ctx.store, top=10))
    ctx.write_json("impact.json", rows)
    ctx.summary["impact_top"] = rows[:5]
    buyers = list(_module("redthread.trade.buyers").buyer_impact(ctx.store, top=10, bom=ctx.bom()))
    ctx.write_json("impact_buyers.json", buyers)
    ctx.summary["impact_buyers_top"] = [_buyer_head(b) for b in buyers[:5]]
    said = f"{len(rows)} designation candidate(s)"
    if buyers:
        top = buyers[0]
        cap = (top["capacity"] or {}).get("supported_per_month")
        said += (f"; {len(buyers)} flagged CHPL buyer(s), first {top['name']} (${top['chpl_usd'] / 1e6:.1f} M CHPL"
                 + (f", ≈ {cap:,.0f} units a month" if cap else "") + ")")
    return said


def _buyer_head(b: BuyerImpact) -> BuyerHead:
    return {"id": b["id"], "name": b["name"], "chpl_usd": b["chpl_usd"], "capacity": b["capacity"],
            "sanctioned_ties": b["sanctioned_ties"]}


@step("charts", "draw the flow charts", ("redthread.trade.charts:flow_chart", "redthread.trade.charts:sankey",
                                         "redthread.trade.patterns:reexport_chains"))
def draw_charts(ctx: DemoContext) -> str:
    charts = _module("redthread.trade.charts")
    chains = list(_module("redthread.trade.patterns").reexport_chains(ctx.store, max_days=30, top=60))
    ctx.write_json("reexport_chains.json", chains)
    ctx.summary["reexport_chains"] = len(chains)
    written = ["reexport_chains.json"]
    charts.flow_chart(ctx.store, ctx.out_dir / "flows.svg")
    written.append("flows.svg")
    if chains:
        charts.sankey(chains, ctx.out_dir / "sankey.svg")
        written.append("sankey.svg")
    ctx.outputs.extend(name for name in written if name.endswith(".svg"))
    return f"{', '.join(written)} ({len(chains)} re-export chains)"


#: Exports the demo writes: file name -> exporter name (see `redthread export`).
EXPORTS = {"case.ftm.jsonl": "ftm", "statements.csv": "csv", "case.gexf": "gexf"}


@step("export", "export the case (FtM, statements CSV, GEXF)", ("redthread.export:exporters",))
def export_case(ctx: DemoContext) -> str:
    export = _module("redthread.export")
    known = export.exporters()
    written = []
    for name, fmt in EXPORTS.items():
        if fmt not in known:
            continue
        with (ctx.out_dir / name).open("w", encoding="utf-8", newline="") as fh:
            count = export.export(ctx.store, fmt, fh)
        ctx.outputs.append(name)
        written.append(f"{name} ({count})")
    if not written:
        raise SkipStep("none of the exporters " + ", ".join(EXPORTS.values()) + " is installed")
    return ", ".join(written)


@step("report", "write the case dossier (HTML and PDF)",
      ("redthread.report.dossier:build_dossier", "redthread.report.dossier:render_html",
       "redthread.report.dossier:render_pdf"))
def write_case_dossier(ctx: DemoContext) -> str:
    report = _module("redthread.report.dossier")
    dossier = report.build_dossier(ctx.store, None)
    html = report.render_html(dossier)
    (ctx.out_dir / "dossier.html").write_text(html, encoding="utf-8")
    ctx.outputs.append("dossier.html")
    report.render_pdf(html, ctx.out_dir / "dossier.pdf")
    ctx.outputs.append("dossier.pdf")
    return "dossier.html, dossier.pdf"


# -- the run ------------------------------------------------------------------------


@dataclass
class DemoResult:
    out_dir: Path
    store_url: str
    loads: list[LoadResult] = field(default_factory=list)
    stats: StoreStats | None = None
    steps: list[StepReport] = field(default_factory=list)
    summary: DemoSummary = field(default_factory=lambda: DemoSummary())


def _missing(requires: tuple[str, ...]) -> list[str]:
    """The requirements not met: ``module`` or ``module:attribute`` names."""
    missing = []
    for req in requires:
        name, _, attr = req.partition(":")
        try:
            found = importlib.util.find_spec(name) is not None
            if found and attr:
                found = hasattr(importlib.import_module(name), attr)
        except Exception:  # noqa: BLE001 - a module that cannot be imported is not there
            found = False
        if not found:
            missing.append(req.replace(":", "."))
    return missing


def network_counts(store: Store) -> NetworkCounts:
    """Parties (after resolution), links by type, removed statements."""
    cmap = store.canonical_map()
    parties: set[str] = set()
    links: Counter[str] = Counter()
    for stmt in store.statements():
        if stmt.prop != "id":
            continue
        schema = model.get(stmt.schema)
        if schema is None:
            continue
        if schema.edge or stmt.schema in ("EconomicActivity", "Payment"):
            links[stmt.schema] += 1
        elif any(schema.is_a(name) for name in PARTY_SCHEMATA):
            parties.add(cmap.get(stmt.entity_id, stmt.entity_id))
    removed = [s for s in store.statements(include_removed=True) if s.removed_at is not None]
    return {
        "parties": len(parties),
        "links": sum(links.values()),
        "links_by_type": dict(links.most_common()),
        "removed_statements": len(removed),
        "removed_entities": sorted({s.entity_id for s in removed if s.prop == "id"}),
    }


def _run_steps(ctx: DemoContext, steps: Iterator[Step]) -> list[StepReport]:
    reports = []
    for st in steps:
        missing = _missing(st.requires)
        if missing:
            reports.append(StepReport(st.name, "skipped", f"needs {', '.join(missing)} (not there yet)"))
            continue
        ctx.tick(st.title, 0, None)
        started = time.perf_counter()
        try:
            detail = st.run(ctx)
            status = "ran"
        except SkipStep as exc:
            detail, status = str(exc), "skipped"
        except Exception as exc:  # noqa: BLE001 - one failing capability must not hide the others
            detail, status = f"{type(exc).__name__}: {exc}", "failed"
        reports.append(StepReport(st.name, status, detail, round(time.perf_counter() - started, 2)))
    return reports


def viewer_key(store: Store) -> str | None:
    """A new read-only API key for the demo store (None when keys are not available)."""
    if _missing(("redthread.keys:KeyRing",)):
        return None
    ring = _module("redthread.keys").KeyRing(store)
    _, key = ring.create("viewer", name="demo viewer")
    return str(key)


def run_demo(
    out_dir: Path,
    progress: ProgressFn | None = None,
    examples: Path = EXAMPLES,
) -> tuple[DemoResult, Store]:
    """Build the demo store in ``out_dir``, run every step, write ``summary.json``.

    Returns the result (steps with their status, the summary) and the open
    store (the caller closes it, or serves it).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{db.resolve()}"
    store = open_store(url)
    started = time.perf_counter()
    ctx = DemoContext(store=store, out_dir=out_dir, examples=examples, progress=progress)
    steps = _run_steps(ctx, iter(STEPS))
    result = DemoResult(out_dir=out_dir, store_url=url, loads=ctx.loads, steps=steps)
    result.stats = store.stats()
    summary: DemoSummary = {
        "store": url,
        "seconds": round(time.perf_counter() - started, 2),
        "datasets": [d.name for d in store.datasets()],
        "documents": result.stats.get("documents", 0),
        **network_counts(store),
        **ctx.summary,
        "steps": [{"name": s.name, "status": s.status, "detail": s.detail, "seconds": s.seconds} for s in steps],
        "outputs": sorted(set(ctx.outputs) | {"summary.json", "demo.db"}),
    }
    result.summary = summary
    ctx.write_json("summary.json", summary)
    return result, store

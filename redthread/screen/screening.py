"""Screen one name, or a file of counterparties, against the store."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import NotRequired

from typing_extensions import TypedDict

from redthread.errors import InputError
from redthread.export.safe_csv import SafeWriter
from redthread.screen.index import index_for
from redthread.screen.matching import DEFAULT_THRESHOLD, ScoredResult, match_index
from redthread.screen.scorers import DEFAULT
from redthread.screen.state import store_state
from redthread.store import Store

ProgressFn = Callable[[str, int, int | None], None]

#: Bulk-file columns (case-insensitive) -> FtM query properties.
COLUMN_PROPS = {
    "name": "name", "alias": "alias", "country": "country", "nationality": "nationality",
    "birth_date": "birthDate", "birthdate": "birthDate", "dob": "birthDate",
    "inn": "innCode", "ogrn": "ogrnCode", "lei": "leiCode", "imo": "imoNumber", "uscc": "uscCode",
    "registration_number": "registrationNumber", "tax_number": "taxNumber", "passport": "passportNumber",
}


class QueryExample(TypedDict):
    """One yente query example (``EntityExample``) as :func:`redthread.screen.match` takes it.

    A property's values are a list, or one value as yente also accepts.
    """

    schema: str
    properties: Mapping[str, list[str] | str]
    id: NotRequired[str | None]


def query_example(name: str, schema: str = "LegalEntity", **props: str | list[str] | None) -> QueryExample:
    """A yente query example from a name and FtM properties (None/empty dropped)."""
    properties: dict[str, list[str]] = {"name": [name]} if name else {}
    for prop, value in props.items():
        if value:
            properties[prop] = value if isinstance(value, list) else [value]
    return {"schema": schema, "properties": properties}


def screen(
    store: Store,
    name: str,
    *,
    schema: str = "LegalEntity",
    country: str | None = None,
    birth_date: str | None = None,
    identifiers: list[str] | None = None,
    dataset: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
    algorithm: str = DEFAULT,
) -> list[ScoredResult]:
    """Screen one name; the yente results list (best first, explained).

    ``identifiers`` are matched against every identifier property (an INN,
    OGRN, IMO or LEI given here meets the same value anywhere).
    """
    query = query_example(name, schema, country=country, birthDate=birth_date,
                          registrationNumber=identifiers or None)
    index = index_for(store, dataset)
    body = match_index(index, {"q": query}, store=store, threshold=threshold, limit=limit, algorithm=algorithm,
                       cutoff=0.3)
    results: list[ScoredResult] = body["responses"]["q"]["results"]
    return results


def read_counterparties(path: Path) -> Iterator[tuple[int, str, QueryExample]]:
    """(line, row id, yente query) for each row of a counterparties CSV.

    Needs a ``name`` column; optional ``id``, ``schema`` and any column in
    :data:`COLUMN_PROPS` (country, birth_date, inn, ogrn, imo, lei, ...).
    """
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = {f.lower().strip(): f for f in reader.fieldnames or []}
        if "name" not in fields:
            raise InputError("a counterparties CSV needs a 'name' column", path=str(path), line=1, field="name")
        for n, row in enumerate(reader, start=2):
            props: dict[str, list[str]] = {}
            for col, prop in COLUMN_PROPS.items():
                if col in fields and (row.get(fields[col]) or "").strip():
                    props.setdefault(prop, []).append(row[fields[col]].strip())
            if not props.get("name"):
                raise InputError("empty name", path=str(path), line=n, field="name")
            schema = (row.get(fields["schema"]) or "").strip() if "schema" in fields else ""
            rid = (row.get(fields["id"]) or "").strip() if "id" in fields else ""
            yield n, rid or str(n - 1), {"schema": schema or "LegalEntity", "properties": props}


#: One line per hit. Beside the match itself, what an analyst files: whether
#: the hit is listed (``sanctioned``: authority, program, listing date) or
#: blocked by a 50 % rule (``blocked_share``, the rule's authority and the
#: blocked owners), as ``topics`` the way OpenSanctions shows them.
RESULT_COLUMNS = ["row", "query_name", "rank", "match", "score", "entity_id", "caption", "schema",
                  "datasets", "matched_name", "topics", "sanctioned", "authority", "program", "listing_date",
                  "blocked_share", "blocked_authority", "blocked_owners", "features"]


def status_columns(result: ScoredResult) -> list[str]:
    """The listing-status cells of one hit (see :data:`RESULT_COLUMNS`)."""
    sanctions = result.get("sanctions") or []
    blocked = result.get("blocked") or []

    def joined(values: Iterable[object]) -> str:
        return "; ".join(dict.fromkeys(str(v) for v in values if v))

    share = max((b["blocked_share"] for b in blocked), default=None)
    owners = dict.fromkeys(o["name"] for b in blocked for o in b["owners"])
    first_listed = min((str(s["listing_date"]) for s in sanctions if s.get("listing_date")), default="")
    return [";".join(result["properties"].get("topics", [])), str(bool(sanctions)).lower(),
            joined(s.get("authority") for s in sanctions), joined(s.get("program") for s in sanctions), first_listed,
            "" if share is None else f"{share:g}", ";".join(dict.fromkeys(b["authority"] for b in blocked)),
            "; ".join(owners)]


def screen_file(
    store: Store,
    path: Path,
    output: Path,
    *,
    dataset: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 3,
    algorithm: str = DEFAULT,
    progress: ProgressFn | None = None,
) -> dict[str, int]:
    """Screen every row of a counterparties CSV; write one line per hit.

    Rows without a hit get one line with an empty entity. Returns counts
    (rows, rows with a match, result lines).
    """
    rows = list(read_counterparties(path))
    state = store_state(store)
    index = index_for(store, dataset, digest=state.digest)
    stats = {"rows": len(rows), "matched": 0, "lines": 0}
    tmp = output.with_name(output.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = SafeWriter(fh)  # names from lists may start with '=' or '@': no formulas in Excel
        writer.writerow(RESULT_COLUMNS)
        for done, (line, rid, query) in enumerate(rows, start=1):
            try:
                body = match_index(index, {"q": query}, store=store, threshold=threshold, limit=limit,
                                   algorithm=algorithm, cutoff=0.3, state=state)
            except InputError as err:
                raise InputError(err.reason, path=str(path), line=line, field=err.field) from None
            results = body["responses"]["q"]["results"]
            qname = query["properties"]["name"][0]
            if any(r["match"] for r in results):
                stats["matched"] += 1
            if not results:
                writer.writerow([rid, qname, "", "false"] + [""] * (len(RESULT_COLUMNS) - 4))
            for rank, r in enumerate(results, start=1):
                feats = ";".join(f"{k}={v}" for k, v in r["features"].items())
                writer.writerow([rid, qname, rank, str(r["match"]).lower(), r["score"], r["id"], r["caption"],
                                 r["schema"], ";".join(r["datasets"]),
                                 r["explanations"]["name"]["candidate"], *status_columns(r), feats])
                stats["lines"] += 1
            if progress is not None:
                progress("rows", done, len(rows))
    tmp.replace(output)
    return stats

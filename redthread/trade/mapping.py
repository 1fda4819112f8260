"""The customs column mapping: which CSV/Parquet column holds which field.

A mapping is YAML (see docs/trade.md)::

    delimiter: ","            # CSV only, optional
    date_format: "%Y-%m-%d"   # optional; ISO dates are parsed by default
    currency: USD             # optional default when there is no currency column
    party_schema: Company     # optional FtM schema for parties (default Company)
    columns:
      date: date
      sender: shipper
      ...

It sits beside the records (``records.csv`` + ``records.mapping.yaml``) or is
given explicitly (``--mapping FILE``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from redthread.errors import InputError
from redthread.model.jsondata import JSONObject

#: Every field a mapping may name, with what it means.
FIELDS: dict[str, str] = {
    "declaration_number": "customs declaration or bill-of-lading number",
    "date": "declaration or shipment date",
    "sender": "shipper / exporter / supplier name",
    "sender_country": "shipper country",
    "receiver": "consignee / importer / buyer name",
    "receiver_country": "consignee country",
    "declarant": "customs declarant or broker",
    "hs_code": "HS (or national tariff) code",
    "goods_description": "goods description",
    "value": "declared value",
    "currency": "currency of the value (ISO code)",
    "quantity": "quantity",
    "unit": "unit of the quantity",
    "origin_country": "country of origin",
    "destination_country": "country of destination",
    "trading_country": "trading (contracting) country",
}
#: Fields a mapping must name.
REQUIRED = ("date", "sender", "receiver", "hs_code", "value")
#: Suffix of a mapping file that sits beside its records.
SUFFIX = ".mapping.yaml"
#: File extensions of records files.
RECORD_SUFFIXES = (".csv", ".parquet", ".tsv")


@dataclass
class Mapping:
    """A validated column mapping."""

    columns: dict[str, str]
    delimiter: str | None = None
    date_format: str | None = None
    currency: str | None = None
    party_schema: str = "Company"
    path: str = ""
    #: Keys of the mapping file this module does not read (kept as written).
    extra: JSONObject = field(default_factory=dict)

    def column(self, name: str) -> str | None:
        return self.columns.get(name)


def parse_mapping(data: Any, path: str = "<mapping>") -> Mapping:
    """Validate mapping data (parsed YAML); errors name the file and field."""
    if not isinstance(data, dict):
        raise InputError("a mapping must be a YAML mapping with a 'columns' section", path=path)
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise InputError("missing 'columns': map fields to column names", path=path, field="columns")
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise InputError(
            f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}", path=path, field="columns"
        )
    missing = [f for f in REQUIRED if not columns.get(f)]
    if missing:
        raise InputError(f"required field(s) not mapped: {', '.join(missing)}", path=path, field="columns")
    if not columns.get("currency") and not data.get("currency"):
        raise InputError(
            "no currency: map a 'currency' column or set a default 'currency: USD'", path=path, field="currency"
        )
    schema = str(data.get("party_schema") or "Company")
    from followthemoney import model

    sch = model.get(schema)
    if sch is None or not sch.is_a("LegalEntity"):
        raise InputError(f"party_schema {schema!r} is not a LegalEntity schema", path=path, field="party_schema")
    return Mapping(
        columns={k: str(v) for k, v in columns.items() if v},
        delimiter=data.get("delimiter"),
        date_format=data.get("date_format"),
        currency=str(data["currency"]).upper() if data.get("currency") else None,
        party_schema=schema,
        path=path,
        extra={k: v for k, v in data.items() if k not in {"columns", "delimiter", "date_format", "currency", "party_schema"}},
    )


def load_mapping(path: Path) -> Mapping:
    """Read and validate a mapping file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read mapping: {exc}", path=str(path)) from None
    return parse_mapping(data, str(path))


def beside(records: Path) -> Path:
    """Where the mapping of ``records`` sits: same stem + ``.mapping.yaml``."""
    return records.with_name(records.stem + SUFFIX)


def record_files(folder: Path) -> list[Path]:
    """Records files in ``folder`` that have a mapping beside them."""
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in RECORD_SUFFIXES and beside(p).exists()
    )

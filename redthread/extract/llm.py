"""Optional backend: any OpenAI-compatible chat-completions endpoint.

``REDTHREAD_LLM_URL``   base URL, e.g. ``http://127.0.0.1:8080/v1`` (``/chat/completions`` is appended)
``REDTHREAD_LLM_MODEL`` model name sent with each request
``REDTHREAD_LLM_KEY``   bearer token, when the endpoint needs one
``REDTHREAD_LLM_TIMEOUT`` seconds per request (default 120)

The model must answer with JSON that follows :data:`SCHEMA` (sent as
``response_format: {"type": "json_schema", ...}``). Names and quotes are
located in the text to give every statement a span; a quote that cannot be
found is kept with the whole-document span and a lower confidence. Long
documents are sent in paragraph-aligned chunks and merged by name.
"""

from __future__ import annotations

import re

import orjson

from redthread import settings as app_settings
from redthread.errors import ConfigError, RedthreadError
from redthread.extract.normalize import format_percentage, parse_money, parse_percentage
from redthread.extract.parties import key
from redthread.extract.relations import ENDS
from redthread.extract.result import Builder, Evidence, ExtractionResult, make_id
from redthread.model.jsondata import JSON, JSONObject, items
from redthread.store import Document

VERSION = "1"
ORIGIN = f"redthread.extract.llm/{VERSION}"
CHUNK = 12000

_PARTY_SCHEMATA = ["Person", "Company", "Organization", "PublicBody"]
_RELATION_SCHEMATA = [s for s in ENDS]

#: The JSON schema the model's answer must follow.
SCHEMA: JSONObject = {
    "type": "object",
    "additionalProperties": False,
    "required": ["parties", "relations"],
    "properties": {
        "parties": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["ref", "schema", "name", "aliases"],
                "properties": {
                    "ref": {"type": "string"},
                    "schema": {"type": "string", "enum": [*_PARTY_SCHEMATA]},
                    "name": {"type": "string"},
                    "aliases": {"type": "array", "items": {"type": "string"}},
                    "country": {"type": "string"},
                    "address": {"type": "string"},
                },
            },
        },
        "relations": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["schema", "source", "quote"],
                "properties": {
                    "schema": {"type": "string", "enum": [*_RELATION_SCHEMATA]},
                    "source": {"type": "string"},
                    "target": {"type": "string"},
                    "quote": {"type": "string"},
                    "hedge": {"type": "string"},
                    "role": {"type": "string"},
                    "relationship": {"type": "string"},
                    "percentage": {"type": "string"},
                    "ownershipType": {"type": "string"},
                    "amount": {"type": "string"},
                    "currency": {"type": "string"},
                    "goodsDescription": {"type": "string"},
                    "authority": {"type": "string"},
                    "program": {"type": "string"},
                    "startDate": {"type": "string"},
                    "endDate": {"type": "string"},
                },
            },
        },
    },
}

PROMPT = """You extract a sanctions-evasion evidence graph from a document.
Return JSON only, following the given schema.
parties: every named person (Person), company (Company), other organisation (Organization) and
government body (PublicBody). One entry per party; "ref" is a short id you choose ("p1"); put every
other form of the party's name found in the text (short names, acronyms, native-script names,
descriptions such as "the Shenzhen firm") in "aliases".
relations (use party refs for source/target):
- Ownership: source=owner, target=asset, percentage as a number string, ownershipType ("majority") when no number
- Control: source=controller, target=controlled
- Directorship / Employment: source=person, target=organisation, role
- Family / Associate: source=person, target=relative/associate, relationship ("brother")
- Representation: source=agent, target=client (acting on behalf of)
- Payment: source=payer, target=beneficiary, amount, currency (ISO code)
- EconomicActivity: source=supplier (sender), target=buyer (receiver), goodsDescription, amount, currency
- Sanction: source=sanctioned party, no target, authority, program, startDate
Dates as YYYY, YYYY-MM or YYYY-MM-DD. "quote" is the exact sentence of the document that states the
relation. Leave out denied or negated relations. When the text hedges ("possibly", "reportedly",
"according to"), put the hedge word in "hedge"."""


def settings() -> tuple[str, str, str | None, float]:
    conf = app_settings.llm()
    url, model = conf.url, conf.model
    if not url or not model:
        raise ConfigError(
            "the llm backend needs REDTHREAD_LLM_URL (an OpenAI-compatible base URL, e.g. "
            "http://127.0.0.1:8080/v1) and REDTHREAD_LLM_MODEL; or use --backend rules"
        )
    return url, model, conf.key, conf.timeout


def _chunks(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        out.append((start, text[start:end]))
        start = end
    return out


def complete(text: str) -> JSONObject:
    """One chat-completions call; the parsed JSON answer."""
    import httpx

    url, model, api_key, timeout = settings()
    body = {
        "model": model,
        "temperature": 0,
        "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": text}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "extraction", "strict": True, "schema": SCHEMA}},
    }
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        resp = httpx.post(f"{url}/chat/completions", json=body, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise RedthreadError(f"LLM endpoint {url} unreachable ({exc}); check REDTHREAD_LLM_URL") from None
    if resp.status_code != 200:
        raise RedthreadError(f"LLM endpoint {url} answered {resp.status_code}: {resp.text[:200]}")
    try:
        content = resp.json()["choices"][0]["message"]["content"]
        data = orjson.loads(content)
    except (KeyError, IndexError, ValueError, orjson.JSONDecodeError) as exc:
        raise RedthreadError(f"LLM endpoint {url} gave no JSON extraction ({exc})") from None
    if not isinstance(data, dict):
        raise RedthreadError(f"LLM endpoint {url} gave {type(data).__name__}, expected an object")
    answer: JSONObject = data
    return answer


def _find(text: str, needle: str, offset: int = 0) -> tuple[int, int] | None:
    if not needle:
        return None
    pos = text.find(needle, offset)
    if pos < 0:
        pos = text.lower().find(needle.lower(), offset)
    return (pos, pos + len(needle)) if pos >= 0 else None


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    a = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    b_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    b = min(b_candidates) + 1 if b_candidates else len(text)
    return a, b


class LLMBackend:
    """Extraction by an OpenAI-compatible model with JSON-schema output."""

    name = "llm"
    origin = ORIGIN

    def extract(self, text: str, *, doc_id: str, dataset: str, title: str = "", mime: str = "text/plain",
                path: str = "") -> ExtractionResult:
        b = Builder(doc_id, dataset, ORIGIN, text)
        head = text[:200]
        doc_ev = Evidence(0, len(head), head, 1.0)
        doc_entity = b.entity(make_id(doc_id, "Document"), "Document", doc_ev)
        b.add(doc_entity, "title", title or doc_id, doc_ev)
        b.add(doc_entity, "mimeType", mime, doc_ev)
        party_ids: dict[str, str] = {}  # name key -> entity id
        for offset, chunk in _chunks(text):
            data = complete(chunk)
            refs: dict[str, str] = {}
            for party in items(data.get("parties")):
                if not isinstance(party, dict) or not party.get("name"):
                    continue
                schema = str(party["schema"]) if party.get("schema") in _PARTY_SCHEMATA else "Company"
                name = str(party["name"]).strip()
                pkey = key(name)
                eid = party_ids.get(pkey) or make_id(doc_id, "party", name)
                aliases = items(party.get("aliases"))
                for alias in aliases:
                    party_ids.setdefault(key(str(alias)), eid)
                party_ids[pkey] = eid
                refs[str(party.get("ref") or name)] = eid
                span = _find(text, name, offset)
                s = _sentence_around(text, *span) if span else (0, len(head))
                ev = Evidence(span[0] if span else 0, span[1] if span else len(head), text[s[0]:s[1]],
                              0.8 if span else 0.4)
                b.entity(eid, schema, ev)
                b.add(eid, "name" if not b.values[eid].get("name") else "alias", name, ev)
                for alias in aliases:
                    aspan = _find(text, str(alias), offset)
                    if aspan:
                        a_s = _sentence_around(text, *aspan)
                        b.add(eid, "alias", str(alias), Evidence(aspan[0], aspan[1], text[a_s[0]:a_s[1]], 0.7))
                if party.get("country"):
                    b.add(eid, "country", str(party["country"]), ev)
                if party.get("address"):
                    aid = b.entity(make_id(doc_id, "Address", key(str(party["address"]))), "Address", ev)
                    b.add(aid, "full", str(party["address"]), ev)
                    b.add(eid, "addressEntity", aid, ev)
            for rel in items(data.get("relations")):
                self._relation(b, text, offset, doc_id, doc_entity, refs, rel)
        document = Document(id=doc_id, dataset=dataset, title=title or doc_id, path=path, mime=mime, text=text)
        return ExtractionResult(entities=b.entities(), statements=b.statements(), document=document, backend="llm")

    def _relation(self, b: Builder, text: str, offset: int, doc_id: str, doc_entity: str,
                  refs: dict[str, str], rel: JSON) -> None:
        if not isinstance(rel, dict) or rel.get("schema") not in ENDS:
            return
        schema = str(rel["schema"])
        src = refs.get(str(rel.get("source")))
        tgt = refs.get(str(rel.get("target"))) if rel.get("target") else None
        first_end, second_end = ENDS[schema]
        if src is None or (second_end and (tgt is None or tgt == src)):
            return
        quote = str(rel.get("quote") or "")
        span = _find(text, quote, offset)
        hedge = str(rel.get("hedge") or "") or None
        conf = (0.5 if hedge else 0.75) if span else 0.3
        ev = Evidence(span[0] if span else 0, span[1] if span else 0, quote, conf, hedge)
        props = self._props(schema, rel)
        key_props = {k: v for k, v in props.items() if k in ("authority", "goodsDescription", "customsAmount", "amount")}
        rid = make_id(doc_id, schema, src, tgt, sorted(key_props.items()))
        b.entity(rid, schema, ev)
        b.add(rid, first_end, src, ev)
        if tgt and second_end:
            b.add(rid, second_end, tgt, ev)
        for prop, value in props.items():
            b.add(rid, prop, value, ev)
        b.add(rid, "proof", doc_entity, ev)

    @staticmethod
    def _props(schema: str, rel: JSONObject) -> dict[str, str]:
        props: dict[str, str] = {}
        for name in ("role", "relationship", "ownershipType", "goodsDescription", "authority", "program",
                     "startDate", "endDate"):
            if rel.get(name):
                props[name] = str(rel[name])
        if rel.get("percentage"):
            pct = parse_percentage(str(rel["percentage"]) + ("%" if re.fullmatch(r"[\d.]+", str(rel["percentage"])) else ""))
            if pct is not None:
                props["percentage"] = format_percentage(pct)
        amount = str(rel.get("amount") or "")
        currency = str(rel.get("currency") or "")
        if amount:
            money = parse_money(f"{amount} {currency}") if currency else None
            value = money.value if money else re.sub(r"[^\d.]", "", amount)
            if schema == "Payment":
                props["amount"] = value
                if currency:
                    props["currency"] = currency.upper()
            elif schema == "EconomicActivity":
                props["customsAmount"] = value
                if currency:
                    props["description"] = f"currency: {currency.upper()}"
        return props

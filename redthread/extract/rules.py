"""The offline extractor: spaCy NER plus patterns and document-level evidence.

Text → sentences → mentions → parties (clustered, typed by the whole
document, references resolved) → relations (registered rules) → FtM
entities with a statement per value carrying span, quote, origin and
confidence. Needs no network; the spaCy model is a pip package.
"""

from __future__ import annotations

import bisect
from pathlib import Path

import redthread.extract.nlp as nlp
import redthread.extract.sanction_groups as sanction_groups
import redthread.extract.sanctions as sanctions
from redthread.extract.addresses import address_key, find_addresses
from redthread.extract.budget import ExtractionTimeout, budget, check
from redthread.extract.dependency import read_relations
from redthread.extract.facts import add_facts
from redthread.extract.mentions import Mention, find_mentions
from redthread.extract.parties import Party, cluster, drop_products, propagate, resolve_references
from redthread.extract.relations import ENDS, Relation, find_relations, payment_totals
from redthread.extract.result import Builder, Evidence, ExtractionResult, make_id
from redthread.extract.tables import find_table_flows
from redthread.extract.text import is_boilerplate, is_headline, sentences
from redthread.extract.titles import body_of, find_offices, office_spans
from redthread.model.statement import BASE
from redthread.store import Document

VERSION = "1"
ORIGIN = f"redthread.extract.rules/{VERSION}"

#: Confidence of a party name by the strongest source that found it.
NAME_CONFIDENCE = {"legal": 0.95, "prefix": 0.95, "authority": 0.95, "intro": 0.9, "alias": 0.85,
                   "native": 0.85, "reference": 0.6, "ner": 0.7}


class RulesBackend:
    """Rules and patterns over a trimmed spaCy pipeline (the default backend)."""

    name = "rules"
    origin = ORIGIN

    def extract(self, text: str, *, doc_id: str, dataset: str, title: str = "", mime: str = "text/plain",
                path: str = "") -> ExtractionResult:
        """The document's parties and relations; past the time budget, :class:`ExtractionTimeout` with the partial result.

        A document that runs out of time (budget.py) keeps what the finished stages found: the timeout
        carries it as ``partial``, its Document entity marked ``processingStatus: partial`` with the
        message as ``processingError``, so a caller can keep it knowingly instead of losing it all.
        """
        found = _Found()
        try:
            return self._extract(text, doc_id=doc_id, dataset=dataset, title=title, mime=mime, path=path, found=found)
        except ExtractionTimeout as exc:
            exc.partial = found.result(text, doc_id, dataset, title, mime, path, str(exc))
            raise

    def _extract(self, text: str, *, doc_id: str, dataset: str, title: str, mime: str, path: str,
                 found: _Found) -> ExtractionResult:
        with budget(path or doc_id, len(text)):
            sents = found.sents = sentences(text)
            skip = [(a, b) for a, b in sents if is_boilerplate(text[a:b])
                    or (is_headline(text[a:b]) and not sanctions.is_list_item(text[a:b]))]
            mentions = find_mentions(text, lambda spans: nlp.entities_in(text, spans), skip, sents)
            check("finding names")
            parties = cluster(mentions, text)
            mentions += propagate(text, parties, mentions, skip)
            parties = found.parties = drop_products(text, parties)
            check("grouping names into parties")
            named = [m for m in mentions if m.party >= 0]
            refs = resolve_references(text, sents, named, parties)
            every = named + refs
            offices, parties = _offices(text, sents, named, parties)
            found.parties = parties
            relations = found.relations = find_relations(text, sents, every) + offices + list(find_table_flows(text, every))
            relations += _listed_sanctions(text, every)
            relations += read_relations(text, sents, every, parties, relations)
            relations += _group_sanctions(text, sents, named, parties, relations)
            payment_totals(text, sents, relations)
            check("reading the parse")
            relations = fit_ranges(relations, parties)
            addresses = find_addresses(text, sents, every)
            check("finding addresses")
            return _build(text, doc_id, dataset, title, mime, path, sents, parties, relations, addresses)


class _Found:
    """What the finished stages of one document found, for the partial result of a timeout."""

    def __init__(self) -> None:
        self.sents: list[tuple[int, int]] = []
        self.parties: list[Party] = []
        self.relations: list[Relation] = []

    def result(self, text: str, doc_id: str, dataset: str, title: str, mime: str, path: str,
               message: str) -> ExtractionResult:
        """The parties and relations found so far, the Document marked partial with the reason."""
        partial = _build(text, doc_id, dataset, title, mime, path, self.sents, self.parties,
                         fit_ranges(list(self.relations), self.parties), [])
        document = next(e for e in partial.entities if e["schema"] == "Document")
        head = text[: min(len(text), 200)]
        b = Builder(doc_id, dataset, ORIGIN, text)
        ev = Evidence(0, len(head), head, 1.0)
        b.entity(document["id"], "Document", ev)
        b.add(document["id"], "processingStatus", "partial", ev)
        b.add(document["id"], "processingError", message, ev)
        document["properties"].update(b.entities()[0]["properties"])
        partial.statements.extend(s for s in b.statements() if s.prop != BASE)
        return partial


#: Edges whose second end FtM ranges over organisations or assets: never a person.
_ORGANISATION_ENDS = frozenset({"Ownership", "Control", "Directorship", "Employment"})


def fit_ranges(relations: list[Relation], parties: list[Party]) -> list[Relation]:
    """Relations whose ends fit FtM's ranges once every party has its document-wide type.

    A rule decides on the words of one sentence, before the document has
    typed its parties; "Y previously worked with X" reads like employment
    until X turns out to be a person. An employment between two persons is
    kept as their association; an ownership, control or directorship over a
    person is dropped (FtM has no such edge). A person who runs, manages or
    operates a firm is its director, one edge, not also its controller; kin
    are persons ("the parent of Y Ltd" is no family).
    """
    schema_of = {p.index: p.schema for p in parties}
    directed = {(r.source.party, r.target.party) for r in relations if r.schema == "Directorship" and r.target}
    out: list[Relation] = []
    for rel in relations:
        if _runs(rel) and schema_of.get(rel.source.party) == "Person" and rel.target is not None:
            if (rel.source.party, rel.target.party) in directed:
                continue  # "run by X": one edge, the person's directorship
            directed.add((rel.source.party, rel.target.party))
            rel = Relation("Directorship", rel.source, rel.target, rel.sentence, rel.rule + "+person",
                           {"role": ["manager"]}, rel.confidence, rel.hedge)
        if rel.schema == "Family" and rel.target is not None and not (
            schema_of.get(rel.source.party) == schema_of.get(rel.target.party) == "Person"
        ):
            continue  # "X is the parent of Y Ltd": kin are persons
        if rel.target is not None and rel.schema in _ORGANISATION_ENDS and schema_of.get(rel.target.party) == "Person":
            if rel.schema != "Employment" or schema_of.get(rel.source.party) != "Person":
                continue
            rel = Relation("Associate", rel.source, rel.target, rel.sentence, rel.rule + "+persons",
                           {"relationship": ["colleague"]}, rel.confidence, rel.hedge)
        out.append(rel)
    return out


#: Verbs of running a firm: a person who runs, manages or operates it is its director (a manager);
#: a firm that does so controls it. "controlled by" stays Control for both.
_RUN_VERBS = frozenset({"run", "ran", "runs", "managed", "manages", "manage", "operated", "operates", "operate"})


def _runs(rel: Relation) -> bool:
    """A Control read from a verb of running ("run by X", "X manages Y"), not of controlling."""
    return rel.schema == "Control" and rel.rule.rsplit(":", 1)[-1] in _RUN_VERBS


def _listed_sanctions(text: str, mentions: list[Mention]) -> list[Relation]:
    """Sanctions announced as a bulleted list ("... designating the following entities:") or a denial order's caption."""
    out = []
    doc_issuer = sanctions.issuer(text)
    listed = [*sanctions.listed(text, mentions, doc_issuer), *sanctions.respondents(text, mentions, doc_issuer)]
    for target, authority, line in listed:
        rel = Relation("Sanction", target, None, line, "sanction-list")
        rel.add("authority", authority.name)
        if authority.country:
            rel.add("country", authority.country)
        out.append(rel)
    return out


def _group_sanctions(text: str, sents: list[tuple[int, int]], named: list[Mention], parties: list[Party],
                     known: list[Relation]) -> list[Relation]:
    """Sanctions on a counted group whose members are named in the next sentences (sanction_groups.py).

    Office holders (a person employed by a public body: the official quoted in the release) and
    parties another reading already sanctioned are never members.
    """
    kinds = {p.index: p.schema for p in parties}
    persons = {i for i, k in kinds.items() if k == "Person"}
    excluded = {r.source.party for r in known if r.schema == "Sanction"}
    excluded |= {r.source.party for r in known if r.target is not None and r.schema in ("Employment", "Directorship")
                 and kinds.get(r.target.party) == "PublicBody"}
    organisations = {i for i, k in kinds.items() if k in ("Company", "Organization")}
    out = []
    doc_issuer = sanctions.issuer(text)
    found = [*sanction_groups.members(text, sents, named, persons, excluded, doc_issuer),
             *sanction_groups.org_members(text, sents, named, organisations, excluded, doc_issuer)]
    for member, authority, span in found:
        rel = Relation("Sanction", member, None, span, "sanction-group")
        rel.add("authority", authority.name)
        if authority.country:
            rel.add("country", authority.country)
        out.append(rel)
    return out


def _offices(text: str, sents: list[tuple[int, int]], named: list[Mention],
             parties: list[Party]) -> tuple[list[Relation], list[Party]]:
    """Employments from office titles; parties made only of an office's words are dropped."""
    by_index = {p.index: p for p in parties}
    persons = [m for m in named if m.party in by_index and by_index[m.party].schema == "Person"]
    offices = find_offices(text, sents, persons)
    spans = office_spans(offices, text)
    if spans:
        def remnant(p: Party) -> bool:
            return p.schema != "Person" and all(any(a <= m.start and m.end <= b for a, b in spans) for m in p.names)

        parties = [p for p in parties if not remnant(p)]
    out: list[Relation] = []
    done: set[int] = set()
    for office in offices:
        if id(office.person) in done:
            continue
        body = body_of(office, text, named, parties)
        if body is None or body.index == office.person.party or not body.mentions:
            continue
        done.add(id(office.person))
        rel = Relation("Employment", office.person, body.mentions[0], office.sentence, "office")
        rel.add("role", office.title)
        out.append(rel)
    return out, parties


def _build(text: str, doc_id: str, dataset: str, title: str, mime: str, path: str,  # noqa: C901 — the pipeline's stages in order, each one call and its budget check
           sents: list[tuple[int, int]], parties: list[Party], relations: list[Relation],
           addresses: list, origin: str = ORIGIN) -> ExtractionResult:  # type: ignore[type-arg]
    b = Builder(doc_id, dataset, origin, text)
    starts = [a for a, _ in sents]

    def sentence_of(pos: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(starts, pos) - 1)
        return sents[i] if sents else (0, len(text))

    head = text[: min(len(text), 200)]
    doc_entity = b.entity(make_id(doc_id, "Document"), "Document", Evidence(0, len(head), head, 1.0))
    doc_ev = Evidence(0, len(head), head, 1.0)
    b.add(doc_entity, "title", title or (Path(path).name if path else doc_id), doc_ev)
    if path:
        b.add(doc_entity, "fileName", Path(path).name, doc_ev)
    b.add(doc_entity, "mimeType", mime, doc_ev)

    party_ids: dict[int, str] = {}
    for party in parties:
        names = party.names
        if not names:
            continue
        first = min(names, key=lambda m: m.start)
        s = sentence_of(first.start)
        eid = b.entity(make_id(doc_id, "party", party.name), party.schema,
                       Evidence(first.start, first.end, text[s[0]:s[1]], 0.9))
        party_ids[party.index] = eid
        name_key = party.name
        for m in sorted(party.mentions, key=lambda m: m.start):
            if m.source in ("pronoun", "ref"):
                continue
            s = sentence_of(m.start)
            ev = Evidence(m.start, m.end, text[s[0]:s[1]], NAME_CONFIDENCE.get(m.source, 0.7))
            prop = "name" if m.text == name_key else "alias"
            if prop == "alias" and m.text not in party.aliases:
                continue
            b.add(eid, prop, m.text, ev)
            if m.country:
                b.add(eid, "country", m.country, ev)

    for fact in addresses:
        ev = Evidence(fact.start, fact.end, text[fact.sentence[0]:fact.sentence[1]], 0.8)
        aid = b.entity(make_id(doc_id, "Address", address_key(fact.full)), "Address", ev)
        b.add(aid, "full", fact.full, ev)
        for p in fact.parties:
            if p in party_ids:
                b.add(party_ids[p], "addressEntity", aid, ev)

    for rel in relations:
        src = party_ids.get(rel.source.party)
        tgt = party_ids.get(rel.target.party) if rel.target is not None else None
        if src is None or (rel.target is not None and (tgt is None or tgt == src)):
            continue
        key_props = {k: v for k, v in rel.props.items() if k in ("authority", "goodsDescription", "customsAmount", "amount")}
        rid = make_id(doc_id, rel.schema, src, tgt, sorted(key_props.items()))
        quote = text[rel.sentence[0]:rel.sentence[1]]
        ev = Evidence(rel.sentence[0], rel.sentence[1], quote, rel.confidence, rel.hedge)
        if rel.schema == "Attribute":  # facts about the party itself
            for prop, values in rel.props.items():
                for value in values:
                    b.add(src, prop, value, ev)
            continue
        b.entity(rid, rel.schema, ev)
        first_end, second_end = ENDS[rel.schema]
        b.add(rid, first_end, src, ev)
        if tgt and second_end:
            b.add(rid, second_end, tgt, ev)
        for prop, values in rel.props.items():
            for value in values:
                b.add(rid, prop, value, ev)
        b.add(rid, "proof", doc_entity, ev)
    # parties' schema may have gained evidence from relations (a director is a person)
    for party in parties:
        pid = party_ids.get(party.index)
        if pid:
            b.schemata[pid] = party.schema
    add_facts(b, sents, [(m.start, m.end, party_ids[p.index]) for p in parties if p.index in party_ids for m in p.mentions])
    document = Document(id=doc_id, dataset=dataset, title=title or doc_id, path=path, mime=mime, text=text)
    return ExtractionResult(entities=b.entities(), statements=b.statements(), document=document, backend="rules")

"""Relations read from the dependency parse between two party mentions.

The pattern rules in :mod:`redthread.extract.relations` know the words
*between* two names; they miss the same fact as soon as a relative clause,
a passive, an appositive or a list sits in the way. Here each candidate
sentence is parsed and every predicate whose lemma is in ``frames.yaml``
(verbs such as "supply", "procure", "work with"; nouns such as
"subsidiary", "director", "front") gets its arguments by grammatical role:
subject, object, "of"/possessor, and prepositional paths ("on behalf of",
"as a front for"). Passives are undone ("was owned by X" = "X owned"),
relative clauses and participles attach to the noun they modify,
conjuncts and appositives share their head's role, "its" goes to the
organisation the text is about, and a collective subject ("these
companies") stands for the parties of that kind just listed.

Only sentences with two parties (or one and a reference) and a word of the
vocabulary are parsed, so the parser's cost stays proportional to the
sentences that can carry a relation. The rules' findings win: a pair of
parties the rules already relate gets nothing more from here.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import redthread.extract.budget as budget
import redthread.extract.nlp as nlp
from redthread.extract.lexicon import Authority, lexicon, load_yaml
from redthread.extract.mentions import Mention
from redthread.extract.normalize import PERCENT_RE, format_percentage, parse_money, parse_percentage
from redthread.extract.parties import Party
from redthread.extract.relations import HEDGED_CONFIDENCE, Relation, _add_dates, _hedge, _money_in
from redthread.extract.sanctions import issuer

FRAMES_PATH = Path(__file__).with_name("frames.yaml")
#: Confidence of a relation read from the parse (the rules' is 0.8: their phrases are more specific).
CONFIDENCE = 0.7
WH = frozenset({"which", "that", "who", "whom", "whose"})
COPULAS = frozenset({"be", "become", "remain"})
DENIALS = frozenset({"deny", "dispute", "reject", "refute", "decline"})
#: Nouns that, made plural with "these"/"those"/"both"/"the two", stand for the parties just listed.
COLLECTIVE_ORG = frozenset({"company", "firm", "entity", "supplier", "business", "distributor", "manufacturer",
                            "front", "network", "intermediary", "exporter", "importer", "trader", "shell"})
COLLECTIVE_PERSON = frozenset({"individual", "person", "people", "man", "woman", "national", "executive", "defendant"})
NOUN_POS = frozenset({"NOUN", "PROPN"})
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
            "both": 2}


@dataclass(frozen=True)
class Frame:
    """One way a predicate expresses an edge: which roles fill the source and target ends."""

    schema: str
    lemmas: frozenset[str] | None  # None: any verb
    source: tuple[str, ...]
    target: tuple[str, ...]
    parties_only: bool = False
    noun: bool = False
    money_only: bool = False  # a verb frame that holds only when its object is money ("paid USD 4,000 to Y")


@dataclass(frozen=True)
class Frames:
    verbs: tuple[Frame, ...]
    nouns: tuple[Frame, ...]
    trigger: re.Pattern[str]  # a cheap test: could this sentence hold one of the predicates?
    sanction_verbs: frozenset[str] = frozenset()
    sanction_nouns: frozenset[str] = frozenset()
    sanction_preps: frozenset[str] = frozenset()
    money: frozenset[str] = frozenset()  # objects that make a transfer a payment

    def for_verb(self, lemma: str) -> list[Frame]:
        return [f for f in self.verbs if f.lemmas is None or lemma in f.lemmas]

    def for_noun(self, keys: Iterable[str]) -> list[Frame]:
        keys = set(keys)
        return [f for f in self.nouns if f.lemmas is not None and f.lemmas & keys]


def _expand(values: Iterable[str], lists: dict[str, list[str]]) -> list[str]:
    out: list[str] = []
    for v in values:
        m = re.search(r"\{(\w+)\}", v)
        if m:
            out += [v.replace(m.group(0), w) for w in lists[m.group(1)]]
        else:
            out.append(v)
    return out


@cache
def frames() -> Frames:
    """The frames of ``frames.yaml`` plus the lexicon's roles (director/employment), compiled once."""
    data: dict[str, Any] = load_yaml(FRAMES_PATH)
    lists: dict[str, list[str]] = data.get("lists", {})

    def build(entry: dict[str, Any], noun: bool) -> Frame:
        lemmas = _expand(entry["lemmas"], lists)
        return Frame(
            entry["schema"], None if lemmas == ["*"] else frozenset(w.lower() for w in lemmas),
            tuple(_expand(entry["source"], lists)), tuple(_expand(entry["target"], lists)),
            bool(entry.get("parties_only")), noun, bool(entry.get("money_only")),
        )

    verbs = tuple(build(e, False) for e in data["verbs"])
    nouns = [build(e, True) for e in data["nouns"]]
    lex = lexicon()
    director = frozenset(r.lower() for r in lex.director_roles)
    employment = frozenset(r.lower() for r in lex.employment_roles) - director
    nouns.append(Frame("Directorship", director, ("subj",), ("of",), noun=True))
    nouns.append(Frame("Employment", employment, ("subj",), ("of", "prep:at", "prep:for"), noun=True))
    # "Y is X's wife", "Y, the son of X": the relative is the noun's subject ("partner" is a business tie)
    kin = frozenset(k.lower() for k in lex.kinship) - {"partner"} - {w.lower() for w in lex.associate_words}
    nouns.append(Frame("Family", kin, ("of",), ("subj",), noun=True))
    sanctions = data.get("sanctions", {})
    s_verbs = frozenset(w.lower() for w in sanctions.get("verbs", ()))
    s_nouns = frozenset(w.lower() for w in sanctions.get("nouns", ()))
    words: set[str] = {w.split()[-1] for w in s_verbs | s_nouns}
    for f in (*verbs, *nouns):
        for lemma in f.lemmas or ():
            words.add(lemma.split()[-1])
        for role in f.source + f.target:
            if role.startswith("prep:"):
                words.update(w for w in role[5:].split() if len(w) > 3)
    words.update("re" + w for w in _IRREGULAR)  # "resold": the prefixed past form holds no lemma of the frames
    words.update(_PAST[w] for w in list(words) if w in _PAST)  # "sold", "paid": no stem of "sell", "pay"
    stems = sorted({w[:-1] if w.endswith(("e", "y")) and len(w) > 4 else w for w in words}, key=len, reverse=True)
    trigger = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")", re.IGNORECASE)
    return Frames(verbs, tuple(nouns), trigger, s_verbs, s_nouns,
                  frozenset(w.lower() for w in sanctions.get("target_prepositions", ())),
                  frozenset(lists.get("money_nouns", ())))


class _Sentence:
    """One parsed sentence with its mentions mapped onto tokens."""

    def __init__(self, doc: Any, start: int, mentions: list[Mention], schema_of: dict[int, str],
                 previous: list[Mention]) -> None:
        self.doc = doc
        self.start = start
        self.schema_of = schema_of
        self.previous = previous  # mentions of the sentences before, nearest sentence last
        self.by_token: dict[int, Mention] = {}
        offsets = [start + tok.idx for tok in doc]  # ascending: each mention's tokens found by bisection
        for m in mentions:  # (every token against every mention was quadratic in a sentence-long list)
            for i in range(bisect.bisect_left(offsets, m.start), bisect.bisect_left(offsets, m.end)):
                self.by_token.setdefault(i, m)
        self.mentions = mentions

    def is_person(self, m: Mention) -> bool:
        return self.schema_of.get(m.party) == "Person"

    # -- from a token to the parties it names ---------------------------------------------------
    def parties(self, tok: Any, conjuncts: bool = True) -> list[Mention]:
        """The mentions a role-filling token stands for: itself, its conjuncts and appositives, or a reference.

        ``conjuncts=False`` for the anchor of an appositive: in "A, the director of X, and B" only A is
        the director, though B hangs on A as its conjunct.
        """
        out: list[Mention] = []
        seen: set[int] = set()
        stack = [tok]
        while stack:
            t = stack.pop()
            if t.i in seen:
                continue
            seen.add(t.i)
            m = self.by_token.get(t.i)
            if m is not None and m.reference and any(
                c.dep_ == "appos" and c.i in self.by_token and not self.by_token[c.i].reference for c in t.children
            ):
                m = None  # "the firm, Foo LLC": the appositive names the party; the reference may be resolved wrongly
                stack += [c for c in t.children if c.dep_ == "appos"]
                continue
            if m is not None:
                if all(x is not m for x in out):
                    out.append(m)
            else:
                refs = self._reference(t)  # "A, B and C, three companies with which ...": the set first
                out += [r for r in refs if all(x is not r for x in out)]
                if not refs and t.dep_ == "appos" and t.head.i in self.by_token and t.head.i not in seen:
                    stack.append(t.head)  # "X, a company in Georgia that supplied ...": the description is X
            stack += [c for c in t.children if c.dep_ == "appos" or (c.dep_ == "conj" and conjuncts)]
            # "companies, including A, B and C": the members stand for the noun
            stack += [p for c in t.children if c.dep_ == "prep" and c.lower_ in ("including", "like")
                      for p in c.children if p.dep_ == "pobj"]
            # "the shares of X are owned by Y", "a stake in X": a holding stands for the firm it is in
            if t.lemma_.lower() in _STAKE_NOUNS and t.i not in self.by_token:
                stack += [p for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "in")
                          for p in c.children if p.dep_ == "pobj"]
            # "a network of shell companies, including A and B": the set's members are in its "of" noun
            if t.lemma_.lower() in _SET_NOUNS and t.i not in self.by_token:
                stack += [p for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                          for p in c.children if p.dep_ == "pobj"]
            # "Sumchenko, Hong Fan, and Lufeng" parse as a chain of conjuncts; a compound noun names its head
            stack += [c for c in t.children if c.dep_ == "compound" and c.i in self.by_token]
        return out

    def _reference(self, tok: Any) -> list[Mention]:
        low = tok.lower_
        if low in ("its", "it"):
            return self._it(tok)
        if tok.pos_ in NOUN_POS and tok.tag_ in ("NNS", "NNPS") and any(
            c.lower_ in ("these", "those", "such", "all") or c.lower_ in _NUMBERS for c in tok.children
        ):
            lemma = tok.lemma_.lower()
            if lemma in COLLECTIVE_ORG:
                return self._group(tok, person=False)
            if lemma in COLLECTIVE_PERSON:
                return self._group(tok, person=True)
        return []

    def _it(self, tok: Any) -> list[Mention]:
        """"its"/"it": the first organisation named before it in this sentence, else in the nearest sentence before."""
        subject = self._clause_subject(tok) if tok.lower_ == "it" else set()
        here = [m for m in self.mentions if m.start < self.start + tok.idx and not self.is_person(m)
                and m.party not in subject]
        if here:  # "its" the first organisation (the sentence's topic); an object "it" the nearest one
            return [here[0] if tok.lower_ == "its" else here[-1]]
        orgs = [m for m in self.previous if not self.is_person(m) and m.party not in subject]
        return orgs[:1]  # the subject of the sentence before comes first in it, as a rule

    def _clause_subject(self, tok: Any) -> set[int]:
        """The parties of the subject of the clause an object "it" is in: "X owns it" never means X owns X."""
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return set()
        head = tok.head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        out: set[int] = set()
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass", "agent"):
                out.update(m.party for m in self.parties(child))
        return out

    def _group(self, tok: Any, person: bool) -> list[Mention]:
        """The parties of one kind listed just before a collective noun (two or more; "three companies": the last three).

        Public bodies are never among "these companies": they are the ones acting on them.
        """
        count = next((_NUMBERS[c.lower_] for c in tok.children if c.lower_ in _NUMBERS), None)
        before = [m for m in self.mentions if m.end <= self.start + tok.idx]
        for pool in (before, self.previous):
            parties: dict[int, Mention] = {}
            for m in reversed(pool):  # nearest first
                kind = self.schema_of.get(m.party)
                if (kind == "Person") == person and kind != "PublicBody":
                    parties.setdefault(m.party, m)
            if len(parties) >= 2:
                group = list(parties.values())
                return group[:count] if count and len(group) >= count else group
        return []

    # -- predicates and their arguments ---------------------------------------------------------
    def verb_args(self, v: Any) -> dict[str, list[Any]]:
        args: dict[str, list[Any]] = defaultdict(list)
        kids = list(v.children)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in kids) or (v.dep_ == "acl" and v.tag_ == "VBN")
        subj = [c for c in kids if c.dep_ == "nsubj"]
        obj = [c for c in kids if c.dep_ == ("nsubjpass" if passive else "dobj")]
        if passive and not obj:  # "The council is co-chaired by": the parser hangs the subject on "is"
            obj = [s for c in kids if c.dep_ == "auxpass" for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]
        anchor = v.head if v.dep_ in ("relcl", "acl") else None
        if anchor is not None:
            subj = [anchor if c.lower_ in WH else c for c in subj]
            obj = [anchor if c.lower_ in WH else c for c in obj]
            if v.dep_ == "acl" and not subj and not obj:
                (obj if passive else subj).append(anchor)  # "X, owned by Y" / "X, acting for Y"
        if not subj and not passive and v.dep_ in ("conj", "xcomp", "advcl", "acomp") and v.head.pos_ in ("VERB", "AUX"):
            subj = self.verb_args(v.head)["subj"]  # "X arranged the cargoes and acted as ..."
        if passive:
            subj = [p for c in kids if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            if not subj:  # "X was supplied with bearings by Y": the parser hangs the by-phrase on the goods
                subj = [p for c in kids if c.dep_ == "prep" and c.lower_ == "with" for g in c.children
                        if g.dep_ == "pobj" for b in g.children if b.dep_ in ("prep", "agent") and b.lower_ == "by"
                        for p in b.children if p.dep_ == "pobj"]
        # "chaired by A, head of X, and B": a long first conjunct makes the parser hang B on the verb;
        # a name conjoined to a verb goes on the verb's last argument (the by-object, else the object)
        stray = [c for c in kids if c.dep_ == "conj" and c.pos_ in NOUN_POS]
        if stray and (subj if passive else obj):
            (subj if passive else obj).extend(stray)
        if not obj and not passive:  # "X owns and runs Y": the verbs share the last one's object
            obj = [d for c in kids if c.dep_ == "conj" and c.pos_ == "VERB" for d in c.children if d.dep_ == "dobj"]
        args["subj"] = subj
        args["obj"] = obj
        if any(c.dep_ in ("xcomp", "advcl") and c.lemma_.lower() in _ACQUIRE for c in kids):
            args["means"] = obj  # "X used a network of A and B to obtain parts": A and B obtained them for X
        if passive and v.dep_ == "acl" and anchor is not None and anchor.i not in self.by_token \
                and anchor.dep_ == "dobj" and anchor.head.pos_ == "VERB":
            args["holder"] = self.verb_args(anchor.head)["subj"]  # "Y refined the gold supplied by X": Y has it
        # the parser often hangs "for Y" on the goods ("procured gyroscopes for Y"): read it off the object too
        goods = [c for c in kids if c.dep_ == "dobj" and c.i not in self.by_token]
        for c in kids + [g for o in goods for g in o.children]:
            if c.dep_ in ("prep", "dative"):
                for path, tok in _prep_paths(c):
                    args["prep:" + path].append(anchor if anchor is not None and tok.lower_ in WH else tok)
        return args

    def noun_args(self, n: Any) -> dict[str, list[Any]]:
        """A noun predicate's arguments; coordinated role nouns share them.

        "X, the owner and president of Y" / "X is the general director and beneficial owner of Y":
        the parser gives the "of" to one conjunct and the subject to the other.
        """
        args = self._own_noun_args(n)
        if n.dep_ == "conj" and n.head.pos_ in NOUN_POS and n.head.i not in self.by_token:
            head = self._own_noun_args(n.head)
            for role in ("subj", "subj!"):
                args[role] += [t for t in head.get(role, ()) if t not in args[role]]
            if not args["of"]:
                args["of"] = head["of"]
        if not args["of"]:
            for c in n.children:
                if c.dep_ == "conj" and c.pos_ in NOUN_POS and c.i not in self.by_token:
                    args["of"] = self._own_noun_args(c)["of"]
        return args

    def _own_noun_args(self, n: Any) -> dict[str, list[Any]]:
        args: dict[str, list[Any]] = defaultdict(list)
        subj: list[Any] = []
        if n.dep_ == "appos":
            args["subj!"].append(n.head)  # the anchor alone, not its conjuncts
        subj += [c for c in n.children if c.dep_ == "appos"]
        head = n.head
        if n.dep_ == "attr" and head.lemma_ in COPULAS:
            subj += [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if head.dep_ == "relcl":  # "X, who is its only director": "who" is X
                subj = [head.head if c.lower_ in WH else c for c in subj]
        if n.dep_ == "nsubj" and head.lemma_ in COPULAS:
            subj += [c for c in head.children if c.dep_ == "attr"]
        if n.dep_ == "compound" and head.pos_ in NOUN_POS:
            subj.append(head)  # "its CEO Jane Roe"
        if n.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in ("VERB", "AUX"):
            subj += self.verb_args(head.head)["subj"]  # "served as director of Y"
        if n.dep_ == "nsubj" and head.lemma_ in ("include", "comprise"):
            subj += [c for c in head.children if c.dep_ == "dobj"]  # "the customers of X included A and B"
        of = [p for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
        if not subj:  # "the owner of Y, X, declined": the parser hangs the holder X on Y as its appositive
            subj += [a for p in of if p.i in self.by_token for a in p.children
                     if a.dep_ == "appos" and a.i in self.by_token and self.by_token[a.i].party != self.by_token[p.i].party]
        args["subj"] = subj
        args["of"] = of + [_whose(c) for c in n.children if c.dep_ == "poss"]
        # "shipments of chips from X to Y": the parser may hang "from X" / "to Y" on the goods
        goods = [p for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                 if p.dep_ == "pobj" and p.i not in self.by_token]
        # a light verb carries the flow's ends: "payments were made by X to Y", "X issued invoices to Y"
        light = [head] if n.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB" and head.lemma_ in _LIGHT else []
        for c in [*n.children, *(g for o in goods for g in o.children), *(c for v in light for c in v.children)]:
            if c.dep_ in ("prep", "agent", "dative"):
                for path, tok in _prep_paths(c):
                    args["prep:" + path].append(tok)
        for v in light:  # the doer of the light verb: the sender, or the receiver of "received payments"
            if n.dep_ == "dobj":
                args["prep:to" if v.lemma_ == "receive" else "prep:by"] += [c for c in v.children if c.dep_ == "nsubj"]
        return args

    def negated(self, tok: Any) -> bool:
        """A negation or a denial over the predicate; a relative clause or appositive states its own fact
        ("X, who owns Y, declined to comment": the owning is not declined)."""
        t = tok
        for _ in range(6):
            if any(c.dep_ == "neg" for c in t.children) or (t is not tok and t.lemma_ in DENIALS):
                return True
            if t.head is t or t.dep_ in ("relcl", "appos"):
                return False
            if t is tok and tok.pos_ in NOUN_POS and tok.dep_ in ("nsubj", "nsubjpass"):
                return False  # "The owner of Y, X, declined to comment": the verb says nothing of the owning
            t = t.head
        return False


def _prep_paths(prep: Any) -> Iterator[tuple[str, Any]]:
    """("on behalf of", Y) for "on behalf of Y"; ("as front for", Y) for "as a front for Y"; two levels deep."""
    for pobj in prep.children:
        if pobj.dep_ != "pobj":
            continue
        yield prep.lower_, pobj
        for p2 in pobj.children:
            if p2.dep_ == "prep":
                for pobj2 in p2.children:
                    if pobj2.dep_ == "pobj":
                        yield f"{prep.lower_} {pobj.lemma_.lower()} {p2.lower_}", pobj2


def _may_be_keyed(n: Any, phrases: frozenset[str]) -> bool:
    """Whether any of :func:`_noun_keys` can be among ``phrases``, from the lemma's last word alone.

    Every key but the word as written ends in the lemma, so a phrase whose last word is not the
    lemma's cannot be one: the dear walk over the noun's modifiers is skipped for most nouns.
    """
    words = str(n.lemma_).lower().split()
    return not words or words[-1] in _last_words(phrases) or n.lower_ in phrases


@lru_cache(maxsize=8)
def _last_words(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(p.split()[-1] for p in phrases if p.split())


@cache
def _noun_phrases() -> frozenset[str]:
    """Every lemma phrase of the noun frames."""
    return frozenset(w for f in frames().nouns for w in f.lemmas or ())


def _noun_keys(n: Any) -> list[str]:
    """The lemma and the phrases ending in it ("general director", "sole shareholder")."""
    mods = [c for c in n.children if c.dep_ in ("compound", "amod") and c.i < n.i]
    words = [c.lower_ for c in mods] + [n.lemma_.lower()]
    return [" ".join(words[i:]) for i in range(len(words))] + [n.lower_]


def _role_text(n: Any) -> str:
    mods = [c for c in n.children if c.dep_ in ("compound", "amod") and c.i < n.i and c.pos_ != "PROPN"]
    return " ".join([c.text for c in mods] + [n.text])


def _fill(sent: _Sentence, args: dict[str, list[Any]], roles: tuple[str, ...]) -> list[Mention]:
    out: list[Mention] = []
    for role in roles:
        for tok in args.get(role, ()):
            out += [m for m in sent.parties(tok) if all(x is not m for x in out)]
        for tok in args.get(role + "!", ()):
            out += [m for m in sent.parties(tok, conjuncts=False) if all(x is not m for x in out)]
    return out


def _candidates(sent: _Sentence) -> Iterator[tuple[Frame, Any, Mention, Mention]]:
    fr = frames()
    for tok in sent.doc:
        if tok.i in sent.by_token:
            continue  # a word of a name ("Industries", "Director" in a title) is no predicate
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.dep_ == "acomp" and tok.lower_ in _ADJ_VERBS):
            found = fr.for_verb(_ADJ_VERBS.get(tok.lower_, "") if tok.pos_ == "ADJ" else _verb_lemma(tok))
            args = sent.verb_args(tok) if found else {}
        elif tok.pos_ in NOUN_POS:
            found = fr.for_noun(_noun_keys(tok)) if _may_be_keyed(tok, _noun_phrases()) else []
            args = sent.noun_args(tok) if found else {}
        else:
            continue
        if not found or sent.negated(tok):
            continue
        money = any(o.i not in sent.by_token and _is_money(o) for o in args.get("obj", ()))
        if money or any(o.lemma_.lower() in _STAKE_NOUNS for o in args.get("obj", ())):
            # "received payments from": money, not goods; "sold its stake in X to Y": a holding, not goods
            found = [f for f in found if f.schema != "EconomicActivity"]
        found = [f for f in found if money or not f.money_only]
        if any(o.i in sent.by_token and not sent.is_person(sent.by_token[o.i]) for o in args.get("obj", ())):
            # "she sold the company to Y": a firm sold changes owner; it is no goods ("supplied Y" keeps its object)
            found = [f for f in found if f.schema != "EconomicActivity" or "obj" in f.target]
        for frame in found:
            if frame.schema == "Associate" and not args.get("subj") and args.get("obj"):
                args = {**args, "subj": args["obj"]}  # "X was affiliated with Y": a tie has no doer and no object
            sources = _fill(sent, args, frame.source)
            targets = _fill(sent, args, frame.target) if sources else []
            for s in sources:
                for t in targets:
                    if s.party != t.party:
                        yield frame, tok, s, t


#: Participles the model tags as adjectives after "is" ("is married to Y", "is affiliated with Y").
_ADJ_VERBS = {"married": "marry", "affiliated": "affiliate", "linked": "link", "tied": "tie", "connected": "connect"}
#: Holdings that stand for the firm they are in ("the shares of X", "a 40 percent stake in X").
_STAKE_NOUNS = frozenset({"share", "stake", "interest", "equity", "shareholding", "holding", "capital"})
#: Verbs that only carry a noun predicate's ends ("made payments to", "issued invoices to", "arranged shipments").
_LIGHT = frozenset({"make", "issue", "send", "arrange", "execute", "process", "receive", "carry", "effect",
                    "conduct", "organise", "organize", "route", "initiate", "order"})


def _whose(tok: Any) -> Any:
    """"X, whose main customer is Y": "whose" is X (the noun the relative clause hangs on)."""
    if tok.lower_ != "whose":
        return tok
    t = tok
    while t.dep_ != "relcl" and t.head.i != t.i:  # spaCy makes a new Token per access: compare indices
        t = t.head
    return t.head if t.dep_ == "relcl" else tok


#: Nouns for a set whose members are named in its "of" phrase or list ("a network of front companies").
_SET_NOUNS = frozenset({"network", "group", "ring", "web", "series", "set", "number", "chain", "string"})
#: Verbs of getting goods: "to obtain / procure / acquire ..." after a verb of using makes its object the means.
_ACQUIRE = frozenset({"obtain", "procure", "acquire", "buy", "purchase", "source", "import", "get", "secure"})


#: Irregular past forms of the frames' verbs: the cheap trigger looks for stems, and "sold" holds none of "sell".
_PAST = {"sell": "sold", "send": "sent", "buy": "bought", "pay": "paid", "lend": "lent", "hold": "held",
         "lead": "led", "run": "ran", "sit": "sat", "get": "got", "deal": "dealt", "wed": "wed"}
#: Irregular past forms the small model leaves unlemmatised once prefixed ("resold", "re-sent").
_IRREGULAR = {"sold": "sell", "sent": "send", "bought": "buy", "sourced": "source", "shipped": "ship",
              "supplied": "supply", "exported": "export"}


def _verb_lemma(tok: Any) -> str:
    """The verb's lemma; "resold"/"re-shipped" read as "resell"/"reship" (then "sell"/"ship") when the model kept the form."""
    lemma = str(tok.lemma_).lower()
    fr = frames()
    if any(f.lemmas for f in fr.for_verb(lemma)) or not lemma.startswith("re") or len(lemma) < 6:
        return lemma
    base = lemma[2:].lstrip("-")
    base = _IRREGULAR.get(base, base)
    for candidate in ("re" + base, base):
        if any(f.lemmas for f in fr.for_verb(candidate)):
            return candidate
    return lemma


def _money() -> frozenset[str]:
    return frames().money


def _is_money(tok: Any) -> bool:
    """A money object: a money noun ("the funds") or an amount with a currency ("USD 400,000", "$2 million")."""
    if tok.lemma_.lower() in _money():
        return True
    return tok.right_edge.i - tok.left_edge.i < 8 and \
        parse_money(tok.doc[tok.left_edge.i: tok.right_edge.i + 1].text) is not None


def _sanction_targets(sent: _Sentence) -> Iterator[tuple[Any, Mention]]:
    """(predicate, target) for "sanctioned X", "X was designated", "a TDO against X", "sanctions on X"."""
    fr = frames()
    for tok in sent.doc:
        if tok.i in sent.by_token:
            continue
        targets: list[Any] = []
        if tok.pos_ == "VERB" and tok.lemma_.lower() in fr.sanction_verbs:
            targets = sent.verb_args(tok)["obj"]
        elif tok.pos_ in NOUN_POS and _may_be_keyed(tok, fr.sanction_nouns) \
                and fr.sanction_nouns & set(_noun_keys(tok)):
            targets = [p for c in tok.children if c.dep_ == "prep" and c.lower_ in fr.sanction_preps
                       for p in c.children if p.dep_ == "pobj"]
            if tok.head.pos_ == "VERB" and tok.dep_ == "dobj":  # "issued a TDO against X": the PP may hang on the verb
                targets += [p for c in tok.head.children if c.dep_ == "prep" and c.lower_ in fr.sanction_preps
                            for p in c.children if p.dep_ == "pobj"]
        if not targets or sent.negated(tok):  # the predicate first: climbing to a negation is dearer than the words
            continue
        for t in targets:
            for m in sent.parties(t):
                yield tok, m


_ORG_END = {"Ownership": "target", "Directorship": "target", "Employment": "target"}


def _fits(frame: Frame, sent: _Sentence, s: Mention, t: Mention) -> bool:
    """The ends' kinds fit the schema: an asset or an employer is no person, a person is no subsidiary."""
    if frame.schema in _ORG_END and sent.is_person(t):
        return False
    if frame.parties_only and sent.is_person(t):
        return False
    if frame.schema in ("Directorship", "Employment") and not sent.is_person(s):
        return False
    if frame.schema == "Family" and not (sent.is_person(s) and sent.is_person(t)):
        return False
    return True


def _jobs(text: str, sentences: list[tuple[int, int]], mentions: list[Mention]
          ) -> list[tuple[int, int, list[Mention], list[Mention]]]:
    """The sentences worth parsing, with their mentions and those of the sentence before.

    A sentence needs two parties, or one (or one before it) and a reference ("It was sanctioned in
    2023"), and a word of the frames: the parser's cost stays with the sentences that can relate parties.
    """
    ordered = sorted((m for m in mentions if m.party >= 0), key=lambda m: m.start)
    fr = frames()
    jobs: list[tuple[int, int, list[Mention], list[Mention]]] = []
    previous: list[Mention] = []
    idx = 0
    for start, end in sentences:
        inside: list[Mention] = []
        while idx < len(ordered) and ordered[idx].start < end:
            if ordered[idx].start >= start:
                inside.append(ordered[idx])
            idx += 1
        sentence = text[start:end]
        distinct = {m.party for m in inside}
        refers = re.search(r"\b(?:its|it|these|those|both)\b", sentence, re.IGNORECASE)
        if (len(distinct) >= 2 or ((distinct or previous) and refers)) and fr.trigger.search(sentence):
            jobs.append((start, end, inside, previous))
        if inside:
            previous = inside
    return jobs


def _edge(frame: Frame, pred: Any, s: Mention, t: Mention, schema: str, sentence: str,
          span: tuple[int, int]) -> Relation:
    """One edge read from the parse, with the properties its predicate and sentence give."""
    rel = Relation(schema, s, t, span, f"parse:{pred.lemma_.lower()}", confidence=CONFIDENCE)
    if frame.noun and schema in ("Directorship", "Employment"):
        rel.add("role", _role_text(pred))
    if schema == "UnknownLink":
        rel.add("role", pred.lemma_.lower())
    if schema == "Family":
        rel.add("relationship", pred.lower_ if frame.noun else "spouse")
    phrase = _phrase(pred)
    if schema == "Payment":
        amounts = _money_in(phrase) or _money_in(sentence)[:2]
        if len(amounts) == 1 or _money_in(phrase):  # the phrase's first, else the sentence's only one
            rel.add("amount", amounts[0][0])
            rel.add("currency", amounts[0][1])
    if schema == "Ownership":
        shares = list(PERCENT_RE.finditer(phrase)) or list(PERCENT_RE.finditer(sentence))[:2]
        pct = parse_percentage(shares[0].group(0)) if len(shares) == 1 or PERCENT_RE.search(phrase) else None
        if pct is not None:
            rel.add("percentage", format_percentage(pct))
    rel.hedge = _hedge(sentence)
    if rel.hedge:
        rel.confidence = HEDGED_CONFIDENCE
    _add_dates(rel, phrase)
    if "startDate" not in rel.props:
        _add_dates(rel, sentence)
    return rel


def _phrase(pred: Any) -> str:
    """The predicate's own clause: its subtree without conjuncts and relative clauses (a payment noun stands in its verb's).

    A sentence may carry two payments, stakes or dates ("X paid A USD 5,000 in 2020 and B paid C EUR 9,000
    in 2021", "Y, founded in 2015, was paid ... in 2021"): each relation takes the amount, share and date
    written in its own clause, not the sentence's first.
    """
    root = pred
    if pred.pos_ in ("NOUN", "PROPN") and pred.dep_ in ("nsubj", "nsubjpass", "dobj") and pred.head.pos_ in ("VERB", "AUX"):
        root = pred.head  # "payments of X were made by A to B in 2021": the light verb holds the date
    skip: set[int] = set()
    for tok in root.subtree:
        if tok.i in skip:
            continue
        if (tok.head.i == root.i and tok.dep_ in ("conj", "cc")) or tok.dep_ in ("relcl", "advcl", "parataxis"):
            skip.update(t.i for t in tok.subtree)
    out: list[str] = []
    last = -2
    for tok in root.subtree:
        if tok.i in skip:
            continue
        if out and tok.i != last + 1:
            out.append(" ")
        out.append(tok.text_with_ws)
        last = tok.i
    return "".join(out)


def _sanction(pred: Any, target: Mention, authority: Authority, sentence: str, span: tuple[int, int]) -> Relation:
    rel = Relation("Sanction", target, None, span, f"parse-sanction:{pred.lemma_.lower()}", confidence=CONFIDENCE)
    rel.add("authority", authority.name)
    if authority.country:
        rel.add("country", authority.country)
    rel.hedge = _hedge(sentence)
    _add_dates(rel, sentence)
    return rel


def read_relations(text: str, sentences: list[tuple[int, int]], mentions: list[Mention], parties: list[Party],
                   known: list[Relation]) -> list[Relation]:
    """Relations the parse shows between parties that the rules left unrelated."""
    schema_of = {p.index: p.schema for p in parties}
    related = {frozenset((r.source.party, r.target.party)) for r in known if r.target is not None}
    jobs = _jobs(text, sentences, mentions)
    if not jobs:
        return []
    out: list[Relation] = []
    seen: set[tuple[str, int, int]] = set()
    sanctioned = {r.source.party for r in known if r.schema == "Sanction"}
    doc_issuer = issuer(text)
    docs = nlp.run((text[a:b] for a, b, _, _ in jobs), nlp.PARSE, batch_size=64)
    for (start, end, inside, previous), doc in zip(jobs, docs, strict=True):
        budget.check("reading the parse", start)
        sent = _Sentence(doc, start, inside, schema_of, previous)
        for frame, pred, s, t in _candidates(sent):
            schema = frame.schema
            if schema == "Associate" and not (sent.is_person(s) and sent.is_person(t)):
                schema = "UnknownLink"
            k = (schema, s.party, t.party)
            if k in seen or frozenset((s.party, t.party)) in related or not _fits(frame, sent, s, t):
                continue
            seen.add(k)
            out.append(_edge(frame, pred, s, t, schema, text[start:end], (start, end)))
        for pred, target in _sanction_targets(sent):
            if target.party in sanctioned or schema_of.get(target.party) == "PublicBody":
                continue
            authority = _authority(text[start:end], doc_issuer)
            if authority is None:
                continue
            sanctioned.add(target.party)
            out.append(_sanction(pred, target, authority, text[start:end], (start, end)))
    return out


@lru_cache(maxsize=256)
def _authority(sentence: str, issuer: Authority | None) -> Authority | None:
    """The authority a sentence names (the first), else the document's issuer (remembered: asked once per target)."""
    lex = lexicon()
    for m in lex.authority_re.finditer(sentence):
        found = lex.authority(m.group(1))
        if found is not None:
            return found
    return issuer

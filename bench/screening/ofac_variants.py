"""Held-out variants of the real OFAC list: how screening meets the names people actually type.

    .venv/bin/python bench/screening/ofac_variants.py [--per-class 150] [--seed 7] [-v]

Indexes the real 2021 SDN list (../shared/data/ofac-sdn-2021, persons,
companies, organisations, vessels, aircraft) and queries it with variants of
its own names made by generic transformations, one class at a time:

- ``initials``: every given name cut to its initial (the list's firstName);
- ``drop_middle``: all given names but the first dropped;
- ``natural_order``: given names first, no comma (the list writes "FAMILY, Given");
- ``translit``: common romanisation swaps (ou/u, kh/h, y/i, j/y, ph/f, double
  letters single, ...) applied to every word they occur in;
- ``typo``: one letter dropped, doubled, swapped or replaced in one long word;
- ``org_form``: an organisation's legal form dropped (``S.A.``, ``LTD``, ...);
- ``org_typo``: one slip in an organisation's longest word.

Per class it reports recall@1 (the listed entity is the top result, ties
included, and flagged ``match``) and the share of variants whose entity comes
back flagged ``match`` at all. Then the false-positive rate on names that are
*not* listed: the given names of one listed person with the family name of
another (no listed person has both), and the first half of one organisation's
name joined to the second half of another's, each half with a word that is no
legal form or trade word, phrases included (no listed name has
both): any result flagged ``match`` is a false positive, unless the made-up
name holds a name of that very entity whole (see :func:`holds_whole`: the
listed person with a middle name added, every distinctive word of a listed
firm), which a screener is right to flag; those are counted apart.
Threshold 0.7, the default scorer (``--algorithm`` to compare).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import run  # noqa: E402

from redthread.screen import ScreeningIndex, match_index  # noqa: E402
from redthread.screen.names import ORG, analyze, consonants, skeleton, tokens  # noqa: E402
from redthread.screen.scorers import DEFAULT  # noqa: E402
from redthread.screen.vocabulary import GENERIC_WORDS, LEGAL_FORMS, PERSON_PARTICLES  # noqa: E402

THRESHOLD = 0.7
#: Romanisation swaps (one spelling standard against another), tried in turn.
SWAPS = [("ou", "u"), ("kh", "h"), ("y", "i"), ("j", "y"), ("ph", "f"), ("ee", "i"), ("oo", "u"),
         ("dzh", "j"), ("sh", "ch"), ("ck", "k"), ("aa", "a")]
_DOUBLE = re.compile(r"([a-z])\1")


def person_words(ent: dict[str, Any]) -> tuple[list[str], list[str]] | None:
    """The given names and family names of a listed person (the list says which is which)."""
    p = ent["properties"]
    given, family = p.get("firstName", []), p.get("lastName", [])
    if not given or not family:
        return None
    return given[0].split(), family[0].split()


def initials(given: list[str], family: list[str]) -> str | None:
    """Given names cut to their first letter; lower-case particles (al-, bin) kept as written."""
    def cut(w: str) -> str:
        letters = [c for c in w if c.isalpha()]
        return w if not letters or letters[0].islower() else f"{letters[0]}."
    return " ".join([cut(w) for w in given] + family)


def drop_middle(given: list[str], family: list[str]) -> str | None:
    return " ".join(given[:1] + family) if len(given) >= 2 else None


def natural_order(given: list[str], family: list[str]) -> str | None:
    return " ".join(given + family)


def translit(given: list[str], family: list[str]) -> str | None:
    out, changed = [], False
    for w in given + family:
        low = w.lower()
        for a, b in SWAPS:
            if a in low[1:]:
                low = low[0] + low[1:].replace(a, b)
                changed = True
                break
        else:
            if _DOUBLE.search(low):
                low = _DOUBLE.sub(r"\1", low)
                changed = True
        out.append(low.capitalize())
    return " ".join(out) if changed else None


def typo(r: random.Random, words: list[str]) -> str | None:
    longest = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[longest]
    if len(w) < 5:
        return None
    k = r.randrange(1, len(w) - 1)
    op = r.choice(["drop", "double", "swap", "replace"])
    if op == "drop":
        w = w[:k] + w[k + 1:]
    elif op == "double":
        w = w[:k] + w[k] + w[k:]
    elif op == "swap":
        w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    else:
        w = w[:k] + r.choice("aeioutnrsl") + w[k + 1:]
    return " ".join(words[:longest] + [w] + words[longest + 1:])


def org_form(name: str) -> str | None:
    toks = name.replace(",", " ").split()
    for size in (3, 2, 1):
        tail = " ".join(toks[-size:])
        if len(toks) > size and " ".join(tokens(tail)) in LEGAL_FORMS:
            return " ".join(toks[:-size])
    return None


def variants(r: random.Random, ents: list[dict[str, Any]], per_class: int) -> list[tuple[str, str, str, str]]:
    """(class, schema, query name, expected id) for up to ``per_class`` entities per class."""
    persons = [(e, w) for e in ents if e["schema"] == "Person" for w in [person_words(e)] if w]
    orgs = [e for e in ents if e["schema"] in ("Company", "Organization")]
    person_classes: dict[str, Callable[[list[str], list[str]], str | None]] = {
        "initials": initials, "drop_middle": drop_middle, "natural_order": natural_order,
        "translit": translit, "typo": lambda g, f: typo(r, g + f)}
    out: list[tuple[str, str, str, str]] = []
    for cls, fn in person_classes.items():
        pool = r.sample(persons, len(persons))
        made = 0
        for ent, (given, family) in pool:
            q = fn(given, family)
            if q and q != ent["properties"]["name"][0]:
                out.append((cls, "Person", q, ent["id"]))
                made += 1
                if made == per_class:
                    break
    org_classes: dict[str, Callable[[str], str | None]] = {
        "org_form": org_form, "org_typo": lambda n: typo(r, n.split())}
    for cls, ofn in org_classes.items():
        made = 0
        for ent in r.sample(orgs, len(orgs)):
            q = ofn(ent["properties"]["name"][0])
            if q and q != ent["properties"]["name"][0]:
                out.append((cls, ent["schema"], q, ent["id"]))
                made += 1
                if made == per_class:
                    break
    return out


def _fold(words: list[str]) -> tuple[str, ...]:
    """Person-name words as spelling-folded keys: romanisation variants meet (ph/f, kh/h, doubled letters, and
    the vowels, where Arabic romanisations differ most: Daghistani / Dagestani); particles left out (AL-IBRAHIM
    is IBRAHIM)."""
    return tuple(consonants(skeleton(t)) or t for t in tokens(_APOSTROPHES.sub("", " ".join(words)))
                 if t not in PERSON_PARTICLES)


def _person_names(ent: dict[str, Any]) -> list[tuple[list[str], list[str]]]:
    """A listed person's (given names, family name) pairs: "FAMILY, Given" names and aliases, and the name parts."""
    pairs = [(n.split(",", 1)[1].split(), n.split(",", 1)[0].split()) for n in _all_names(ent) if "," in n]
    words = person_words(ent)
    return pairs + ([words] if words else [])


#: Apostrophes write the Arabic ayn and hamza, or not: AL-SHARI'A is AL-SHARIA.
_APOSTROPHES = re.compile("['’ʼʿʾ`]")


def _org_core(name: str) -> frozenset[str]:
    form = analyze(_APOSTROPHES.sub("", name), ORG)
    return frozenset(skeleton(t) for t in form.core) if form else frozenset()


def holds_whole(ent: dict[str, Any], name: str, parts: tuple[list[str], list[str]] | None) -> bool:
    """Whether a made-up name holds one of a listed entity's names whole.

    A person: the same family name with every given name of a listed name
    (the listed name with a middle name added: "Muhammad X EHSAN" holds
    "EHSAN, Muhammad"). An organisation: every distinctive word of a listed
    name ("SEPAHAN CEMENT X" holds "SEPAHAN CEMENT"). Words are compared
    spelling-folded (FARM meets PHARM, apostrophes dropped). A screener that flags such a name
    against that entity is right, whatever the name was made from.
    """
    if parts is not None:
        given, family = set(_fold(parts[0])), _fold(parts[1])
        return any(_fold(f) == family and set(_fold(g)) <= given for g, f in _person_names(ent))
    core = _org_core(name)
    return any(c and c <= core for n in _all_names(ent) for c in [_org_core(n)])


def _all_names(ent: dict[str, Any]) -> list[str]:
    """Every name a listed entity goes by: its name, aliases, weak aliases and previous names."""
    return [n for prop in ("name", "alias", "weakAlias", "previousName") for n in ent["properties"].get(prop, [])]


_NOT_DISTINCTIVE = {k: v for k, v in {**GENERIC_WORDS, **LEGAL_FORMS}.items() if k.isascii()}
_LONGEST_PHRASE = max(len(k.split()) for k in _NOT_DISTINCTIVE)


def _distinctive(words: list[str]) -> bool:
    """Some word of four letters or more outside every legal form and trade word (else the half says nothing).

    Legal forms and trade words are matched as phrases, so one spelled over
    several words ("closed joint stock company", "sociedad anonima") is a form too.
    """
    toks = tokens(" ".join(words))
    i = 0
    while i < len(toks):
        for size in range(min(_LONGEST_PHRASE, len(toks) - i), 0, -1):
            if " ".join(toks[i:i + size]) in _NOT_DISTINCTIVE:
                i += size
                break
        else:
            if len(toks[i]) >= 4:
                return True
            i += 1
    return False


Negative = tuple[str, str, str, tuple[list[str], list[str]] | None]


def negatives(r: random.Random, ents: list[dict[str, Any]], count: int) -> list[Negative]:
    """(class, schema, name, (given, family) of a person) built from listed name parts in combinations no listed
    entity has."""
    persons = [w for e in ents if e["schema"] == "Person" for w in [person_words(e)] if w]
    orgs = [e["properties"]["name"][0].split() for e in ents if e["schema"] in ("Company", "Organization")]
    token_sets = [frozenset(tokens(n)) for e in ents for n in _all_names(e)]
    by_token: dict[str, list[frozenset[str]]] = {}
    for ts in token_sets:
        for t in ts:
            by_token.setdefault(t, []).append(ts)

    def listed_together(a: str, b: str) -> bool:
        ta, tb = tokens(a), tokens(b)
        return not ta or not tb or any(set(ta) | set(tb) <= ts for ts in by_token.get(ta[0], []))

    out: list[Negative] = []
    while len(out) < count // 2:
        (a_given, _), (_, b_family) = r.sample(persons, 2)
        given, family = " ".join(a_given), " ".join(b_family)
        if not listed_together(given, family):
            out.append(("neg:person_other_family", "Person", f"{given} {family}", (a_given, b_family)))
    while len(out) < count:
        a, b = r.sample(orgs, 2)
        head, tail = a[:max(1, len(a) // 2)], b[len(b) // 2:]
        if _distinctive(head) and _distinctive(tail) and not listed_together(" ".join(head), " ".join(tail)):
            out.append(("neg:org_two_halves", "Company", " ".join(head + tail), None))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-class", type=int, default=150)
    ap.add_argument("--negatives", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--algorithm", default=DEFAULT)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    ents = run.load_ofac()
    if not ents:
        sys.exit("no ../shared/data/ofac-sdn-2021")
    index = ScreeningIndex.build(ents)
    r = random.Random(a.seed)
    start = time.process_time()

    def ask(schema: str, name: str) -> list[dict[str, Any]]:
        body = match_index(index, {"q": {"schema": schema, "properties": {"name": [name]}}},
                           threshold=THRESHOLD, limit=5, algorithm=a.algorithm)
        results: list[dict[str, Any]] = body["responses"]["q"]["results"]
        return results

    stats: dict[str, list[int]] = {}
    for cls, schema, q, eid in variants(r, ents, a.per_class):
        res = ask(schema, q)
        top = res[0]["score"] if res else 0.0
        hit = next((x for x in res if x["id"] == eid), None)
        at1 = hit is not None and hit["match"] and hit["score"] >= top
        row = stats.setdefault(cls, [0, 0, 0])
        row[0] += 1
        row[1] += at1
        row[2] += hit is not None and hit["match"]
        if a.verbose and not (hit and hit["match"]):
            print(f"  MISS {cls:<12} {q!r} -> {res[0]['caption'] if res else None!r}"
                  f" ({hit['score'] if hit else 'not returned'})")
    total = [sum(v[k] for v in stats.values()) for k in range(3)]
    print(f"{'class':<14}{'n':>5}{'recall@1':>10}{'match':>8}")
    for cls, (n, at1, flagged) in stats.items():
        print(f"{cls:<14}{n:>5}{at1 / n:>10.3f}{flagged / n:>8.3f}")
    print(f"{'all':<14}{total[0]:>5}{total[1] / total[0]:>10.3f}{total[2] / total[0]:>8.3f}")
    by_id = {e["id"]: e for e in ents}
    fp: dict[str, list[int]] = {}
    for cls, schema, q, parts in negatives(r, ents, a.negatives):
        res = ask(schema, q)
        flagged = [x for x in res if x["match"]]
        bad = [x for x in flagged if not holds_whole(by_id[x["id"]], q, parts)]
        row = fp.setdefault(cls, [0, 0, 0])
        row[0] += 1
        row[1] += bool(bad)
        row[2] += bool(flagged) and not bad
        if a.verbose and flagged:
            x = (bad or flagged)[0]
            print(f"  {'FALSE' if bad else 'HOLDS'} {cls:<22} {q!r} -> {x['caption']!r} ({x['score']})")
    for cls, (n, wrong, held) in fp.items():
        print(f"{cls:<26}{n:>5} false-positive rate {wrong / n:.3f}; flagged against a listed name it holds whole "
              f"{held}")
    n_neg = sum(v[0] for v in fp.values())
    print(f"false-positive rate {sum(v[1] for v in fp.values()) / n_neg:.3f} on {n_neg} non-listed names; "
          f"queries {time.process_time() - start:.1f} s CPU")


if __name__ == "__main__":
    main()

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
*not* listed: a given name of one listed person with the family name of
another (no listed person has both), and the first half of one organisation's
name joined to the second half of another's, each half with a word that is no
legal form or trade word (no listed name has both): any result flagged ``match`` is a false positive. Threshold 0.7, the
default scorer (``--algorithm`` to compare).
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
from redthread.screen.names import tokens  # noqa: E402
from redthread.screen.scorers import DEFAULT  # noqa: E402
from redthread.screen.vocabulary import GENERIC_WORDS, LEGAL_FORMS  # noqa: E402

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


def negatives(r: random.Random, ents: list[dict[str, Any]], count: int) -> list[tuple[str, str, str]]:
    """(class, schema, name) built from listed name parts in combinations no listed entity has."""
    persons = [w for e in ents if e["schema"] == "Person" for w in [person_words(e)] if w]
    orgs = [e["properties"]["name"][0].split() for e in ents if e["schema"] in ("Company", "Organization")]
    token_sets = [frozenset(tokens(n)) for e in ents for n in e["properties"].get("name", [])
                  + e["properties"].get("alias", [])]
    by_token: dict[str, list[frozenset[str]]] = {}
    for ts in token_sets:
        for t in ts:
            by_token.setdefault(t, []).append(ts)

    def listed_together(a: str, b: str) -> bool:
        ta, tb = tokens(a), tokens(b)
        return not ta or not tb or any(set(ta) | set(tb) <= ts for ts in by_token.get(ta[0], []))

    def distinctive(words: list[str]) -> bool:
        """Some word of four letters or more that is no legal form or trade word (else the half says nothing)."""
        return any(len(t) >= 4 and t not in LEGAL_FORMS and t not in GENERIC_WORDS for t in tokens(" ".join(words)))

    out: list[tuple[str, str, str]] = []
    while len(out) < count // 2:
        (a_given, _), (_, b_family) = r.sample(persons, 2)
        given, family = " ".join(a_given), " ".join(b_family)
        if not listed_together(given, family):
            out.append(("neg:person_other_family", "Person", f"{given} {family}"))
    while len(out) < count:
        a, b = r.sample(orgs, 2)
        head, tail = a[:max(1, len(a) // 2)], b[len(b) // 2:]
        if distinctive(head) and distinctive(tail) and not listed_together(" ".join(head), " ".join(tail)):
            out.append(("neg:org_two_halves", "Company", " ".join(head + tail)))
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
    fp: dict[str, list[int]] = {}
    for cls, schema, q in negatives(r, ents, a.negatives):
        res = ask(schema, q)
        bad = [x for x in res if x["match"]]
        row = fp.setdefault(cls, [0, 0])
        row[0] += 1
        row[1] += bool(bad)
        if a.verbose and bad:
            print(f"  FALSE {cls:<22} {q!r} -> {bad[0]['caption']!r} ({bad[0]['score']})")
    for cls, (n, wrong) in fp.items():
        print(f"{cls:<26}{n:>5} false-positive rate {wrong / n:.3f}")
    n_neg = sum(v[0] for v in fp.values())
    print(f"false-positive rate {sum(v[1] for v in fp.values()) / n_neg:.3f} on {n_neg} non-listed names; "
          f"queries {time.process_time() - start:.1f} s CPU")


if __name__ == "__main__":
    main()

"""A held-out check of our own: labelled pairs of the peers' classes, made from the real OFAC 2021 list.

    .venv/bin/python bench/screening/peer_style.py [--per-class 80] [--seed 2027] [-v]

The peers' labelled pairs (``../shared/data/matching``) are few per class
and we have read them; the held-out sets the project is judged on have the
same classes with other names. This bench makes pairs of those classes from
the listed names themselves, by rules written without looking at any
particular name, with a fixed seed, so that a change is measured on names
nobody tuned on. Each pair is a query and the listed entity it is or is not;
as in ``score_pairs.py``, a pair counts as a match when that entity comes back
flagged ``match`` (threshold 0.7) from the index of the whole list.

Labelled a match (the peers label these so):

- ``translit_standard``: every word of a person's name rewritten in another
  romanisation standard (German: j for y, sch for sh, w for v; French: ou
  for u, ch for sh, dj for j; Latvian: an -s ending on each name);
- ``legal_form_spelled``: a firm's abbreviated legal form written out
  (LTD -> Limited, LLC -> Limited Liability Company, JSC -> Joint Stock
  Company, S.A. -> Sociedad Anonima, ...) or the other way round;
- ``family_first``: a person's family name first, then the given names, no comma;
- ``one_middle_dropped``: one given name that is not the first left out;
- ``title_added``: a title or honorific before the name in natural order;
- ``birth_date_same``: the name with one slip, and the listed birth date.

Labelled no match (the peers label these so):

- ``birth_date_conflict``: the listed name as it stands with a birth date
  5 to 15 years from every listed one;
- ``legal_form_conflict``: a firm's legal form replaced by one of another
  class (a limited company written as a joint-stock one, and back), for
  firms all of whose names state their form;
- ``other_given_name``: a listed family name with the given names of
  another listed person, none of which meets a given name of anyone listed
  under that family name (a relative, a namesake);
- ``org_word_added``: a firm's name with a distinctive word of another
  listed firm added before its legal form (a sister firm: "X Systems Ltd" is
  not "X Ltd").

Prints per class the share of pairs judged right, then accuracy, precision
and recall over all pairs.
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

import ofac_variants as ov  # noqa: E402
import run  # noqa: E402

from redthread.screen import ScreeningIndex, match_index  # noqa: E402
from redthread.screen.names import tokens  # noqa: E402
from redthread.screen.scorers import DEFAULT  # noqa: E402
from redthread.screen.vocabulary import LEGAL_FORMS  # noqa: E402

THRESHOLD = 0.7
Entity = dict[str, Any]
#: (class, schema, query properties, listed entity id, labelled a match)
Pair = tuple[str, str, dict[str, list[str]], str, bool]

#: Romanisation standards as letter rewrites (applied to lower-case words, longest spelling first).
STANDARDS: dict[str, dict[str, str]] = {
    "german": {"shch": "schtsch", "sh": "sch", "zh": "sch", "ch": "tsch", "kh": "ch", "y": "j", "v": "w",
               "ts": "z"},
    "french": {"sh": "ch", "u": "ou", "j": "dj", "kh": "kh", "y": "i"},
    "latvian": {},
}
#: Abbreviated legal forms and their spelled-out forms (both directions are used).
SPELLED = {"LTD": "LIMITED", "LLC": "LIMITED LIABILITY COMPANY", "JSC": "JOINT STOCK COMPANY",
           "S.A.": "SOCIEDAD ANONIMA", "CO.": "COMPANY", "CORP.": "CORPORATION", "INC.": "INCORPORATED",
           "GMBH": "GESELLSCHAFT MIT BESCHRANKTER HAFTUNG", "PLC": "PUBLIC LIMITED COMPANY"}
#: Forms of one class only, by their tokens, and forms of another class to write instead (a limited company
#: written as a joint-stock one, and back). "Corp." and national forms whose class is disputed are left out.
_LIMITED = {"ltd", "limited", "llc", "co ltd", "company limited", "gmbh", "ooo"}
_JOINT_STOCK = {"jsc", "ag", "oao", "ojsc", "cjsc", "pjsc", "zao", "pao"}
OTHER_CLASS = {**{f: ["JSC", "AG"] for f in _LIMITED}, **{f: ["LLC", "GMBH", "LTD"] for f in _JOINT_STOCK}}
TITLES = ["Dr.", "Mr.", "General", "Sheikh", "Colonel", "Prof."]


def _rewrite(word: str, table: dict[str, str]) -> str:
    if not table:
        return word + "s" if word[-1:].isalpha() and word[-1] not in "aeious" else word
    pattern = re.compile("|".join(sorted(map(re.escape, table), key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group()], word)


def translit_standard(r: random.Random, given: list[str], family: list[str]) -> str | None:
    table = STANDARDS[r.choice(sorted(STANDARDS))]
    words = [w.lower() for w in given + family]
    out = [_rewrite(w, table) for w in words]
    return " ".join(w.capitalize() for w in out) if out != words else None


def family_first(r: random.Random, given: list[str], family: list[str]) -> str | None:
    return " ".join(family + given)


def one_middle_dropped(r: random.Random, given: list[str], family: list[str]) -> str | None:
    if len(given) < 2:
        return None
    k = r.randrange(1, len(given))
    return " ".join(given[:k] + given[k + 1:] + family)


def title_added(r: random.Random, given: list[str], family: list[str]) -> str | None:
    return " ".join([r.choice(TITLES)] + given + family)


def _form_split(name: str) -> tuple[str, str, str] | None:
    """A firm name's head, legal form as written, and its class (the form at the end only)."""
    toks = name.replace(",", " ").split()
    for size in (4, 3, 2, 1):
        if len(toks) > size:
            tail = " ".join(toks[-size:])
            cls = LEGAL_FORMS.get(" ".join(tokens(tail)))
            if cls is not None:
                return " ".join(toks[:-size]), tail, cls
    return None


def legal_form_spelled(r: random.Random, name: str) -> str | None:
    split = _form_split(name)
    if split is None:
        return None
    head, form, _ = split
    for short, long_ in SPELLED.items():
        if form.upper() == short:
            return f"{head} {long_}"
        if form.upper() == long_:
            return f"{head} {short}"
    return None


def legal_form_conflict(r: random.Random, name: str) -> str | None:
    split = _form_split(name)
    form = " ".join(tokens(split[1])) if split is not None else ""
    if split is None or form not in OTHER_CLASS:
        return None
    return f"{split[0]} {r.choice(OTHER_CLASS[form])}"


def _shift_year(r: random.Random, dates: list[str]) -> str | None:
    years = {int(d[:4]) for d in dates if d[:4].isdigit()}
    if not years:
        return None
    for _ in range(10):
        year = min(years) + r.choice([-1, 1]) * r.randint(5, 15)
        if all(abs(year - y) >= 5 for y in years):
            return f"{year}{dates[0][4:]}"
    return None


def positives(r: random.Random, ents: list[Entity], per_class: int) -> list[Pair]:
    persons = [(e, w) for e in ents if e["schema"] == "Person" for w in [ov.person_words(e)] if w]
    orgs = [e for e in ents if e["schema"] in ("Company", "Organization")]
    out: list[Pair] = []
    person_classes: dict[str, Callable[[random.Random, list[str], list[str]], str | None]] = {
        "translit_standard": translit_standard, "family_first": family_first,
        "one_middle_dropped": one_middle_dropped, "title_added": title_added}
    for cls, fn in person_classes.items():
        made = 0
        for ent, (given, family) in r.sample(persons, len(persons)):
            q = fn(r, given, family)
            if q and made < per_class:
                out.append((cls, "Person", {"name": [q]}, ent["id"], True))
                made += 1
    made = 0
    for ent in r.sample(orgs, len(orgs)):
        q = legal_form_spelled(r, ent["properties"]["name"][0])
        if q and made < per_class:
            out.append(("legal_form_spelled", ent["schema"], {"name": [q]}, ent["id"], True))
            made += 1
    made = 0
    for ent, (given, family) in r.sample(persons, len(persons)):
        dates = ent["properties"].get("birthDate", [])
        q = ov.typo(r, given + family)
        if q and dates and made < per_class:
            out.append(("birth_date_same", "Person", {"name": [q], "birthDate": [dates[0]]}, ent["id"], True))
            made += 1
    return out


def negatives(r: random.Random, ents: list[Entity], per_class: int) -> list[Pair]:
    persons = [(e, w) for e in ents if e["schema"] == "Person" for w in [ov.person_words(e)] if w]
    orgs = [e for e in ents if e["schema"] in ("Company", "Organization")]
    out: list[Pair] = []
    made = 0
    for ent, (given, family) in r.sample(persons, len(persons)):
        year = _shift_year(r, ent["properties"].get("birthDate", []))
        if year and made < per_class:
            out.append(("birth_date_conflict", "Person", {"name": [" ".join(given + family)], "birthDate": [year]},
                        ent["id"], False))
            made += 1
    made = 0
    for ent in r.sample(orgs, len(orgs)):
        q = legal_form_conflict(r, ent["properties"]["name"][0])
        # Every name of the entity must state its form: an alias without one leaves nothing to conflict with.
        if q and made < per_class and all(_form_split(n) for n in ov._all_names(ent)):
            out.append(("legal_form_conflict", ent["schema"], {"name": [q]}, ent["id"], False))
            made += 1
    # Given names by folded family name: a namesake's given names must meet none of them.
    given_by_family: dict[tuple[str, ...], set[str]] = {}
    for e in ents:
        if e["schema"] == "Person":
            for g, f in ov._person_names(e):
                given_by_family.setdefault(ov._fold(f), set()).update(ov._fold(g))
    made = 0
    pool = r.sample(persons, len(persons))
    for (ent, (_, family)), (_, (other_given, _)) in zip(pool, r.sample(persons, len(persons)), strict=False):
        listed = given_by_family.get(ov._fold(family), set())
        firsts = {w[:1] for w in listed}
        folded = ov._fold(other_given)
        if made < per_class and folded and not set(folded) & listed and not {w[:1] for w in folded} & firsts:
            out.append(("other_given_name", "Person", {"name": [" ".join(other_given + family)]}, ent["id"], False))
            made += 1
    made = 0
    for ent, other in zip(r.sample(orgs, len(orgs)), r.sample(orgs, len(orgs)), strict=False):
        split = _form_split(ent["properties"]["name"][0])
        words = [w for w in tokens(other["properties"]["name"][0]) if len(w) >= 5 and ov._distinctive([w])]
        if split is None or not words or made >= per_class:
            continue
        word = r.choice(words).upper()
        if word.lower() in tokens(split[0]):
            continue
        out.append(("org_word_added", ent["schema"], {"name": [f"{split[0]} {word} {split[1]}"]}, ent["id"], False))
        made += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-class", type=int, default=80)
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument("--algorithm", default=DEFAULT)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    ents = run.load_ofac()
    if not ents:
        sys.exit("no ../shared/data/ofac-sdn-2021")
    index = ScreeningIndex.build(ents)
    r = random.Random(a.seed)
    pairs = positives(r, ents, a.per_class) + negatives(r, ents, a.per_class)
    start = time.process_time()
    stats: dict[str, list[int]] = {}
    tp = fp = tn = fn = 0
    for cls, schema, props, eid, label in pairs:
        body = match_index(index, {"q": {"schema": schema, "properties": props}}, threshold=THRESHOLD, limit=5,
                           algorithm=a.algorithm)
        results: list[dict[str, Any]] = body["responses"]["q"]["results"]
        hit = next((x for x in results if x["id"] == eid), None)
        said = hit is not None and bool(hit["match"])
        row = stats.setdefault(cls, [0, 0])
        row[0] += 1
        row[1] += said == label
        tp += said and label
        fp += said and not label
        tn += not said and not label
        fn += not said and label
        if a.verbose and said != label:
            print(f"  {'MISS ' if label else 'FALSE'} {cls:<20} {props} -> {eid} ({hit['score'] if hit else '-'})")
    print(f"{'class':<22}{'n':>5}{'right':>8}")
    for cls, (n, right) in stats.items():
        print(f"{cls:<22}{n:>5}{right / n:>8.3f}")
    total = tp + fp + tn + fn
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(f"pairs={total} tp={tp} fp={fp} tn={tn} fn={fn}")
    print(f"accuracy={(tp + tn) / total:.3f} precision={precision:.3f} recall={tp / (tp + fn):.3f}; "
          f"queries {time.process_time() - start:.1f} s CPU")


if __name__ == "__main__":
    main()

"""Peer pairs by failure class: redthread-v2 beside nomenklatura's logic-v1 and logic-v2.

    .venv/bin/python bench/screening/pair_classes.py [--pairs ../shared/data/matching/pairs-dev.jsonl] [-v]

Every pair is put in one class by what it is made of (never by its names):

- ``other_evidence``: the query or candidate carries more than names
  (identifiers, birth dates, countries);
- ``cross_script``: the two sides write their names in different scripts;
- ``person_words``: persons whose names differ in how many words they have
  (dropped or added middle names, titles, initials);
- ``person_spelling``: persons with as many words on both sides (typos,
  transliteration, given-name variants);
- ``org_legal_form``: organisations where either side states a legal form;
- ``org_numbers``: organisations with a number, written in digits or words;
- ``org_words``: the other organisations (acronyms, joined or misspelt words).

For each class and algorithm it prints the pairs got right out of the
class's pairs, with the false positives and misses; then, per class, how
many of the pairs labelled a match redthread's index returns at all (its
retrieval) and flags; then the same by the peer's own note where the pair
has one ("Character Deletion", ...).
redthread is scored through its index the way ``peer_pairs.py`` does
(retrieval counts); nomenklatura scores each pair directly.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import peer_pairs  # noqa: E402

from redthread.screen.names import tokens  # noqa: E402
from redthread.screen.scorers import DEFAULT  # noqa: E402
from redthread.screen.vocabulary import LEGAL_FORMS  # noqa: E402

NAME_PROPS = {"name", "alias", "firstName", "middleName", "lastName", "fatherName", "weakAlias", "previousName"}
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "first", "second",
                "third", "fourth", "fifth", "forty", "fourty", "twenty", "thirty", "fifty", "hundred"}


def _names(side: dict[str, Any]) -> list[str]:
    return [v for k, vs in side["properties"].items() if k in NAME_PROPS for v in vs]


def _scripts(texts: list[str]) -> set[str]:
    out = set()
    for text in texts:
        for ch in text:
            if ch.isalpha():
                out.add(unicodedata.name(ch, "UNKNOWN").split(" ")[0])
    return out


def failure_class(pair: dict[str, Any]) -> str:
    q, c = pair["query"], pair["candidate"]
    if any(k not in NAME_PROPS for side in (q, c) for k in side["properties"]):
        return "other_evidence"
    qn, cn = _names(q), _names(c)
    if _scripts(qn) != _scripts(cn):
        return "cross_script"
    if pair["schema"] == "Person":
        qw = min((len(tokens(n)) for n in qn), default=0)
        cw = min((len(tokens(n)) for n in cn), default=0)
        return "person_words" if qw != cw else "person_spelling"
    words = [tokens(n) for n in qn + cn]
    if any(" ".join(w[k:k + size]) in LEGAL_FORMS for w in words for size in (1, 2, 3) for k in range(len(w))):
        return "org_legal_form"
    if any(t.isdigit() or t in NUMBER_WORDS or t.rstrip("stndrh").isdigit() for w in words for t in w):
        return "org_numbers"
    return "org_words"


def table(title: str, groups: dict[str, list[dict[str, Any]]], verdicts: dict[str, dict[str, bool]]) -> None:
    algos = list(verdicts)
    print(f"\n{title:<28}{'n':>4}" + "".join(f"{a:>24}" for a in algos))
    for cls in sorted(groups):
        pairs = groups[cls]
        cells = []
        for a in algos:
            v = verdicts[a]
            right = sum(1 for p in pairs if v[p["pair"]] == p["match"])
            fp = sum(1 for p in pairs if v[p["pair"]] and not p["match"])
            fn = sum(1 for p in pairs if not v[p["pair"]] and p["match"])
            cells.append(f"{right:>3}/{len(pairs):<3} fp {fp:>2} miss {fn:>2}")
        print(f"{cls:<28}{len(pairs):>4}" + "".join(f"{c:>24}" for c in cells))


def retrieval(groups: dict[str, list[dict[str, Any]]], returned: dict[str, bool], flagged: dict[str, bool]) -> None:
    """Per class, of the pairs labelled a match: how many redthread's index returns at all, how many it flags.

    A pair the scorer would take but the index never retrieves is a
    retrieval miss, not a scoring one (acronyms, other scripts).
    """
    print(f"\n{'retrieval (true pairs)':<28}{'n':>4}{'returned':>10}{'flagged':>9}")
    for cls in sorted(groups):
        true = [p for p in groups[cls] if p["match"]]
        if true:
            print(f"{cls:<28}{len(true):>4}{sum(returned[p['pair']] for p in true):>10}"
                  f"{sum(flagged[p['pair']] for p in true):>9}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", default=str(peer_pairs.DEFAULT_PAIRS))
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    pairs = [json.loads(line) for line in open(a.pairs, encoding="utf-8") if line.strip()]
    returned: dict[str, bool] = {}
    verdicts = {DEFAULT: peer_pairs.redthread_verdicts(pairs, DEFAULT, returned)}
    for name in ("logic-v1", "logic-v2"):
        verdicts[name] = peer_pairs.nomenklatura_verdicts(pairs, name)
    by_class: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_note: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in pairs:
        by_class[failure_class(p)].append(p)
        if p.get("note"):
            by_note[p["note"]].append(p)
    table("class", by_class, verdicts)
    retrieval(by_class, returned, verdicts[DEFAULT])
    table("peer's note", by_note, verdicts)
    total = {a: peer_pairs.measures(pairs, v) for a, v in verdicts.items()}
    print("\nall " + "  ".join(f"{a}: acc {m['accuracy']:.3f} prec {m['precision']:.3f} rec {m['recall']:.3f}"
                               for a, m in total.items()))
    if a.verbose:
        for p in pairs:
            if verdicts[DEFAULT][p["pair"]] != p["match"]:
                print(f"  {failure_class(p):<16}{'MISS ' if p['match'] else 'FALSE'} "
                      + json.dumps([p["query"]["properties"], p["candidate"]["properties"]], ensure_ascii=False))


if __name__ == "__main__":
    main()

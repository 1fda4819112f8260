"""Compare two analysed names; say which tokens met which.

Two comparisons run and the better wins:

- *token alignment*: each query token is paired with at most one candidate
  token (same skeleton = 1.0; an initial meeting a name that starts with it;
  else Levenshtein similarity of skeletons above a floor), in any order, so
  "PETROV, Yegor" meets "Egor Petrov". Unpaired tokens cost: a missing
  patronymic or middle name little, an extra query token more. For persons a
  *near-miss guard* applies: when both sides keep an unpaired core token
  (same surname, different given name) the score is cut.
- *compact form*: the core written together, which is what lets pinyin
  syllables (``xia men bei hai``) meet ``Xiamen Beihai`` and catches split
  or joined spellings; for Chinese organisation names a compact that ends
  the other (the leading place name left out) still scores.

Generic words (industry words, particles) weigh little; different numbers
in two names ("Fund 2" / "Fund 3") are a strong sign of different parties.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA, Levenshtein

from redthread.screen.names import PERSON, NameForm, skeleton

GENERIC_WEIGHT = 0.25
INITIAL_SCORE = 0.85


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The result of comparing two names, with what met what."""

    score: float
    method: str
    pairs: tuple[tuple[str, str, float], ...] = ()


def token_similarity(qa: str, qs: str, ca: str, cs: str, person: bool) -> float:
    """Similarity of two tokens given their ASCII (``a``) and skeleton (``s``) forms."""
    if qs == cs or qa == ca:
        return 1.0
    if person and (len(qa) == 1 or len(ca) == 1):
        short, long_a, long_s = (qa, ca, cs) if len(qa) == 1 else (ca, qa, qs)
        if len(long_a) > 1 and (long_a[0] == short or long_s[:1] == skeleton(short)):
            return INITIAL_SCORE
        return 0.0
    if qa.isdigit() or ca.isdigit():
        return 0.0
    longest = max(len(qs), len(cs))
    if longest < 4:
        return 0.0
    sim = max(OSA.normalized_similarity(qs, cs), OSA.normalized_similarity(qa, ca))
    floor = 0.7 if longest >= 6 else 0.74
    return sim if sim >= floor else 0.0


def align(query: NameForm, cand: NameForm) -> NameMatch:
    """Order-independent token alignment score (see the module docstring)."""
    person = query.kind == PERSON
    q_tok = [(t, skeleton(t), 1.0) for t in query.core] + [(t, skeleton(t), GENERIC_WEIGHT) for t in query.generic]
    c_tok = [(t, skeleton(t), 1.0) for t in cand.core] + [(t, skeleton(t), GENERIC_WEIGHT) for t in cand.generic]
    scored: list[tuple[float, int, int]] = []
    for i, (qa, qs, _) in enumerate(q_tok):
        for j, (ca, cs, _) in enumerate(c_tok):
            sim = token_similarity(qa, qs, ca, cs, person)
            if sim > 0:
                scored.append((sim, i, j))
    scored.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[tuple[str, str, float]] = []
    matched = 0.0
    total = 0.0
    for sim, i, j in scored:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        weight = (q_tok[i][2] + c_tok[j][2]) / 2
        if sim == INITIAL_SCORE:
            weight *= 0.6
        matched += sim * weight
        total += weight
        pairs.append((q_tok[i][0], c_tok[j][0], round(sim, 3)))
    core_pairs = sum(1 for i in used_q if i < len(query.core))
    if core_pairs == 0:
        return NameMatch(0.0, "tokens")
    q_missing = [q_tok[i] for i in range(len(q_tok)) if i not in used_q]
    c_missing = [c_tok[j] for j in range(len(c_tok)) if j not in used_c]
    alpha, beta = (0.6, 0.3) if person else (0.8, 0.5)
    total += alpha * sum(w for _, _, w in q_missing)
    # The first missing candidate token (a patronymic, a middle name) costs little.
    c_weights = sorted((w for _, _, w in c_missing), reverse=True)
    total += sum(beta * w if k == 0 else 2 * beta * w for k, w in enumerate(c_weights))
    score = matched / total if total else 0.0
    q_core_missing = [t for t in q_missing if t[2] == 1.0 and len(t[0]) > 1]
    c_core_missing = [t for t in c_missing if t[2] == 1.0 and len(t[0]) > 1]
    if person and q_core_missing and c_core_missing:
        score *= 0.7  # near-miss guard: a shared surname, a different given name
    if person and core_pairs == 1 and len(cand.core) > 1:
        score *= 0.85  # one name against a full name is weak evidence
    if any(t[0].isdigit() for t in q_missing + c_missing) and any(t.isdigit() for t in query.core + cand.core):
        score *= 0.5  # "Fund 2" is not "Fund 3"
    if not person and query.generic and cand.generic and not set(query.generic) & set(cand.generic):
        score *= 0.85  # same core, different trade
    return NameMatch(min(score, 1.0), "tokens", tuple(pairs))


def _digits(form: NameForm) -> set[str]:
    return {t for t in form.core if t.isdigit()}


def compact(query: NameForm, cand: NameForm) -> NameMatch:
    """Similarity of the names written together (pinyin, joined/split words)."""
    person = query.kind == PERSON
    best = 0.0
    best_pair = ("", "")
    for (qc, qa), (cc, ca) in ((q, c) for q in query.compacts() for c in cand.compacts()):
        if min(len(qc), len(cc)) < 4:
            continue
        sim = Levenshtein.normalized_similarity(qc, cc)
        if not person and (query.cjk or cand.cjk) and sim < 0.9 and min(len(qa), len(ca)) >= 5:
            # Chinese names lead with a place that renderings often drop.
            short, long_ = sorted((qa, ca), key=len)
            if long_.endswith(short):
                sim = max(sim, 0.75 + 0.2 * len(short) / len(long_))
        if sim > best:
            best, best_pair = sim, (qa, ca)
    if best < (0.93 if person else 0.8):
        return NameMatch(0.0, "compact")
    if not person and query.generic and cand.generic and not set(query.generic) & set(cand.generic):
        best *= 0.85
    if (_digits(query) or _digits(cand)) and _digits(query) != _digits(cand):
        best *= 0.5
    return NameMatch(best * 0.97, "compact", ((best_pair[0], best_pair[1], round(best, 3)),))


def compare_names(query: NameForm, cand: NameForm) -> NameMatch:
    """The better of token alignment and compact comparison."""
    tok = align(query, cand)
    if tok.score >= 0.97:
        return tok
    comp = compact(query, cand)
    return comp if comp.score > tok.score else tok

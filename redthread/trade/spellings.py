"""The parties a records file names: spellings per role, and the parties they stand for.

A *spelling* is a raw (name, country) pair as it appears in one role
(sender, receiver, declarant); a *party* is a normalised name and ISO
country (:func:`redthread.trade.parties.party_id`), shared by the roles.
Names and countries arrive as codes (:class:`redthread.trade.coded.Codes`),
so the work per row is array lookups; the work per new name or party
(normalisation, ids, keys) is vectorised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import duckdb
import numpy as np
import pyarrow as pa

from redthread.errors import InputError
from redthread.trade import coded
from redthread.trade.coded import Codes
from redthread.trade.parties import normalise_array, party_ids_keys


class PartyRow(NamedTuple):
    """One spelling of one party as it appears in a file."""

    party_id: str
    name: str
    country: str | None
    role: str
    first_row: int
    records: int


class Parties:
    """The parties named in a file, shared by the roles: one per normalised name and country."""

    #: Pair code = normalised name id * SPAN + country id + 1 (fits while there are fewer countries).
    SPAN = 1 << 12

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        import threading

        self.con = con.cursor()  # its own connection: roles work in parallel threads
        self.lock = threading.Lock()
        self.norms = Codes(lambda values: values)  # code 0: nothing left of the name
        self.known = np.zeros(0, dtype=np.int64)  # pair codes, sorted
        self.known_party = np.zeros(0, dtype=np.int64)  # their parties
        self.ids: list[str] = []
        self.keys = np.zeros(0, dtype=np.int64)
        self.countries: list[str | None] = []

    def norm_ids(self, names: list[str]) -> np.ndarray:
        """Ids of the normalised forms of ``names`` (stripped); -1 where nothing is left."""
        normalised = normalise_array(pa.array(names, pa.string()))
        with self.lock:
            codes, _ = self.norms.encode(normalised)
        out: np.ndarray = np.where(codes == 0, -1, codes)
        return out

    def lookup(self, norm_ids: np.ndarray, isos: list[str], iso_ids: np.ndarray) -> np.ndarray:
        """Party indices for (normalised name, country) pairs, creating the new ones; -1 without a name."""
        if len(isos) >= self.SPAN - 1:  # pragma: no cover - more distinct countries than exist
            raise InputError(f"more than {self.SPAN - 2} distinct countries")
        codes = np.where(norm_ids < 0, -1, norm_ids * self.SPAN + iso_ids + 1)
        with self.lock:
            return self._lookup(codes, isos)

    def _find(self, codes: np.ndarray) -> np.ndarray:
        if not len(self.known):
            return np.full(len(codes), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.known, codes), len(self.known) - 1)
        out: np.ndarray = np.where(self.known[at] == codes, self.known_party[at], -1)
        return out

    def _lookup(self, codes: np.ndarray, isos: list[str]) -> np.ndarray:
        out = np.where(codes < 0, -1, self._find(codes))
        missing = np.flatnonzero((out < 0) & (codes >= 0))
        if missing.size:
            new = np.unique(codes[missing])
            start = len(self.ids)
            texts = self.norms.texts
            norms = [texts[c // self.SPAN] for c in new.tolist()]
            countries = [isos[c % self.SPAN - 1] if c % self.SPAN else None for c in new.tolist()]
            ids, keys = party_ids_keys(norms, countries, self.con)
            self.ids.extend(ids)
            self.countries.extend(countries)
            self.keys = np.concatenate([self.keys, np.asarray(keys, dtype=np.int64)])
            known = np.concatenate([self.known, new])
            party = np.concatenate([self.known_party, start + np.arange(len(new), dtype=np.int64)])
            order = np.argsort(known, kind="stable")
            self.known, self.known_party = known[order], party[order]
            out[missing] = start + np.searchsorted(new, codes[missing])
        return out


class RoleSpellings:
    """The spellings (raw name and raw country) of one party role, and the rows they head.

    A name usually comes with one country: the first country a name is seen
    with gives its main spelling (found by array lookups); other countries
    for the same name are looked up pair by pair, only on the rows that have
    them.
    """

    def __init__(self, role: str, to_text: Any) -> None:
        self.role = role
        self.names = Codes(to_text)
        self.stripped: list[str] = [""]  # per name code: the name without surrounding space
        self.norm = np.full(1, -1, dtype=np.int64)  # per name code
        self.first_country = np.full(1, -1, dtype=np.int64)  # per name code
        self.main = np.full(1, -1, dtype=np.int64)  # per name code: its main spelling
        self.other: dict[tuple[int, int], int] = {}
        self.spell_name: list[int] = []
        self.spell_party = np.zeros(0, dtype=np.int64)
        self.first_row = np.zeros(0, dtype=np.int64)
        self.count = np.zeros(0, dtype=np.int64)

    def _add(self, names: np.ndarray, countries: np.ndarray, party: np.ndarray, first_row: np.ndarray
             ) -> np.ndarray:
        start = len(self.spell_name)
        self.spell_name.extend(names.tolist())
        self.spell_party = np.concatenate([self.spell_party, party])
        self.first_row = np.concatenate([self.first_row, first_row.astype(np.int64)])
        self.count = coded.grow(self.count, len(names), 0)
        return start + np.arange(len(names), dtype=np.int64)

    def rows(self, column: pa.ChunkedArray, countries: np.ndarray, rows: np.ndarray, parties: Parties,
             party_of: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """Party index per row (-1 where the name is empty).

        Rows come in file order, so a spelling's first row is where it
        first appears in the chunk that brings it.
        """
        codes, new = self.names.encode(column)
        if new:
            stripped = [t.strip() for t in new]
            self.stripped.extend(stripped)
            self.norm = np.concatenate([self.norm, parties.norm_ids(stripped)])
            self.first_country = coded.grow(self.first_country, len(new), -1)
            self.main = coded.grow(self.main, len(new), -1)
        fresh = np.flatnonzero(self.main[codes] < 0)
        if fresh.size:
            first = np.full(len(self.names), np.iinfo(np.int64).max)
            np.minimum.at(first, codes[fresh], fresh)
            names = np.flatnonzero(first != np.iinfo(np.int64).max)
            self.first_country[names] = countries[first[names]]
            self.main[names] = self._add(names, self.first_country[names],
                                         party_of(self.norm[names], self.first_country[names]),
                                         rows[first[names]])
        spelling = self.main[codes]
        odd = np.flatnonzero(countries != self.first_country[codes])
        if odd.size:
            pairs = np.stack([codes[odd], countries[odd]], axis=1)
            unique, index, inverse = np.unique(pairs, axis=0, return_index=True, return_inverse=True)
            ids = np.empty(len(unique), dtype=np.int64)
            todo = []
            for i, (n, c) in enumerate(unique.tolist()):
                s = self.other.get((n, c))
                if s is None:
                    todo.append(i)
                else:
                    ids[i] = s
            if todo:
                t = np.asarray(todo)
                ids[t] = self._add(unique[t, 0], unique[t, 1], party_of(self.norm[unique[t, 0]], unique[t, 1]),
                                   rows[odd[index[t]]])
                for i in todo:
                    self.other[(int(unique[i, 0]), int(unique[i, 1]))] = int(ids[i])
            spelling[odd] = ids[inverse.reshape(-1)]
        self.count += np.bincount(spelling, minlength=len(self.count))
        out: np.ndarray = self.spell_party[spelling]
        return out

    def party_rows(self, parties: Parties) -> list[PartyRow]:
        """One row per spelling that names a party."""
        keep = np.flatnonzero((self.spell_party >= 0) & (self.count > 0))
        texts = self.stripped
        names = np.asarray(self.spell_name, dtype=np.int64)[keep].tolist()
        party = self.spell_party[keep].tolist()
        first = self.first_row[keep].tolist()
        count = self.count[keep].tolist()
        ids, countries = parties.ids, parties.countries
        return list(map(PartyRow._make, zip([ids[p] for p in party], [texts[n] for n in names],
                                            [countries[p] for p in party], [self.role] * len(party), first, count,
                                            strict=True)))

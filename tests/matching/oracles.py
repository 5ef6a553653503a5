"""Independent answers the engine is checked against, and small-instance strategies."""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st
from matching.games import HospitalResident
from scipy.optimize import linear_sum_assignment

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Small:
    scores: Floats
    allowed: Bools
    capacity: Ints
    mentor_scores: Floats


@st.composite
def small_instances(
    draw: st.DrawFn, *, max_mentees: int = 8, max_mentors: int = 4, ties: bool = True
) -> Small:
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(n, m))
    if ties and draw(st.booleans()):
        scores = np.round(scores, 0)  # many equal scores: tie-breaking matters
    allowed = rng.random((n, m)) < draw(st.sampled_from([0.4, 0.8, 1.0]))
    capacity = rng.integers(0, 3, size=m).astype(np.int64)
    mentor_scores = np.round(rng.random((n, m)), 1)
    return Small(scores, allowed, capacity, mentor_scores)


def optimum(scores: Floats, allowed: Bools, capacity: Ints) -> float:
    """Maximum total score, by scipy on the capacity-expanded matrix.

    A mentor with capacity c becomes c columns; n extra zero columns let every
    mentee stay unmatched; disallowed and negative pairs score 0, which is what
    leaving the mentee unmatched is worth.
    """
    n = scores.shape[0]
    seats = np.repeat(np.arange(scores.shape[1]), capacity)
    expanded = np.where(allowed, np.maximum(scores, 0.0), 0.0)[:, seats]
    expanded = np.concatenate([expanded, np.zeros((n, n))], axis=1)
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    return float(expanded[rows, cols].sum())


@dataclass(frozen=True)
class Brute:
    participation: tuple[int, float]  # (matched, total)
    fair: tuple[int, float, float]  # (matched, worst pair, total)


def brute_force(scores: Floats, allowed: Bools, capacity: Ints) -> Brute:
    """Every assignment of a tiny instance, compared lexicographically."""
    n, m = scores.shape
    best_p: tuple[int, float] = (0, 0.0)
    best_f: tuple[int, float, float] = (0, np.inf, 0.0)
    for choice in itertools.product(range(-1, m), repeat=n):
        pairs = [(i, j) for i, j in enumerate(choice) if j >= 0]
        if any(not allowed[i, j] for i, j in pairs):
            continue
        load = np.bincount([j for _, j in pairs], minlength=m)
        if (load > capacity).any():
            continue
        values = [float(scores[i, j]) for i, j in pairs]
        total = round(sum(values), 9)
        best_p = max(best_p, (len(pairs), total))
        best_f = max(best_f, (len(pairs), min(values, default=np.inf), total))
    return Brute(best_p, best_f)


def resident_optimal(instance: Small) -> Ints:
    """The `matching` library's resident-optimal HospitalResident assignment.

    Preference lists use the engine's documented tie-breaking: mentees rank by
    score then lower mentor index, mentors by mentor score then lower mentee
    index. Players with an empty list (or no seats) are left out, which the
    library requires.
    """
    s, ms = instance.scores, instance.mentor_scores
    n, m = s.shape
    usable = instance.allowed & (instance.capacity > 0)[None, :]
    residents = {
        f"r{i}": [f"h{j}" for j in sorted(np.flatnonzero(usable[i]), key=lambda j: (-s[i, j], j))]
        for i in range(n)
    }
    hospitals = {
        f"h{j}": [
            f"r{i}" for i in sorted(np.flatnonzero(usable[:, j]), key=lambda i: (-ms[i, j], i))
        ]
        for j in range(m)
    }
    residents = {k: v for k, v in residents.items() if v}
    hospitals = {k: v for k, v in hospitals.items() if v}
    out = np.full(n, -1, dtype=np.int64)
    if not residents:
        return out
    capacities = {h: int(instance.capacity[int(h[1:])]) for h in hospitals}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        solution = game.solve(optimal="resident")
    for hospital, matched in solution.items():
        for resident in matched:
            out[int(str(resident)[1:])] = int(str(hospital)[1:])
    return out


def assert_feasible(assignment: Ints, allowed: Bools, capacity: Ints) -> None:
    matched = np.flatnonzero(assignment >= 0)
    assert allowed[matched, assignment[matched]].all(), "a disallowed pair was used"
    load = np.bincount(assignment[matched], minlength=len(capacity))
    assert (load <= capacity).all(), f"capacity exceeded: load {load}, capacity {capacity}"

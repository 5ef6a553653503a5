"""The audit against scipy's linprog, on random hidden patterns (not only protected ones)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guildhouse.disclosure import Dimension, Policy, Table
from guildhouse.disclosure.audit import _lp_audit, audit_cells
from tests.disclosure.oracles import oracle_intervals, skewed_counts, tables
from tests.disclosure.reference_audit import reference_lp_audit

DISCLOSURE = settings.get_profile("disclosure")


def close(a: float, b: float) -> bool:
    return (math.isinf(a) and math.isinf(b)) or abs(a - b) < 1e-6


@DISCLOSURE
@given(table=tables(), seed=st.integers(0, 2**32 - 1), hide=st.sampled_from([0.2, 0.5, 0.9]))
def test_audit_agrees_with_linprog(table: Table, seed: int, hide: float) -> None:
    rng = np.random.default_rng(seed)
    hidden = rng.random(table.extended_shape) < hide
    targets = [tuple(int(i) for i in c) for c in np.argwhere(hidden)]
    ours = audit_cells(table, ~hidden, targets)
    theirs = oracle_intervals(table, ~hidden, targets)
    for iv, (low, high) in zip(ours, theirs, strict=True):
        assert close(iv.low, low), (iv, low, high)
        assert close(iv.high, high), (iv, low, high)
    if len(table.dimensions) <= 2:  # the network path: the LP path must agree too
        for iv, lp in zip(ours, _lp_audit(table, ~hidden, targets, None), strict=True):
            assert (iv.low, iv.high) == (lp.low, lp.high)


@DISCLOSURE
@given(table=tables(max_dims=2), seed=st.integers(0, 2**32 - 1), base=st.sampled_from([3, 5, 10]))
def test_rounded_audit_agrees_with_linprog(table: Table, seed: int, base: int) -> None:
    rng = np.random.default_rng(seed)
    hidden = rng.random(table.extended_shape) < 0.4
    policy = Policy(k=5, rounding=base)
    targets = [tuple(int(i) for i in c) for c in np.argwhere(hidden)]
    ours = audit_cells(table, ~hidden, targets, policy=policy)
    theirs = oracle_intervals(table, ~hidden, targets, policy)
    for iv, (low, high) in zip(ours, theirs, strict=True):
        assert close(iv.low, low), (iv, low, high)
        assert close(iv.high, high), (iv, low, high)


def test_hierarchical_audit_agrees_with_linprog() -> None:
    dim = Dimension.nested("where", {"North": ["a", "b", "c"], "South": ["d", "e"]})
    table = Table.from_counts(
        [dim, Dimension.of("g", ["f", "m"])], [[1, 4], [6, 2], [3, 3], [9, 1], [2, 8]]
    )
    hidden = np.zeros(table.extended_shape, dtype=bool)
    hidden[[0, 0, 1, 1, 5], [0, 1, 0, 1, 0]] = True  # a North 2x2 block and the North subtotal
    targets = [tuple(int(i) for i in c) for c in np.argwhere(hidden)]
    ours = [(iv.low, iv.high) for iv in audit_cells(table, ~hidden, targets)]
    assert ours == [pytest.approx(o) for o in oracle_intervals(table, ~hidden, targets)]
    # Hiding the North subtotal alone is pointless: the "f" total minus the
    # South subtotal gives it away exactly, and the audit says so.
    assert ours[-1] == (10, 10)


def test_everything_hidden_is_unbounded() -> None:
    table = Table.from_counts([Dimension.of("g", ["a", "b"])], [2, 3])
    hidden = np.ones(table.extended_shape, dtype=bool)
    [a, b, total] = audit_cells(table, ~hidden, [(0,), (1,), (2,)])
    assert (a.low, a.high, total.low, total.high) == (0, math.inf, 0, math.inf)
    assert b.width == math.inf
    # The LP path (used for sub-totals and 3+ dimensions) says the same.
    lp = _lp_audit(table, ~hidden, [(0,), (1,), (2,)], None)
    assert [(iv.low, iv.high) for iv in lp] == [(0, math.inf)] * 3


@st.composite
def hierarchical_tables(draw: st.DrawFn) -> Table:
    """Two to four dimensions, some with sub-totals (one or two levels deep)."""
    dims = []
    for k in range(draw(st.integers(2, 4))):
        n = draw(st.integers(2, 4))
        labels = [f"d{k}v{i}" for i in range(n)]
        split = draw(st.integers(0, n - 1))  # 0: no groups
        if split == 0:
            dims.append(Dimension.of(f"d{k}", labels))
        elif draw(st.booleans()):
            dims.append(Dimension.of(f"d{k}", labels, {f"d{k}A": labels[:split]}))
        else:
            tree = {f"d{k}T": {f"d{k}A": labels[:split], f"d{k}B": labels[split:]}}
            dims.append(Dimension.nested(f"d{k}", tree))
    shape = tuple(d.size for d in dims)
    counts = skewed_counts(np.random.default_rng(draw(st.integers(0, 2**32 - 1))), shape)
    return Table.from_counts(dims, counts)


@DISCLOSURE
@given(
    table=st.one_of(tables(max_dims=4, max_size=3), hierarchical_tables()),
    seed=st.integers(0, 2**32 - 1),
    hide=st.sampled_from([0.2, 0.5, 0.8, 0.95]),
    rounding=st.sampled_from([0, 0, 5]),
)
def test_audit_equals_the_straightforward_audit(
    table: Table, seed: int, hide: float, rounding: int
) -> None:
    """Closed-form parts and shared LP parts give exactly the per-target LP's answers."""
    rng = np.random.default_rng(seed)
    hidden = rng.random(table.extended_shape) < hide
    policy = Policy(k=5, rounding=rounding) if rounding else None
    cells = [tuple(int(i) for i in c) for c in np.argwhere(hidden)]
    targets = cells + cells[: len(cells) // 3]  # repeated targets too
    ours = _lp_audit(table, ~hidden, targets, policy)
    reference = reference_lp_audit(table, ~hidden, targets, policy)
    assert [(iv.cell, iv.low, iv.high) for iv in ours] == [
        (iv.cell, iv.low, iv.high) for iv in reference
    ]

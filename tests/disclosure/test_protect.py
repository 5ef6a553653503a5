"""Protection: no published small cell, every hidden small cell wide enough."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guildhouse.disclosure import ALL, Dimension, Mode, Policy, Reason, Table, View, protect
from guildhouse.disclosure.protect import EXACT_LIMIT
from tests.disclosure.oracles import oracle_intervals, plain_dims, skewed_counts, tables

DISCLOSURE = settings.get_profile("disclosure")


def assert_protected(result: object, *, oracle: bool) -> None:
    from guildhouse.disclosure import Protected

    assert isinstance(result, Protected)
    k, width = result.threshold, result.width
    values = result.values
    published = result.published
    small = (values >= 1) & (values < k)
    assert not (published & small).any(), "a cell in 1..k-1 is published"
    result.check()
    sensitive = [tuple(int(i) for i in c) for c in np.argwhere(result.sensitive())]
    for interval in result.audit(sensitive):
        assert interval.width >= width, interval
    if oracle and sensitive:
        for cell, (low, high) in zip(
            sensitive, oracle_intervals(result.table, published, sensitive), strict=True
        ):
            assert high - low >= width - 1e-7, (cell, low, high)


@DISCLOSURE
@given(table=tables(), k=st.sampled_from([3, 5]), exact=st.booleans())
def test_random_tables_are_protected(table: Table, k: int, exact: bool) -> None:
    small = int(np.prod(table.extended_shape)) <= EXACT_LIMIT
    mode = Mode.EXACT if exact and small else Mode.HEURISTIC
    result = protect(table, Policy(k=k), mode=mode)
    assert_protected(result, oracle=True)


@DISCLOSURE
@given(
    table=tables(max_dims=2, max_size=5),
    protection=st.integers(1, 12),
    hide_zeros=st.booleans(),
)
def test_protection_width_and_zeros(table: Table, protection: int, hide_zeros: bool) -> None:
    policy = Policy(k=5, protection=protection, hide_zeros=hide_zeros)
    result = protect(table, policy, mode=Mode.HEURISTIC)
    assert_protected(result, oracle=True)
    if hide_zeros:
        assert not (result.published & (result.values == 0)).any()


@st.composite
def linked_pairs(draw: st.DrawFn) -> tuple[Table, list[View]]:
    shape = tuple(draw(st.integers(2, 4)) for _ in range(3))
    counts = skewed_counts(np.random.default_rng(draw(st.integers(0, 2**32 - 1))), shape)
    table = Table.from_counts(plain_dims(shape), counts)
    if draw(st.booleans()):
        # A report by d0 x d1 and one by d0 x d2: they share the d0 margin.
        views = [View("a", {"d0": ALL, "d1": ALL}), View("b", {"d0": ALL, "d2": ALL})]
    else:
        # A page by d0 x d1 and the same page filtered to one value of d2.
        value = f"d2v{draw(st.integers(0, shape[2] - 1))}"
        views = [
            View("page", {"d0": ALL, "d1": ALL}),
            View("filtered", {"d0": ALL, "d1": ALL, "d2": value}),
        ]
    return table, views


@DISCLOSURE
@given(pair=linked_pairs(), k=st.sampled_from([3, 5]))
def test_linked_pairs_are_protected_together(pair: tuple[Table, list[View]], k: int) -> None:
    table, views = pair
    result = protect(table, Policy(k=k), views=views)
    assert_protected(result, oracle=True)
    # The views in the other order give the same pattern: one decision per cell.
    again = protect(table, Policy(k=k), views=views[::-1])
    assert np.array_equal(again.hidden, result.hidden)


def test_same_data_same_pattern() -> None:
    counts = skewed_counts(np.random.default_rng(7), (30, 6))
    table = Table.from_counts(plain_dims((30, 6)), counts)
    first = protect(table)
    for _ in range(2):
        assert np.array_equal(
            protect(Table.from_counts(plain_dims((30, 6)), counts.copy())).hidden, first.hidden
        )


def two_by(counts: list[list[int]]) -> Table:
    rows = [f"r{i}" for i in range(len(counts))]
    cols = [f"c{j}" for j in range(len(counts[0]))]
    return Table.from_counts([Dimension.of("row", rows), Dimension.of("col", cols)], counts)


@pytest.mark.parametrize("mode", list(Mode))
def test_one_small_cell_hides_a_rectangle(mode: Mode) -> None:
    """Published practice: a single small cell in a row takes a second cell of that
    row, and the two cells beneath them in another row (the cheapest rectangle)."""
    table = two_by([[3, 10, 12], [8, 15, 20], [11, 9, 25]])
    result = protect(table, Policy(k=5), mode=mode)
    hidden = result.hidden[:3, :3].astype(int).tolist()
    assert hidden == [[1, 1, 0], [0, 0, 0], [1, 1, 0]]
    assert not result.hidden[3, :].any()  # totals shown
    assert not result.hidden[:, 3].any()
    assert result.reason((0, 0)) is Reason.SMALL
    assert [result.reason(c) for c in [(0, 1), (2, 0), (2, 1)]] == [Reason.COMPLEMENTARY] * 3
    assert result.extra_hidden == 3
    intervals = {iv.cell: (iv.low, iv.high) for iv in result.audit()}
    # Moving t people round the rectangle: the 3 can rise by min(10, 11) and fall to
    # 0, which moves the 9 down by 3; and so on for each corner.
    assert intervals == {(0, 0): (0, 13), (0, 1): (0, 13), (2, 0): (1, 14), (2, 1): (6, 19)}


def test_two_small_cells_too_small_to_shield_each_other() -> None:
    # A rectangle over the two 2s moves each by at most 2 either way: 4 < 5. The
    # third column has to join, so that people can move between 30s.
    table = two_by([[2, 2, 30], [20, 25, 30]])
    for mode in (Mode.EXACT, Mode.HEURISTIC):
        result = protect(table, Policy(k=5), mode=mode)
        assert result.hidden[:2, :3].astype(int).tolist() == [[1, 1, 1], [1, 1, 1]]
        assert_protected(result, oracle=True)


def test_small_margin_is_hidden_with_its_row() -> None:
    # Row r0 totals 4: the row total is itself small, so the whole row and a
    # second row go, and the column totals still add up.
    table = two_by([[1, 1, 2], [10, 12, 15], [9, 11, 14]])
    result = protect(table, Policy(k=5))
    assert result.reason((0, 3)) is Reason.SMALL
    assert_protected(result, oracle=True)


def test_one_dimension_needs_a_second_cell() -> None:
    table = Table.from_counts([Dimension.of("group", ["a", "b", "c", "d"])], [2, 9, 7, 30])
    result = protect(table, Policy(k=5))
    assert result.hidden.astype(int).tolist() == [1, 0, 1, 0, 0]
    assert [(iv.low, iv.high) for iv in result.audit()] == [(0, 9), (0, 9)]


def test_special_category_uses_the_stricter_threshold() -> None:
    counts = [[6, 12, 30], [14, 25, 40]]
    plain = protect(two_by(counts), Policy(k=5))
    assert not plain.hidden.any()
    special = Table.from_counts(two_by(counts).dimensions, counts, special_category=True)
    result = protect(special, Policy(k=5, special_k=10))
    assert result.reason((0, 0)) is Reason.SMALL
    assert result.threshold == 10
    assert result.width == 10
    assert_protected(result, oracle=True)


def test_hierarchical_table_is_protected_with_its_subtotals() -> None:
    inst = Dimension.nested(
        "cohort",
        {"North": {"Inst A": ["a1", "a2"], "Inst B": ["b1", "b2"]}, "South": ["s1", "s2", "s3"]},
    )
    assert inst.nodes == (
        "a1",
        "a2",
        "b1",
        "b2",
        "s1",
        "s2",
        "s3",
        "Inst A",
        "Inst B",
        "North",
        "South",
        "Total",
    )
    counts = skewed_counts(np.random.default_rng(3), (7, 3))
    table = Table.from_counts([inst, Dimension.of("gender", ["f", "m", "x"])], counts)
    result = protect(table, Policy(k=5), mode=Mode.HEURISTIC)
    assert_protected(result, oracle=True)


def test_rounding_publishes_rounded_figures_from_true_totals() -> None:
    table = Table.from_counts([Dimension.of("g", ["a", "b", "c"])], [7, 8, 8])
    result = protect(table, Policy(k=5, rounding=5))
    assert [result.value((i,)) for i in range(4)] == [5, 10, 10, 25]  # 23 rounds to 25, not 5+10+10
    low_high = result.audit([(0,)])  # published anyway; the audit still bounds it
    assert (low_high[0].low, low_high[0].high) == (3, 7)  # 5 means 3..7; 10s mean 8..12

"""Tables, views, policy and explanations."""

from __future__ import annotations

import numpy as np
import pytest

from guildhouse.disclosure import (
    ALL,
    TOTAL,
    Dimension,
    Mode,
    Policy,
    Reason,
    Table,
    View,
    explain,
    protect,
)

PROGRAMME = Dimension.of("programme", ["Electrical", "Health", "ICT"])
GENDER = Dimension.of("gender", ["female", "male", "other"])


def test_from_records_counts_each_record_once() -> None:
    records: list[tuple[str, str] | dict[str, str]] = [
        ("Health", "female"),
        {"programme": "ICT", "gender": "male"},
        ("Health", "female"),
    ]
    table = Table.from_records([PROGRAMME, GENDER], records)
    assert table.counts.tolist() == [[0, 0, 0], [2, 0, 0], [0, 1, 0]]
    with pytest.raises(ValueError, match="record 0 has unknown label 'Plumbing'"):
        Table.from_records([PROGRAMME, GENDER], [("Plumbing", "male")])


def test_extended_array_holds_every_margin_and_subtotal() -> None:
    where = Dimension.nested("where", {"North": ["a", "b"], "South": ["c"]})
    table = Table.from_counts([where, GENDER], [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert where.nodes == ("a", "b", "c", "North", "South", "Total")
    ext = table.extended()
    assert ext[3].tolist() == [5, 7, 9, 21]  # North = a + b
    assert ext[4].tolist() == [7, 8, 9, 24]
    assert ext[5].tolist() == [12, 15, 18, 45]


@pytest.mark.parametrize(
    ("dims", "message"),
    [
        (Dimension.of("d", []), "dimension 'd' has no labels"),
        (Dimension.of("d", ["a", "a"]), "dimension 'd': label 'a' is used twice"),
        (Dimension.of("d", ["a"], {"g": ["x"]}), "dimension 'd': group 'g' has unknown 'x'"),
        (Dimension.of("d", ["a"], {"g": ["a"], "h": ["a"]}), "dimension 'd': 'a' is in two groups"),
        (
            Dimension.of("d", ["a"], {"g": ["h"], "h": ["g"]}),
            "dimension 'd': group 'g' contains itself",
        ),
    ],
)
def test_bad_dimensions_are_refused(dims: Dimension, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dims.validate()


def test_bad_tables_and_policies_are_refused() -> None:
    with pytest.raises(ValueError, match=r"counts have shape \(2,\), the labels say \(3,\)"):
        Table.from_counts([PROGRAMME], [1, 2])
    with pytest.raises(ValueError, match="counts must not be negative"):
        Table.from_counts([PROGRAMME], [1, -2, 3])
    with pytest.raises(ValueError, match="counts must be integers"):
        Table.from_counts([PROGRAMME], [1.5, 2, 3])
    with pytest.raises(ValueError, match="the threshold k must be at least 3, got 2"):
        Policy(k=2)
    with pytest.raises(ValueError, match=r"special_k \(4\) must not be below k \(5\)"):
        Policy(k=5, special_k=4)


@pytest.mark.parametrize(
    ("base", "value", "rounded", "true_range"),
    [
        (5, 7, 5, (3, 7)),
        (5, 8, 10, (8, 12)),
        (10, 15, 20, (15, 24)),
        (10, 14, 10, (5, 14)),
        (0, 7, 7, (7, 7)),
    ],
)
def test_rounding(base: int, value: int, rounded: int, true_range: tuple[int, int]) -> None:
    policy = Policy(rounding=base)
    assert policy.round(value) == rounded
    assert policy.rounding_range(rounded) == true_range


def test_views_show_only_their_cells() -> None:
    table = Table.from_counts([PROGRAMME, GENDER], np.full((3, 3), 9))
    by_programme = View("p", {"programme": ALL, "gender": TOTAL}).mask(table)
    assert np.argwhere(by_programme).tolist() == [[0, 3], [1, 3], [2, 3], [3, 3]]
    health = View("h", {"programme": "Health", "gender": ALL}).mask(table)
    assert np.argwhere(health).tolist() == [[1, 0], [1, 1], [1, 2], [1, 3]]
    with pytest.raises(ValueError, match="view 'x' names unknown dimension 'age'"):
        View("x", {"age": ALL}).mask(table)
    result = protect(table, views=[View("p", {"programme": ALL})])
    with pytest.raises(ValueError, match=r"cell \[0, 0\] is in no view"):
        result.value((0, 0))
    assert result.reason((0, 0)) is Reason.NOT_SHOWN


def test_explanations_name_the_reason_and_the_total() -> None:
    table = Table.from_counts([PROGRAMME, GENDER], [[3, 10, 12], [8, 15, 20], [11, 9, 25]])
    result = protect(table, Policy(k=5), mode=Mode.HEURISTIC)
    small = explain(result, (0, 0))
    assert (small.reason, small.threshold, small.text) == (
        Reason.SMALL,
        5,
        "Hidden: fewer than 5 people.",
    )
    same_row = explain(result, (0, 1))
    assert same_row.reason is Reason.COMPLEMENTARY
    assert same_row.protects == (0, 0)
    assert same_row.revealing_total == (0, 3)  # the Electrical row total
    assert same_row.text == (
        "Hidden so that the total for Electrical does not reveal another hidden cell "
        "(Electrical, female)."
    )
    same_column = explain(result, (2, 0))
    assert same_column.revealing_total == (3, 0)
    assert same_column.text == (
        "Hidden so that the total for female does not reveal another hidden cell "
        "(Electrical, female)."
    )
    assert explain(result, (2, 1)).text == (
        "Hidden so that the totals do not reveal another hidden cell (Electrical, female)."
    )
    assert explain(result, (1, 1)).text == "Shown."


def test_zero_explanation() -> None:
    table = Table.from_counts([PROGRAMME], [0, 10, 12])
    result = protect(table, Policy(k=5, hide_zeros=True))
    assert result.reason((0,)) is Reason.ZERO
    assert explain(result, (0,)).text == "Hidden: no one is in this group, and zeros are hidden."
    assert result.value((3,)) == 22

"""Exact mode: the fewest extra cells, equal to brute force on tiny tables."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from guildhouse.disclosure import Mode, Policy, Table, protect
from tests.disclosure.oracles import brute_force_extra, plain_dims

DISCLOSURE = settings.get_profile("disclosure")


@st.composite
def tiny_tables(draw: st.DrawFn) -> Table:
    shape = draw(st.sampled_from([(2,), (3,), (4,), (2, 2), (2, 3), (3, 2)]))
    counts = draw(
        st.lists(
            st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 12, 20]),
            min_size=int(np.prod(shape)),
            max_size=int(np.prod(shape)),
        )
    )
    return Table.from_counts(plain_dims(shape), np.array(counts).reshape(shape))


@settings(DISCLOSURE, max_examples=25)
@given(table=tiny_tables(), k=st.sampled_from([3, 5]))
def test_exact_equals_brute_force(table: Table, k: int) -> None:
    result = protect(table, Policy(k=k), mode=Mode.EXACT)
    result.check()
    assert result.extra_hidden == brute_force_extra(table, result.sensitive(), result.width)


@settings(DISCLOSURE, max_examples=25)
@given(table=tiny_tables(), k=st.sampled_from([3, 5]))
def test_heuristic_never_beats_exact(table: Table, k: int) -> None:
    exact = protect(table, Policy(k=k), mode=Mode.EXACT)
    heuristic = protect(table, Policy(k=k), mode=Mode.HEURISTIC)
    heuristic.check()
    assert heuristic.extra_hidden >= exact.extra_hidden

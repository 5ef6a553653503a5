"""Property test of the learner-voice reports: over random data sets, no figure that
any report page, filter or export publishes reveals a group smaller than k -- on its
own, by subtracting one published figure from another, or by any combination of
published figures (checked with scipy's LP, independently of the engine's own audit).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from guildhouse.voice.reports import (
    ACTION_STATUSES,
    NO_PROGRAMME,
    RESPONSES,
    STATUSES,
    ActionRecord,
    Figure,
    ItemRecord,
    ReportSpec,
    SupportRecord,
    VoiceReport,
    build_report,
)

CATEGORIES = ("learning", "wellbeing", "facilities")
PROGRAMMES = ("EL", "HC")
PERIODS = 2


def _spaces(spec: ReportSpec) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Each source table's dimensions: (name, leaf labels), in record order."""
    periods = tuple(str(p) for p in range(spec.periods))
    programmes = (*spec.programmes, NO_PROGRAMME)
    return {
        "items": [
            ("category", spec.categories),
            ("period", periods),
            ("programme", programmes),
            ("status", STATUSES),
            ("response", RESPONSES),
        ],
        "supports": [("category", spec.categories), ("programme", programmes)],
        "actions": [
            ("category", spec.categories),
            ("period", periods),
            ("status", ACTION_STATUSES),
        ],
    }


def _mask(space: list[tuple[str, tuple[str, ...]]], figure: Figure) -> np.ndarray:
    """Which leaves of the source table a figure adds up (a 0/1 vector)."""
    where = dict(figure.where)
    leaves = itertools.product(*(labels for _, labels in space))
    return np.array(
        [
            all(
                label in where.get(name, labels)
                for (name, labels), label in zip(space, leaf, strict=True)
            )
            for leaf in leaves
        ],
        dtype=float,
    )


def _counts(
    space: list[tuple[str, tuple[str, ...]]], records: Sequence[tuple[str, ...]]
) -> np.ndarray:
    index = {leaf: i for i, leaf in enumerate(itertools.product(*(labels for _, labels in space)))}
    counts = np.zeros(len(index))
    for record in records:
        counts[index[record]] += 1
    return counts


def assert_protected(report: VoiceReport, records: Mapping[str, Sequence[tuple[str, ...]]]) -> None:
    k = report.spec.k
    spaces = _spaces(report.spec)
    for source, space in spaces.items():
        truth = _counts(space, records[source])
        figures = [f for t in report.tables if t.source == source for row in t.figures for f in row]
        published = [(f, _mask(space, f)) for f in figures if f.value is not None]
        hidden = [(f, _mask(space, f)) for f in figures if f.value is None]
        # Every published figure is true and not a small group.
        for figure, mask in published:
            assert figure.value == int(mask @ truth)
            assert not 0 < figure.value < k, figure
        # No difference of two published figures (one inside the other) is a small group.
        for (a, mask_a), (b, mask_b) in itertools.permutations(published, 2):
            if (mask_b <= mask_a).all():
                assert a.value is not None
                assert b.value is not None
                assert not 0 < a.value - b.value < k, (a, b)
        # No combination of published figures narrows a hidden small group below k.
        if not published:
            continue
        equations = np.array([m for _, m in published])
        values = np.array([f.value for f, _ in published], dtype=float)
        for figure, mask in hidden:
            true = int(mask @ truth)
            if not 0 < true < k:
                continue
            low = linprog(mask, A_eq=equations, b_eq=values, bounds=(0, None), method="highs")
            high = linprog(-mask, A_eq=equations, b_eq=values, bounds=(0, None), method="highs")
            assert low.status == 0
            width = np.inf if high.status == 3 else -high.fun - low.fun
            assert width >= k - 1e-6, (source, figure, true, width)


categories = st.sampled_from(CATEGORIES)
periods = st.integers(0, PERIODS - 1)
programmes = st.sampled_from((*PROGRAMMES, NO_PROGRAMME))
items = st.builds(
    ItemRecord,
    category=categories,
    period=periods,
    programme=programmes,
    status=st.sampled_from(STATUSES),
    response=st.sampled_from(RESPONSES),
)
supports = st.builds(SupportRecord, category=categories, programme=programmes)
actions = st.builds(
    ActionRecord,
    category=categories,
    period=periods,
    status=st.sampled_from(ACTION_STATUSES),
    resources=st.tuples(*(st.integers(0, 500).map(Decimal) for _ in range(4))),
)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    k=st.sampled_from([3, 5]),
    item_list=st.lists(items, max_size=80),
    support_list=st.lists(supports, max_size=40),
    action_list=st.lists(actions, max_size=30),
)
def test_no_published_figure_reveals_a_small_group(
    k: int,
    item_list: list[ItemRecord],
    support_list: list[SupportRecord],
    action_list: list[ActionRecord],
) -> None:
    spec = ReportSpec(k=k, categories=CATEGORIES, programmes=PROGRAMMES, periods=PERIODS)
    report = build_report(spec, item_list, support_list, action_list)
    records: dict[str, list[tuple[str, ...]]] = {
        "items": [
            (i.category, str(i.period), i.programme, i.status, i.response) for i in item_list
        ],
        "supports": [(s.category, s.programme) for s in support_list],
        "actions": [(a.category, str(a.period), a.status) for a in action_list],
    }
    assert_protected(report, records)
    # Resource sums appear only beside a published action count.
    for resource_table in report.resources:
        counts = report.table(resource_table.key.replace("resources", "actions"))
        for row, totals in zip(resource_table.rows, resource_table.totals, strict=True):
            assert (totals is None) == (counts.value(row, "total") is None)


def test_the_check_catches_a_report_with_primary_suppression_only() -> None:
    """The oracle is not vacuous: hiding only the small cell leaves it derivable."""
    spec = ReportSpec(k=5, categories=CATEGORIES, programmes=PROGRAMMES, periods=PERIODS)
    item_list = [ItemRecord("learning", 0, "EL", "open", "waiting")] * 2 + [
        ItemRecord("wellbeing", 0, "EL", "open", "waiting")
    ] * 9
    report = build_report(spec, item_list)
    volume = report.table("volume")
    assert volume.value("learning", "total") is None
    assert volume.value("wellbeing", "total") is None  # hidden to protect "learning"
    assert volume.value("total", "total") is None  # (grand total would give it away)
    # Publish what primary suppression alone would: every figure but the small ones.
    leaky = [
        type(t)(
            t.key,
            t.source,
            t.programme,
            t.rows,
            t.columns,
            tuple(
                tuple(
                    type(f)(_true(f, item_list), f.where) if not 0 < _true(f, item_list) < 5 else f
                    for f in row
                )
                for row in t.figures
            ),
        )
        for t in report.tables
    ]
    records = {
        "items": [
            (i.category, str(i.period), i.programme, i.status, i.response) for i in item_list
        ],
        "supports": [],
        "actions": [],
    }
    try:
        assert_protected(type(report)(spec, tuple(leaky)), records)
    except AssertionError:
        return
    raise AssertionError("primary suppression alone passed the check")


def _true(figure: Figure, item_list: list[ItemRecord]) -> int:
    where = dict(figure.where)
    fields = ("category", "period", "programme", "status", "response")
    return sum(
        all(str(getattr(i, name)) in where.get(name, (str(getattr(i, name)),)) for name in fields)
        for i in item_list
    )

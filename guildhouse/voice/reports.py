"""Learner-voice reports: every published figure goes through the disclosure engine.

Pure Python (no Django), so that the property test can throw thousands of random data
sets at it. The Django side (``selectors_reports``, ``services_reports``) turns the
database into records and labels, and stores the :class:`VoiceReport` this module
builds as a snapshot that pages and exports read.

**What is counted.** Items (submissions), supports ("me too") and actions. Every
figure a page, a filter or an export can show is a cell of one of three tables, and
each table is protected in one :func:`~guildhouse.disclosure.protect` call with every
view of it linked, so a figure shown in two places is one decision and no hidden cell
can be recovered by subtracting one published figure from another, across filters and
exports:

- **items**: category x period x programme x status (open / done / declined) x
  response (answered on time / answered late / awaiting a first response). Its views,
  for the whole institution and for each programme filter: volume (category x period),
  closure (category x status) and response time (category x response).
- **supports**: category x programme; views by category, for the whole institution
  and for each programme filter.
- **actions**: category x period x status; views by category and by period. Resource
  totals (sums, not counts) are shown only where the matching action count is
  published, so a hidden count cannot be read off its money.

A hidden figure is shown as one symbol whatever the reason: saying "fewer than k"
would tell the reader that the group is not empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from guildhouse.disclosure import ALL, TOTAL, Dimension, Policy, Protected, Table, View, protect

__all__ = [
    "ACTION_STATUSES",
    "NO_PROGRAMME",
    "RESOURCE_KINDS",
    "RESPONSES",
    "STATUSES",
    "ActionRecord",
    "Figure",
    "ItemRecord",
    "ReportSpec",
    "ReportTable",
    "SupportRecord",
    "VoiceReport",
    "build_report",
]

# Leaf labels of the fixed dimensions (the Django side translates them).
STATUSES: tuple[str, ...] = ("open", "done", "declined")
RESPONSES: tuple[str, ...] = ("on_time", "late", "waiting")
ACTION_STATUSES: tuple[str, ...] = ("planned", "in_progress", "done", "cancelled")
RESOURCE_KINDS: tuple[str, ...] = ("money", "staff_hours", "curriculum_hours", "space_hours")
NO_PROGRAMME = "-"  # items whose author gave no programme
TOTAL_KEY = "total"  # the row or column label of a total in a ReportTable


@dataclass(frozen=True)
class ItemRecord:
    category: str
    period: int  # 0..11, from the start of the reporting year
    programme: str  # a programme key or NO_PROGRAMME
    status: str  # one of STATUSES
    response: str  # one of RESPONSES


@dataclass(frozen=True)
class SupportRecord:
    category: str
    programme: str


@dataclass(frozen=True)
class ActionRecord:
    category: str
    period: int
    status: str  # one of ACTION_STATUSES
    resources: tuple[Decimal, ...] = (Decimal(0),) * len(RESOURCE_KINDS)


@dataclass(frozen=True)
class ReportSpec:
    """The labels every table is built over, in the order pages show them."""

    k: int
    categories: tuple[str, ...]
    programmes: tuple[str, ...]  # without NO_PROGRAMME; it is added as the last leaf
    periods: int = 4


@dataclass(frozen=True)
class Figure:
    """One published (or hidden) count and the set of records it adds up.

    ``where`` maps a dimension name to the leaf labels the figure sums over (missing
    dimensions: every leaf); the property test rebuilds each figure from it.
    """

    value: int | None
    where: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class ReportTable:
    """A two-way table as a page shows it: rows x columns plus their totals.

    ``rows``/``columns`` are leaf labels followed by ``TOTAL_KEY``; ``cells[r][c]`` is
    the figure, ``None`` when hidden.
    """

    key: str  # "volume", "status", "response", "supports", "actions_by_category", ...
    source: str  # the protected table it comes from: "items", "supports", "actions"
    programme: str | None  # the programme filter, None for the whole institution
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    figures: tuple[tuple[Figure, ...], ...]

    def value(self, row: str, column: str) -> int | None:
        return self.figures[self.rows.index(row)][self.columns.index(column)].value


@dataclass(frozen=True)
class ResourceTable:
    """Resource totals (sums) by category or period, shown where the action count is."""

    key: str  # "resources_by_category" or "resources_by_period"
    rows: tuple[str, ...]
    totals: tuple[tuple[Decimal, ...] | None, ...]  # per row, one sum per RESOURCE_KINDS


@dataclass(frozen=True)
class VoiceReport:
    spec: ReportSpec
    tables: tuple[ReportTable, ...]
    resources: tuple[ResourceTable, ...] = ()
    hidden: int = 0  # figures hidden, over every table
    published: int = 0
    checked: bool = field(default=False)

    def table(self, key: str, programme: str | None = None) -> ReportTable:
        for table in self.tables:
            if table.key == key and table.programme == programme:
                return table
        raise KeyError((key, programme))

    def resource_table(self, key: str) -> ResourceTable:
        for table in self.resources:
            if table.key == key:
                return table
        raise KeyError(key)


def _periods(spec: ReportSpec) -> tuple[str, ...]:
    return tuple(str(m) for m in range(spec.periods))


def _item_dimensions(spec: ReportSpec) -> list[Dimension]:
    return [
        Dimension.of("category", spec.categories),
        Dimension.of("period", _periods(spec)),
        Dimension.of("programme", (*spec.programmes, NO_PROGRAMME)),
        Dimension.of("status", STATUSES),
        Dimension.of("response", RESPONSES),
    ]


def _filters(spec: ReportSpec) -> list[str | None]:
    return [None, *spec.programmes, NO_PROGRAMME]


def _two_way(
    result: Protected,
    *,
    key: str,
    source: str,
    row_dim: str,
    col_dim: str,
    fixed: dict[str, str],
    programme: str | None,
) -> ReportTable:
    """Read one view of a protected table into rows x columns (leaves, then the total)."""
    dims = result.table.dimensions
    names = [d.name for d in dims]
    r, c = names.index(row_dim), names.index(col_dim)
    rows = (*dims[r].labels, TOTAL_KEY)
    columns = (*dims[c].labels, TOTAL_KEY)
    out = []
    for i, row in enumerate(rows):
        line = []
        for j, column in enumerate(columns):
            cell = [d.total for d in dims]
            cell[r] = i if row != TOTAL_KEY else dims[r].total
            cell[c] = j if column != TOTAL_KEY else dims[c].total
            where: dict[str, tuple[str, ...]] = {}
            for name, label in fixed.items():
                cell[names.index(name)] = dims[names.index(name)].index(label)
                where[name] = (label,)
            if row != TOTAL_KEY:
                where[row_dim] = (row,)
            if column != TOTAL_KEY:
                where[col_dim] = (column,)
            line.append(Figure(result.value(cell), tuple(sorted(where.items()))))
        out.append(tuple(line))
    return ReportTable(key, source, programme, rows, columns, tuple(out))


def _counts(dims: Sequence[Dimension], keys: Iterable[tuple[str, ...]]) -> Table:
    return Table.from_records(dims, keys)


def build_report(
    spec: ReportSpec,
    items: Iterable[ItemRecord],
    supports: Iterable[SupportRecord] = (),
    actions: Iterable[ActionRecord] = (),
) -> VoiceReport:
    """Every table of the report, protected (and checked) under ``Policy(k=spec.k)``.

    Deterministic: the same records give the same report. Raises ``ValueError`` for a
    record with a label outside ``spec``.
    """
    policy = Policy(k=spec.k, special_k=max(spec.k, 10))
    tables: list[ReportTable] = []
    hidden = published = 0

    # Items: one table, every view of every filter linked.
    item_dims = _item_dimensions(spec)
    item_table = _counts(
        item_dims,
        ((i.category, str(i.period), i.programme, i.status, i.response) for i in items),
    )
    views: list[View] = []
    for programme in _filters(spec):
        chosen = TOTAL if programme is None else programme
        views += [
            View(f"volume:{programme}", {"category": ALL, "period": ALL, "programme": chosen}),
            View(f"status:{programme}", {"category": ALL, "status": ALL, "programme": chosen}),
            View(
                f"response:{programme}",
                {"category": ALL, "response": ALL, "programme": chosen},
            ),
        ]
    items_result = protect(item_table, policy, views=views)
    items_result.check()
    for programme in _filters(spec):
        fixed = {} if programme is None else {"programme": programme}
        for key, col in (("volume", "period"), ("status", "status"), ("response", "response")):
            tables.append(
                _two_way(
                    items_result,
                    key=key,
                    source="items",
                    row_dim="category",
                    col_dim=col,
                    fixed=fixed,
                    programme=programme,
                )
            )

    # Supports: category x programme, one view per filter.
    support_dims = [
        Dimension.of("category", spec.categories),
        Dimension.of("programme", (*spec.programmes, NO_PROGRAMME)),
    ]
    support_table = _counts(support_dims, ((s.category, s.programme) for s in supports))
    supports_result = protect(
        support_table, policy, views=[View("supports", {"category": ALL, "programme": ALL})]
    )
    supports_result.check()
    for programme in _filters(spec):
        tables.append(_support_column(supports_result, programme))

    # Actions: category x period x status.
    action_list = list(actions)
    action_dims = [
        Dimension.of("category", spec.categories),
        Dimension.of("period", _periods(spec)),
        Dimension.of("status", ACTION_STATUSES),
    ]
    action_table = _counts(
        action_dims, ((a.category, str(a.period), a.status) for a in action_list)
    )
    actions_result = protect(
        action_table,
        policy,
        views=[
            View("by_category", {"category": ALL, "status": ALL}),
            View("by_period", {"period": ALL, "status": ALL}),
        ],
    )
    actions_result.check()
    by_category = _two_way(
        actions_result,
        key="actions_by_category",
        source="actions",
        row_dim="category",
        col_dim="status",
        fixed={},
        programme=None,
    )
    by_period = _two_way(
        actions_result,
        key="actions_by_period",
        source="actions",
        row_dim="period",
        col_dim="status",
        fixed={},
        programme=None,
    )
    tables += [by_category, by_period]
    resources = (
        _resources(by_category, action_list, lambda a: a.category, "resources_by_category"),
        _resources(by_period, action_list, lambda a: str(a.period), "resources_by_period"),
    )

    for result in (items_result, supports_result, actions_result):
        hidden += int(result.hidden.sum())
        published += int(result.published.sum())
    return VoiceReport(spec, tuple(tables), resources, hidden, published, checked=True)


def _support_column(result: Protected, programme: str | None) -> ReportTable:
    dims = result.table.dimensions
    rows = (*dims[0].labels, TOTAL_KEY)
    line = []
    p = dims[1].total if programme is None else dims[1].index(programme)
    for i, row in enumerate(rows):
        cell = (i if row != TOTAL_KEY else dims[0].total, p)
        where: dict[str, tuple[str, ...]] = {}
        if row != TOTAL_KEY:
            where["category"] = (row,)
        if programme is not None:
            where["programme"] = (programme,)
        line.append((Figure(result.value(cell), tuple(sorted(where.items()))),))
    return ReportTable("supports", "supports", programme, rows, ("supports",), tuple(line))


def _resources(
    counts: ReportTable,
    actions: list[ActionRecord],
    key_of: Callable[[ActionRecord], str],
    key: str,
) -> ResourceTable:
    """Sums of each resource per row, ``None`` where the row's action count is hidden."""
    sums: dict[str, np.ndarray] = {}
    for action in actions:
        row = key_of(action)
        if row not in sums:
            sums[row] = np.zeros(len(RESOURCE_KINDS), dtype=object)
        sums[row] = sums[row] + np.array(action.resources, dtype=object)
    zero = tuple(Decimal(0) for _ in RESOURCE_KINDS)
    totals: list[tuple[Decimal, ...] | None] = []
    grand = np.zeros(len(RESOURCE_KINDS), dtype=object)
    for row in counts.rows:
        if row == TOTAL_KEY:
            continue
        if counts.value(row, TOTAL_KEY) is None:
            totals.append(None)
        else:
            found = sums.get(row)
            totals.append(tuple(Decimal(v) for v in found) if found is not None else zero)
        if row in sums:
            grand = grand + sums[row]
    visible_total = counts.value(TOTAL_KEY, TOTAL_KEY) is not None
    totals.append(tuple(Decimal(v) for v in grand) if visible_total else None)
    return ResourceTable(key, counts.rows, tuple(totals))

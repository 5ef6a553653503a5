"""Count tables, their margins and the views that publish them.

A :class:`Table` holds counts over one or more categorical :class:`Dimension`
objects. Each dimension has *leaves* (the labels records carry) and optional
*groups* (sub-totals such as institution -> programme -> cohort), and always a
*total*. Every cell of the table together with every margin and sub-total is a
cell of the **extended array**: along dimension ``k`` its index runs over the
dimension's *nodes* -- leaves first (``0..n-1``), then groups in the order
given, then the total (last). ``Table.extended()`` is that array; a node's value
is the sum of the leaves below it.

A :class:`View` says which extended cells a page, a filtered page or an export
shows. Views of one table are protected together (linked tables): a cell shown
by two views is one cell, hidden in both or in neither.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

__all__ = ["ALL", "TOTAL", "Dimension", "Table", "View"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

ALL = "*all*"
TOTAL = "*total*"


@dataclass(frozen=True)
class Dimension:
    """One categorical dimension: leaf labels and optional named groups.

    ``groups`` maps a group label to its members (leaf labels or other group
    labels). A leaf or group that is in no group sits directly under the total.
    """

    name: str
    labels: tuple[str, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(
        cls, name: str, labels: Iterable[str], groups: Mapping[str, Iterable[str]] | None = None
    ) -> Dimension:
        return cls(
            name,
            tuple(labels),
            tuple((g, tuple(members)) for g, members in (groups or {}).items()),
        )

    @classmethod
    def nested(cls, name: str, tree: Mapping[str, object]) -> Dimension:
        """A hierarchy from nested mappings; the innermost level is a list of leaves.

        ``Dimension.nested("cohort", {"North": {"Inst A": ["a1", "a2"]}})``.
        """
        labels: list[str] = []
        groups: list[tuple[str, tuple[str, ...]]] = []

        def walk(node: object) -> list[str]:
            if isinstance(node, Mapping):
                for group, sub in node.items():
                    groups.append((str(group), tuple(walk(sub))))
                return [str(g) for g in node]
            leaves = [str(x) for x in node]  # type: ignore[attr-defined]
            labels.extend(leaves)
            return leaves

        walk(tree)
        return cls(name, tuple(labels), tuple(groups))

    @property
    def size(self) -> int:
        return len(self.labels)

    @cached_property
    def nodes(self) -> tuple[str, ...]:
        """Node labels: leaves, groups, then the total (called ``"Total"``)."""
        return (*self.labels, *(g for g, _ in self.groups), "Total")

    @cached_property
    def parent(self) -> Ints:
        """Parent node of each node; the total's parent is -1."""
        self.validate()
        index = {label: i for i, label in enumerate(self.nodes[:-1])}
        root = len(self.nodes) - 1
        parent = np.full(len(self.nodes), root, dtype=np.int64)
        parent[root] = -1
        for g, members in self.groups:
            for member in members:
                parent[index[member]] = index[g]
        return parent

    @cached_property
    def children(self) -> tuple[tuple[int, ...], ...]:
        kids: list[list[int]] = [[] for _ in self.nodes]
        for node, p in enumerate(self.parent.tolist()):
            if p >= 0:
                kids[p].append(node)
        return tuple(tuple(k) for k in kids)

    @cached_property
    def aggregation(self) -> Ints:
        """0/1 matrix (nodes x leaves): which leaves each node adds up."""
        agg = np.zeros((len(self.nodes), self.size), dtype=np.int64)
        for leaf in range(self.size):
            node = leaf
            while node >= 0:
                agg[node, leaf] = 1
                node = int(self.parent[node])
        return agg

    @property
    def total(self) -> int:
        return len(self.nodes) - 1

    def index(self, label: str) -> int:
        try:
            return self.nodes.index(label)
        except ValueError:
            raise ValueError(f"dimension '{self.name}' has no label '{label}'") from None

    def validate(self) -> None:
        if not self.labels:
            raise ValueError(f"dimension '{self.name}' has no labels")
        seen: set[str] = set()
        for label in (*self.labels, *(g for g, _ in self.groups)):
            if label in seen or label == "Total":
                raise ValueError(f"dimension '{self.name}': label '{label}' is used twice")
            seen.add(label)
        owner: dict[str, str] = {}
        for g, members in self.groups:
            if not members:
                raise ValueError(f"dimension '{self.name}': group '{g}' has no members")
            for member in members:
                if member not in seen:
                    raise ValueError(f"dimension '{self.name}': group '{g}' has unknown '{member}'")
                if member in owner:
                    raise ValueError(f"dimension '{self.name}': '{member}' is in two groups")
                owner[member] = g
        for g, _ in self.groups:  # no group may contain itself, directly or not
            node, steps = g, 0
            while node in owner:
                node, steps = owner[node], steps + 1
                if node == g or steps > len(self.groups):
                    raise ValueError(f"dimension '{self.name}': group '{g}' contains itself")


@dataclass(frozen=True)
class View:
    """The cells one page or export shows.

    ``show`` maps a dimension name to :data:`ALL` (the dimension is broken down,
    with its sub-totals and total), :data:`TOTAL` (summed over) or one node
    label (a filter). Dimensions not named are summed over.
    """

    name: str
    show: Mapping[str, str] = field(default_factory=dict)

    def nodes(self, table: Table) -> list[list[int]]:
        unknown = set(self.show) - {d.name for d in table.dimensions}
        if unknown:
            raise ValueError(f"view '{self.name}' names unknown dimension '{sorted(unknown)[0]}'")
        out: list[list[int]] = []
        for dim in table.dimensions:
            choice = self.show.get(dim.name, TOTAL)
            if choice == ALL:
                out.append(list(range(len(dim.nodes))))
            elif choice == TOTAL:
                out.append([dim.total])
            else:
                out.append([dim.index(choice)])
        return out

    def mask(self, table: Table) -> Bools:
        mask = np.zeros(table.extended_shape, dtype=bool)
        mask[np.ix_(*[np.asarray(n) for n in self.nodes(table)])] = True
        return mask


@dataclass(frozen=True, eq=False)
class Table:
    """Non-negative integer counts over 1+ dimensions (leaves only)."""

    dimensions: tuple[Dimension, ...]
    counts: Ints
    special_category: bool = False

    def __post_init__(self) -> None:
        if not self.dimensions:
            raise ValueError("a table needs at least one dimension")
        for dim in self.dimensions:
            dim.validate()
        names = [d.name for d in self.dimensions]
        if len(set(names)) != len(names):
            raise ValueError("two dimensions have the same name")
        shape = tuple(d.size for d in self.dimensions)
        if self.counts.shape != shape:
            raise ValueError(f"counts have shape {self.counts.shape}, the labels say {shape}")
        if (self.counts < 0).any():
            raise ValueError("counts must not be negative")

    @classmethod
    def from_counts(
        cls,
        dimensions: Sequence[Dimension],
        counts: npt.ArrayLike,
        *,
        special_category: bool = False,
    ) -> Table:
        array = np.asarray(counts)
        if array.dtype == object or not (
            np.issubdtype(array.dtype, np.integer) or array.dtype == np.bool_
        ):
            raise ValueError("counts must be integers")
        return cls(tuple(dimensions), array.astype(np.int64), special_category)

    @classmethod
    def from_records(
        cls,
        dimensions: Sequence[Dimension],
        records: Iterable[Sequence[str] | Mapping[str, str]],
        *,
        special_category: bool = False,
    ) -> Table:
        """Count records: each is a tuple of leaf labels or a mapping by dimension name."""
        dims = tuple(dimensions)
        lookup = [{label: i for i, label in enumerate(d.labels)} for d in dims]
        counts = np.zeros(tuple(d.size for d in dims), dtype=np.int64)
        for n, record in enumerate(records):
            values = [record[d.name] for d in dims] if isinstance(record, Mapping) else record
            try:
                key = tuple(lookup[k][v] for k, v in enumerate(values))
            except KeyError as error:
                raise ValueError(f"record {n} has unknown label {error}") from None
            counts[key] += 1
        return cls(dims, counts, special_category)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(d.size for d in self.dimensions)

    @property
    def extended_shape(self) -> tuple[int, ...]:
        return tuple(len(d.nodes) for d in self.dimensions)

    @cached_property
    def hierarchical(self) -> bool:
        return any(d.groups for d in self.dimensions)

    def extended(self) -> Ints:
        """Every cell, margin and sub-total: the counts aggregated along each dimension."""
        ext = self.counts
        for k, dim in enumerate(self.dimensions):
            ext = np.moveaxis(np.tensordot(ext, dim.aggregation, axes=([k], [1])), -1, k)
        return ext.astype(np.int64)

    def leaf_mask(self) -> Bools:
        """True where every coordinate of an extended cell is a leaf."""
        mask = np.zeros(self.extended_shape, dtype=bool)
        mask[tuple(slice(0, d.size) for d in self.dimensions)] = True
        return mask

    def all_margins(self) -> Bools:
        """Every cell, margin and sub-total: the default when nothing else is said."""
        return np.ones(self.extended_shape, dtype=bool)

    def margin_mask(self, subsets: Iterable[Sequence[int]]) -> Bools:
        """The leaf cells plus the margins over the given kept-dimension subsets.

        A subset lists the dimensions kept (broken down); the others are summed
        over. ``[]`` is the grand total. Sub-totals of hierarchical dimensions are
        included with the dimension they belong to.
        """
        mask = self.leaf_mask()
        d = len(self.dimensions)
        for subset in subsets:
            kept = set(subset)
            if not kept <= set(range(d)):
                raise ValueError(f"margin {list(subset)} names a dimension that does not exist")
            index = [
                np.arange(len(dim.nodes)) if k in kept else np.array([dim.total])
                for k, dim in enumerate(self.dimensions)
            ]
            mask[np.ix_(*index)] = True
        return mask

    def label(self, cell: Sequence[int]) -> tuple[str, ...]:
        return tuple(dim.nodes[i] for dim, i in zip(self.dimensions, cell, strict=True))


def all_subsets(d: int) -> list[tuple[int, ...]]:
    """Every subset of ``range(d)``, largest first (the CLI's margin order)."""
    return [c for r in range(d - 1, -1, -1) for c in itertools.combinations(range(d), r)]

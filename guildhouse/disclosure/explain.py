"""Why a cell is hidden, in words a coordinator can read.

Each :class:`Explanation` carries the structured facts (reason, threshold, the
cell it protects and the total that would have given that cell away) and an
English sentence. Pages translate from the facts; the sentence is for logs, the
command line and tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guildhouse.disclosure.protect import Protected, Reason

__all__ = ["Explanation", "explain"]


@dataclass(frozen=True)
class Explanation:
    cell: tuple[int, ...]
    reason: Reason
    threshold: int
    protects: tuple[int, ...] | None  # the sensitive cell a complementary cell shields
    revealing_total: tuple[int, ...] | None  # the total that would have revealed it
    text: str


def _name(result: Protected, cell: Sequence[int]) -> str:
    dims = result.table.dimensions
    parts = [d.nodes[i] for d, i in zip(dims, cell, strict=True) if i != d.total]
    return ", ".join(parts) if parts else "everyone"


def explain(result: Protected, cell: Sequence[int]) -> Explanation:
    """Why ``cell`` (extended coordinates) is shown or hidden."""
    key = tuple(int(i) for i in cell)
    reason = result.reason(key)
    k = result.threshold
    if reason is Reason.SMALL:
        return Explanation(key, reason, k, None, None, f"Hidden: fewer than {k} people.")
    if reason is Reason.ZERO:
        return Explanation(
            key, reason, k, None, None, "Hidden: no one is in this group, and zeros are hidden."
        )
    if reason is not Reason.COMPLEMENTARY:
        text = "Shown." if reason is Reason.PUBLISHED else "Not part of this report."
        return Explanation(key, reason, k, None, None, text)
    protected = result.protects[key]
    dims = result.table.dimensions
    differ = [i for i, (a, b) in enumerate(zip(key, protected, strict=True)) if a != b]
    total = tuple(
        d.total if i in differ else c for i, (d, c) in enumerate(zip(dims, key, strict=True))
    )
    if len(differ) == 1:
        kept = [d.nodes[c] for d, c in zip(dims, total, strict=True) if c != d.total]
        which = f"the total for {', '.join(kept)}" if kept else "the grand total"
        text = (
            f"Hidden so that {which} does not reveal another hidden cell "
            f"({_name(result, protected)})."
        )
    else:
        text = (
            "Hidden so that the totals do not reveal another hidden cell "
            f"({_name(result, protected)})."
        )
    return Explanation(key, reason, k, protected, total, text)

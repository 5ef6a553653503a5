"""Reading and checking a table file (JSON) for the command line.

``{"dimensions": [[labels of dimension 0], ...], "counts": nested lists}``,
optionally ``"margins": [[kept dimension indexes], ...]`` to publish only those
margins (by default every margin is published). Every problem is a
:class:`TableFileError` whose message is one line naming it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from guildhouse.disclosure.table import Dimension, Table, all_subsets

__all__ = ["MAX_DIMENSIONS", "TableFile", "TableFileError", "load_table"]

MAX_DIMENSIONS = 4


class TableFileError(ValueError):
    """The table file is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class TableFile:
    table: Table
    margins: list[tuple[int, ...]]  # kept-dimension subsets that are published


def load_table(path: str | Path) -> TableFile:
    path = Path(path)
    if not path.is_file():
        raise TableFileError(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TableFileError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise TableFileError(f"{path}: expected a JSON object")
    for key in ("dimensions", "counts"):
        if key not in data:
            raise TableFileError(f"{path}: missing '{key}'")
    dims = data["dimensions"]
    if not isinstance(dims, list) or not dims:
        raise TableFileError("'dimensions' must be a non-empty list of label lists")
    if len(dims) > MAX_DIMENSIONS:
        raise TableFileError(f"a table has at most {MAX_DIMENSIONS} dimensions, got {len(dims)}")
    dimensions = []
    for k, labels in enumerate(dims):
        if not isinstance(labels, list) or not labels:
            raise TableFileError(f"dimension {k} must be a non-empty list of labels")
        if not all(isinstance(label, str) for label in labels):
            raise TableFileError(f"dimension {k} has a label that is not a string")
        if len(set(labels)) != len(labels):
            raise TableFileError(f"dimension {k} has a label twice")
        dimensions.append(Dimension.of(f"dimension {k}", labels))
    shape = tuple(len(labels) for labels in dims)
    _check_counts(data["counts"], shape, [])
    margins = all_subsets(len(shape))
    if "margins" in data:
        margins = _margins(data["margins"], len(shape))
    counts = np.array(data["counts"], dtype=np.int64).reshape(shape)
    return TableFile(Table.from_counts(dimensions, counts), margins)


def _check_counts(node: object, shape: Sequence[int], at: list[int]) -> None:
    where = f" at {at}" if at else ""
    if not shape:
        if isinstance(node, bool) or not isinstance(node, int):
            raise TableFileError(f"'counts'{where} is not an integer: {json.dumps(node)}")
        if node < 0:
            raise TableFileError(f"'counts'{where} is negative: {node}")
        return
    if not isinstance(node, list):
        raise TableFileError(
            f"'counts'{where} should be a list of {shape[0]}, got {json.dumps(node)}"
        )
    if len(node) != shape[0]:
        raise TableFileError(
            f"'counts'{where} has {len(node)} entries, dimension {len(at)} has {shape[0]} labels"
        )
    for i, child in enumerate(node):
        _check_counts(child, shape[1:], [*at, i])


def _margins(value: object, d: int) -> list[tuple[int, ...]]:
    if not isinstance(value, list):
        raise TableFileError("'margins' must be a list of dimension-index lists")
    wanted: set[tuple[int, ...]] = set()
    for entry in value:
        if not isinstance(entry, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < d for i in entry
        ):
            raise TableFileError(
                f"'margins' entry {json.dumps(entry)} is not a list of indexes 0..{d - 1}"
            )
        kept = tuple(sorted(set(entry)))
        if len(kept) == d:
            raise TableFileError(
                f"'margins' entry {json.dumps(entry)} keeps every dimension: that is the table"
            )
        wanted.add(kept)
    return [s for s in all_subsets(d) if s in wanted]

"""Command line: ``python -m guildhouse.disclosure protect TABLE.json --k 5 --out RESULT.json``.

Writes ``cells`` (the table's shape; an integer, or null when hidden),
``margins`` (one entry per published margin cell: ``dims`` kept, ``key``,
``value``), ``reasons`` (the table's shape: published, small, zero or
complementary) and ``audit`` (one entry per hidden cell or margin: its
extended ``cell`` coordinates -- an index equal to a dimension's length is that
dimension's total -- and the ``low``/``high`` values it can take given what is
published; ``high`` is null when nothing bounds it). Bad input exits with
status 2 and one line on stderr naming the problem.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from guildhouse.disclosure.policy import Policy
from guildhouse.disclosure.protect import Mode, Protected, protect
from guildhouse.disclosure.tablefile import TableFileError, load_table


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m guildhouse.disclosure")
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("protect", help="suppress small cells and protect them")
    cmd.add_argument("table", type=Path)
    cmd.add_argument("--k", type=int, default=5, help="smallest reportable group (>= 3)")
    cmd.add_argument("--protection", type=int, default=None, help="required interval width")
    cmd.add_argument("--round", type=int, default=0, help="round published counts to this base")
    cmd.add_argument("--hide-zeros", action="store_true")
    cmd.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.AUTO.value)
    cmd.add_argument("--out", required=True, type=Path)
    return parser


def result_json(result: Protected, margins: Sequence[tuple[int, ...]]) -> dict[str, Any]:
    table = result.table
    leaves = tuple(slice(0, n) for n in table.shape)
    cells = np.empty(table.shape, dtype=object)
    reasons = np.empty(table.shape, dtype=object)
    for index in np.ndindex(*table.shape):
        cells[index] = result.value(index)
        reasons[index] = result.reason(index).value
    del leaves
    margin_entries = []
    for kept in margins:
        ranges = [range(table.shape[k]) for k in kept]
        for key in itertools.product(*ranges):
            cell = [d.total for d in table.dimensions]
            for k, i in zip(kept, key, strict=True):
                cell[k] = i
            margin_entries.append(
                {"dims": list(kept), "key": list(key), "value": result.value(cell)}
            )
    audit = [
        {
            "cell": list(iv.cell),
            "low": iv.low,
            "high": None if math.isinf(iv.high) else iv.high,
        }
        for iv in result.audit()
    ]
    return {
        "cells": cells.tolist(),
        "margins": margin_entries,
        "reasons": reasons.tolist(),
        "audit": audit,
    }


def _protect(args: argparse.Namespace) -> None:
    loaded = load_table(args.table)
    policy = Policy(
        k=args.k,
        special_k=max(args.k, 10),
        rounding=args.round,
        protection=args.protection,
        hide_zeros=args.hide_zeros,
    )
    table = loaded.table
    result = protect(table, policy, shown=table.margin_mask(loaded.margins), mode=Mode(args.mode))
    args.out.write_text(json.dumps(result_json(result, loaded.margins)) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        _protect(args)
    except (TableFileError, ValueError, OSError) as error:
        message = " ".join(str(error).split())  # one line, whatever the cause
        print(f"error: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

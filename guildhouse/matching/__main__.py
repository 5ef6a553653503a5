"""Command line: ``python -m guildhouse.matching solve|generate ...``.

``solve INSTANCE.npz --mode MODE --out RESULT.json`` writes ``mode``,
``assignment`` (mentor index or -1 per mentee), ``total_score``, ``matched``
and ``seconds``. ``generate`` writes a synthetic instance. Bad input exits
with status 2 and one line on stderr naming the problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from guildhouse.matching.instance import InstanceError, load_instance
from guildhouse.matching.solve import Mode, solve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m guildhouse.matching")
    commands = parser.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser("solve", help="match mentees to mentors")
    solve_cmd.add_argument("instance", type=Path)
    solve_cmd.add_argument("--mode", required=True, choices=[m.value for m in Mode])
    solve_cmd.add_argument("--out", required=True, type=Path)
    gen = commands.add_parser("generate", help="write a synthetic instance")
    for name in ("mentees", "mentors", "capacity", "seed"):
        gen.add_argument(f"--{name}", required=True, type=int)
    gen.add_argument("--out", required=True, type=Path)
    return parser


def _solve(args: argparse.Namespace) -> None:
    instance = load_instance(args.instance)
    result = solve(instance.source(), instance.capacity, mode=Mode(args.mode))
    payload = {
        "mode": result.mode.value,
        "assignment": result.assignment.tolist(),
        "total_score": result.total_score,
        "matched": result.matched,
        "seconds": result.seconds,
    }
    args.out.write_text(json.dumps(payload) + "\n")


def _generate(args: argparse.Namespace) -> None:
    # The generator pulls in the scoring stack; only this command needs it.
    from guildhouse.matching.generate import generate_instance

    generated = generate_instance(
        mentees=args.mentees, mentors=args.mentors, capacity=args.capacity, seed=args.seed
    )
    generated.save_npz(args.out)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "solve":
            _solve(args)
        else:
            _generate(args)
    except (InstanceError, ValueError, OSError) as error:
        message = " ".join(str(error).split())  # one line, whatever the cause
        print(f"error: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

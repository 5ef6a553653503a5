#!/usr/bin/env python3
"""Developer entry point that needs nothing but Python 3.11+.

    python3 dev.py demo            # install into .venv, load the demo, serve on 127.0.0.1:8000
    python3 dev.py test            # install into .venv (with test tools) and run the test suite
    python3 dev.py demo --scale region --no-serve   # the large benchmark dataset

Anything after the command is passed on (to ``guildhouse demo`` or to pytest).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_environment(*, dev: bool) -> None:
    """Create .venv and install Guildhouse into it, again only when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py must explain itself on an old Python
        sys.exit(f"Guildhouse needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        print("Creating a virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    extras = "[dev]" if dev else ""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed{'-dev' if dev else ''}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing Guildhouse{extras} and its dependencies (first run only) ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", f".{extras}"], cwd=ROOT, check=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "shell"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment(dev=command == "test")
    if command == "test":
        # Warnings are errors, both cores are used; see pyproject.toml for the markers.
        # GUILDHOUSE_TESTING selects the fast password hasher in settings.py.
        env = {**os.environ, "GUILDHOUSE_TESTING": "1"}
        return subprocess.call([str(BIN / "pytest"), "-n", "2", *rest], cwd=ROOT, env=env)
    return wait_through_ctrl_c([str(BIN / "guildhouse"), command, *rest])


def wait_through_ctrl_c(args: list[str]) -> int:
    """Run ``args``; Ctrl+C reaches it too, so wait until it (and what it started) stops."""
    with subprocess.Popen(args, cwd=ROOT) as process:
        while True:
            try:
                return process.wait()
            except KeyboardInterrupt:
                continue


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

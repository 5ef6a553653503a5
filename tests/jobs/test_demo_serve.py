"""`python3 dev.py demo` serves with a worker beside it, and Ctrl+C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def group_commands(group: int) -> list[str]:
    listing = subprocess.run(
        ["ps", "-o", "args=", "-g", str(group)], capture_output=True, text=True, check=False
    )
    return [line.strip() for line in listing.stdout.splitlines() if line.strip()]


def test_demo_runs_a_worker_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "GUILDHOUSE_DATA_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "GUILDHOUSE_TESTING"):
        env.pop(name, None)
    log = tmp_path / "demo.log"
    with log.open("w") as output:
        demo = subprocess.Popen(
            [sys.executable, "dev.py", "demo", "--port", str(port)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives it
            # A terminal delivers Ctrl+C as SIGINT to the whole group; test runners may
            # start us with SIGINT ignored, which children would inherit.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    assert response.read() == b"ok"
                break
            except OSError:
                assert demo.poll() is None, "the demo stopped before serving"
                assert time.monotonic() < deadline, "the demo did not serve in time"
                time.sleep(0.5)
        running = group_commands(demo.pid)
        assert any(" worker " in f"{command} " for command in running), running
        assert any("demo --port" in command for command in running), running

        os.killpg(demo.pid, signal.SIGINT)  # Ctrl+C
        assert demo.wait(timeout=30) == 0
        assert "Started a background worker" in log.read_text()
        time.sleep(0.5)
        assert group_commands(demo.pid) == []  # nothing left behind
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()

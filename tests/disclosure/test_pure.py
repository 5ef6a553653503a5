"""The engine is a pure package: importing it loads no Django."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_engine_loads_no_django() -> None:
    code = (
        "import sys, guildhouse.disclosure, guildhouse.disclosure.__main__;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"

"""Pure matching engine: assigns mentees to mentors under capacities.

No Django here. The public API is re-exported lazily so that importing the
package stays cheap (OR-Tools loads only when a solver is first used).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from guildhouse.matching.solve import Certificate, Mode, Result, solve
    from guildhouse.matching.source import Block, DenseSource, ScoreSource

__all__ = ["Block", "Certificate", "DenseSource", "Mode", "Result", "ScoreSource", "solve"]

_HOME = {
    "Block": "guildhouse.matching.source",
    "DenseSource": "guildhouse.matching.source",
    "ScoreSource": "guildhouse.matching.source",
    "Certificate": "guildhouse.matching.solve",
    "Mode": "guildhouse.matching.solve",
    "Result": "guildhouse.matching.solve",
    "solve": "guildhouse.matching.solve",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'guildhouse.matching' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)

"""Pure matching engine: assigns mentees to mentors under capacities.

No Django here. The public API: :func:`solve` with a :class:`Mode`, fed by a
:class:`ScoreSource` (for example :class:`DenseSource`), returning a
:class:`Result`. Scoring, the instance generator and explanations live in
their own modules and are imported from there.
"""

from __future__ import annotations

# Imported eagerly, not lazily: the function ``solve`` must shadow the
# submodule of the same name on the package.
from guildhouse.matching.solve import Certificate, Mode, Result, StableCertificate, solve
from guildhouse.matching.source import Block, DenseSource, ScoreSource

__all__ = [
    "Block",
    "Certificate",
    "DenseSource",
    "Mode",
    "Result",
    "ScoreSource",
    "StableCertificate",
    "solve",
]

"""Pure disclosure-control engine: small-cell and complementary suppression.

No Django here. Build a :class:`Table` (from counts or records, with optional
hierarchical :class:`Dimension` groups), choose what is shown with
:class:`View` objects (views of one table are linked: protected together),
then :func:`protect` it under a :class:`Policy`. The :class:`Protected` result
gives values, reasons, :meth:`Protected.audit` intervals and
:meth:`Protected.check`; :func:`explain` says why a cell is hidden.
"""

from __future__ import annotations

from guildhouse.disclosure.audit import Interval
from guildhouse.disclosure.explain import Explanation, explain
from guildhouse.disclosure.policy import Policy
from guildhouse.disclosure.protect import Mode, Protected, Reason, Witness, protect
from guildhouse.disclosure.table import ALL, TOTAL, Dimension, Table, View

__all__ = [
    "ALL",
    "TOTAL",
    "Dimension",
    "Explanation",
    "Interval",
    "Mode",
    "Policy",
    "Protected",
    "Reason",
    "Table",
    "View",
    "Witness",
    "explain",
    "protect",
]

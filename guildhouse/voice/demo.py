"""Learner-voice demo data (per-app demo contract). The staff side's part is in
demo_staff.py; the learner side appends its own part here."""

from __future__ import annotations

import datetime

from guildhouse.voice.demo_staff import load_demo_staff, load_region

__all__ = ["load_demo", "load_region"]


def load_demo(*, today: datetime.date) -> None:
    load_demo_staff(today=today)

"""Hypothesis profile for the disclosure engine's property tests: deterministic
(derandomized, so CI sees the same examples every run), bounded and without
deadlines, since the first call pays for importing OR-Tools."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("disclosure", max_examples=40, deadline=None, derandomize=True)

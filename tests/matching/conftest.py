"""Hypothesis profile for the matching engine's property tests: deterministic
(derandomized, so CI sees the same examples every run) and without deadlines,
since the first call pays for importing OR-Tools."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("matching", max_examples=60, deadline=None, derandomize=True)

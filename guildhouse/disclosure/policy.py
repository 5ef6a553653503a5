"""What an institution allows to be published."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MIN_THRESHOLD", "Policy"]

MIN_THRESHOLD = 3


@dataclass(frozen=True)
class Policy:
    """Thresholds, zeros, rounding and the protection a hidden cell needs.

    - ``k``: the smallest reportable group (default 5, never below 3); a cell
      or margin with 1..k-1 people is hidden (*primary* suppression).
    - ``special_k``: the threshold for special-category breakdowns (gender,
      background, support needs); default 10, never below ``k``.
    - ``hide_zeros``: hide zero cells too, and protect them like small ones.
    - ``rounding``: publish counts rounded to the nearest multiple (e.g. 5);
      every total is rounded from its own true value, never summed from
      rounded cells (Ofqual's rule). 0 or 1 means no rounding.
    - ``protection``: how wide the feasible range of a hidden sensitive cell
      must be, given everything published (``high - low >= protection``);
      ``None`` means the threshold in force.
    """

    k: int = 5
    special_k: int = 10
    hide_zeros: bool = False
    rounding: int = 0
    protection: int | None = None

    def __post_init__(self) -> None:
        if self.k < MIN_THRESHOLD:
            raise ValueError(f"the threshold k must be at least {MIN_THRESHOLD}, got {self.k}")
        if self.special_k < self.k:
            raise ValueError(f"special_k ({self.special_k}) must not be below k ({self.k})")
        if self.rounding < 0:
            raise ValueError(f"rounding must not be negative, got {self.rounding}")
        if self.protection is not None and self.protection < 1:
            raise ValueError(f"protection must be at least 1, got {self.protection}")

    def threshold(self, special_category: bool) -> int:
        return self.special_k if special_category else self.k

    def width(self, special_category: bool) -> int:
        if self.protection is not None:
            return self.protection
        return self.threshold(special_category)

    def round(self, value: int) -> int:
        """Nearest multiple of ``rounding``, halves up."""
        base = self.rounding
        if base <= 1:
            return value
        return ((2 * value + base) // (2 * base)) * base

    def rounding_range(self, published: int) -> tuple[int, int]:
        """The true values (inclusive) that round to ``published``."""
        base = self.rounding
        if base <= 1:
            return published, published
        low = max(0, published - base // 2)
        high = published + (base - 1) // 2
        if base % 2 == 0:  # halves go up: (p - b/2) rounds to p, (p + b/2) does not
            high = published + base // 2 - 1
        return low, high

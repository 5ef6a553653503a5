"""Where the matching engine gets its pair scores from.

The solver never asks for the full mentee x mentor matrix. It asks a
:class:`ScoreSource` for *blocks*: rectangular slices of the matrix, each with
the mentee (row) and mentor (column) indices it covers, the scores, and a mask
of which pairs are allowed at all. Pairs that appear in no block are not
allowed. A regional instance (100,000 x 25,000) is therefore a stream of
per-programme blocks rather than 2.5e9 floats in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

__all__ = ["Block", "DenseSource", "ScoreSource"]


@dataclass(frozen=True)
class Block:
    """One rectangular slice of the score matrix.

    ``scores[i, j]`` is the score of mentee ``rows[i]`` with mentor ``cols[j]``;
    higher is better and every value is finite. ``allowed[i, j]`` says whether
    that pair may be matched at all. ``mentor_scores`` (same shape, optional) is
    the mentor's view of the pair, used only by the stable mode; when it is
    ``None`` the mentor side uses ``scores``.
    """

    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    scores: npt.NDArray[np.floating]
    allowed: npt.NDArray[np.bool_]
    mentor_scores: npt.NDArray[np.floating] | None = None


@runtime_checkable
class ScoreSource(Protocol):
    """A deterministic, re-iterable stream of :class:`Block` objects.

    Implementations promise that each (mentee, mentor) pair appears in at most
    one block, that :meth:`blocks` yields the same blocks in the same order
    every time it is called, and that indices lie in ``range(n_mentees)`` and
    ``range(n_mentors)``.
    """

    n_mentees: int
    n_mentors: int

    def blocks(self) -> Iterator[Block]: ...


class DenseSource:
    """A :class:`ScoreSource` over dense ``(n_mentees, n_mentors)`` arrays.

    Yields row chunks of at most ``chunk_rows`` mentees, all mentors each, so a
    consumer that processes one block at a time holds only a chunk's worth of
    temporaries. The arrays are not copied; blocks are views into them.
    """

    def __init__(
        self,
        scores: npt.NDArray[np.floating],
        allowed: npt.NDArray[np.bool_],
        mentor_scores: npt.NDArray[np.floating] | None = None,
        *,
        chunk_rows: int = 2048,
    ) -> None:
        if scores.ndim != 2:
            raise ValueError(f"scores must be 2-dimensional, got shape {scores.shape}")
        if allowed.shape != scores.shape:
            raise ValueError(
                f"allowed has shape {allowed.shape} but scores has shape {scores.shape}"
            )
        if mentor_scores is not None and mentor_scores.shape != scores.shape:
            raise ValueError(
                f"mentor_scores has shape {mentor_scores.shape} but scores has shape {scores.shape}"
            )
        if chunk_rows < 1:
            raise ValueError(f"chunk_rows must be at least 1, got {chunk_rows}")
        self.scores = scores
        self.allowed = allowed
        self.mentor_scores = mentor_scores
        self.chunk_rows = chunk_rows
        self.n_mentees = int(scores.shape[0])
        self.n_mentors = int(scores.shape[1])

    def blocks(self) -> Iterator[Block]:
        cols = np.arange(self.n_mentors, dtype=np.int64)
        for start in range(0, self.n_mentees, self.chunk_rows):
            stop = min(start + self.chunk_rows, self.n_mentees)
            yield Block(
                rows=np.arange(start, stop, dtype=np.int64),
                cols=cols,
                scores=self.scores[start:stop],
                allowed=self.allowed[start:stop],
                mentor_scores=(
                    None if self.mentor_scores is None else self.mentor_scores[start:stop]
                ),
            )

"""Reading and checking an instance file (``.npz``) for the command line.

An instance holds ``scores`` (float, mentees x mentors), ``allowed`` (bool,
same shape), ``capacity`` (int, one per mentor) and optionally
``mentor_scores`` (float, same shape as ``scores``). Every problem is an
:class:`InstanceError` whose message is one line naming it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from guildhouse.matching.source import DenseSource

__all__ = ["Instance", "InstanceError", "load_instance"]


class InstanceError(ValueError):
    """The instance file is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class Instance:
    scores: npt.NDArray[np.floating]
    allowed: npt.NDArray[np.bool_]
    capacity: npt.NDArray[np.int64]
    mentor_scores: npt.NDArray[np.floating] | None

    def source(self) -> DenseSource:
        return DenseSource(self.scores, self.allowed, self.mentor_scores)


def load_instance(path: str | Path) -> Instance:
    """Load and validate ``path``; raise :class:`InstanceError` on any problem."""
    path = Path(path)
    if not path.is_file():
        raise InstanceError(f"{path}: no such file")
    # np.load guesses the format from the first bytes; anything that is not a
    # zip archive would otherwise produce a confusing pickle or .npy message.
    if not zipfile.is_zipfile(path):
        raise InstanceError(f"{path}: not an .npz archive")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise InstanceError(f"{path}: unreadable .npz archive ({error})") from None
    for name in ("scores", "allowed", "capacity"):
        if name not in arrays:
            raise InstanceError(f"{path}: missing array '{name}'")
    scores = _float_matrix(arrays["scores"], "scores")
    allowed = arrays["allowed"]
    if allowed.dtype != np.bool_:
        raise InstanceError(f"'allowed' must be bool, got {allowed.dtype}")
    if allowed.shape != scores.shape:
        raise InstanceError(f"'allowed' has shape {allowed.shape}, 'scores' has {scores.shape}")
    capacity = arrays["capacity"]
    if not np.issubdtype(capacity.dtype, np.integer):
        raise InstanceError(f"'capacity' must be integers, got {capacity.dtype}")
    if capacity.shape != (scores.shape[1],):
        raise InstanceError(
            f"'capacity' has shape {capacity.shape}, expected ({scores.shape[1]},) (one per mentor)"
        )
    if (capacity < 0).any():
        j = int(np.argmin(capacity))
        raise InstanceError(f"'capacity' is negative for mentor {j} ({int(capacity[j])})")
    mentor_scores = None
    if "mentor_scores" in arrays:
        mentor_scores = _float_matrix(arrays["mentor_scores"], "mentor_scores")
        if mentor_scores.shape != scores.shape:
            raise InstanceError(
                f"'mentor_scores' has shape {mentor_scores.shape}, 'scores' has {scores.shape}"
            )
    return Instance(scores, allowed, capacity.astype(np.int64), mentor_scores)


def _float_matrix(array: npt.NDArray[np.generic], name: str) -> npt.NDArray[np.floating]:
    if not np.issubdtype(array.dtype, np.floating):
        raise InstanceError(f"'{name}' must be floats, got {array.dtype}")
    if array.ndim != 2:
        raise InstanceError(f"'{name}' must be 2-dimensional, got shape {array.shape}")
    bad = ~np.isfinite(array)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InstanceError(f"'{name}' is not finite at ({i}, {j}): {array[i, j]}")
    return array.astype(array.dtype, copy=False)  # typed as floating from here on

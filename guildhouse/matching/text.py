"""Offline similarity of short free texts, such as career goals.

Each text becomes a TF-IDF vector over its character 3- and 4-grams, hashed into a
fixed number of buckets with a random sign (the "hashing trick"), then L2-normalised,
so the cosine similarity of two texts is the dot product of their vectors. Character
n-grams make "electrician" and "electrical" look alike without any word list or model
download. Everything is vectorised over all texts at once: 125,000 goals take well
under a second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

DEFAULT_DIM = 256
_NGRAM_SIZES = (3, 4)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier for multiplicative hashing
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower case, punctuation folded to single spaces, padded so words have edges."""
    words = _NOT_WORD.sub(" ", text.lower()).strip()
    return f" {words} " if words else ""


def text_vectors(texts: Sequence[str], *, dim: int = DEFAULT_DIM) -> npt.NDArray[np.float32]:
    """One L2-normalised float32 row of length `dim` per text (all zeros for empty text).

    Inverse document frequencies are learnt from `texts` themselves, so vectors are
    only comparable within one call: embed both sides of a round together.
    `dim` must be a power of two.
    """
    if dim < 2 or dim & (dim - 1):
        raise ValueError(f"dim must be a power of two, got {dim}")
    normalised = [normalise(t) for t in texts]
    position = {text: i for i, text in enumerate(dict.fromkeys(normalised))}
    distinct = list(position)
    which = np.array([position[t] for t in normalised], dtype=np.int64)
    frequency = np.bincount(which, minlength=len(distinct)).astype(np.float64)

    index, sign = _hashed_ngrams(distinct, dim=dim)
    counts = np.bincount(index, weights=sign, minlength=len(distinct) * dim)
    vectors = counts.astype(np.float64, copy=False).reshape(-1, dim)  # int64 if no n-grams
    # Document frequency counts every participant, so a goal many people share weighs less.
    present = np.zeros(len(distinct) * dim, dtype=bool)
    present[index] = True
    occurring = np.flatnonzero(present)
    df = np.bincount(occurring % dim, weights=frequency[occurring // dim], minlength=dim)
    vectors *= np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors.astype(np.float32)[which]


def _hashed_ngrams(
    texts: list[str], *, dim: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """For every character 3- and 4-gram: text * dim + bucket, and its sign (+1 or -1)."""
    encoded = [t.encode() for t in texts]
    lengths = np.array([len(e) for e in encoded], dtype=np.int64)
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.uint64)
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    shift = np.uint64(64 - dim.bit_length() + 1)
    indices, signs = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    for size in _NGRAM_SIZES:
        if len(data) < size:
            continue
        starts = np.flatnonzero(owner[: len(data) - size + 1] == owner[size - 1 :])
        code = np.full(len(starts), size, dtype=np.uint64)  # the size salts the hash
        for k in range(size):
            code = (code << np.uint64(8)) | data[starts + k]
        hashed = code * _GOLDEN
        indices.append(owner[starts] * dim + (hashed >> shift).astype(np.int64))
        signs.append(np.where((hashed >> np.uint64(47)) & np.uint64(1), 1.0, -1.0))
    return np.concatenate(indices), np.concatenate(signs)

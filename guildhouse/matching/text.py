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
    distinct = list(dict.fromkeys(normalise(t) for t in texts))
    position = {text: i for i, text in enumerate(distinct)}
    which = np.array([position[normalise(t)] for t in texts], dtype=np.int64)
    frequency = np.bincount(which, minlength=len(distinct)).astype(np.float64)

    counts, presence = _hashed_counts(distinct, dim=dim)
    # Document frequency counts every participant, so a goal many people share weighs less.
    df = frequency @ presence
    idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    vectors = counts * idf
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors.astype(np.float32)[which]


def _hashed_counts(
    texts: list[str], *, dim: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Signed n-gram counts per text and bucket, and whether a bucket occurs at all."""
    encoded = [t.encode() for t in texts]
    lengths = np.array([len(e) for e in encoded], dtype=np.int64)
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.uint64)
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    counts = np.zeros(len(texts) * dim, dtype=np.float64)
    presence = np.zeros(len(texts) * dim, dtype=np.float64)
    shift = np.uint64(64 - dim.bit_length() + 1)
    for size in _NGRAM_SIZES:
        if len(data) < size:
            continue
        starts = np.flatnonzero(owner[: len(data) - size + 1] == owner[size - 1 :])
        code = np.full(len(starts), size, dtype=np.uint64)  # the size salts the hash
        for k in range(size):
            code = (code << np.uint64(8)) | data[starts + k]
        hashed = code * _GOLDEN
        bucket = (hashed >> shift).astype(np.int64)
        sign = np.where((hashed >> np.uint64(47)) & np.uint64(1), 1.0, -1.0)
        index = owner[starts] * dim + bucket
        counts += np.bincount(index, weights=sign, minlength=len(counts))
        presence += np.bincount(index, minlength=len(presence))
    return counts.reshape(-1, dim), (presence.reshape(-1, dim) > 0).astype(np.float64)

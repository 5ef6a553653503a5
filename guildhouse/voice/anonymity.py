"""The keyed hashes and random codes of learner voice.

``GUILDHOUSE_VOICE_KEY`` (settings.VOICE_KEY) never enters the database. A digest
of (learner, item) made with it lets the server answer "has this learner already
supported this item?" for the learner who asks, while a reader of the database alone
cannot test any guess: without the key, every candidate learner gives an unrelated
digest (tests/voice/test_anonymity.py brute-forces every learner to show it).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid

from django.conf import settings

# Receipt codes: 4 groups of 4 from an alphabet without look-alikes (0/O, 1/I/L):
# 30^16 ≈ 4·10^23 codes, so guessing one is hopeless even without the rate of a form.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ2345678"
RECEIPT_GROUPS = 4
RECEIPT_GROUP_LENGTH = 4


def _hmac(purpose: str, *parts: object) -> str:
    message = "\x1f".join([purpose, *(str(p) for p in parts)]).encode()
    return hmac.new(settings.VOICE_KEY.encode(), message, hashlib.sha256).hexdigest()


def support_digest(*, membership_id: int, item_id: uuid.UUID) -> str:
    """The only trace of a "me too": one per learner and item, unreadable without the key."""
    return _hmac("support", membership_id, item_id)


def report_digest(*, membership_id: int, item_id: uuid.UUID) -> str:
    return _hmac("report", membership_id, item_id)


def shuffle_key(item_id: uuid.UUID) -> str:
    """The staff-list order inside a category: fixed per item, unrelated to when it came."""
    return _hmac("shuffle", item_id)


def receipt_code_new() -> str:
    groups = [
        "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_GROUP_LENGTH))
        for _ in range(RECEIPT_GROUPS)
    ]
    return "-".join(groups)


def receipt_code_normalise(raw: str) -> str:
    """What the learner typed, as issued: upper case, spaces and dashes regrouped."""
    plain = re.sub(r"[^A-Za-z0-9]", "", raw).upper()
    size = RECEIPT_GROUP_LENGTH
    return "-".join(plain[i : i + size] for i in range(0, len(plain), size))


def receipt_hash(code: str) -> str:
    """SHA-256 of the normalised code: a 16-character random code needs no slow hash."""
    return hashlib.sha256(receipt_code_normalise(code).encode()).hexdigest()

"""Core test set-up: every test starts with an empty cache.

Rate-limit counters and used TOTP codes live in the cache; without this, failed
logins of one test would throttle the next.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()

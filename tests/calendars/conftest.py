"""Calendar test set-up: an empty cache (feed read counters live there), and no feed
sources but the ones a test registers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from guildhouse.calendars.testing import only_feed_sources


@pytest.fixture(autouse=True)
def _isolated() -> Iterator[None]:
    cache.clear()
    with only_feed_sources():
        yield
    cache.clear()

"""Test helpers for modules that add events to the personal feed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from guildhouse.calendars import api


@contextmanager
def only_feed_sources(*sources: api.FeedSource) -> Iterator[None]:
    """Within the block the feed lists exactly ``sources``; the registry is restored after."""
    saved = list(api._sources)
    api._sources[:] = list(sources)
    try:
        yield
    finally:
        api._sources[:] = saved

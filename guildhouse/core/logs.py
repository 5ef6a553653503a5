"""Logging filters."""

from __future__ import annotations

import logging


class DeniedInOneLine(logging.Filter):
    """Drop the traceback from ``django.request``'s records of 4xx responses.

    Django logs a ``PermissionDenied`` (403) with the exception attached, so every
    denied request would print a full traceback. A denial is a normal event: the
    one line "Forbidden (Permission denied): /path" says all there is to say. Server
    errors (5xx) keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True

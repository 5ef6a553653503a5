"""Keep feed tokens out of logs.

Calendar apps can only subscribe to a URL, so the secret token is in the path of
every feed request. Django logs the path of failed requests (``django.request``:
"Not Found: /calendar/feed/…"), ``runserver`` and gunicorn log every request line.
This filter rewrites those records before any handler sees them.
"""

from __future__ import annotations

import logging
import re

FEED_PATH = re.compile(r"(/calendar/feed/)[^\s\"'?#/]+")
REDACTED = r"\1[redacted]"
# Loggers that write request paths: Django's error log, runserver, gunicorn.
LOGGERS = ("django.request", "django.server", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    return FEED_PATH.sub(REDACTED, text)


class RedactFeedTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
            # django.request attaches the request; a handler printing it would show the path.
            if hasattr(record, "request"):
                record.request = None
        return True


_FILTER = RedactFeedTokens()


def install_token_redaction() -> None:
    """Add the filter to every logger that writes request paths (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)

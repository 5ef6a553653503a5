"""The access log of ``guildhouse serve``: gunicorn's, minus what could identify a learner.

Gunicorn's default line holds the client's address, user agent and referrer. For the
learner-voice pages (``ANONYMOUS_PREFIXES``) those, and any forwarding header that
carries an address, are written as ``-``; the POSTs there (an anonymous submission, a
"me too", a receipt's message) are not written at all, since the line's place in the
log would time the submission to the second (docs/voice.md).
"""

from __future__ import annotations

import datetime
from typing import Any

from gunicorn.glogging import Logger

ANONYMOUS_PREFIXES = ("/voice/",)
# Request headers that may carry the client's address or browser.
_IDENTIFYING_HEADERS = frozenset(
    {"x-forwarded-for", "x-real-ip", "forwarded", "true-client-ip", "cf-connecting-ip",
     "user-agent", "referer", "cookie", "x-csrftoken"}
)  # fmt: skip


def is_anonymous(environ: dict[str, Any]) -> bool:
    return str(environ.get("PATH_INFO", "")).startswith(ANONYMOUS_PREFIXES)


class AccessLogger(Logger):  # type: ignore[misc]
    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if is_anonymous(environ) and environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return
        super().access(resp, req, environ, request_time)

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: datetime.timedelta
    ) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        if not is_anonymous(environ):
            return atoms
        for key in ("h", "a", "f", "u"):
            atoms[key] = "-"
        for key in list(atoms):
            if key.endswith("}e") or (key.endswith("}i") and key[1:-2] in _IDENTIFYING_HEADERS):
                atoms[key] = "-"
        return atoms

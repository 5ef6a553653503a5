"""The access-control matrix: every page, every role, own / same / other institution.

Each module lists its pages as ``Page`` rows; ``check_page`` requests the page as
each role of the test world and as the outsider, and asserts the expected status
and that nothing of the object leaks to those who may not see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.test import Client

from guildhouse.core.models import Membership, Role
from tests.conftest import World

ROLES: tuple[str, ...] = tuple(Role.values)
STAFF = frozenset({Role.ADMIN, Role.COORDINATOR, Role.STAFF, Role.SUPPORT})
EVERYONE = frozenset(ROLES)
ADMIN = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Page:
    """One URL of the matrix.

    ``url(world)`` builds the URL of an object in the world's institution; ``allowed``
    are the roles that get ``ok_status``; other roles of the same institution get
    403. The outsider (another institution's admin) gets 404 for object pages, and
    ``outsider_status`` for list pages (which show their own institution's data).
    ``secret(world)`` is text that must not appear in any denied response.
    ``shows(world, viewer)`` is text that every allowed role must see on the page
    (a 200 that shows the wrong thing, or nothing, fails too).
    ``state(world)`` snapshots what a POST could change in the world's institution: it
    must be equal before and after every denied request, the outsider's and the
    anonymous visitor's.
    """

    name: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    ok_status: int = 200
    method: str = "get"
    outsider_status: int = 404
    secret: Callable[[World], str] | None = None
    shows: Callable[[World, Membership], str] | None = None
    data: dict[str, str] = field(default_factory=dict)
    state: Callable[[World], object] | None = None


def _request(client: Client, page: Page, url: str) -> tuple[int, str]:
    response = getattr(client, page.method)(url, page.data)
    # A file download streams its body; reading it to the end also closes the file.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode(errors="replace")


def check_page(world: World, page: Page) -> list[str]:
    """Return a list of failures (empty when the page honours the matrix)."""
    failures: list[str] = []
    url = page.url(world)
    secret = page.secret(world) if page.secret else None

    def request(who: str, client: Client, *, denied: bool) -> tuple[int, str]:
        before = page.state(world) if page.state else None
        status, body = _request(client, page, url)
        if denied and page.state and page.state(world) != before:
            failures.append(f"{page.name}: {who} was denied but changed {before!r}")
        return status, body

    for role in ROLES:
        expected = page.ok_status if role in page.allowed else 403
        viewer = world.member(role)
        status, body = request(role, world.client_for(viewer), denied=expected == 403)
        if status != expected:
            failures.append(f"{page.name}: {role} got {status}, expected {expected}")
        if expected != 403 and page.shows and page.shows(world, viewer) not in body:
            failures.append(f"{page.name}: {role} did not see {page.shows(world, viewer)!r}")
        if expected == 403 and secret and secret in body:
            failures.append(f"{page.name}: {role} was denied but saw {secret!r}")
    # The outsider may act in their own institution, never change anything in this one.
    status, body = request("outsider", world.client_for(world.outsider), denied=True)
    if status != page.outsider_status:
        failures.append(f"{page.name}: outsider got {status}, expected {page.outsider_status}")
    if page.outsider_status != page.ok_status and secret and secret in body:
        failures.append(f"{page.name}: outsider saw {secret!r}")
    anonymous_status, _ = request("anonymous", Client(), denied=True)
    if anonymous_status != 302:
        failures.append(f"{page.name}: anonymous got {anonymous_status}, expected 302 to login")
    return failures

"""The anonymity suite (issue 11 acceptance): what an anonymous submission leaves behind.

For an anonymous submission through the web page, the whole database is dumped
before and after the request, every table (the session store, the audit log, users'
last sign-in, the message store included): only the item and its receipt are new,
nothing else changed, and neither holds, or can be joined to, the account, the
session, the address, the browser or the time. The request's log lines do not
contain the address; staff lists cannot be ordered to show who wrote first in a
batch; a "me too" cannot be traced to a learner without the key.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from guildhouse.core.models import Membership
from guildhouse.voice import services
from guildhouse.voice.anonymity import shuffle_key, support_digest
from guildhouse.voice.models import Item, Support
from tests.conftest import World
from tests.voice.make import category, more_learners, submit

ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (AnonymityProbe 9.9; rv:123.0) Gecko/20100101"
# Tables whose rows point at a person (a foreign key to one of these must stay empty).
PERSON_TABLES = frozenset(
    {"core_user", "core_membership", "core_learnerprofile", "core_staffprofile", "django_session"}
)
Dump = dict[str, Counter[tuple[str, ...]]]


def dump() -> Dump:
    """Every row of every table, as text, the way someone with database access reads them."""
    tables: Dump = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            tables[table] = Counter(tuple(str(v) for v in row) for row in cursor.fetchall())
    return tables


def changes(before: Dump, after: Dump) -> dict[str, tuple[list[tuple[str, ...]], int]]:
    """Per changed table: the new rows, and how many rows went away (changed or deleted)."""
    result = {}
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, Counter()), after.get(table, Counter())
        if old != new:
            result[table] = (list((new - old).elements()), sum((old - new).values()))
    return result


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def relations(table: str) -> dict[str, str]:
    """Column -> the table it points at."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_relations(cursor, table)
    return {column: target for column, (_, target) in found.items()}


def looks_like_a_time(value: str) -> bool:
    """A time of day, in any of the forms a database writes one."""
    return re.search(r"\d{1,2}:\d{2}(:\d{2})?", value) is not None


def identifying(world: World, client: Client) -> dict[str, str]:
    user = world.learner.user
    return {
        "session key": client.session.session_key or "",
        "address": ADDRESS,
        "browser": BROWSER,
        "email": user.email,
        "name": user.full_name,
        "membership": f"Membership {world.learner.pk}",
    }


def anonymous_post(world: World, text: str) -> tuple[Client, Any, Dump, Dump, str]:
    more_learners(world, 5)  # the programme is big enough to be named
    client = world.client_for(world.learner)
    client.defaults.update({"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": BROWSER})
    # The form page first (it makes the institution's settings on first use).
    assert client.get(reverse("voice:speak_up")).status_code == 200
    csrf = client.cookies["csrftoken"].value
    before = dump()
    response = client.post(
        reverse("voice:item_submit"),
        {
            "text": text,
            "category": str(category(world).pk),
            "programme": str(world.programme.pk),
        },
    )
    after = dump()
    assert response.status_code == 200
    return client, response, before, after, csrf


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_submission_writes_only_the_item_and_its_receipt(world: World) -> None:
    client, response, before, after, client_csrf = anonymous_post(
        world, "The canteen closes too early."
    )
    changed = changes(before, after)
    assert sorted(changed) == ["voice_item", "voice_receipt"]
    assert [(len(new), gone) for new, gone in changed.values()] == [(1, 0), (1, 0)]
    # The session store, audit log, last sign-in and messages are untouched (in the dump
    # above), and the response sets no cookie: no session, no flash message, no new CSRF.
    # The CSRF cookie is sent again with its same value (Django does so whenever a form
    # is shown); it lives in the learner's browser only.
    assert sorted(response.cookies) == ["csrftoken"]
    assert response.cookies["csrftoken"].value == client_csrf
    item = Item.objects.get()
    assert item.week.weekday() == 0
    assert item.batch_id is None

    secrets = identifying(world, client)
    for table, (rows, _) in changed.items():
        names = columns(table)
        targets = relations(table)
        for row in rows:
            values = dict(zip(names, row, strict=True))
            for what, secret in secrets.items():
                assert not any(secret in value for value in values.values()), (table, what)
            for column, value in values.items():
                # No time of day anywhere: the only date is the Monday of the week.
                assert not looks_like_a_time(value), (table, column, value)
                # A link to a person could only be through a foreign key: all empty.
                if targets.get(column) in PERSON_TABLES:
                    assert value == "None", (table, column, value)
        # And no column could hold any of it.
        assert not [n for n in names if re.search(r"user|session|ip|agent|_at$|time", n)], names


def test_the_item_table_has_no_column_for_a_person_or_a_time(db: None) -> None:
    assert columns("voice_item") == [
        "id",
        "text",
        "week",
        "shuffle",
        "status",
        "decline_reason",
        "hidden",
        "hidden_reason",
        "pending_review",
        "support_count",
        "report_count",
        "batch_id",
        "category_id",
        "channel_id",
        "consultation_id",
        "institution_id",
        "owner_id",
        "programme_id",
    ]
    assert relations("voice_item")["owner_id"] == "core_membership"  # the staff owner, later


@pytest.mark.django_db(transaction=True)
def test_a_support_and_a_receipt_message_write_no_trace_of_the_learner(world: World) -> None:
    client, response, _, _, _ = anonymous_post(world, "Lockers are broken.")
    code = re.search(r'<output id="receipt-code">([A-Z0-9-]+)</output>', response.content.decode())
    assert code is not None
    services.batch_release(institution=world.institution, force=True)
    item = Item.objects.get()
    other = more_learners(world, 1)[0]
    supporter = world.client_for(other)
    supporter.defaults.update({"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": BROWSER})
    before = dump()
    supporter.post(reverse("voice:item_support", args=[item.pk]))
    client.post(reverse("voice:receipt"), {"code": code.group(1), "text": "Number 14 too."})
    after = dump()
    changed = changes(before, after)
    # The flash message of the "me too" lives in a cookie, not in the session table.
    assert sorted(changed) == ["voice_item", "voice_receiptmessage", "voice_support"]
    assert changed["voice_item"][1] == 1  # the count went up: one row changed
    for table, (rows, _) in changed.items():
        for row in rows:
            joined = " ".join(row)
            assert str(other.user.email) not in joined
            assert ADDRESS not in joined
            assert not looks_like_a_time(joined), (table, row)


def test_no_log_line_of_the_submission_holds_the_address(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    more_learners(world, 5)
    client = world.client_for(world.learner)
    client.defaults.update({"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": BROWSER})
    client.get(reverse("voice:speak_up"))
    with caplog.at_level(logging.DEBUG):
        logging.getLogger().setLevel(logging.DEBUG)
        ok = client.post(
            reverse("voice:item_submit"), {"text": "Too hot.", "category": category(world).pk}
        )
        bad = client.post(reverse("voice:item_submit"), {"text": "", "category": "x"})
    assert (ok.status_code, bad.status_code) == (200, 400)
    assert caplog.records  # the database queries were logged at DEBUG, at least
    for record in caplog.records:
        line = record.getMessage() + (record.exc_text or "")
        assert ADDRESS not in line
        assert BROWSER not in line


def test_the_serve_access_log_leaves_out_the_address_of_voice_requests(tmp_path: Any) -> None:
    from gunicorn.config import Config

    from guildhouse.core.accesslog import AccessLogger
    from guildhouse.core.management.commands.serve import gunicorn_argv

    argv = gunicorn_argv(bind="127.0.0.1:1", workers=1)
    assert argv[argv.index("--logger-class") + 1] == "guildhouse.core.accesslog.AccessLogger"
    log = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log))
    logger = AccessLogger(config)

    class Response:
        status = "200 OK"
        headers: list[tuple[str, str]] = []
        sent = 512

    def request(method: str, path: str) -> None:
        environ = {
            "REQUEST_METHOD": method,
            "RAW_URI": path,
            "PATH_INFO": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": ADDRESS,
            "HTTP_USER_AGENT": BROWSER,
            "HTTP_X_FORWARDED_FOR": ADDRESS,
        }
        headers = [("USER-AGENT", BROWSER), ("X-FORWARDED-FOR", ADDRESS)]
        logger.access(Response(), headers, environ, datetime.timedelta(milliseconds=12))

    request("GET", "/people/")
    request("GET", "/voice/")
    request("POST", "/voice/submit/")
    request("POST", "/voice/items/3c1e/support/")
    for handler in logger.access_log.handlers:
        handler.flush()
    lines = log.read_text().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{ADDRESS} - - [")
    assert f'"GET /people/ HTTP/1.1" 200 512 "-" "{BROWSER}"' in lines[0]
    assert lines[1].startswith("- - - [")
    assert lines[1].endswith('"GET /voice/ HTTP/1.1" 200 512 "-" "-"')
    assert "/voice/submit/" not in log.read_text()


@pytest.mark.django_db(transaction=True)
def test_staff_cannot_order_or_filter_the_inbox_to_see_who_wrote_first(world: World) -> None:
    more_learners(world, 5)
    learner = world.client_for(world.learner)
    facilities = category(world)
    texts = [f"Message number {n} about the building." for n in range(8)]
    for text in texts:
        submit(learner, text, category=str(facilities.pk))
    services.batch_release(institution=world.institution, force=True)
    expected = [item.text for item in sorted(Item.objects.all(), key=lambda i: shuffle_key(i.pk))]
    assert expected != texts  # 1 in 40,320 that the hash happens to keep the order
    staff = world.client_for(world.coordinator)
    for query in (
        {},
        {"order": "pk"},
        {"ordering": "id"},
        {"sort": "-week"},
        {"o": "1"},
        {"category": str(facilities.pk)},
        {"category": str(facilities.pk), "ordering": "-id", "page": "2", "batch": "1"},
    ):
        html = staff.get(reverse("voice:inbox"), query).content.decode()
        shown = re.findall(r"Message number \d about the building\.", html)
        assert shown == expected, query
    # The database's own insertion order follows the hash too, after the release
    # rewrote the batch (SQLite's rowid, PostgreSQL's physical row order).
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM voice_item ORDER BY {physical}")  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == expected
        cursor.execute(
            f"SELECT r.item_id FROM voice_receipt r ORDER BY r.{physical}"  # noqa: S608
        )
        receipts = [str(row[0]).replace("-", "") for row in cursor.fetchall()]
    by_receipt = {str(i.pk).replace("-", ""): i.text for i in Item.objects.all()}
    assert [by_receipt[r] for r in receipts] == expected
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT xmin::text) FROM voice_item")
            assert cursor.fetchone() == (1,)  # one transaction wrote every row of the batch


def test_a_support_cannot_be_traced_to_its_learner_without_the_key(
    world: World, settings: SettingsWrapper
) -> None:
    learners = [world.learner, *more_learners(world, 29)]
    item = services.item_submit(
        membership=world.learner, text="More plugs in B12.", category=category(world)
    ).item
    services.batch_release(institution=world.institution, force=True)
    supporter = learners[17]
    assert services.item_support(membership=supporter, item=item)
    stored = set(Support.objects.values_list("digest", flat=True))
    everyone = Membership.objects.filter(institution=world.institution)

    def brute_force(digest: Any) -> list[int]:
        return [m.pk for m in everyone if digest(m.pk) in stored]

    # Without the key: unkeyed hashes, the secret key, an empty key, a guessed key.
    guesses = [
        lambda pk: hashlib.sha256(f"{pk}:{item.pk}".encode()).hexdigest(),
        lambda pk: hashlib.sha256(f"support\x1f{pk}\x1f{item.pk}".encode()).hexdigest(),
        *(
            (
                lambda pk, key=key: hmac.new(
                    key.encode(), f"support\x1f{pk}\x1f{item.pk}".encode(), hashlib.sha256
                ).hexdigest()
            )
            for key in (settings.SECRET_KEY, "", "guildhouse", "guildhouse-voice:")
        ),
    ]
    for guess in guesses:
        assert brute_force(guess) == []
    # With the key, the same search finds the learner: the key is the whole protection.
    assert brute_force(lambda pk: support_digest(membership_id=pk, item_id=item.pk)) == [
        supporter.pk
    ]
    # And the key is nowhere in the database.
    assert settings.VOICE_KEY not in str(dump())


def test_a_real_guildhouse_serve_logs_no_address_of_voice_requests(tmp_path: Any) -> None:
    """``guildhouse serve`` itself (gunicorn, one worker): the health check is logged with
    the client's address, the speak-up page without it, the submission not at all."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "GUILDHOUSE_DATA_DIR": str(tmp_path), "WEB_CONCURRENCY": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "guildhouse", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"User-Agent": BROWSER, "X-Forwarded-For": ADDRESS}

    def fetch(path: str, method: str = "GET") -> int:
        request = urllib.request.Request(base + path, method=method, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, data=b"text=x" if method == "POST" else None) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert fetch("/healthz") == 200
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert fetch("/voice/") == 302  # to the sign-in page
        assert fetch("/voice/submit/", "POST") == 403  # no CSRF token: refused, not logged
        time.sleep(1)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    lines = [line for line in output.splitlines() if '"GET ' in line or '"POST ' in line]
    health = [line for line in lines if "/healthz" in line]
    voice = [line for line in lines if "/voice/" in line]
    assert health
    assert health[0].startswith("127.0.0.1 - - [")
    assert BROWSER in health[0]
    assert len(voice) == 1
    assert voice[0].startswith("- - - [")
    assert voice[0].endswith('"GET /voice/ HTTP/1.1" 302 0 "-" "-"')
    assert "127.0.0.1" not in voice[0]
    assert (ADDRESS in voice[0], BROWSER in voice[0]) == (False, False)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None

"""Translations: the language switcher works through HTTP, and the Finnish catalogue is
complete, free of fuzzy guesses, and compiled.

Every app keeps its own catalogue (``guildhouse/<app>/locale/fi/LC_MESSAGES``) beside
the project-wide one (``guildhouse/locale``, for core and the shared templates), so
that modules built side by side never edit the same file. If
``test_fi_catalogue_every_msgid_translated_not_fuzzy`` fails after you added or
changed a translatable string, update and translate the catalogue it names:

    # core and the shared templates:
    cd guildhouse && ../.venv/bin/guildhouse makemessages -l fi --ignore "matching/*" \
        --ignore "<every app with its own locale>/*"
    # an app with its own catalogue (its templates live in guildhouse/<app>/templates):
    cd guildhouse/<app> && ../../.venv/bin/guildhouse makemessages -l fi
    # translate the new or fuzzy entries in locale/fi/LC_MESSAGES/django.po, then
    ../.venv/bin/guildhouse compilemessages -l fi   # from the same folder
    # commit both django.po and django.mo
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import World

PROJECT_PO = Path(settings.LOCALE_PATHS[0]) / "fi" / "LC_MESSAGES" / "django.po"
APP_POS = sorted(Path(settings.BASE_DIR, "guildhouse").glob("*/locale/fi/LC_MESSAGES/django.po"))
CATALOGUES = [PROJECT_PO, *APP_POS]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def msgstrs(self) -> list[str]:
        return [value for key, value in self.fields.items() if key.startswith("msgstr")]


def parse_po(text: str) -> list[Entry]:
    """The live entries of a .po file (obsolete ``#~`` entries and the header left out)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    key = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is None or entry.fields:  # a comment starts the next entry
                entry = Entry(line=number)
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            assert entry is not None, f"django.po:{number}: string outside an entry"
            entry.fields[key] += ast.literal_eval(line)
            continue
        key, _, value = line.partition(" ")
        if entry is None or (key in ("msgctxt", "msgid") and "msgid" in entry.fields):
            entry = Entry(line=number)
            entries.append(entry)
        entry.fields[key] = ast.literal_eval(value)
    return [e for e in entries if e.msgid]


def test_language_switch_shows_finnish_home_then_english_again(world: World) -> None:
    client: Client = world.client_for(world.learner)
    name = world.learner.user.display_name

    response = client.post(reverse("set_language"), {"language": "fi", "next": reverse("home")})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="fi">' in page
    assert f"Tervetuloa, {name}" in page
    assert "Opintosi" in page  # "Your studies"
    assert f"Welcome, {name}" not in page

    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert f"Welcome, {name}" in page
    assert "Tervetuloa" not in page


def test_project_catalogue_is_read() -> None:
    """The parser reads the project catalogue, not an empty file."""
    assert len(parse_po(PROJECT_PO.read_text(encoding="utf-8"))) > 200


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.parents[3].name))
def test_fi_catalogue_every_msgid_translated_not_fuzzy(po_path: Path) -> None:
    """Every string marked for translation has a reviewed Finnish translation.

    On failure: run makemessages, translate the listed entries, remove their
    ``#, fuzzy`` flags, compilemessages, and commit django.po and django.mo.
    """
    entries = parse_po(po_path.read_text(encoding="utf-8"))
    problems = [
        f"line {e.line}: {'fuzzy' if 'fuzzy' in e.flags else 'untranslated'}: {e.msgid!r}"
        for e in entries
        if "fuzzy" in e.flags or not all(e.msgstrs)
    ]
    assert not problems, f"Translate these in {po_path} (fi):\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.parents[3].name))
def test_fi_catalogue_keeps_placeholders(po_path: Path) -> None:
    """A translation keeps every %(name)s of its msgid, spelled the same."""
    problems = []
    for entry in parse_po(po_path.read_text(encoding="utf-8")):
        expected = set(PLACEHOLDER.findall(entry.msgid + entry.fields.get("msgid_plural", "")))
        for msgstr in filter(None, entry.msgstrs):  # empty ones fail the test above
            if set(PLACEHOLDER.findall(msgstr)) != expected:
                problems.append(f"line {entry.line}: {msgstr!r} should use {sorted(expected)}")
    assert not problems, f"Placeholders changed in {po_path} (fi):\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.parents[3].name))
def test_fi_mo_is_compiled_from_current_po(po_path: Path) -> None:
    """The committed .mo matches the .po: run compilemessages -l fi after editing it."""
    with po_path.with_suffix(".mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for entry in parse_po(po_path.read_text(encoding="utf-8")):
        context = entry.fields.get("msgctxt")
        if "msgid_plural" in entry.fields:
            plural = entry.fields["msgid_plural"]
            if context is None:
                compiled = [catalogue.ngettext(entry.msgid, plural, n) for n in (1, 2)]
            else:
                compiled = [catalogue.npgettext(context, entry.msgid, plural, n) for n in (1, 2)]
        elif context is None:
            compiled = [catalogue.gettext(entry.msgid)]
        else:
            compiled = [catalogue.pgettext(context, entry.msgid)]
        assert compiled == entry.msgstrs, (
            f"{po_path.with_suffix('.mo')} is stale at line {entry.line}"
        )

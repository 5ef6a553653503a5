"""Monitoring and KPI pages against every role, the outsider and an anonymous visitor."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guildhouse.mentoring.models import EvidenceNote, Flag, MonitoringAction, Relationship
from tests.access_matrix import Page, check_page
from tests.conftest import World
from tests.mentoring.test_access_matrix import _pair

MANAGERS = frozenset({"admin", "coordinator"})
READERS = frozenset({"admin", "coordinator", "staff", "support"})
PAIR = frozenset({"learner", "partner"})  # the matrix pair: learner mentee, partner mentor
FLAG_TEXT = "Secret: I feel low since the placement started."
ACTION_NOTE = "Secret: called the mentee at home."
EVIDENCE = "Secret: they said the buddy made them stay."


def _active_pair(world: World) -> Relationship:
    pair = _pair(world)
    if pair.status != "active":
        Relationship.objects.filter(pk=pair.pk).update(status="active")
        pair.refresh_from_db()
    return pair


def _flag(world: World) -> Flag:
    flag = Flag.objects.filter(relationship__programme__institution=world.institution).first()
    return flag or Flag.objects.create(
        relationship=_active_pair(world),
        raised_by=world.learner,
        topic="wellbeing",
        message=FLAG_TEXT,
    )


def _action(world: World) -> Relationship:
    pair = _active_pair(world)
    if not MonitoringAction.objects.filter(relationship=pair).exists():
        MonitoringAction.objects.create(relationship=pair, kind="note", note=ACTION_NOTE)
    return pair


def _evidence(world: World) -> int:
    pair = _active_pair(world)
    if not EvidenceNote.objects.filter(programme=pair.programme).exists():
        EvidenceNote.objects.create(
            programme=pair.programme,
            kind="interview",
            held_on=datetime.date(2026, 5, 1),
            title="Interview",
            text=EVIDENCE,
        )
    return pair.programme_id


def _flags(world: World) -> object:
    return list(Flag.objects.values()), list(Flag.objects.values())


def _actions(world: World) -> object:
    return list(MonitoringAction.objects.values())


def _notes(world: World) -> object:
    return list(EvidenceNote.objects.values())


PAGES = [
    Page(
        "monitoring board",
        lambda w: reverse("mentoring:monitoring_board"),
        MANAGERS,
        outsider_status=200,
    ),
    Page(
        "contacts overdue",
        lambda w: reverse("mentoring:contacts_overdue"),
        MANAGERS,
        outsider_status=200,
    ),
    Page(
        "pair monitoring",
        lambda w: reverse("mentoring:pair_monitoring", args=[_action(w).pk]),
        MANAGERS,
        secret=lambda w: ACTION_NOTE,
        shows=lambda w, v: ACTION_NOTE,
    ),
    Page(
        "pair monitoring (post)",
        lambda w: reverse("mentoring:pair_monitoring", args=[_action(w).pk]),
        MANAGERS,
        method="post",
        ok_status=302,
        data={"kind": "contact_both", "note": "Called"},
        state=_actions,
    ),
    Page(
        "flag raise",
        lambda w: reverse("mentoring:flag_raise", args=[_active_pair(w).pk]),
        PAIR,
    ),
    Page(
        "flag raise (post)",
        lambda w: reverse("mentoring:flag_raise", args=[_active_pair(w).pk]),
        PAIR,
        method="post",
        ok_status=302,
        data={"topic": "studies", "message": "Help with maths"},
        state=_flags,
    ),
    Page(
        "flag detail",
        lambda w: reverse("mentoring:flag_detail", args=[_flag(w).pk]),
        frozenset({"admin", "coordinator", "support", "learner"}),
        secret=lambda w: FLAG_TEXT,
        shows=lambda w, v: FLAG_TEXT,
    ),
    Page(
        "flag resolve (post, empty)",
        lambda w: reverse("mentoring:flag_detail", args=[_flag(w).pk]),
        frozenset({"admin", "coordinator", "support"}),
        method="post",
        data={"resolution": ""},
        state=_flags,
        secret=lambda w: FLAG_TEXT,
    ),
    Page(
        "programme kpis",
        lambda w: reverse("mentoring:programme_kpis", args=[_evidence(w)]),
        READERS,
        secret=lambda w: EVIDENCE,
        shows=lambda w, v: EVIDENCE,
    ),
    Page(
        "programme kpis csv",
        lambda w: reverse("mentoring:programme_kpis_csv", args=[_evidence(w)]),
        READERS,
    ),
    Page(
        "programme kpis xlsx",
        lambda w: reverse("mentoring:programme_kpis_xlsx", args=[_evidence(w)]),
        READERS,
    ),
    Page(
        "evidence add (post)",
        lambda w: reverse("mentoring:evidence_add", args=[_evidence(w)]),
        MANAGERS,
        method="post",
        ok_status=302,
        data={"kind": "interview", "held_on": "2026-05-02", "title": "T", "text": "Notes"},
        state=_notes,
    ),
    Page(
        "kpis overview", lambda w: reverse("mentoring:kpis_overview"), READERS, outsider_status=200
    ),
    Page(
        "kpis overview csv",
        lambda w: reverse("mentoring:kpis_overview_csv"),
        READERS,
        outsider_status=200,
    ),
    Page(
        "kpis overview xlsx",
        lambda w: reverse("mentoring:kpis_overview_xlsx"),
        READERS,
        outsider_status=200,
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_access_matrix(world: World, page: Page) -> None:
    assert check_page(world, page) == []

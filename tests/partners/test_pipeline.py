"""The pipeline: board, moves with history, time in stage, stale list, stage settings."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import AuditEvent
from guildhouse.partners.models import Organisation, Stage
from guildhouse.partners.selectors import BOARD_CARDS_PER_STAGE
from tests.partners.conftest import PartnerWorld
from tests.partners.make import organisation_make

DEFAULT_STAGES = [
    "Prospect",
    "Researched",
    "Contacted",
    "Proposal",
    "Pilot",
    "Active partner",
    "Paused",
    "Ended",
]


def test_every_institution_starts_with_the_default_pipeline(pw: PartnerWorld) -> None:
    stages = Stage.objects.of(pw.world.institution)
    assert [s.name for s in stages] == DEFAULT_STAGES
    assert [s.stale_after_days for s in stages] == [30, 30, 21, 30, 90, None, None, None]
    assert [s.name for s in stages if s.is_closed] == ["Paused", "Ended"]


def test_board_moves_a_card_with_a_select_and_a_button(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    board = client.get(reverse("partners:pipeline_board")).content.decode()
    move_url = reverse("partners:organisation_move", args=[pw.organisation.pk])
    # A labelled select and a button for the card the staff member owns, none for the other.
    assert f'action="{move_url}"' in board
    assert f'<label for="move-{pw.organisation.pk}">Stage of Coastal Motors Ltd</label>' in board
    other_move = reverse("partners:organisation_move", args=[pw.other_organisation.pk])
    assert other_move not in board
    assert 'Prospect <span class="muted">(2)</span>' in board
    proposal = Stage.objects.get(institution=w.institution, name="Proposal")
    response = client.post(move_url, {"stage": proposal.pk, "next": "/partners/pipeline/"})
    assert response.status_code == 302
    assert response["Location"] == "/partners/pipeline/"
    org = Organisation.objects.get(pk=pw.organisation.pk)
    assert org.stage == proposal
    history = list(org.stage_changes.values_list("from_stage__name", "to_stage__name", "actor"))
    assert history == [
        ("Prospect", "Proposal", w.staff.user.pk),
        (None, "Prospect", w.coordinator.user.pk),
    ]
    assert org.stage_entered_at == org.stage_changes.first().at  # type: ignore[union-attr]
    event = AuditEvent.objects.get(action="partners_move", object_id=str(org.pk))
    assert event.changes == {"stage": "Proposal"}
    board = client.get(reverse("partners:pipeline_board")).content.decode()
    assert 'Proposal <span class="muted">(1)</span>' in board
    assert 'Prospect <span class="muted">(1)</span>' in board


def test_a_move_to_the_same_stage_or_an_outside_stage_changes_nothing(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:organisation_move", args=[pw.organisation.pk])
    page = client.post(url, {"stage": pw.organisation.stage_id}, follow=True).content.decode()
    assert "Coastal Motors Ltd is already at Prospect." in page
    outside = Stage.objects.of(w.other_institution)[3]
    page = client.post(url, {"stage": outside.pk}, follow=True).content.decode()
    assert "Choose one of the stages." in page
    assert pw.organisation.stage_changes.count() == 1


def test_detail_shows_time_in_stage_and_history(pw: PartnerWorld) -> None:
    w = pw.world
    week_ago = timezone.now() - datetime.timedelta(days=7, hours=1)
    Organisation.objects.filter(pk=pw.organisation.pk).update(stage_entered_at=week_ago)
    page = (
        w.client_for(w.support)
        .get(reverse("partners:organisation_detail", args=[pw.organisation.pk]))
        .content.decode()
    )
    assert "At <strong>Prospect</strong> for 1\xa0week." in page
    assert f'Prospect <span class="muted">({w.coordinator.user.full_name})</span>' in page
    # Support staff see the partner but do not own it: no move form, no edit link.
    assert "organisation_move" not in page
    assert "/move/" not in page
    assert "/edit/" not in page


def test_stale_list_honours_each_stages_threshold(pw: PartnerWorld) -> None:
    w = pw.world
    now = timezone.now()
    contacted = Stage.objects.get(institution=w.institution, name="Contacted")  # 21 days
    paused = Stage.objects.get(institution=w.institution, name="Paused")
    Organisation.objects.filter(pk=pw.organisation.pk).update(
        stage=contacted, stage_entered_at=now - datetime.timedelta(days=22)
    )
    Organisation.objects.filter(pk=pw.other_organisation.pk).update(
        stage_entered_at=now - datetime.timedelta(days=29)  # Prospect: 30 days
    )
    paused_org = organisation_make(institution=w.institution, actor=w.coordinator, name="Old Mill")
    Organisation.objects.filter(pk=paused_org.pk).update(
        stage=paused, stage_entered_at=now - datetime.timedelta(days=400)
    )
    page = w.client_for(w.staff).get(reverse("partners:stale_list")).content.decode()
    assert "Coastal Motors Ltd" in page
    assert "<td>21 days</td>" in page
    assert "Harbour Hotel" not in page
    assert "Old Mill" not in page


def test_board_runs_a_constant_number_of_queries_and_bounds_its_cards(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:pipeline_board")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(BOARD_CARDS_PER_STAGE + 5):
        organisation_make(institution=w.institution, actor=w.coordinator, name=f"Firm {i}")
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(large) == len(small)
    prospect = Stage.objects.of(w.institution)[0]
    assert page.count('name="stage"') == BOARD_CARDS_PER_STAGE
    assert f'href="/partners/organisations/?stage={prospect.pk}">All 27 in this stage</a>' in page


def test_coordinator_renames_reorders_and_adds_stages(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:stage_settings")
    pilot = Stage.objects.get(institution=w.institution, name="Pilot")
    data = {"stage": pilot.pk, "name": "Trial", "position": "5", "stale_after_days": "60"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {"name": "Long list", "position": "1"}).status_code == 302
    names = [s.name for s in Stage.objects.of(w.institution)]
    assert names[:3] == ["Long list", "Trial", "Prospect"]
    pilot.refresh_from_db()
    assert pilot.stale_after_days == 60
    page = client.post(url, {"name": "prospect", "position": "2"}).content.decode()
    assert "There is already a stage called prospect." in page
    data = {"name": "Soon", "position": "2", "stale_after_days": "0"}
    page = client.post(url, data).content.decode()
    assert "Ensure this value is greater than or equal to 1." in page
    assert Stage.objects.filter(institution=w.institution).count() == 9

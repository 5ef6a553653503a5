"""Every partnership page against every role, the outsider and an anonymous visitor."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guildhouse.core.models import Role
from guildhouse.partners import services
from guildhouse.partners.models import (
    Affiliation,
    Commitment,
    Contact,
    FollowUp,
    Interaction,
    Organisation,
    ResearchNote,
    Stage,
)
from tests.access_matrix import STAFF, Page, check_page
from tests.conftest import World
from tests.partners.conftest import PartnerWorld

RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
# The world's staff member owns Coastal Motors, so may change it; support does not.
OWNERS = RUNNERS | {Role.STAFF}


def _org(w: World) -> Organisation:
    return Organisation.objects.get(institution=w.institution, name="Coastal Motors Ltd")


def _contact(w: World) -> Contact:
    return Contact.objects.get(institution=w.institution, full_name="Tuan Pham")


def _orgs(w: World) -> object:
    return list(Organisation.objects.filter(institution=w.institution).order_by("pk").values())


def _notes(w: World) -> object:
    return list(ResearchNote.objects.filter(organisation__institution=w.institution).values())


def _contacts(w: World) -> object:
    contacts = Contact.objects.filter(institution=w.institution).order_by("pk").values()
    affiliations = Affiliation.objects.filter(contact__institution=w.institution).values()
    return list(contacts), list(affiliations)


def _stages(w: World) -> object:
    return list(Stage.objects.filter(institution=w.institution).order_by("pk").values())


def _interaction(w: World) -> Interaction:
    """Coastal Motors' call, logged by the staff member, with a follow-up they own."""
    found = Interaction.objects.filter(organisation=_org(w), summary="Secret call notes").first()
    if found is not None:
        return found
    return services.interaction_log(
        actor=w.staff.user,
        organisation=_org(w),
        kind="call",
        occurred_on=datetime.date(2025, 1, 1),
        summary="Secret call notes",
        follow_ups=[services.FollowUpInput("Send brochure", w.staff, datetime.date(2025, 2, 1))],
    )


def _follow_up(w: World) -> FollowUp:
    return _interaction(w).follow_ups.get()


def _interactions(w: World) -> object:
    rows = Interaction.objects.filter(organisation__institution=w.institution).values()
    follow_ups = FollowUp.objects.filter(organisation__institution=w.institution).values()
    return list(rows), list(follow_ups), _orgs(w)


def _commitment(w: World) -> Commitment:
    found = Commitment.objects.filter(organisation=_org(w)).first()
    if found is not None:
        return found
    return services.commitment_add(
        actor=w.coordinator.user,
        organisation=_org(w),
        side="institution",
        description="Secret promise",
        owner=w.staff,
        due_on=datetime.date(2025, 1, 1),
    )


def _commitments(w: World) -> object:
    return list(Commitment.objects.filter(organisation__institution=w.institution).values())


def _secret(w: World) -> str:
    return "Coastal Motors"


PAGES = [
    Page(
        "organisation list",
        lambda w: reverse("partners:organisation_list"),
        STAFF,
        outsider_status=200,
        secret=_secret,
    ),
    Page(
        "organisation create",
        lambda w: reverse("partners:organisation_create"),
        STAFF,
        outsider_status=200,
    ),
    Page(
        "organisation detail",
        lambda w: reverse("partners:organisation_detail", args=[_org(w).pk]),
        STAFF,
        secret=_secret,
    ),
    Page(
        "organisation edit",
        lambda w: reverse("partners:organisation_edit", args=[_org(w).pk]),
        OWNERS,
        secret=_secret,
    ),
    Page(
        "contact add",
        lambda w: reverse("partners:contact_add", args=[_org(w).pk]),
        STAFF,
        secret=_secret,
    ),
    Page(
        "contact detail",
        lambda w: reverse("partners:contact_detail", args=[_contact(w).pk]),
        STAFF,
        secret=lambda w: "tuan@coastal.example",
    ),
    Page(
        "pipeline board",
        lambda w: reverse("partners:pipeline_board"),
        STAFF,
        outsider_status=200,
        secret=_secret,
    ),
    Page("stale list", lambda w: reverse("partners:stale_list"), STAFF, outsider_status=200),
    Page(
        "stage settings",
        lambda w: reverse("partners:stage_settings"),
        RUNNERS,
        outsider_status=200,
        secret=lambda w: "Researched",
    ),
]

POSTS = [
    Page(
        "organisation create (POST)",
        lambda w: reverse("partners:organisation_create"),
        STAFF,
        ok_status=302,
        method="post",
        data={
            "name": "Nordic Bakery",
            "kind": "business",
            "source": "research",
            "create_anyway": "1",
        },
        outsider_status=302,  # lands in the outsider's own institution
        state=_orgs,
    ),
    Page(
        "organisation edit (POST)",
        lambda w: reverse("partners:organisation_edit", args=[_org(w).pk]),
        OWNERS,
        ok_status=302,
        method="post",
        data={
            "name": "Coastal Motors Ltd",
            "kind": "business",
            "source": "research",
            "city": "Kestrel",
        },
        state=_orgs,
        secret=_secret,
    ),
    Page(
        "organisation move (POST)",
        lambda w: reverse("partners:organisation_move", args=[_org(w).pk]),
        OWNERS,
        ok_status=302,
        method="post",
        data={},
        state=_orgs,
        secret=_secret,
    ),
    Page(
        "note add (POST)",
        lambda w: reverse("partners:note_add", args=[_org(w).pk]),
        STAFF,
        ok_status=302,
        method="post",
        data={"body": "They hire in spring."},
        state=_notes,
        secret=_secret,
    ),
    Page(
        "contact add (POST)",
        lambda w: reverse("partners:contact_add", args=[_org(w).pk]),
        STAFF,
        ok_status=302,
        method="post",
        data={"full_name": "Nina New"},
        state=_contacts,
        secret=_secret,
    ),
    Page(
        "contact account link (POST)",
        lambda w: reverse("partners:contact_detail", args=[_contact(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"membership": ""},
        state=_contacts,
        secret=lambda w: "tuan@coastal.example",
    ),
    Page(
        "affiliation end (POST)",
        lambda w: reverse(
            "partners:affiliation_end",
            args=[Affiliation.objects.get(contact=_contact(w)).pk],
        ),
        STAFF,
        ok_status=302,
        method="post",
        data={"end_date": "2099-01-01"},
        state=_contacts,
    ),
    Page(
        "interaction log (POST)",
        lambda w: reverse("partners:interaction_log", args=[_org(w).pk]),
        STAFF,
        ok_status=302,
        method="post",
        data={"kind": "call", "occurred_on": "2025-03-01", "summary": "Called."},
        state=_interactions,
        secret=_secret,
    ),
    Page(
        "follow-up add (POST)",
        lambda w: reverse("partners:follow_up_add", args=[_org(w).pk]),
        STAFF,
        ok_status=302,
        method="post",
        data={"follow_up-description": "Call back", "follow_up-due_on": "2025-03-01"},
        state=_interactions,
    ),
    Page(
        "follow-up done (POST)",
        lambda w: reverse("partners:follow_up_done", args=[_follow_up(w).pk]),
        OWNERS,
        ok_status=302,
        method="post",
        data={"done": "1"},
        state=_interactions,
    ),
    Page(
        "commitment add (POST)",
        lambda w: reverse("partners:commitment_add", args=[_org(w).pk]),
        STAFF,
        ok_status=302,
        method="post",
        data={
            "commitment-side": "partner",
            "commitment-description": "Host a visit",
            "commitment-due_on": "2025-03-01",
        },
        state=_commitments,
    ),
    Page(
        "commitment close (POST)",
        lambda w: reverse("partners:commitment_close", args=[_commitment(w).pk]),
        OWNERS,
        ok_status=302,
        method="post",
        data={"status": "delivered", "delivered_on": "2025-01-01"},
        state=_commitments,
    ),
    Page(
        "stage save (POST)",
        lambda w: reverse("partners:stage_settings"),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"name": "Prospect", "position": "10", "stale_after_days": "30"},
        state=_stages,
    ),
]


def _with_world_data(page: Page, w: World) -> Page:
    """Some forms post ids of the world's rows; fill them in."""
    if page.name == "organisation move (POST)":
        stage = Stage.objects.of(w.institution)[1]
        return Page(**{**page.__dict__, "data": {"stage": str(stage.pk)}})
    if page.name == "organisation edit (POST)":  # keeps the staff member as owner
        return Page(**{**page.__dict__, "data": {**page.data, "owners": str(w.staff.pk)}})
    if page.name == "follow-up add (POST)":
        return Page(**{**page.__dict__, "data": {**page.data, "follow_up-owner": str(w.staff.pk)}})
    if page.name == "commitment add (POST)":
        return Page(**{**page.__dict__, "data": {**page.data, "commitment-owner": str(w.staff.pk)}})
    if page.name == "stage save (POST)":  # re-saves the first stage as it is
        stage = Stage.objects.of(w.institution)[0]
        return Page(**{**page.__dict__, "data": {**page.data, "stage": str(stage.pk)}})
    return page


@pytest.mark.parametrize("page", PAGES + POSTS, ids=lambda p: p.name)
def test_partner_page_access(pw: PartnerWorld, page: Page) -> None:
    assert check_page(pw.world, _with_world_data(page, pw.world)) == []


def test_partner_rows_of_the_outsider_stay_in_their_institution(pw: PartnerWorld) -> None:
    for page in POSTS:
        assert check_page(pw.world, _with_world_data(page, pw.world)) == []
    other = pw.world.other_institution
    assert Organisation.objects.filter(institution=other, name="Nordic Bakery").count() == 1
    assert (
        not Organisation.objects.filter(institution=pw.world.institution, name="Nordic Bakery")
        .exclude(created_by=pw.world.outsider.user)
        .filter(created_by=pw.world.outsider.user)
        .exists()
    )


def test_interaction_delete_by_role(pw: PartnerWorld) -> None:
    """Coordinators and the author remove an interaction; anyone else changes nothing."""
    w = pw.world
    allowed = RUNNERS | {Role.STAFF}  # the staff member is the author
    for role in [*Role.values, "outsider"]:
        interaction = services.interaction_log(
            actor=w.staff.user,
            organisation=pw.organisation,
            kind="call",
            occurred_on=datetime.date(2025, 1, 1),
            summary=f"Call for {role}",
        )
        who = w.outsider if role == "outsider" else w.member(role)
        url = reverse("partners:interaction_delete", args=[interaction.pk])
        status = w.client_for(who).post(url).status_code
        expected = 302 if role in allowed else 404 if role == "outsider" else 403
        assert (role, status) == (role, expected)
        assert Interaction.objects.filter(pk=interaction.pk).exists() == (role not in allowed)

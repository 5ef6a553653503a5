"""Every partnership page against every role, the outsider and an anonymous visitor."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guildhouse.core.models import Role
from guildhouse.partners import services
from guildhouse.partners.models import (
    Affiliation,
    Agreement,
    Commitment,
    ComplianceItem,
    Contact,
    Contribution,
    FollowUp,
    Interaction,
    Opportunity,
    OpportunityPeriod,
    Organisation,
    Placement,
    ResearchNote,
    Signatory,
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


def _opportunity(w: World) -> Opportunity:
    """Coastal Motors' opportunity (the world's partner works there) with a period and
    the world's learner proposed for it."""
    found = Opportunity.objects.filter(organisation=_org(w), title="Secret workshop role").first()
    if found is not None:
        return found
    opportunity = services.opportunity_create(
        actor=w.coordinator.user,
        organisation=_org(w),
        kind="work_placement",
        title="Secret workshop role",
        starts_on=datetime.date(2026, 4, 6),
        requirements=["insurance"],
    )
    period = services.period_add(
        actor=w.coordinator.user,
        opportunity=opportunity,
        starts_on=datetime.date(2026, 4, 6),
        ends_on=datetime.date(2026, 5, 15),
        capacity=2,
    )
    services.placement_propose(
        actor=w.staff.user,
        period=period,
        learner=w.learner,
        starts_on=datetime.date(2026, 4, 6),
        ends_on=datetime.date(2026, 5, 15),
        hours=100,
    )
    return opportunity


def _period(w: World) -> OpportunityPeriod:
    period = _opportunity(w).periods.first()
    assert period is not None
    return period


def _placement(w: World) -> Placement:
    return Placement.objects.get(period__opportunity=_opportunity(w))


def _placements(w: World) -> object:
    institution = w.institution
    return (
        list(Opportunity.objects.filter(organisation__institution=institution).values()),
        list(
            OpportunityPeriod.objects.filter(
                opportunity__organisation__institution=institution
            ).values()
        ),
        list(Placement.objects.filter(learner__institution=institution).order_by("pk").values()),
        list(ComplianceItem.objects.filter(placement__learner__institution=institution).values()),
    )


def _agreement(w: World) -> Agreement:
    """Coastal Motors' signed agreement (the world's partner works there)."""
    found = Agreement.objects.filter(organisation=_org(w), title="Secret agreement").first()
    if found is not None:
        return found
    agreement = services.agreement_create(
        actor=w.coordinator.user,
        organisation=_org(w),
        kind="mou",
        title="Secret agreement",
        starts_on=datetime.date(2026, 1, 1),
    )
    return services.agreement_sign(
        actor=w.coordinator.user,
        agreement=agreement,
        signed_on=datetime.date(2026, 1, 2),
        document=SimpleUploadedFile("signed.pdf", b"%PDF-1.4 secret"),
    )


def _agreements(w: World) -> object:
    institution = w.institution
    agreements = Agreement.objects.filter(organisation__institution=institution)
    return (
        list(agreements.order_by("pk").values()),
        list(Signatory.objects.filter(agreement__in=agreements).values()),
        list(Contribution.objects.filter(agreement__in=agreements).values()),
    )


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
        "agreement list",
        lambda w: reverse("partners:agreement_list") + f"?x={_agreement(w).pk}",
        STAFF | {Role.PARTNER},
        outsider_status=200,
        secret=lambda w: "Secret agreement",
    ),
    Page(
        "agreement detail",
        lambda w: reverse("partners:agreement_detail", args=[_agreement(w).pk]),
        STAFF | {Role.PARTNER},
        secret=lambda w: "Secret agreement",
    ),
    Page(
        "agreement print",
        lambda w: reverse("partners:agreement_print", args=[_agreement(w).pk]),
        STAFF | {Role.PARTNER},
        secret=lambda w: "Secret agreement",
    ),
    Page(
        "agreement document",
        lambda w: reverse("partners:agreement_document", args=[_agreement(w).pk]),
        STAFF | {Role.PARTNER},
        secret=lambda w: "%PDF-1.4 secret",
    ),
    Page(
        "agreement create",
        lambda w: reverse("partners:agreement_create", args=[_org(w).pk]),
        RUNNERS,
        secret=_secret,
    ),
    Page(
        "pipeline board",
        lambda w: reverse("partners:pipeline_board"),
        STAFF,
        outsider_status=200,
        secret=_secret,
    ),
    Page("stale list", lambda w: reverse("partners:stale_list"), STAFF, outsider_status=200),
    Page("check-ins due", lambda w: reverse("partners:check_in_list"), STAFF, outsider_status=200),
    Page("health list", lambda w: reverse("partners:health_list"), STAFF, outsider_status=200),
    Page(
        "stage settings",
        lambda w: reverse("partners:stage_settings"),
        RUNNERS,
        outsider_status=200,
        secret=lambda w: "Researched",
    ),
    Page(
        "follow-up list (everyone's)",
        lambda w: (_follow_up(w), reverse("partners:follow_up_list") + "?who=everyone")[1],
        STAFF,
        outsider_status=200,
        secret=lambda w: "Send brochure",
        shows=lambda w, viewer: "Send brochure",
    ),
    Page(
        "promise list",
        lambda w: (_commitment(w), reverse("partners:commitment_list"))[1],
        STAFF,
        outsider_status=200,
        secret=lambda w: "Secret promise",
        shows=lambda w, viewer: "Secret promise",
    ),
    Page(
        # Staff see every placement, the partner contact their organisation's, the
        # learner their own: here all three see the world's learner at Coastal Motors.
        "placement list",
        lambda w: (_placement(w), reverse("partners:placement_list"))[1],
        STAFF | {Role.PARTNER, Role.LEARNER},
        outsider_status=200,
        secret=lambda w: "Secret workshop role",
        shows=lambda w, viewer: "Secret workshop role",
    ),
]

# matrix-exempt: public_thanks (public by design: the interest form's thank-you; test_public.py)
# matrix-exempt: campaign_answer (no session by design: the token is the key; test_campaigns.py)

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
        "opportunity create (POST)",
        lambda w: reverse("partners:opportunity_create", args=[_org(w).pk]),
        OWNERS,
        ok_status=302,
        method="post",
        data={"kind": "guest_lecture", "title": "EV safety talk", "starts_on": "2026-05-01"},
        state=_placements,
    ),
    Page(
        "period add (POST)",
        lambda w: reverse("partners:period_add", args=[_opportunity(w).pk]),
        OWNERS,
        ok_status=302,
        method="post",
        data={
            "period-starts_on": "2026-09-01",
            "period-ends_on": "2026-10-01",
            "period-capacity": "2",
        },
        state=_placements,
    ),
    Page(
        "compliance record (POST)",
        lambda w: reverse("partners:compliance_record", args=[_placement(w).pk]),
        STAFF,
        ok_status=302,
        method="post",
        data={"kind": "insurance", "reference": "P-1", "valid_from": "2026-01-01"},
        state=_placements,
    ),
    Page(
        "placement propose",
        lambda w: reverse("partners:placement_propose", args=[_period(w).pk]),
        STAFF,
        secret=lambda w: "Secret workshop role",
        shows=lambda w, viewer: "Propose a learner for Secret workshop role",
    ),
    Page(
        # Dates outside the period: every allowed role reaches the form and its error;
        # nobody else reaches it, and nothing changes for anyone.
        "placement propose (POST)",
        lambda w: reverse("partners:placement_propose", args=[_period(w).pk]),
        STAFF,
        method="post",
        data={"learner": "", "starts_on": "2026-01-05", "ends_on": "2026-01-09", "hours": "30"},
        secret=lambda w: "Secret workshop role",
        shows=lambda w, viewer: "The placement must fall within the period",
        state=_placements,
    ),
    Page(
        "placement confirm (POST)",
        lambda w: reverse("partners:placement_confirm", args=[_placement(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        state=_placements,
    ),
    Page(
        "placement cancel (POST)",
        lambda w: reverse("partners:placement_cancel", args=[_placement(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        state=_placements,
    ),
    Page(
        "agreement create (POST)",
        lambda w: reverse("partners:agreement_create", args=[_org(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"kind": "mou", "title": "New MOU", "starts_on": "2026-02-01"},
        state=_agreements,
    ),
    Page(
        "signatory add (POST)",
        lambda w: reverse("partners:signatory_add", args=[_agreement(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"signatory-side": "partner", "signatory-name": "Tuan Pham"},
        state=_agreements,
    ),
    Page(
        "contribution add (POST)",
        lambda w: reverse("partners:contribution_add", args=[_agreement(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={
            "contribution-side": "partner",
            "contribution-kind": "in_kind",
            "contribution-description": "Tools",
            "contribution-value": "100",
        },
        state=_agreements,
    ),
    Page(
        "agreement sign (POST)",
        lambda w: reverse("partners:agreement_sign", args=[_agreement(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"sign-signed_on": "2026-01-05"},  # no file: refused, but only after access
        state=_agreements,
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
    # Last: unlinking the partner's account changes what the partner may see.
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
    if page.name == "placement propose (POST)":  # the learner as the lookup offers them
        learner = f"{w.learner.user.full_name} · Learner · {w.learner.user.email}"
        return Page(**{**page.__dict__, "data": {**page.data, "learner": learner}})
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


def test_partner_sees_only_their_own_organisations_opportunities(pw: PartnerWorld) -> None:
    """The matrix opportunity is at the partner's organisation; the hotel's is not."""
    w = pw.world
    hotel = services.opportunity_create(
        actor=w.coordinator.user,
        organisation=pw.other_organisation,
        kind="internship",
        title="Hotel front desk",
        starts_on=datetime.date(2026, 4, 6),
    )
    partner = w.client_for(w.partner)
    url = reverse("partners:opportunity_detail", args=[hotel.pk])
    assert partner.get(url).status_code == 404
    assert (
        "Hotel front desk" not in partner.get(reverse("partners:opportunity_list")).content.decode()
    )
    # Once their contact leaves Coastal Motors, nothing of it is theirs any more.
    own = _opportunity(w)
    Affiliation.objects.filter(contact=pw.partner_contact).update(
        end_date=datetime.date(2020, 1, 1)
    )
    assert partner.get(reverse("partners:opportunity_detail", args=[own.pk])).status_code == 404
    assert (
        partner.get(reverse("partners:placement_detail", args=[_placement(w).pk])).status_code
        == 404
    )

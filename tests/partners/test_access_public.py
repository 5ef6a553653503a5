"""Access matrix of the public page, feedback, placement requests and the partner portal:
every role, the outsider and an anonymous visitor; and a partner contact of one
organisation against another organisation's things."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import Role
from guildhouse.partners import models as pm
from guildhouse.partners import services, services_public
from tests.access_matrix import STAFF, Page, check_page
from tests.conftest import World
from tests.factories import member_make
from tests.partners.conftest import PartnerWorld

RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
OWNERS = RUNNERS | {Role.STAFF}  # the world's staff member owns Coastal Motors
PARTNER = frozenset({Role.PARTNER})


@pytest.fixture(autouse=True)
def clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _today() -> datetime.date:
    return timezone.localdate()


def _org(w: World) -> pm.Organisation:
    return pm.Organisation.objects.get(institution=w.institution, name="Coastal Motors Ltd")


def _offer(w: World) -> pm.ValueProposition:
    return services_public.offer_save(
        actor=w.coordinator.user,
        institution=w.institution,
        headline="Secret headline",
        is_published=False,
    )


def _story(w: World) -> pm.SuccessStory:
    found = pm.SuccessStory.objects.filter(institution=w.institution).first()
    return found or services_public.story_save(
        actor=w.coordinator.user,
        institution=w.institution,
        story=None,
        title="Secret story",
        body="Draft.",
    )


def _testimonial(w: World) -> pm.Testimonial:
    """Tuan Pham's words (the world's partner account is his), consent on file."""
    found = pm.Testimonial.objects.filter(organisation=_org(w)).first()
    return found or services_public.partner_testimonial_create(
        actor=w.coordinator.user,
        organisation=_org(w),
        contact=pm.Contact.objects.get(full_name="Tuan Pham"),
        quote="Secret quote",
        author_name="Tuan Pham",
        consent_note="Email",
    )


def _placement(w: World) -> pm.Placement:
    """The world's learner at Coastal Motors, confirmed, ending in three days."""
    found = pm.Placement.objects.filter(period__opportunity__organisation=_org(w)).first()
    if found is not None:
        return found
    opportunity = services.opportunity_create(
        actor=w.coordinator.user,
        organisation=_org(w),
        kind="work_placement",
        title="Secret workshop role",
        starts_on=_today() - datetime.timedelta(days=30),
    )
    start, end = _today() - datetime.timedelta(days=30), _today() + datetime.timedelta(days=3)
    period = services.period_add(
        actor=w.coordinator.user, opportunity=opportunity, starts_on=start, ends_on=end, capacity=1
    )
    placement = services.placement_propose(
        actor=w.staff.user, period=period, learner=w.learner, starts_on=start, ends_on=end, hours=80
    )
    return services.placement_confirm(actor=w.coordinator.user, placement=placement)


def _request(w: World) -> pm.PlacementRequest:
    found = pm.PlacementRequest.objects.filter(opportunity__organisation=_org(w)).first()
    return found or services_public.request_send(
        actor=w.coordinator.user,
        opportunity=_placement(w).period.opportunity,
        places=2,
        starts_on=_today(),
        ends_on=_today() + datetime.timedelta(days=10),
        answer_by=_today() + datetime.timedelta(days=5),
        message="Secret request message",
    )


def _enquiry(w: World) -> pm.InterestSubmission:
    found = pm.InterestSubmission.objects.filter(institution=w.institution).first()
    return found or services_public.interest_submit(
        institution=w.institution,
        organisation_name="Secret Bakery",
        full_name="Maija Virtanen",
        email="maija@secret.example",
    )


def _state(w: World) -> object:
    inst = w.institution
    return (
        list(pm.ValueProposition.objects.filter(institution=inst).values()),
        list(pm.SuccessStory.objects.filter(institution=inst).order_by("pk").values()),
        list(pm.Testimonial.objects.filter(organisation__institution=inst).order_by("pk").values()),
        list(
            pm.SatisfactionResponse.objects.filter(organisation__institution=inst)
            .order_by("pk")
            .values()
        ),
        list(pm.PlacementEvaluation.objects.order_by("pk").values()),
        list(pm.PlacementRequest.objects.order_by("pk").values()),
    )


PAGES = [
    Page(
        "offer edit",
        lambda w: (_offer(w), reverse("partners:offer_edit"))[1],
        RUNNERS,
        outsider_status=200,
        secret=lambda w: "Secret headline",
    ),
    Page(
        "story list",
        lambda w: (_story(w), reverse("partners:story_list"))[1],
        RUNNERS,
        outsider_status=200,
        secret=lambda w: "Secret story",
    ),
    Page(
        "story edit",
        lambda w: reverse("partners:story_edit", args=[_story(w).pk]),
        RUNNERS,
        secret=lambda w: "Secret story",
    ),
    Page(
        "enquiry list",
        lambda w: (_enquiry(w), reverse("partners:enquiry_list"))[1],
        STAFF,
        outsider_status=200,
        secret=lambda w: "Secret Bakery",
        shows=lambda w, v: "Secret Bakery",
    ),
    Page(
        "feedback overview",
        lambda w: (_testimonial(w), reverse("partners:feedback_overview"))[1],
        STAFF,
        outsider_status=200,
        secret=lambda w: "Secret quote",
        shows=lambda w, v: "Secret quote",
    ),
    Page(
        "testimonial create",
        lambda w: reverse("partners:testimonial_create", args=[_org(w).pk]),
        RUNNERS,
        secret=lambda w: "Coastal Motors",
    ),
    Page(
        "survey",
        lambda w: reverse("partners:survey"),
        PARTNER,
        outsider_status=403,
        shows=lambda w, v: "Coastal Motors Ltd",
    ),
    Page(
        "evaluation",
        lambda w: reverse("partners:evaluation", args=[_placement(w).pk]),
        frozenset({Role.PARTNER, Role.LEARNER}),
        secret=lambda w: "Secret workshop role",
        shows=lambda w, v: "Evaluate the placement",
    ),
    Page(
        "request list",
        lambda w: (_request(w), reverse("partners:request_list"))[1],
        STAFF | PARTNER,
        outsider_status=200,
        secret=lambda w: "Secret workshop role",
        shows=lambda w, v: "Secret workshop role",
    ),
    Page(
        "request detail",
        lambda w: reverse("partners:request_detail", args=[_request(w).pk]),
        STAFF | PARTNER,
        secret=lambda w: "Secret request message",
        shows=lambda w, v: "Secret request message",
    ),
    Page(
        "request create",
        lambda w: reverse("partners:request_create", args=[_placement(w).period.opportunity_id]),
        OWNERS,
        secret=lambda w: "Secret workshop role",
    ),
]

POSTS = [
    Page(
        "offer save (POST)",
        lambda w: reverse("partners:offer_edit"),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"headline": "Work with us"},
        outsider_status=302,  # lands in the outsider's own institution
        state=_state,
    ),
    Page(
        "story create (POST)",
        lambda w: reverse("partners:story_list"),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"title": "A story", "body": "Text."},
        outsider_status=302,
        state=_state,
    ),
    Page(
        "story edit (POST)",
        lambda w: reverse("partners:story_edit", args=[_story(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"title": "Changed", "body": "Text."},
        state=_state,
    ),
    Page(
        "story publish (POST)",
        lambda w: reverse("partners:story_publish", args=[_story(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"publish": "1"},
        state=_state,
    ),
    Page(
        "testimonial create (POST)",
        lambda w: reverse("partners:testimonial_create", args=[_org(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"quote": "Good.", "author_name": "A. Person"},
        state=_state,
    ),
    Page(
        "testimonial publish (POST)",
        lambda w: reverse("partners:testimonial_publish", args=[_testimonial(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"publish": "1"},
        state=_state,
    ),
    Page(
        "survey (POST)",
        lambda w: reverse("partners:survey"),
        PARTNER,
        ok_status=302,
        method="post",
        data={"score": "8"},  # the organisation is added per world below
        outsider_status=403,
        state=_state,
    ),
    Page(
        "evaluation (POST)",
        lambda w: reverse("partners:evaluation", args=[_placement(w).pk]),
        frozenset({Role.PARTNER, Role.LEARNER}),
        ok_status=302,
        method="post",
        data={"rating": "4", "again": "yes"},
        state=_state,
    ),
    Page(
        "request create (POST)",
        lambda w: reverse("partners:request_create", args=[_placement(w).period.opportunity_id]),
        OWNERS,
        ok_status=302,
        method="post",
        data={
            "places": "1",
            "starts_on": "2030-01-01",
            "ends_on": "2030-01-31",
            "answer_by": "2029-12-01",
        },
        state=_state,
    ),
    Page(
        "request answer (POST)",
        lambda w: reverse("partners:request_answer", args=[_request(w).pk]),
        # The partner answers; staff who may change the employer (the coordinators and
        # the world's staff member, who owns Coastal Motors) record an answer given by
        # phone; support staff may not.
        PARTNER | RUNNERS | {Role.STAFF},
        ok_status=302,
        method="post",
        data={"status": "declined"},
        state=_state,
    ),
    # Last: withdrawing consent unpublishes.
    Page(
        "testimonial consent (POST)",
        lambda w: reverse("partners:testimonial_consent", args=[_testimonial(w).pk]),
        RUNNERS | PARTNER,
        ok_status=302,
        method="post",
        data={"give": "0"},
        state=_state,
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_public_feedback_pages_honour_the_matrix(pw: PartnerWorld, page: Page) -> None:
    assert check_page(pw.world, page) == []


@pytest.mark.parametrize("page", POSTS, ids=lambda p: p.name)
def test_public_feedback_posts_honour_the_matrix(pw: PartnerWorld, page: Page) -> None:
    if page.name == "survey (POST)":
        page = Page(
            **{**page.__dict__, "data": {"score": "8", "organisation": str(pw.organisation.pk)}}
        )
    assert check_page(pw.world, page) == []


def test_the_public_page_is_for_everyone_and_shows_only_published_content(
    pw: PartnerWorld,
) -> None:
    w = pw.world
    _offer(w)
    url = reverse("partners:public_page", args=[w.institution.slug])
    clients = [w.client_for(w.member(role)) for role in Role.values]
    clients += [w.client_for(w.outsider), Client()]
    for client in clients:
        assert client.get(url).status_code == 404  # nothing published yet
    services_public.offer_save(
        actor=w.coordinator.user, institution=w.institution, headline="Open", is_published=True
    )
    _story(w)  # a draft
    _testimonial(w)  # consented, not published
    for client in clients:
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Open" in page
        assert "Secret story" not in page
        assert "Secret quote" not in page
    # Another institution's slug shows nothing of this one.
    other = reverse("partners:public_page", args=[w.other_institution.slug])
    assert Client().get(other).status_code == 404


def test_a_partner_contact_sees_only_their_own_organisation(pw: PartnerWorld) -> None:
    """Two organisations: Tuan (Coastal Motors) and Laura (Harbour Hotel)."""
    w = pw.world
    laura_account = member_make(institution=w.institution, role=Role.PARTNER)
    laura = services.contact_create(
        actor=w.coordinator.user,
        organisation=pw.other_organisation,
        full_name="Laura Fletcher",
        email="laura@hotel.example",
    )
    services.contact_link_account(actor=w.coordinator.user, contact=laura, membership=laura_account)
    placement = _placement(w)
    request = _request(w)
    testimonial = _testimonial(w)
    client = w.client_for(laura_account)
    before = _state(w)
    assert client.get(reverse("partners:request_detail", args=[request.pk])).status_code == 404
    assert (
        client.post(
            reverse("partners:request_answer", args=[request.pk]), {"status": "declined"}
        ).status_code
        == 404
    )
    assert client.get(reverse("partners:evaluation", args=[placement.pk])).status_code == 404
    assert (
        client.post(
            reverse("partners:evaluation", args=[placement.pk]), {"rating": "1", "again": "no"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("partners:testimonial_consent", args=[testimonial.pk]), {"give": "0"}
        ).status_code
        == 404
    )
    survey = client.post(
        reverse("partners:survey"), {"organisation": str(pw.organisation.pk), "score": "0"}
    )
    assert survey.status_code == 200
    assert "Select a valid choice." in survey.content.decode()
    assert _state(w) == before
    for url in (reverse("home"), reverse("partners:request_list"), reverse("partners:survey")):
        page = client.get(url).content.decode()
        assert "Secret workshop role" not in page
        assert "Coastal Motors" not in page
    assert "Harbour Hotel with us" in client.get(reverse("home")).content.decode()
    # Tuan sees his.
    home = w.client_for(w.partner).get(reverse("home")).content.decode()
    assert "Secret workshop role" in home
    assert "Harbour Hotel" not in home


def test_a_learner_evaluates_only_their_own_placement(pw: PartnerWorld) -> None:
    w = pw.world
    placement = _placement(w)
    classmate = member_make(institution=w.institution, role=Role.LEARNER, programme=w.programme)
    client = w.client_for(classmate)
    url = reverse("partners:evaluation", args=[placement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"rating": "1", "again": "no"}).status_code == 404
    assert not pm.PlacementEvaluation.objects.exists()

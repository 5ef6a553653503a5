"""Testimonials with withdrawable consent, the partner survey, end-of-placement
evaluations, placement requests, and the partner contact's home panel (portal)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import AuditEvent, Role
from guildhouse.notifications.models import Notification
from guildhouse.partners import models as partner_models
from guildhouse.partners import services, services_public
from guildhouse.partners.models import (
    Opportunity,
    Placement,
    PlacementEvaluation,
    PlacementRequest,
    SatisfactionResponse,
)
from tests.factories import member_make
from tests.partners.conftest import PartnerWorld


def _today() -> datetime.date:
    return timezone.localdate()


def _opportunity(
    pw: PartnerWorld, org: object = None, title: str = "Workshop assistant"
) -> Opportunity:
    return services.opportunity_create(
        actor=pw.world.coordinator.user,
        organisation=org or pw.organisation,  # type: ignore[arg-type]
        kind="work_placement",
        title=title,
        starts_on=_today() - datetime.timedelta(days=60),
    )


def _placement_ending(pw: PartnerWorld, ends_in_days: int, org: object = None) -> Placement:
    """A confirmed placement of the world's learner ending ``ends_in_days`` from today."""
    opportunity = _opportunity(pw, org, title=f"Placement ending {ends_in_days}")
    start = _today() - datetime.timedelta(days=40)
    end = _today() + datetime.timedelta(days=ends_in_days)
    period = services.period_add(
        actor=pw.world.coordinator.user,
        opportunity=opportunity,
        starts_on=start,
        ends_on=end,
        capacity=2,
    )
    placement = services.placement_propose(
        actor=pw.world.staff.user,
        period=period,
        learner=pw.world.learner,
        starts_on=start,
        ends_on=end,
        hours=150,
    )
    return services.placement_confirm(actor=pw.world.coordinator.user, placement=placement)


def _testimonial(pw: PartnerWorld, consent_note: str = "") -> partner_models.Testimonial:
    return services_public.partner_testimonial_create(
        actor=pw.world.coordinator.user,
        organisation=pw.organisation,
        contact=pw.partner_contact,
        quote="Their learners arrive ready to work.",
        author_name="Tuan Pham",
        author_title="Workshop manager",
        consent_note=consent_note,
    )


def test_a_testimonial_needs_consent_and_withdrawing_it_unpublishes_at_once(
    pw: PartnerWorld,
) -> None:
    services_public.offer_save(
        actor=pw.world.coordinator.user,
        institution=pw.world.institution,
        headline="Work with us",
        is_published=True,
    )
    public = reverse("partners:public_page", args=[pw.world.institution.slug])
    coordinator = pw.world.client_for(pw.world.coordinator)
    response = coordinator.post(
        reverse("partners:testimonial_create", args=[pw.organisation.pk]),
        {
            "contact": str(pw.partner_contact.pk),
            "quote": "Their learners arrive ready to work.",
            "author_name": "Tuan Pham",
            "author_title": "Workshop manager",
        },
    )
    assert response.status_code == 302
    testimonial = partner_models.Testimonial.objects.get()
    assert (testimonial.consent_at, testimonial.published_at) == (None, None)
    # No consent: publishing is refused with the reason.
    page = coordinator.post(
        reverse("partners:testimonial_publish", args=[testimonial.pk]),
        {"publish": "1"},
        follow=True,
    ).content.decode()
    assert "Tuan Pham has not agreed to publication, so it cannot be published." in page
    testimonial.refresh_from_db()
    assert testimonial.published_at is None

    # The author sees it on their home page and agrees.
    partner = pw.world.client_for(pw.world.partner)
    home = partner.get(reverse("home")).content.decode()
    assert "may we publish it on our website?" in home
    partner.post(reverse("partners:testimonial_consent", args=[testimonial.pk]), {"give": "1"})
    testimonial.refresh_from_db()
    assert testimonial.has_consent
    assert testimonial.consent_note == "Given in the partner portal"
    coordinator.post(
        reverse("partners:testimonial_publish", args=[testimonial.pk]), {"publish": "1"}
    )
    testimonial.refresh_from_db()
    assert testimonial.published_at is not None
    assert "Their learners arrive ready to work." in Client().get(public).content.decode()

    # Withdrawing takes it off at once.
    partner.post(reverse("partners:testimonial_consent", args=[testimonial.pk]), {"give": "0"})
    testimonial.refresh_from_db()
    assert (testimonial.published_at, testimonial.has_consent) == (None, False)
    assert testimonial.consent_withdrawn_at is not None
    assert "Their learners arrive ready to work." not in Client().get(public).content.decode()
    overview = coordinator.get(reverse("partners:feedback_overview")).content.decode()
    assert "Consent withdrawn." in overview


def test_another_partner_contact_cannot_consent_for_the_author(pw: PartnerWorld) -> None:
    testimonial = _testimonial(pw)
    stranger = member_make(institution=pw.world.institution, role=Role.PARTNER)
    response = pw.world.client_for(stranger).post(
        reverse("partners:testimonial_consent", args=[testimonial.pk]), {"give": "1"}
    )
    assert response.status_code == 404
    testimonial.refresh_from_db()
    assert testimonial.consent_at is None


def test_the_partner_survey_is_answered_once_a_year_and_updates(pw: PartnerWorld) -> None:
    partner = pw.world.client_for(pw.world.partner)
    url = reverse("partners:survey")
    page = partner.get(url).content.decode()
    assert "How likely are you to recommend working with us to another business?" in page
    assert "Harbour Hotel" not in page  # only their own organisation
    data = {"organisation": str(pw.organisation.pk), "score": "9", "comments": "Good learners."}
    assert partner.post(url, data).status_code == 302
    assert (
        partner.post(url, {**data, "score": "7", "comments": "Slower paperwork."}).status_code
        == 302
    )
    answer = SatisfactionResponse.objects.get()
    assert (answer.organisation, answer.contact, answer.year, answer.score, answer.comments) == (
        pw.organisation,
        pw.partner_contact,
        _today().year,
        7,
        "Slower paperwork.",
    )
    # Out of range, or another organisation: refused, nothing changes.
    bad = partner.post(url, {**data, "score": "11"})
    assert bad.status_code == 200
    assert "Select a valid choice. 11 is not one of the available choices." in bad.content.decode()
    other = partner.post(url, {**data, "organisation": str(pw.other_organisation.pk)})
    assert "Select a valid choice." in other.content.decode()
    assert SatisfactionResponse.objects.get().score == 7
    overview = pw.world.client_for(pw.world.staff).get(reverse("partners:feedback_overview"))
    text = overview.content.decode()
    assert "1 answers; average 7.0 out of 10; net promoter score 0." in text
    assert "Slower paperwork." in text


def test_employer_and_learner_evaluate_a_placement_at_its_end(pw: PartnerWorld) -> None:
    placement = _placement_ending(pw, 3)
    early = _placement_ending(pw, 30, org=pw.organisation)
    url = reverse("partners:evaluation", args=[placement.pk])
    partner = pw.world.client_for(pw.world.partner)
    learner = pw.world.client_for(pw.world.learner)
    home = partner.get(reverse("home")).content.decode()
    assert f"Evaluate the placement of {pw.world.learner.user.full_name}" in home
    assert "Would you host a learner again?" in partner.get(url).content.decode()
    response = partner.post(url, {"rating": "5", "again": "yes", "comment": "Punctual."})
    assert response.status_code == 302
    assert (
        "Would you recommend this workplace to other learners?" in learner.get(url).content.decode()
    )
    assert "Tell us about your placement" in learner.get(reverse("home")).content.decode()
    learner.post(url, {"rating": "4", "again": "yes", "comment": "Kind supervisor."})
    learner.post(url, {"rating": "3", "again": "no", "comment": "Too little to do."})
    rows = {
        e.by: (e.rating, e.again, e.comment)
        for e in PlacementEvaluation.objects.filter(placement=placement)
    }
    assert rows == {"employer": (5, True, "Punctual."), "learner": (3, False, "Too little to do.")}
    # Staff read, never answer.
    assert pw.world.client_for(pw.world.coordinator).get(url).status_code == 403
    # Too early: the form is not offered and a POST is refused with the reason.
    early_url = reverse("partners:evaluation", args=[early.pk])
    refused = partner.post(early_url, {"rating": "5", "again": "yes"})
    assert "Evaluations open a week before the end of a confirmed placement." in (
        refused.content.decode()
    )
    assert not PlacementEvaluation.objects.filter(placement=early).exists()
    overview = pw.world.client_for(pw.world.staff).get(reverse("partners:feedback_overview"))
    assert "Too little to do." in overview.content.decode()


def _request_form(**fields: str) -> dict[str, str]:
    """A placement request for 30 days starting in 60, to be answered within 14."""
    start = _today() + datetime.timedelta(days=60)
    return {
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=30)).isoformat(),
        "answer_by": (_today() + datetime.timedelta(days=14)).isoformat(),
        **fields,
    }


def test_a_placement_request_is_answered_by_the_partner_and_seen_by_staff(
    pw: PartnerWorld,
) -> None:
    opportunity = _opportunity(pw)
    coordinator = pw.world.client_for(pw.world.coordinator)
    response = coordinator.post(
        reverse("partners:request_create", args=[opportunity.pk]),
        _request_form(
            places="3",
            programme=str(pw.world.programme.pk),
            message="Three electricians in year 2.",
        ),
    )
    assert response.status_code == 302
    req = PlacementRequest.objects.get()
    assert (req.places, req.status, req.programme) == (3, "sent", pw.world.programme)
    note = Notification.objects.get(kind="partners.placement_requested")
    assert note.recipient == pw.world.partner.user
    assert note.subject == "Riverside Vocational College asks for 3 places: Workshop assistant"

    partner = pw.world.client_for(pw.world.partner)
    home = partner.get(reverse("home")).content.decode()
    assert "3 places asked for: Workshop assistant" in home
    answer = reverse("partners:request_answer", args=[req.pk])
    too_many = partner.post(answer, {"status": "offered", "places_offered": "5"})
    assert too_many.status_code == 400
    assert "We asked for 3 places; offer at most that many." in too_many.content.decode()
    assert partner.post(answer, {"status": "offered"}).status_code == 400
    req.refresh_from_db()
    assert req.status == "sent"
    ok = partner.post(answer, {"status": "offered", "places_offered": "2", "note": "From May."})
    assert ok.status_code == 302
    req.refresh_from_db()
    assert (req.status, req.places_offered, req.answer_note, req.answered_by) == (
        "offered",
        2,
        "From May.",
        pw.world.partner.user,
    )
    told = Notification.objects.get(kind="partners.request_answered")
    assert (told.recipient, told.subject) == (
        pw.world.coordinator.user,
        "Coastal Motors Ltd offered 2 places",
    )
    listing = coordinator.get(reverse("partners:request_list")).content.decode()
    assert "Offered: 2" in listing
    assert "3 places asked for" not in partner.get(reverse("home")).content.decode()
    # Support staff, who may not change the employer, read the answer but cannot record one.
    support = pw.world.client_for(pw.world.support)
    assert support.post(answer, {"status": "declined"}).status_code == 403
    assert (
        "Record the employer"
        not in support.get(reverse("partners:request_detail", args=[req.pk])).content.decode()
    )
    req.refresh_from_db()
    assert req.status == "offered"


def test_staff_record_the_answer_of_an_employer_without_accounts(pw: PartnerWorld) -> None:
    """Most employers' contacts have no account: the request says nobody was notified
    and lists the contacts to call; the coordinator records what they answered."""
    hotel = pw.other_organisation
    services.contact_create(
        actor=pw.world.coordinator.user,
        organisation=hotel,
        full_name="Laura Fletcher",
        email="laura@hotel.example",
        phone="+358 40 123 4567",
    )
    opportunity = _opportunity(pw, hotel, title="Reception trainee")
    coordinator = pw.world.client_for(pw.world.coordinator)
    response = coordinator.post(
        reverse("partners:request_create", args=[opportunity.pk]),
        _request_form(places="2"),
        follow=True,
    )
    page = response.content.decode()
    assert (
        "Request saved. Nobody at Harbour Hotel has a Guildhouse account, so nobody was"
        " notified: call or email them, then record their answer here."
    ) in page
    assert not Notification.objects.filter(kind="partners.placement_requested").exists()
    assert '<h2 id="contacts-heading">Contacts at Harbour Hotel</h2>' in page
    assert (
        '<a href="mailto:laura@hotel.example">laura@hotel.example</a> · '
        '<a href="tel:+358 40 123 4567">+358 40 123 4567</a> — '
        "no account: not notified, reach them yourself"
    ) in page
    assert "Record the employer's answer" in page
    assert "They can offer places" in page

    req = PlacementRequest.objects.get()
    answer = reverse("partners:request_answer", args=[req.pk])
    done = coordinator.post(
        answer,
        {"status": "offered", "places_offered": "1", "note": "Laura on the phone."},
        follow=True,
    )
    req.refresh_from_db()
    assert (req.status, req.places_offered, req.answered_by, req.answer_recorded_by_staff) == (
        "offered",
        1,
        pw.world.coordinator.user,
        True,
    )
    page = done.content.decode()
    assert "Their answer is recorded." in page
    assert f"recorded by {pw.world.coordinator.user.full_name}: Laura on the phone." in page
    assert "Change the recorded answer" in page
    # The coordinator recorded it: nobody to tell.
    assert not Notification.objects.filter(kind="partners.request_answered").exists()
    event = AuditEvent.objects.filter(action="partners_request_answer").get()
    assert event.changes == {"status": "offered", "places_offered": 1, "recorded_by_staff": True}


def test_an_unanswered_request_past_its_date_shows_no_answer(pw: PartnerWorld) -> None:
    req = services_public.request_send(
        actor=pw.world.coordinator.user,
        opportunity=_opportunity(pw),
        places=2,
        starts_on=_today(),
        ends_on=_today() + datetime.timedelta(days=20),
        answer_by=_today(),
    )
    assert req.status_label(_today()) == "Waiting for an answer"
    assert req.status_label(_today() + datetime.timedelta(days=1)) == "No answer"
    PlacementRequest.objects.filter(pk=req.pk).update(
        answer_by=_today() - datetime.timedelta(days=1)
    )
    page = pw.world.client_for(pw.world.staff).get(reverse("partners:request_list"))
    assert "No answer" in page.content.decode()


@pytest.mark.parametrize("extra_rows", [1, 4])
def test_the_partner_home_shows_their_organisation_only_in_bounded_queries(
    pw: PartnerWorld, extra_rows: int, django_assert_max_num_queries: object
) -> None:
    for n in range(extra_rows):
        mine = _opportunity(pw, title=f"Mine {n}")
        services_public.request_send(
            actor=pw.world.coordinator.user,
            opportunity=mine,
            places=1,
            starts_on=_today(),
            ends_on=_today(),
            answer_by=_today(),
        )
        theirs = _opportunity(pw, org=pw.other_organisation, title=f"Hotel secret {n}")
        services_public.request_send(
            actor=pw.world.coordinator.user,
            opportunity=theirs,
            places=1,
            starts_on=_today(),
            ends_on=_today(),
            answer_by=_today(),
        )
    services.agreement_create(
        actor=pw.world.coordinator.user,
        organisation=pw.other_organisation,
        kind="mou",
        title="Hotel secret agreement",
        starts_on=_today(),
    )
    services.agreement_create(
        actor=pw.world.coordinator.user,
        organisation=pw.organisation,
        kind="mou",
        title="Coastal MOU",
        starts_on=_today(),
    )
    client = pw.world.client_for(pw.world.partner)
    with django_assert_max_num_queries(22):  # type: ignore[operator]
        page = client.get(reverse("home")).content.decode()
    assert "Coastal Motors Ltd with us" in page
    assert "Mine 0" in page
    assert "Coastal MOU" in page
    assert "Answer the partner survey" in page
    assert "Hotel secret" not in page


def test_staff_home_links_the_public_work_and_the_portal_speaks_finnish(
    pw: PartnerWorld,
) -> None:
    coordinator = pw.world.client_for(pw.world.coordinator).get(reverse("home")).content.decode()
    assert "Partner with us" in coordinator
    assert reverse("partners:offer_edit") in coordinator
    assert reverse("partners:enquiry_list") in coordinator
    staff = pw.world.client_for(pw.world.staff).get(reverse("home")).content.decode()
    assert reverse("partners:enquiry_list") in staff
    assert reverse("partners:offer_edit") not in staff
    for role in (Role.LEARNER, Role.PARTNER, Role.STAKEHOLDER):
        page = pw.world.client_for(pw.world.member(role)).get(reverse("home")).content.decode()
        assert reverse("partners:enquiry_list") not in page
    client = pw.world.client_for(pw.world.partner)
    client.post(reverse("set_language"), {"language": "fi"})
    page = client.get(reverse("home")).content.decode()
    assert "Coastal Motors Ltd ja me" in page
    assert "Lomakkeet" in page
    assert f"Vastaa kumppanikyselyyn {_today().year} (kaksi kysymystä)" in page

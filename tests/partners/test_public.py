"""The value proposition, the public "Partner with us" page and its interest form
(duplicates joined, honeypot, rate limit, notification), and success stories."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from guildhouse.core.models import AuditEvent
from guildhouse.notifications.models import Notification
from guildhouse.partners import services_public
from guildhouse.partners.models import (
    Contact,
    InterestSubmission,
    Organisation,
    ResearchNote,
    SuccessStory,
    ValueProposition,
)
from guildhouse.partners.views_public import INTEREST_POSTS_PER_HOUR
from tests.partners.conftest import PartnerWorld

FORM = {
    "organisation_name": "Baltic Bakery Oy",
    "full_name": "Maija Virtanen",
    "email": "Maija@BalticBakery.example",
    "phone": "+358 40 123 4567",
    "interests": ["placements", "training"],
    "message": "We need two bakers next summer.",
}


@pytest.fixture(autouse=True)
def clear_cache() -> Iterator[None]:
    """The rate limit counts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def _publish_offer(pw: PartnerWorld) -> ValueProposition:
    return services_public.offer_save(
        actor=pw.world.coordinator.user,
        institution=pw.world.institution,
        headline="Skilled hands for your team",
        talent_pool="120 electricians graduate every June.",
        customised_training="Inspection courses for your staff.",
        is_published=True,
    )


def _url(pw: PartnerWorld) -> str:
    return reverse("partners:public_page", args=[pw.world.institution.slug])


def _snapshot(pw: PartnerWorld) -> object:
    inst = pw.world.institution
    return (
        list(Organisation.objects.filter(institution=inst).order_by("pk").values_list("pk")),
        list(Contact.objects.filter(institution=inst).order_by("pk").values_list("pk")),
        InterestSubmission.objects.count(),
        ResearchNote.objects.count(),
        Notification.objects.count(),
    )


def test_offer_is_written_by_a_coordinator_and_the_page_is_404_until_published(
    pw: PartnerWorld,
) -> None:
    url = _url(pw)
    assert Client().get(url).status_code == 404
    client = pw.world.client_for(pw.world.coordinator)
    response = client.post(
        reverse("partners:offer_edit"),
        {"headline": "Skilled hands for your team", "facilities": "A training kitchen."},
    )
    assert response.status_code == 302
    offer = ValueProposition.objects.get(institution=pw.world.institution)
    assert (offer.headline, offer.facilities, offer.is_published) == (
        "Skilled hands for your team",
        "A training kitchen.",
        False,
    )
    assert Client().get(url).status_code == 404  # saved, not published
    client.post(
        reverse("partners:offer_edit"),
        {
            "headline": "Skilled hands for your team",
            "facilities": "A kitchen.",
            "is_published": "on",
        },
    )
    page = Client().get(url).content.decode()
    assert "Partner with Riverside Vocational College" in page
    assert "Skilled hands for your team" in page
    assert "A kitchen." in page
    # An empty headline is refused, with the reason, and nothing changes.
    bad = client.post(reverse("partners:offer_edit"), {"headline": "", "facilities": "X"})
    assert bad.status_code == 200
    assert "This field is required." in bad.content.decode()
    offer.refresh_from_db()
    assert offer.facilities == "A kitchen."


def test_the_public_page_shows_only_published_stories_and_consented_testimonials(
    pw: PartnerWorld,
) -> None:
    _publish_offer(pw)
    coordinator = pw.world.coordinator.user
    inst = pw.world.institution
    shown = services_public.story_save(
        actor=coordinator, institution=inst, story=None, title="Published story", body="Yes."
    )
    services_public.story_publish(actor=coordinator, story=shown, publish=True)
    services_public.story_save(
        actor=coordinator, institution=inst, story=None, title="Draft story", body="Not yet."
    )
    unpublished_again = services_public.story_save(
        actor=coordinator, institution=inst, story=None, title="Withdrawn story", body="No."
    )
    services_public.story_publish(actor=coordinator, story=unpublished_again, publish=True)
    services_public.story_publish(actor=coordinator, story=unpublished_again, publish=False)
    published = services_public.partner_testimonial_create(
        actor=coordinator,
        organisation=pw.organisation,
        quote="Great apprentices.",
        author_name="Tuan Pham",
        consent_note="Email of 3 March",
    )
    services_public.partner_testimonial_publish(
        actor=coordinator, testimonial=published, publish=True
    )
    services_public.partner_testimonial_create(
        actor=coordinator,
        organisation=pw.organisation,
        quote="No consent yet.",
        author_name="Someone",
    )
    withdrawn = services_public.partner_testimonial_create(
        actor=coordinator,
        organisation=pw.organisation,
        quote="Consent withdrawn.",
        author_name="Else",
        consent_note="Form",
    )
    services_public.partner_testimonial_publish(
        actor=coordinator, testimonial=withdrawn, publish=True
    )
    services_public.partner_testimonial_consent(
        actor=coordinator, testimonial=withdrawn, give=False
    )
    # Another institution's published story never shows here.
    other = services_public.story_save(
        actor=pw.world.outsider.user,
        institution=pw.world.other_institution,
        story=None,
        title="Hilltop story",
        body="Theirs.",
    )
    services_public.story_publish(actor=pw.world.outsider.user, story=other, publish=True)

    page = Client().get(_url(pw)).content.decode()
    assert "Published story" in page
    assert "Great apprentices." in page
    assert "— Tuan Pham, Coastal Motors Ltd" in page
    for hidden in (
        "Draft story",
        "Withdrawn story",
        "No consent yet.",
        "Consent withdrawn.",
        "Hilltop story",
    ):
        assert hidden not in page


def test_the_interest_form_creates_a_web_form_prospect_and_tells_the_coordinators(
    pw: PartnerWorld,
) -> None:
    _publish_offer(pw)
    client = Client()
    response = client.post(_url(pw), FORM)
    thanks = reverse("partners:public_thanks", args=[pw.world.institution.slug])
    assert response.status_code == 302
    assert response["Location"] == thanks
    org = Organisation.objects.get(institution=pw.world.institution, name="Baltic Bakery Oy")
    assert (org.source, org.stage.name, org.kind) == ("web_form", "Prospect", "business")
    assert list(org.stage_changes.values_list("to_stage__name", flat=True)) == ["Prospect"]
    contact = Contact.objects.get(email="maija@balticbakery.example")
    assert contact.full_name == "Maija Virtanen"
    assert list(contact.organisations.all()) == [org]
    submission = InterestSubmission.objects.get()
    assert (submission.organisation, submission.matched_existing) == (org, False)
    assert submission.interests == ["placements", "training"]
    note = ResearchNote.objects.get(organisation=org)
    assert note.body == (
        "Interest form from Maija Virtanen (maija@balticbakery.example). Interested in: "
        "Hosting learners on placements or apprenticeships, Customised training for our "
        "staff. We need two bakers next summer."
    )
    # No owners yet: the coordinators hear of it.
    notification = Notification.objects.get(kind="partners.interest_received")
    assert notification.recipient == pw.world.coordinator.user
    assert notification.subject == "Baltic Bakery Oy asked to partner with us"
    assert notification.url == reverse("partners:organisation_detail", args=[org.pk])
    assert AuditEvent.objects.filter(action="partners_interest_submit").count() == 1
    page = client.get(thanks).content.decode()
    assert "What happens next" in page
    assert "They contact you by email or phone within five working days." in page
    # Staff see the enquiry.
    listing = pw.world.client_for(pw.world.staff).get(reverse("partners:enquiry_list"))
    assert "Baltic Bakery Oy" in listing.content.decode()
    assert "We need two bakers next summer." in listing.content.decode()


def test_an_interest_form_from_a_known_organisation_joins_it_and_tells_its_owner(
    pw: PartnerWorld,
) -> None:
    _publish_offer(pw)
    before = Organisation.objects.filter(institution=pw.world.institution).count()
    data = {
        **FORM,
        "organisation_name": "Coastal Motors",
        "full_name": "Ella Koski",
        "email": "ella@coastal.example",
        "website": "coastalmotors.example",
    }
    assert Client().post(_url(pw), data).status_code == 302
    assert Organisation.objects.filter(institution=pw.world.institution).count() == before
    submission = InterestSubmission.objects.get()
    assert (submission.organisation, submission.matched_existing) == (pw.organisation, True)
    assert set(pw.organisation.contacts.values_list("full_name", flat=True)) == {
        "Tuan Pham",
        "Ella Koski",
    }
    notification = Notification.objects.get(kind="partners.interest_received")
    assert notification.recipient == pw.world.staff.user  # the relationship owner
    # The contact's email alone also finds the organisation.
    again = {**FORM, "organisation_name": "Totally New Name", "email": "tuan@coastal.example"}
    assert Client().post(_url(pw), again).status_code == 302
    assert Organisation.objects.filter(institution=pw.world.institution).count() == before
    assert InterestSubmission.objects.filter(organisation=pw.organisation).count() == 2


def test_the_honeypot_saves_nothing_but_thanks_the_bot(pw: PartnerWorld) -> None:
    _publish_offer(pw)
    before = _snapshot(pw)
    response = Client().post(_url(pw), {**FORM, "homepage": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    assert _snapshot(pw) == before


def test_one_address_may_send_five_forms_an_hour(pw: PartnerWorld) -> None:
    _publish_offer(pw)
    client = Client()
    for n in range(INTEREST_POSTS_PER_HOUR):
        data = {**FORM, "organisation_name": f"Bakery {n}", "email": f"b{n}@example.org"}
        assert client.post(_url(pw), data).status_code == 302
    before = _snapshot(pw)
    data = {**FORM, "organisation_name": "Bakery Six", "email": "six@example.org"}
    response = client.post(_url(pw), data)
    assert response.status_code == 429
    page = response.content.decode()
    assert "We have received several forms from your address in the last hour." in page
    assert 'value="Bakery Six"' in page  # nothing typed is lost
    assert _snapshot(pw) == before
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(_url(pw), data).status_code == 302


def test_bad_input_is_refused_with_the_reason_and_kept(pw: PartnerWorld) -> None:
    _publish_offer(pw)
    before = _snapshot(pw)
    response = Client().post(_url(pw), {**FORM, "email": "not-an-email"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="Baltic Bakery Oy"' in page
    assert _snapshot(pw) == before


def test_the_public_page_speaks_finnish(pw: PartnerWorld) -> None:
    _publish_offer(pw)
    client = Client(headers={"accept-language": "fi"})
    page = client.get(_url(pw)).content.decode()
    assert "Kumppaniksi: Riverside Vocational College" in page
    assert "Kerro kiinnostuksestasi" in page
    response = client.post(_url(pw), {**FORM, "email": "x"})
    assert "Syötä kelvollinen sähköpostiosoite." in response.content.decode()


def test_stories_are_written_and_published_by_coordinators(pw: PartnerWorld) -> None:
    _publish_offer(pw)
    client = pw.world.client_for(pw.world.coordinator)
    response = client.post(
        reverse("partners:story_list"),
        {
            "title": "From placement to foreman",
            "body": "Aino joined Coastal Motors.",
            "organisation": pw.organisation.name,
        },
    )
    assert response.status_code == 302
    story = SuccessStory.objects.get()
    assert (story.organisation, story.published_at) == (pw.organisation, None)
    assert "From placement to foreman" not in Client().get(_url(pw)).content.decode()
    client.post(reverse("partners:story_publish", args=[story.pk]), {"publish": "1"})
    assert "From placement to foreman" in Client().get(_url(pw)).content.decode()
    client.post(
        reverse("partners:story_edit", args=[story.pk]),
        {"title": "From placement to site foreman", "body": "Aino joined Coastal Motors."},
    )
    story.refresh_from_db()
    assert story.title == "From placement to site foreman"
    assert story.organisation is None
    client.post(reverse("partners:story_publish", args=[story.pk]), {"publish": "0"})
    assert "site foreman" not in Client().get(_url(pw)).content.decode()
    listing = client.get(reverse("partners:story_list")).content.decode()
    assert "From placement to site foreman" in listing
    assert "Draft" in listing

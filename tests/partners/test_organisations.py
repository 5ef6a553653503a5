"""Organisations and contacts through the pages: create, duplicates, list, contacts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guildhouse.core.models import AuditEvent
from guildhouse.partners.models import Affiliation, Contact, Organisation, StageChange
from guildhouse.partners.services import name_key, website_domain
from tests.partners.conftest import PartnerWorld
from tests.partners.make import organisation_make

NEW = {"name": "Nordic Bakery Oy", "kind": "business", "source": "research", "city": "Port Aldwin"}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Coastal Motors Ltd.", "coastal motors"),
        ("The Harbour Hotel", "harbour hotel"),
        ("Sähkö-Jussi Oy", "sahko jussi"),
        ("Smith & Sons", "smith and sons"),
        ("Ltd", "ltd"),
    ],
)
def test_name_key_ignores_case_punctuation_accents_and_legal_form(name: str, key: str) -> None:
    assert name_key(name) == key


def test_website_domain_drops_scheme_www_and_path() -> None:
    assert website_domain("https://www.Coastal.example/about?x=1") == "coastal.example"
    assert website_domain("coastal.example") == "coastal.example"


def test_coordinator_adds_an_organisation_with_its_first_contact(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    data = NEW | {
        "website": "nordicbakery.example",
        "tags": "bakery, summer jobs, bakery",
        "owners": [str(w.staff.pk), str(w.coordinator.pk)],
        "contact_name": "Aada Virtanen",
        "contact_email": "Aada@NordicBakery.example",
        "contact_role": "Owner",
    }
    response = client.post(reverse("partners:organisation_create"), data)
    org = Organisation.objects.get(name="Nordic Bakery Oy")
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:organisation_detail", args=[org.pk])
    assert org.institution == w.institution
    assert (org.name_key, org.website, org.website_domain) == (
        "nordic bakery",
        "https://nordicbakery.example",
        "nordicbakery.example",
    )
    assert org.stage.name == "Prospect"
    assert sorted(t.name for t in org.tags.all()) == ["bakery", "summer jobs"]
    assert set(org.owners.all()) == {w.staff, w.coordinator}
    contact = Contact.objects.get(full_name="Aada Virtanen")
    assert contact.email == "aada@nordicbakery.example"
    assert list(contact.affiliations.values_list("organisation__name", "role")) == [
        ("Nordic Bakery Oy", "Owner")
    ]
    history = [(c.from_stage, c.to_stage.name, c.actor) for c in org.stage_changes.all()]
    assert history == [(None, "Prospect", w.staff.user)]
    event = AuditEvent.objects.get(object_type="partners.organisation", object_id=str(org.pk))
    assert (event.action, event.actor, event.institution) == ("create", w.staff.user, w.institution)
    page = client.get(response["Location"]).content.decode()
    assert "Nordic Bakery Oy" in page
    assert "nordicbakery.example" in page
    assert "Aada Virtanen" in page


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"name": "COASTAL MOTORS"}, "same name"),
        (
            {"website": "http://coastalmotors.example/contact"},
            "same website (coastalmotors.example)",
        ),
        (
            {"contact_name": "T. Pham", "contact_email": "TUAN@coastal.example"},
            "a contact has the email TUAN@coastal.example",
        ),
    ],
)
def test_a_near_duplicate_is_shown_with_a_link_and_nothing_is_created(
    pw: PartnerWorld, extra: dict[str, str], reason: str
) -> None:
    client = pw.world.client_for(pw.world.coordinator)
    before = Organisation.objects.count()
    response = client.post(reverse("partners:organisation_create"), NEW | extra)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This may already be in Guildhouse" in page
    link = reverse("partners:organisation_detail", args=[pw.organisation.pk])
    assert f'<a href="{link}">Coastal Motors Ltd</a> — {reason}' in page
    assert 'name="create_anyway" value="1"' in page
    assert Organisation.objects.count() == before


def test_create_anyway_adds_the_near_duplicate(pw: PartnerWorld) -> None:
    client = pw.world.client_for(pw.world.coordinator)
    data = NEW | {"name": "Coastal Motors", "create_anyway": "1"}
    response = client.post(reverse("partners:organisation_create"), data)
    assert response.status_code == 302
    names = Organisation.objects.filter(name_key="coastal motors").values_list("name", flat=True)
    assert sorted(names) == ["Coastal Motors", "Coastal Motors Ltd"]
    event = AuditEvent.objects.filter(object_type="partners.organisation").latest("pk")
    assert event.changes["duplicate_confirmed"] is True


def test_duplicates_are_looked_for_in_the_own_institution_only(pw: PartnerWorld) -> None:
    client = pw.world.client_for(pw.world.coordinator)
    response = client.post(reverse("partners:organisation_create"), NEW | {"name": "Ridge Build"})
    assert response.status_code == 302


def test_bad_input_gets_a_specific_error_and_changes_nothing(pw: PartnerWorld) -> None:
    client = pw.world.client_for(pw.world.coordinator)
    before = list(Organisation.objects.values_list("pk", flat=True))
    data = NEW | {"website": "not a web address", "contact_email": "x@example.com"}
    page = client.post(reverse("partners:organisation_create"), data).content.decode()
    assert "Enter a valid URL." in page
    assert "Give the contact&#x27;s name, or leave the contact empty." in page
    assert list(Organisation.objects.values_list("pk", flat=True)) == before


def _names(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/partners/organisations/\d+/">([^<]+)</a>', page)


def test_list_searches_and_filters_within_the_institution(pw: PartnerWorld) -> None:
    w = pw.world
    organisation_make(institution=w.institution, actor=w.coordinator, name="Motorhouse Garage")
    client = w.client_for(w.support)
    url = reverse("partners:organisation_list")
    assert _names(client.get(url).content.decode()) == [
        "Coastal Motors Ltd",
        "Harbour Hotel",
        "Motorhouse Garage",
    ]
    assert _names(client.get(url, {"q": "motor"}).content.decode()) == [
        "Coastal Motors Ltd",
        "Motorhouse Garage",
    ]
    assert _names(client.get(url, {"q": "ridge"}).content.decode()) == []
    owned = w.client_for(w.staff).get(url, {"mine": "on"}).content.decode()
    assert _names(owned) == ["Coastal Motors Ltd"]
    stage = pw.organisation.stage
    assert len(_names(client.get(url, {"stage": stage.pk}).content.decode())) == 3
    # htmx asks for the results only
    partial = client.get(url, {"q": "hotel"}, headers={"HX-Request": "true"}).content.decode()
    assert "<h1>" not in partial
    assert _names(partial) == ["Harbour Hotel"]


def test_list_pages_by_keyset_in_a_constant_number_of_queries(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:organisation_list")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(60):
        organisation_make(
            institution=w.institution,
            actor=w.coordinator,
            name=f"Firm {i:02d}",
            owners=(w.staff, w.coordinator),
        )
    with CaptureQueriesContext(connection) as large:
        first = client.get(url).content.decode()
    assert len(large) == len(small)
    names = _names(first)
    assert names[:3] == ["Coastal Motors Ltd", "Firm 00", "Firm 01"]
    assert len(names) == 50
    next_link = re.search(r'<a href="(\?after=[^"]+)" rel="next">', first)
    assert next_link is not None
    second = client.get(url + next_link.group(1).replace("&amp;", "&")).content.decode()
    assert _names(second) == [f"Firm {i:02d}" for i in range(49, 60)] + ["Harbour Hotel"]
    assert 'rel="next"' not in second
    # A cursor that is not ours shows the first page rather than an error.
    assert _names(client.get(url, {"after": "!!"}).content.decode()) == names


def test_adding_a_known_email_links_the_person_instead_of_duplicating(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    url = reverse("partners:contact_add", args=[pw.other_organisation.pk])
    data = {"full_name": "Tuan Pham", "email": "TUAN@coastal.example", "role": "Head chef"}
    assert client.post(url, data).status_code == 302
    assert Contact.objects.filter(email="tuan@coastal.example").count() == 1
    assert sorted(pw.partner_contact.affiliations.values_list("organisation__name", "role")) == [
        ("Coastal Motors Ltd", "Manager"),
        ("Harbour Hotel", "Head chef"),
    ]
    # Adding them again where they already work is refused with the reason.
    page = client.post(url, data).content.decode()
    assert "Tuan Pham already works here." in page
    assert pw.partner_contact.affiliations.count() == 2


def test_recording_that_a_contact_left_keeps_the_history(pw: PartnerWorld) -> None:
    w = pw.world
    affiliation = Affiliation.objects.get(contact=pw.partner_contact)
    Affiliation.objects.filter(pk=affiliation.pk).update(start_date=datetime.date(2024, 3, 1))
    client = w.client_for(w.staff)
    url = reverse("partners:affiliation_end", args=[affiliation.pk])
    response = client.post(url, {"end_date": "2020-01-01"}, follow=True)
    assert "The end date cannot be before the start date." in response.content.decode()
    affiliation.refresh_from_db()
    assert affiliation.end_date is None
    client.post(url, {"end_date": "2025-06-30"})
    affiliation.refresh_from_db()
    assert affiliation.end_date == datetime.date(2025, 6, 30)
    page = client.get(reverse("partners:contact_detail", args=[pw.partner_contact.pk]))
    assert "Record leaving" not in page.content.decode()
    assert pw.partner_contact.affiliations.current().count() == 0


def test_only_a_partner_account_of_this_institution_can_be_linked(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:contact_detail", args=[pw.partner_contact.pk])
    page = client.post(url, {"membership": str(w.learner.pk)}).content.decode()
    assert "Select a valid choice." in page
    pw.partner_contact.refresh_from_db()
    assert pw.partner_contact.membership == w.partner
    assert client.post(url, {"membership": ""}).status_code == 302
    pw.partner_contact.refresh_from_db()
    assert pw.partner_contact.membership is None


def test_editing_changes_fields_tags_and_owners_with_an_audit_row(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    url = reverse("partners:organisation_edit", args=[pw.organisation.pk])
    data = {
        "name": "Coastal Motors Ltd",
        "kind": "business",
        "source": "referral",
        "city": "Kestrel Bay",
        "tags": "electric vehicles",
        "owners": [str(w.staff.pk)],
    }
    assert client.post(url, data).status_code == 302
    org = Organisation.objects.get(pk=pw.organisation.pk)
    assert (org.city, org.source, org.website) == ("Kestrel Bay", "referral", "")
    assert [t.name for t in org.tags.all()] == ["electric vehicles"]
    event = AuditEvent.objects.filter(action="update", object_id=str(org.pk)).latest("pk")
    assert event.changes["city"] == "Kestrel Bay"
    assert event.changes["tags"] == ["electric vehicles"]
    assert StageChange.objects.filter(organisation=org).count() == 1

"""Lookup fields: choosing an organisation, contact or person by typing part of a name
(the success-story, CPD and attendee forms), and the suggestions shown while typing."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guildhouse.core.models import Role
from guildhouse.partners import services
from guildhouse.partners.lookup import LookupField
from guildhouse.partners.models import SuccessStory
from tests.access_matrix import STAFF, Page, check_page
from tests.factories import member_make
from tests.partners.conftest import PartnerWorld
from tests.partners.make import organisation_make


def _suggest(pw: PartnerWorld, kind: str, text: str, who: str = Role.COORDINATOR) -> str:
    client = pw.world.client_for(pw.world.member(who))
    url = reverse("partners:lookup", args=[kind])
    response = client.get(url, {"field": "organisation", "organisation": text})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def test_suggestions_are_this_schools_records_by_name(pw: PartnerWorld) -> None:
    w = pw.world
    organisation_make(institution=w.institution, actor=w.coordinator, name="Coastal <Café>")
    assert _suggest(pw, "organisation", "coast") == (
        '<option value="Coastal &lt;Café&gt;"></option>'
        '<option value="Coastal Motors Ltd · Port Aldwin"></option>'
    )
    assert _suggest(pw, "organisation", "ridge") == ""  # Hilltop's Ridge Build
    assert _suggest(pw, "organisation", "c") == ""  # one letter: nothing yet
    assert _suggest(pw, "contact", "pham") == (
        '<option value="Tuan Pham · tuan@coastal.example"></option>'
    )
    learner = w.learner.user
    assert _suggest(pw, "member", learner.full_name) == (
        f'<option value="{learner.full_name} · Learner · {learner.email}"></option>'
    )
    # The outsider's own school has its own records.
    outsider = w.client_for(w.outsider).get(
        reverse("partners:lookup", args=["organisation"]),
        {"field": "q", "q": "ridge"},
    )
    assert outsider.content.decode() == '<option value="Ridge Build"></option>'


def test_at_most_ten_suggestions_in_a_fixed_number_of_queries(pw: PartnerWorld) -> None:
    w = pw.world
    for n in range(12):
        organisation_make(institution=w.institution, actor=w.coordinator, name=f"Firm {n:02}")
    with CaptureQueriesContext(connection) as queries:
        body = _suggest(pw, "member", "Learner")
    few = len(queries)
    for _ in range(15):
        member_make(institution=w.institution, role=Role.LEARNER, programme=w.programme)
    with CaptureQueriesContext(connection) as queries:
        assert _suggest(pw, "member", "Learner").count("<option") == 10
    assert len(queries) == few
    assert body.count("<option") >= 1
    names = _suggest(pw, "organisation", "firm")
    assert names.count("<option") == 10
    assert names.startswith('<option value="Firm 00"></option>')
    assert "Firm 10" not in names


def test_an_unknown_kind_is_not_found(pw: PartnerWorld) -> None:
    client = pw.world.client_for(pw.world.coordinator)
    response = client.get(reverse("partners:lookup", args=["learner-records"]))
    assert response.status_code == 404


LOOKUP_PAGES = [
    Page(
        "lookup (organisations)",
        lambda w: reverse("partners:lookup", args=["organisation"]) + "?field=q&q=coastal",
        STAFF,
        outsider_status=200,
        secret=lambda w: "Coastal Motors",
        shows=lambda w, v: "Coastal Motors Ltd",
    ),
    Page(
        "lookup (people)",
        lambda w: reverse("partners:lookup", args=["member"]) + f"?field=q&q={w.learner.pk}",
        STAFF,
        outsider_status=200,
    ),
]


def test_the_lookup_is_for_staff_only(pw: PartnerWorld) -> None:
    failures = [f for page in LOOKUP_PAGES for f in check_page(pw.world, page)]
    assert failures == []
    # A learner or a partner contact never gets the school's names.
    for role in (Role.LEARNER, Role.PARTNER):
        client = pw.world.client_for(pw.world.member(role))
        url = reverse("partners:lookup", args=["member"])
        response = client.get(url, {"field": "q", "q": pw.world.learner.user.full_name})
        assert response.status_code == 403
        assert pw.world.learner.user.email not in response.content.decode()


def _field(pw: PartnerWorld, kind: str) -> LookupField:
    return LookupField(kind=kind, institution=pw.world.institution, required=False)


def test_the_field_takes_a_suggestion_an_exact_name_or_a_unique_part(pw: PartnerWorld) -> None:
    w = pw.world
    near = organisation_make(
        institution=w.institution, actor=w.coordinator, name="Coastal Motors Ltd Parts"
    )
    field = _field(pw, "organisation")
    assert field.clean("Coastal Motors Ltd · Port Aldwin") == pw.organisation
    assert field.clean("  coastal   motors ltd ") == pw.organisation  # exact, any case
    assert field.clean("ltd parts") == near
    assert field.clean("harbour") == pw.other_organisation
    assert field.clean("") is None
    assert field.prepare_value(pw.organisation) == "Coastal Motors Ltd · Port Aldwin"


def test_the_field_says_what_it_found_when_it_cannot_choose(pw: PartnerWorld) -> None:
    w = pw.world
    organisation_make(institution=w.institution, actor=w.coordinator, name="Coastal Builders")
    form_page = w.client_for(w.coordinator).post(
        reverse("partners:story_list"),
        {"title": "A story", "body": "Text.", "organisation": "coastal"},
    )
    page = form_page.content.decode()
    assert form_page.status_code == 200
    assert (
        "“coastal” matches more than one: Coastal Builders, Coastal Motors Ltd · Port Aldwin."
        " Type more of the name."
    ) in page
    assert 'value="coastal"' in page  # what was typed is kept
    assert not SuccessStory.objects.exists()
    page = (
        w.client_for(w.coordinator)
        .post(
            reverse("partners:story_list"),
            {"title": "A story", "body": "Text.", "organisation": "Ridge Build"},
        )
        .content.decode()
    )
    assert "Nothing here is called “Ridge Build”. Check the spelling." in page
    assert not SuccessStory.objects.exists()


def test_the_text_box_fetches_suggestions_while_typing(pw: PartnerWorld) -> None:
    page = pw.world.client_for(pw.world.coordinator).get(reverse("partners:story_list"))
    html = page.content.decode()
    url = reverse("partners:lookup", args=["organisation"])
    assert (
        '<input aria-describedby="id_organisation_helptext" autocomplete="off"'
        f' hx-get="{url}?field=organisation" hx-swap="innerHTML" hx-sync="this:replace"'
        ' hx-target="#id_organisation-suggestions" hx-trigger="input changed delay:250ms"'
        ' id="id_organisation" list="id_organisation-suggestions" name="organisation"'
        ' type="text"><datalist id="id_organisation-suggestions"></datalist>'
    ) in html
    assert (
        '<label for="id_organisation">Partner <span class="optional">(optional)</span></label>'
        in html
    )
    assert "<select" not in html.split('name="organisation"')[0][-300:]


def test_a_period_narrows_the_learners_and_is_checked_like_its_page(pw: PartnerWorld) -> None:
    w = pw.world
    opportunity = services.opportunity_create(
        actor=w.coordinator.user,
        organisation=pw.organisation,
        kind="work_placement",
        title="Workshop assistant",
        starts_on=datetime.date(2026, 4, 6),
    )
    opportunity.programmes.set([w.programme])
    period = services.period_add(
        actor=w.coordinator.user,
        opportunity=opportunity,
        starts_on=datetime.date(2026, 4, 6),
        ends_on=datetime.date(2026, 5, 15),
        capacity=2,
    )
    url = reverse("partners:lookup", args=["member"])
    typed = {"field": "q", "q": w.learner.user.full_name, "period": str(period.pk)}
    found = w.client_for(w.staff).get(url, typed).content.decode()
    assert found.count("<option") == 1
    # Another school's staff do not reach the period; learners reach no lookup at all.
    assert w.client_for(w.outsider).get(url, typed).status_code == 404
    assert w.client_for(w.learner).get(url, typed).status_code == 403
    # A period narrows people only.
    organisations = reverse("partners:lookup", args=["organisation"])
    assert w.client_for(w.staff).get(organisations, typed).status_code == 404

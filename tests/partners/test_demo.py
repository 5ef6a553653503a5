"""The partnership demo: believable rows for both demo institutions, loaded once."""

from __future__ import annotations

import datetime

import pytest

from guildhouse.core import demo as core_demo
from guildhouse.core.models import AuditEvent, Institution
from guildhouse.partners import demo, selectors
from guildhouse.partners.models import (
    Agreement,
    Contact,
    Opportunity,
    OpportunityPeriod,
    Organisation,
    Placement,
    StageChange,
)

TODAY = datetime.date(2026, 3, 1)


@pytest.mark.django_db
@pytest.mark.usefixtures("private_dir")
def test_partner_demo_loads_once_per_institution() -> None:
    core_demo.ensure_demo(today=TODAY)
    demo.load_demo(today=TODAY)
    riverside = Institution.objects.get(name="Riverside Vocational College")
    hilltop = Institution.objects.get(name="Hilltop Skills Centre")
    # One more at Riverside: Baltic Bakery, a prospect from the public page's form.
    assert Organisation.objects.filter(institution=riverside).count() == len(demo.RIVERSIDE) + 1
    assert Organisation.objects.filter(institution=hilltop).count() == len(demo.HILLTOP)
    stages = dict(Organisation.objects.values_list("name", "stage__name"))
    assert stages["Nordvolt Electrical Services"] == "Active partner"
    assert stages["Coastal Motors"] == "Proposal"
    assert stages["Aldwin Accounting"] == "Paused"
    # Walked step by step: created at Prospect, then each stage up to Proposal.
    coastal = Organisation.objects.get(name="Coastal Motors")
    walked = StageChange.objects.filter(organisation=coastal).order_by("at", "pk")
    assert [c.to_stage.name for c in walked] == ["Prospect", "Researched", "Contacted", "Proposal"]
    jonas = Contact.objects.get(email="partner@riverside.demo")
    assert jonas.membership is not None
    assert jonas.membership.user.full_name == "Jonas Berg"
    linked = Contact.objects.filter(membership__isnull=False).count()
    assert linked == 5  # every demo partner account works at one demo organisation
    events = AuditEvent.objects.filter(object_type="partners.organisation", action="create")
    assert events.count() == len(demo.RIVERSIDE) + len(demo.HILLTOP) + 1

    # Organisations past research have a history; the last-contact date is derived from it.
    nordvolt = Organisation.objects.get(name="Nordvolt Electrical Services")
    assert nordvolt.interactions.count() == 3
    assert nordvolt.last_contact_on == max(i.occurred_on for i in nordvolt.interactions.all())
    assert Organisation.objects.get(name="Greenleaf Bakery").last_contact_on is None

    rate = selectors.delivery_rate(organisation=nordvolt, today=TODAY)
    assert (rate.on_time, rate.due) == (1, 2)  # one early, one four days late

    # Five, and the job shadowing ending this week of the feedback demo (test_demo_public).
    assert Opportunity.objects.count() == 6
    placements = Placement.objects.exclude(period__opportunity__kind="job_shadowing")
    statuses = dict(placements.values_list("learner__user__email", "status"))
    assert statuses.pop("learner@riverside.demo") == "confirmed"
    assert list(statuses.values()) == ["proposed"]
    assert (
        OpportunityPeriod.objects.get(opportunity__title="Solar installation assistant").confirmed
        == 1
    )

    signed = Agreement.objects.get(title="Placement agreement with Nordvolt")
    assert (signed.status, signed.signed_on, signed.document_name) == (
        "signed",
        datetime.date(2025, 7, 18),
        "nordvolt-placement-agreement.pdf",
    )
    assert signed.document.open("rb").read(5) == b"%PDF-"
    signed.document.close()
    assert [a.title for a in signed.amendments.all()] == [
        "Amendment: three places from next spring"
    ]

    demo.load_demo(today=TODAY)
    assert Organisation.objects.count() == len(demo.RIVERSIDE) + len(demo.HILLTOP) + 1

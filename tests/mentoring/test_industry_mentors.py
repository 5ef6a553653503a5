"""Industry mentors: a partner contact applies through the same intake, takes the same
training (the gate), is matched by the same engine, and accepts the same agreement."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from guildhouse.mentoring.models import Application, Proposal, Relationship
from guildhouse.mentoring.training import MODULES
from tests.conftest import World
from tests.mentoring.factories import application_make, recruiting_programme_make
from tests.mentoring.test_intake import FORM
from tests.mentoring.test_matching import Cohort, run

__all__ = ["run"]


def test_partner_contact_mentors_through_intake_training_and_matching(
    world: World, run: Callable[..., str]
) -> None:
    programme = recruiting_programme_make(
        institution=world.institution, industry_mentors=True, same_study_programme=True
    )
    partner = world.client_for(world.partner)
    home = partner.get(reverse("mentoring:home")).content.decode()
    assert reverse("mentoring:apply", args=[programme.pk, "mentor"]) in home
    assert reverse("mentoring:apply", args=[programme.pk, "mentee"]) not in home
    partner.post(
        reverse("mentoring:apply", args=[programme.pk, "mentor"]), {**FORM, "q_experience": "5"}
    )
    mentor = Application.objects.get(membership=world.partner)
    assert (mentor.side, mentor.mentor_kind) == ("mentor", "industry")
    coordinator = world.client_for(world.coordinator)
    coordinator.post(
        reverse("mentoring:application_screen", args=[mentor.pk]),
        {"decision": "accepted", "capacity": "2"},
    )
    mentee = application_make(programme=programme, membership=world.learner)
    coordinator.post(
        reverse("mentoring:programme_transition", args=[programme.pk]), {"to": "matching"}
    )
    programme.refresh_from_db()
    assert programme.state == "matching"
    cohort = Cohort(programme, [mentee], mentor, mentor, mentor)

    # Untrained: never proposed, and the explanation says why.
    body = run(cohort)
    assert Proposal.objects.get(mentee=mentee).mentor_id is None
    assert "training" in body

    for module in MODULES:
        right = {f"q{n}": str(q.correct) for n, q in enumerate(module.check)}
        partner.post(reverse("mentoring:training_module", args=[module.key]), right)
    run(cohort)
    proposal = Proposal.objects.filter(mentee=mentee).latest("pk")
    # Same study programme only: a partner contact (no study programme) may mentor anyone.
    assert proposal.mentor_id == mentor.pk

    latest = proposal.run
    coordinator.post(reverse("mentoring:matching_publish", args=[latest.pk]))
    pair = Relationship.objects.get(mentor=mentor)
    page = partner.get(reverse("mentoring:relationship_detail", args=[pair.pk])).content.decode()
    assert f"Your mentee: {world.learner.user.full_name}" in page
    assert "Mentoring agreement" in page
    for client in (partner, world.client_for(world.learner)):
        client.post(reverse("mentoring:relationship_accept", args=[pair.pk]), {"version": "1"})
    pair.refresh_from_db()
    assert pair.status == "active"

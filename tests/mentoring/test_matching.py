"""Matching through HTTP: run, review with explanations, keep/exclude, publish, decline once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from guildhouse.core.models import AuditEvent, Membership
from guildhouse.jobs.worker import run_queued_jobs
from guildhouse.mentoring import services_matching
from guildhouse.mentoring.models import (
    Application,
    MatchingRun,
    MentoringProgramme,
    PairRule,
    Proposal,
    Relationship,
    TrainingCompletion,
)
from guildhouse.mentoring.training import ModuleKey
from tests.conftest import World
from tests.factories import member_make, user_make
from tests.mentoring.factories import application_make, mentoring_programme_make


def answers(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "interests": ["trade_skills", "career"],
        "career_goal": "I want to install solar panels.",
        "style": "direct",
        "experience": "1",
        "availability": [4, 10],
        "languages": ["fi", "en"],
    }
    return {**base, **changes}


def trained(membership: Membership) -> Membership:
    for key in ModuleKey.values:
        TrainingCompletion.objects.create(membership=membership, module=key)
    return membership


def person(world: World, name: str) -> Membership:
    return member_make(
        institution=world.institution,
        role="learner",
        user=user_make(full_name=name),
        programme=world.programme,
    )


@dataclass
class Cohort:
    programme: MentoringProgramme
    mentees: list[Application]
    sam: Application  # trained mentor, a perfect fit for Aino
    jo: Application  # untrained mentor who would fit even better
    lea: Application  # trained mentor, weaker fit


def cohort(world: World) -> Cohort:
    programme = mentoring_programme_make(institution=world.institution, state="matching")
    aino = application_make(programme=programme, membership=world.learner, answers=answers())
    eetu = application_make(
        programme=programme,
        membership=person(world, "Eetu Virtanen"),
        answers=answers(interests=["wellbeing"], style="reflective", availability=[20]),
    )
    sam = application_make(
        programme=programme,
        membership=trained(person(world, "Sam Walker")),
        side="mentor",
        answers=answers(experience="3", style="structured", interests=["trade_skills"]),
    )
    jo = application_make(
        programme=programme,
        membership=person(world, "Jo Fletcher"),
        side="mentor",
        answers=answers(experience="3"),
    )
    lea = application_make(
        programme=programme,
        membership=trained(person(world, "Lea Nieminen")),
        side="mentor",
        capacity=2,
        answers=answers(
            experience="2", interests=["wellbeing"], style="reflective", availability=[4, 20]
        ),
    )
    return Cohort(programme, [aino, eetu], sam, jo, lea)


@pytest.fixture
def run(world: World, django_capture_on_commit_callbacks: Any) -> Callable[..., str]:
    """Start a run through HTTP, let the job runner run it, return the review page."""

    def start(c: Cohort, mode: str = "optimal") -> str:
        client = world.client_for(world.coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(
                reverse("mentoring:matching_start", args=[c.programme.pk]), {"mode": mode}
            )
        assert started.status_code == 302
        run_queued_jobs()
        page = client.get(started["Location"])
        assert page.status_code == 200
        return page.content.decode()

    return start


def test_run_proposes_only_trained_mentors_and_explains(
    world: World, run: Callable[..., str]
) -> None:
    c = cohort(world)

    body = run(c)

    assert '<dd id="run-status">Done</dd>' in body
    proposals = {p.mentee_id: p.mentor_id for p in Proposal.objects.all()}
    assert proposals == {c.mentees[0].pk: c.sam.pk, c.mentees[1].pk: c.lea.pk}
    assert '<dd id="run-result">2 of 2 mentees matched with 3 mentors</dd>' in body
    assert "Jo Fletcher scored higher" in body
    assert "but cannot be paired: mentor training not completed." in body
    assert "You are both free on Tuesday afternoon, Thursday afternoon." in body
    assert "Fit " in body
    event = AuditEvent.objects.get(action="matching_run")
    assert event.changes == {"mode": "optimal"}
    assert MatchingRun.objects.get().status == "done"


def test_explanations_are_in_finnish_for_a_finnish_coordinator(
    world: World, run: Callable[..., str]
) -> None:
    c = cohort(world)
    run(c)
    client = world.client_for(world.coordinator)
    client.cookies["django_language"] = "fi"

    body = client.get(reverse("mentoring:matching_review", args=[c.programme.pk])).content.decode()

    assert "Olette molemmat vapaina: Tiistai iltapäivä, Torstai iltapäivä." in body
    assert "mentorikoulutus suorittamatta" in body


def test_exclude_and_keep_shape_the_next_run(world: World, run: Callable[..., str]) -> None:
    c = cohort(world)
    run(c)
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:pair_rule", args=[c.programme.pk])

    client.post(url, {"mentee": c.mentees[0].pk, "mentor": c.sam.pk, "kind": "exclude"})
    body = run(c)

    latest = MatchingRun.objects.first()
    assert latest is not None
    assert {p.mentee_id: p.mentor_id for p in latest.proposals.all()}[c.mentees[0].pk] == c.lea.pk
    assert "Sam Walker scored higher" in body
    assert "but you excluded the pair." in body

    # Without the exclusion Aino would go back to Sam; keeping Aino with Lea holds.
    client.post(url, {"mentee": c.mentees[0].pk, "mentor": c.sam.pk, "kind": ""})
    client.post(url, {"mentee": c.mentees[0].pk, "mentor": c.lea.pk, "kind": "lock"})
    body = run(c)
    latest = MatchingRun.objects.first()
    assert latest is not None
    assert {p.mentee_id: (p.mentor_id, p.locked) for p in latest.proposals.all()} == {
        c.mentees[0].pk: (c.lea.pk, True),
        c.mentees[1].pk: (c.lea.pk, False),
    }
    assert "You kept this pair." in body
    assert list(PairRule.objects.values_list("kind", flat=True)) == ["lock"]


def test_a_kept_pair_that_cannot_be_made_fails_the_run_in_words(
    world: World, run: Callable[..., str]
) -> None:
    c = cohort(world)
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:pair_rule", args=[c.programme.pk])
    client.post(url, {"mentee": c.mentees[1].pk, "mentor": c.sam.pk, "kind": "lock"})

    body = run(c)

    assert (
        "A pair you kept cannot be made (no common time, training missing or the mentor is "
        "full). Stop keeping it and run again." in body
    )
    assert MatchingRun.objects.get().status == "failed"
    assert Proposal.objects.count() == 0


def test_publish_creates_pairs_the_participants_see(world: World, run: Callable[..., str]) -> None:
    c = cohort(world)
    run(c)
    latest = MatchingRun.objects.get()
    client = world.client_for(world.coordinator)

    response = client.post(reverse("mentoring:matching_publish", args=[latest.pk]), follow=True)

    assert "2 pairs published. Both people can now see their match." in response.content.decode()
    assert Relationship.objects.filter(status="proposed").count() == 2
    c.sam.refresh_from_db()
    assert c.sam.seats_taken == 1
    again = client.post(reverse("mentoring:matching_publish", args=[latest.pk]), follow=True)
    assert (
        "Only a finished run that is not yet published can be published." in again.content.decode()
    )
    assert Relationship.objects.count() == 2

    pair = Relationship.objects.get(mentee=c.mentees[0])
    home = world.client_for(world.learner).get(reverse("mentoring:home")).content.decode()
    assert "Mentor: Sam Walker" in home
    page = world.client_for(world.learner).get(
        reverse("mentoring:relationship_detail", args=[pair.pk])
    )
    body = page.content.decode()
    assert "Your mentor: Sam Walker" in body
    assert "<li>You are both free on Tuesday afternoon, Thursday afternoon.</li>" in body
    assert "<li>You both want to talk about Practical skills of my trade.</li>" in body
    assert "Fit " not in body  # scores and other mentors are for the coordinator only


def test_accept_by_both_makes_the_pair_active(world: World) -> None:
    c = cohort(world)
    pair = services_matching.match_publish(
        actor=world.coordinator.user, mentor=c.sam, mentee=c.mentees[0]
    )
    url = reverse("mentoring:relationship_accept", args=[pair.pk])

    first = world.client_for(world.learner).post(url, follow=True)
    assert "Accepted. We are waiting for the other person." in first.content.decode()
    second = world.client_for(c.sam.membership).post(url, follow=True)

    assert "You have both accepted: your mentoring has started." in second.content.decode()
    pair.refresh_from_db()
    assert pair.status == "active"


def test_decline_once_with_a_reason_frees_the_seat_and_is_not_proposed_again(
    world: World, run: Callable[..., str]
) -> None:
    c = cohort(world)
    pair = services_matching.match_publish(
        actor=world.coordinator.user, mentor=c.sam, mentee=c.mentees[0]
    )
    client = world.client_for(world.learner)
    url = reverse("mentoring:relationship_decline", args=[pair.pk])

    body = client.post(url, {"reason": ""}).content.decode()
    assert "This field is required." in body
    pair.refresh_from_db()
    assert pair.status == "proposed"

    client.post(url, {"reason": "We study at different campuses."})

    pair.refresh_from_db()
    assert (pair.status, pair.close_reason, pair.close_note) == (
        "closed",
        "declined_by_mentee",
        "We study at different campuses.",
    )
    c.sam.refresh_from_db()
    c.mentees[0].refresh_from_db()
    assert (c.sam.seats_taken, c.mentees[0].used_decline) == (0, True)
    run(c)
    proposals = {p.mentee_id: p.mentor_id for p in Proposal.objects.all()}
    assert proposals[c.mentees[0].pk] == c.lea.pk

    second = services_matching.match_publish(
        actor=world.coordinator.user, mentor=c.lea, mentee=c.mentees[0]
    )
    page = client.get(reverse("mentoring:relationship_detail", args=[second.pk])).content.decode()
    assert "Decline this match" not in page
    response = client.post(
        reverse("mentoring:relationship_decline", args=[second.pk]), {"reason": "No"}, follow=True
    )
    assert (
        "You have already declined a match once; talk to the coordinator."
        in response.content.decode()
    )
    second.refresh_from_db()
    assert second.status == "proposed"


def test_a_full_mentor_is_refused_and_the_database_agrees(world: World) -> None:
    c = cohort(world)
    services_matching.match_publish(actor=world.coordinator.user, mentor=c.sam, mentee=c.mentees[0])

    with pytest.raises(ValidationError, match=r"Sam Walker has no free seats\."):
        services_matching.match_publish(
            actor=world.coordinator.user, mentor=c.sam, mentee=c.mentees[1]
        )

    assert Relationship.objects.filter(mentor=c.sam).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=c.sam.pk).update(seats_taken=2)


def test_a_mentee_has_one_open_pair(world: World) -> None:
    c = cohort(world)
    services_matching.match_publish(actor=world.coordinator.user, mentor=c.sam, mentee=c.mentees[0])
    with pytest.raises(ValidationError, match="already has a mentor"):
        services_matching.match_publish(
            actor=world.coordinator.user, mentor=c.lea, mentee=c.mentees[0]
        )


def test_a_preference_is_honoured_without_being_named(
    world: World, run: Callable[..., str]
) -> None:
    import datetime

    from guildhouse.core.models import SpecialCategoryData
    from guildhouse.mentoring.models import MatchingPreference

    c = cohort(world)
    now = datetime.datetime.now(datetime.UTC)
    SpecialCategoryData.objects.create(
        membership=world.learner, consent_given_at=now, gender="woman"
    )
    SpecialCategoryData.objects.create(
        membership=c.sam.membership, consent_given_at=now, gender="man"
    )
    SpecialCategoryData.objects.create(
        membership=c.lea.membership, consent_given_at=now, gender="woman"
    )
    MatchingPreference.objects.create(application=c.mentees[0], same_gender=True)
    MatchingPreference.objects.create(application=c.sam)
    MatchingPreference.objects.create(application=c.lea)

    body = run(c)

    assert {p.mentee_id: p.mentor_id for p in Proposal.objects.all()}[c.mentees[0].pk] == c.lea.pk
    assert "Sam Walker scored higher" in body
    assert "an optional matching preference" in body
    assert "gender" not in body.lower().replace("genders", "")


def test_running_outside_matching_is_refused(world: World, run: Callable[..., str]) -> None:
    c = cohort(world)
    c.programme.state = "recruiting"
    c.programme.save()

    body = run(c)

    assert "Matching runs while the programme is in matching or running." in body
    assert MatchingRun.objects.count() == 0


def test_the_run_is_a_job_with_a_progress_bar(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    c = cohort(world)
    client = world.client_for(world.coordinator)
    review = reverse("mentoring:matching_review", args=[c.programme.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mentoring:matching_start", args=[c.programme.pk]), {"mode": "fair"})

    page = client.get(review).content.decode()

    started = MatchingRun.objects.get()
    assert started.status == "running"
    assert started.job is not None
    assert f'<div class="job-status" id="job-{started.job.pk}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "Matching for Peer mentoring for first years" in page
    again = client.post(
        reverse("mentoring:matching_start", args=[c.programme.pk]), {"mode": "fair"}, follow=True
    )
    assert "A matching run is already under way." in again.content.decode()

    assert run_queued_jobs() == 1

    started.refresh_from_db()
    job = started.job
    assert job is not None
    job.refresh_from_db()
    assert (started.status, started.mode, started.matched) == ("done", "fair", 2)
    assert (job.status, job.done, job.total, job.message, job.result_url) == (
        "done",
        4,
        4,
        "2 of 2 mentees have a proposed mentor.",
        review,
    )


def test_coordinator_pauses_resumes_and_ends_a_pair(world: World) -> None:
    c = cohort(world)
    pair = services_matching.match_publish(
        actor=world.coordinator.user, mentor=c.sam, mentee=c.mentees[0]
    )
    Relationship.objects.filter(pk=pair.pk).update(status="active")
    coordinator = world.client_for(world.coordinator)
    pause = reverse("mentoring:relationship_pause", args=[pair.pk])
    close = reverse("mentoring:relationship_close", args=[pair.pk])

    assert world.client_for(world.learner).post(pause, {"pause": "1"}).status_code == 403
    assert (
        "The pair is paused."
        in coordinator.post(pause, {"pause": "1"}, follow=True).content.decode()
    )
    pair.refresh_from_db()
    assert pair.status == "paused"
    assert (
        "The pair is active again."
        in coordinator.post(pause, {"pause": "0"}, follow=True).content.decode()
    )

    body = coordinator.post(close, {"reason": "declined_by_mentee"}, follow=True).content.decode()
    assert "Choose why the pair ends." in body
    body = coordinator.post(
        close, {"reason": "left_school", "note": "Moved to Tampere."}, follow=True
    ).content.decode()

    assert "The pair has ended. Its mentor&#x27;s seat is free again." in body
    assert '<dd id="relationship-status">Closed</dd>' in body
    assert "<dd>Left the institution</dd>" in body
    pair.refresh_from_db()
    c.sam.refresh_from_db()
    assert (pair.status, pair.close_reason, pair.close_note, c.sam.seats_taken) == (
        "closed",
        "left_school",
        "Moved to Tampere.",
        0,
    )
    assert [
        e.action
        for e in AuditEvent.objects.filter(object_type="mentoring.relationship").order_by("pk")
    ] == [
        "match_publish",
        "relationship_pause",
        "relationship_resume",
        "relationship_close",
    ]


def test_the_mentor_never_sees_the_mentees_accessibility_needs(world: World) -> None:
    c = cohort(world)
    Application.objects.filter(pk=c.mentees[0].pk).update(accessibility_needs="Step-free rooms")
    pair = services_matching.match_publish(
        actor=world.coordinator.user, mentor=c.sam, mentee=c.mentees[0]
    )
    mentor = world.client_for(c.sam.membership)

    page = mentor.get(reverse("mentoring:relationship_detail", args=[pair.pk]))
    application = mentor.get(reverse("mentoring:application_detail", args=[c.mentees[0].pk]))

    assert page.status_code == 200
    assert "Step-free rooms" not in page.content.decode()
    assert application.status_code == 403
    assert "Step-free rooms" not in application.content.decode()
    coordinator = world.client_for(world.coordinator)
    assert (
        "Step-free rooms"
        in coordinator.get(
            reverse("mentoring:application_detail", args=[c.mentees[0].pk])
        ).content.decode()
    )

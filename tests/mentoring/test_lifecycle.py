"""A pair's life through HTTP: the agreement both accept, goals with milestones and
progress, the closure checklist and future contact, and closure reasons feeding the rematch."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from guildhouse.mentoring import services_matching
from guildhouse.mentoring.models import (
    Agreement,
    Closure,
    Goal,
    GoalUpdate,
    Milestone,
    Proposal,
    Relationship,
)
from tests.conftest import World
from tests.mentoring.test_matching import cohort, run

__all__ = ["run"]


def test_the_agreement_is_drafted_at_publishing_and_both_accept_it(world: World) -> None:
    c = cohort(world)
    pair = services_matching.match_publish(
        actor=world.coordinator.user, mentor=c.sam, mentee=c.mentees[0]
    )
    agreement = Agreement.objects.get(relationship=pair)
    assert (agreement.cadence, agreement.meeting_minutes, agreement.ends_on, agreement.version) == (
        "fortnightly",
        45,
        c.programme.cohort_end,
        1,
    )
    mentee, mentor = world.client_for(world.learner), world.client_for(c.sam.membership)
    page = mentee.get(reverse("mentoring:relationship_detail", args=[pair.pk])).content.decode()
    assert "Confidentiality and its limits" in page
    assert "Accept the match and the agreement" in page
    assert "The mentee has not accepted it yet." in page
    url = reverse("mentoring:relationship_accept", args=[pair.pk])
    mentee.post(url, {"version": "1"})
    # The mentor suggests changes: the version rises and both must accept again.
    edit = reverse("mentoring:agreement_edit", args=[pair.pk])
    ends = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    bad = mentor.post(edit, {"cadence": "custom", "meeting_minutes": "45", "ends_on": ends})
    assert "Give the days between meetings (1 to 90)." in bad.content.decode()
    too_long = mentor.post(
        edit, {"cadence": "weekly", "meeting_minutes": "45", "ends_on": "2099-01-01"}
    )
    assert (
        "Choose an end date after today and no later than the programme ends."
        in too_long.content.decode()
    )
    assert Agreement.objects.get(pk=agreement.pk).version == 1
    mentor.post(
        edit,
        {
            "cadence": "weekly",
            "meeting_minutes": "30",
            "ends_on": ends,
            "focus": "Finding a work placement",
        },
    )
    agreement.refresh_from_db()
    pair.refresh_from_db()
    assert (agreement.version, agreement.cadence, agreement.meeting_minutes) == (2, "weekly", 30)
    assert (agreement.mentee_accepted_version, pair.mentee_accepted_at) == (None, None)
    # Accepting an old version is refused; the status stays proposed.
    stale = mentor.post(url, {"version": "1"}, follow=True)
    assert "The agreement has just changed. Read it again before you accept." in (
        stale.content.decode()
    )
    mentor.post(url, {"version": "2"})
    pair.refresh_from_db()
    assert pair.status == "proposed"
    second = mentee.post(url, {"version": "2"}, follow=True)
    assert "You have both accepted: your mentoring has started." in second.content.decode()
    pair.refresh_from_db()
    agreement.refresh_from_db()
    assert pair.status == "active"
    assert (agreement.mentee_accepted_version, agreement.mentor_accepted_version) == (2, 2)
    # Once active the agreement is fixed.
    late = mentor.post(edit, {"cadence": "weekly", "meeting_minutes": "60", "ends_on": ends})
    assert (
        "The agreement can be changed only before both of you have accepted it."
        in late.content.decode()
    )
    # Someone outside the pair cannot edit it (coordinators included).
    assert world.client_for(world.coordinator).get(edit).status_code == 403


def active_pair(world: World) -> Relationship:
    c = cohort(world)
    pair = services_matching.match_publish(
        actor=world.coordinator.user, mentor=c.sam, mentee=c.mentees[0]
    )
    for member in (world.learner, c.sam.membership):
        services_matching.relationship_accept(actor=member.user, relationship=pair)
    pair.refresh_from_db()
    assert pair.status == "active"
    return pair


def test_goals_with_milestones_and_progress(world: World) -> None:
    pair = active_pair(world)
    mentee = world.client_for(world.learner)
    add = reverse("mentoring:goal_add", args=[pair.pk])
    empty = mentee.post(add, {"title": ""}, follow=True)
    assert "This field is required." in empty.content.decode()
    assert Goal.objects.count() == 0
    mentee.post(add, {"title": "Find a work placement", "target_date": "2027-02-01"})
    goal = Goal.objects.get()
    assert (goal.title, goal.target_date, goal.created_by_id) == (
        "Find a work placement",
        datetime.date(2027, 2, 1),
        world.learner.pk,
    )
    url = reverse("mentoring:goal_detail", args=[goal.pk])
    mentor = world.client_for(pair.mentor.membership)
    mentor.post(
        url,
        {"action": "milestone", "milestone-title": "Write a CV", "milestone-target_date": ""},
    )
    milestone = Milestone.objects.get()
    mentee.post(url, {"action": "done", "milestone": milestone.pk})
    milestone.refresh_from_db()
    assert milestone.done_at is not None
    bad = mentee.post(
        url, {"action": "progress", "progress-progress": "120", "progress-status": "open"}
    )
    assert "Ensure this value is less than or equal to 100." in bad.content.decode()
    mentee.post(
        url,
        {
            "action": "progress",
            "progress-progress": "40",
            "progress-status": "open",
            "progress-note": "Two applications sent",
        },
    )
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (40, "open")
    assert list(GoalUpdate.objects.values_list("progress", "note")) == [
        (40, "Two applications sent")
    ]
    # The coordinator reads the goal but cannot change it; support staff and other
    # learners do not see it; another institution gets 404.
    coordinator = world.client_for(world.coordinator)
    page = coordinator.get(url).content.decode()
    assert "Two applications sent" in page
    assert "Update the progress" not in page
    assert (
        coordinator.post(url, {"action": "progress", "progress-progress": "90"}).status_code == 403
    )
    assert world.client_for(world.support).get(url).status_code == 403
    assert world.client_for(world.partner).get(url).status_code == 403
    assert world.client_for(world.outsider).get(url).status_code == 404
    pair_page = world.client_for(world.support).get(
        reverse("mentoring:relationship_detail", args=[pair.pk])
    )
    assert "Find a work placement" not in pair_page.content.decode()
    goal.refresh_from_db()
    assert goal.progress == 40


def test_closure_checklist_and_future_contact_shared_only_if_both_agree(world: World) -> None:
    pair = active_pair(world)
    url = reverse("mentoring:closure_update", args=[pair.pk])
    coordinator = world.client_for(world.coordinator)
    coordinator.post(url, {"action": "checklist", "final_meeting": "on", "goals_reviewed": "on"})
    closure = Closure.objects.get()
    assert closure.checklist_done == 2
    mentee = world.client_for(world.learner)
    mentor = world.client_for(pair.mentor.membership)
    mentee.post(url, {"action": "contact", "contact": "yes"})
    mentor.post(url, {"action": "contact", "contact": "no"})
    detail = reverse("mentoring:relationship_detail", args=[pair.pk])
    assert "You both want to stay in touch" not in mentee.get(detail).content.decode()
    mentor.post(url, {"action": "contact", "contact": "yes"})
    closure.refresh_from_db()
    assert (closure.mentee_contact, closure.mentor_contact) == ("yes", "yes")
    page = mentee.get(detail).content.decode()
    assert (
        f"You both want to stay in touch: Sam Walker, {pair.mentor.membership.user.email}" in page
    )
    # The coordinator cannot choose for them; support staff cannot tick.
    coordinator.post(url, {"action": "contact", "contact": "no"})
    assert world.client_for(world.support).post(url, {"action": "checklist"}).status_code == 403
    closure.refresh_from_db()
    assert (closure.mentee_contact, closure.mentor_contact, closure.checklist_done) == (
        "yes",
        "yes",
        2,
    )


def test_early_closure_opens_the_exit_survey_and_rematches(
    world: World,
    run: Callable[..., str],
) -> None:
    pair = active_pair(world)
    world.client_for(world.coordinator).post(
        reverse("mentoring:relationship_close", args=[pair.pk]),
        {"reason": "poor_fit", "note": "Different expectations"},
    )
    pair.refresh_from_db()
    assert (pair.status, pair.close_reason) == ("closed", "poor_fit")
    due = world.client_for(world.learner).get(reverse("mentoring:my_surveys")).context["due"]
    assert [d.kind for d in due] == ["exit"]
    form = world.client_for(world.learner).get(
        reverse("mentoring:survey_answer", args=[pair.pk, "exit"])
    )
    assert "Why did it end early, in your own words?" in form.content.decode()
    # Not a good fit: the mentee is proposed someone else from the remaining capacity.
    from tests.mentoring.test_matching import Cohort

    c = Cohort(pair.programme, [pair.mentee], pair.mentor, pair.mentor, pair.mentor)
    run(c)
    proposal = Proposal.objects.get(mentee=pair.mentee)
    assert proposal.mentor_id not in (None, pair.mentor_id)


def test_a_completed_pair_is_not_rematched(world: World, run: Callable[..., str]) -> None:
    pair = active_pair(world)
    services_matching.relationship_close(
        actor=world.coordinator.user, relationship=pair, reason="completed"
    )
    from tests.mentoring.test_matching import Cohort

    c = Cohort(pair.programme, [pair.mentee], pair.mentor, pair.mentor, pair.mentor)
    run(c)
    assert not Proposal.objects.filter(mentee=pair.mentee).exists()
    due = world.client_for(world.learner).get(reverse("mentoring:my_surveys")).context["due"]
    assert [d.kind for d in due] == ["end"]

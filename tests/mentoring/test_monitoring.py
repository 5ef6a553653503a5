"""Monitoring through HTTP: the daily at-risk check, the board, flags, actions, contacts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import AuditEvent, Membership
from guildhouse.jobs.api import PERIODIC
from guildhouse.mentoring.models import (
    Flag,
    Meeting,
    MentoringProgramme,
    MonitoringAction,
    PairWatch,
    Relationship,
    RiskAlert,
)
from guildhouse.mentoring.services_monitoring import contact_due, monitoring_check
from guildhouse.mentoring.tasks import mentoring_daily_monitoring
from guildhouse.notifications.models import Notification
from tests.conftest import World
from tests.factories import member_make, user_make
from tests.mentoring.factories import application_make, mentoring_programme_make

DAY = datetime.timedelta(days=1)


def person(world: World, name: str) -> Membership:
    return member_make(
        institution=world.institution,
        role="learner",
        user=user_make(full_name=name),
        programme=world.programme,
    )


def make_pair(
    world: World,
    programme: MentoringProgramme,
    mentor: str,
    mentee: str,
    *,
    days_ago: int,
    mentee_membership: Membership | None = None,
) -> Relationship:
    started = timezone.now() - days_ago * DAY
    pair = Relationship.objects.create(
        programme=programme,
        mentor=application_make(
            programme=programme, membership=person(world, mentor), side="mentor"
        ),
        mentee=application_make(
            programme=programme, membership=mentee_membership or person(world, mentee)
        ),
        status="active",
        mentee_accepted_at=started,
        mentor_accepted_at=started,
        published_at=started,
    )
    for application in (pair.mentor, pair.mentee):
        user = application.membership.user
        user.last_login = timezone.now() - DAY
        user.save(update_fields=["last_login"])
    return pair


def meeting(pair: Relationship, days_ago: int, status: str) -> Meeting:
    return Meeting.objects.create(
        relationship=pair,
        starts_at=timezone.now() - days_ago * DAY,
        mode="in_person",
        place="Library",
        status=status,
        held_minutes=45 if status == "held" else None,
    )


@pytest.fixture
def programme(world: World) -> MentoringProgramme:
    return mentoring_programme_make(
        institution=world.institution, name="Peer mentoring 2026", state="running"
    )


@pytest.fixture
def pairs(world: World, programme: MentoringProgramme) -> dict[str, Relationship]:
    quiet = make_pair(world, programme, "Mona Mentor", "Quinn Quiet", days_ago=40)
    missing = make_pair(world, programme, "Max Mentor", "Mia Missed", days_ago=40)
    meeting(missing, 20, "held")
    meeting(missing, 10, "missed")
    meeting(missing, 3, "missed")
    healthy = make_pair(
        world, programme, "Hugo Mentor", "", days_ago=40, mentee_membership=world.learner
    )
    meeting(healthy, 5, "held")
    return {"quiet": quiet, "missing": missing, "healthy": healthy}


def board(world: World, query: str = "") -> str:
    client = world.client_for(world.coordinator)
    response = client.get(reverse("mentoring:monitoring_board") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_daily_check_puts_pairs_at_risk_on_the_board_with_reason_and_action(
    world: World, pairs: dict[str, Relationship]
) -> None:
    summary = monitoring_check(institution=world.institution, now=timezone.now())
    assert (summary.pairs, summary.opened, summary.closed) == (3, 2, 0)
    alerts = list(
        RiskAlert.objects.order_by("relationship_id").values_list(
            "relationship_id", "rule", "detail"
        )
    )
    assert alerts == [
        (pairs["quiet"].pk, "no_meeting", {"days": 40, "limit": 28}),
        (pairs["missing"].pk, "missed_twice", {}),
    ]
    page = board(world)
    assert '<p class="stat" id="count-at-risk">2</p>' in page
    assert "No meeting held for 40 days (the limit is 28)." in page
    assert "Contact both and help them fix the date of their next meeting." in page
    assert "The last two meetings were missed." in page
    assert "Ask both what keeps them from meeting; suggest another time" in page
    assert "Mona Mentor and Quinn Quiet" in page
    assert "Max Mentor and Mia Missed" in page
    assert "Hugo Mentor" not in page
    # The rules are on the page in words.
    assert "The last two logged meetings were both missed." in page
    assert "for more than 30 days: no sign-in" in page
    # The coordinator was told once, about both pairs.
    notices = Notification.objects.filter(kind="mentoring.pairs_at_risk")
    assert [(n.recipient_id, n.subject) for n in notices] == [
        (world.coordinator.user_id, "Mentoring: 2 pairs newly at risk")
    ]

    # Again the same day: nothing new, nobody told again.
    again = monitoring_check(institution=world.institution, now=timezone.now())
    assert (again.opened, again.closed) == (0, 0)
    assert notices.count() == 1

    # The quiet pair meets: its alert closes at the next check.
    meeting(pairs["quiet"], 1, "held")
    third = monitoring_check(institution=world.institution, now=timezone.now())
    assert (third.opened, third.closed) == (0, 1)
    page = board(world)
    assert '<p class="stat" id="count-at-risk">1</p>' in page
    assert "Quinn Quiet" not in page


def test_inactive_participant_is_found_and_named(
    world: World, programme: MentoringProgramme
) -> None:
    pair = make_pair(world, programme, "Ilse Mentor", "Ian Idle", days_ago=50)
    meeting(pair, 2, "held")
    idle = pair.mentee.membership.user
    idle.last_login = timezone.now() - 45 * DAY
    idle.save(update_fields=["last_login"])
    monitoring_check(institution=world.institution, now=timezone.now())
    assert list(RiskAlert.objects.values_list("rule", "detail")) == [
        ("inactive", {"side": "mentee", "days": 45, "limit": 30})
    ]
    page = board(world)
    assert "The mentee has been inactive for 45 days." in page
    assert "Reach the quiet person by phone or in person" in page


def test_the_daily_job_is_registered_and_checks_every_institution(
    world: World, pairs: dict[str, Relationship]
) -> None:
    periodic = PERIODIC["guildhouse.mentoring.tasks.mentoring_daily_monitoring"]
    assert periodic.every == "daily"
    mentoring_daily_monitoring.call(period_start=timezone.now())
    assert RiskAlert.objects.filter(closed_at=None).count() == 2
    assert set(PairWatch.objects.values_list("relationship_id", "open_alerts")) == {
        (pairs["quiet"].pk, 1),
        (pairs["missing"].pk, 1),
        (pairs["healthy"].pk, 0),
    }


def test_mentee_raises_a_wellbeing_flag_that_reaches_coordinator_and_support(
    world: World, pairs: dict[str, Relationship]
) -> None:
    pair = pairs["healthy"]
    client = world.client_for(world.learner)
    form = client.get(reverse("mentoring:flag_raise", args=[pair.pk]))
    assert "The other person of your pair does not see it." in form.content.decode()
    response = client.post(
        reverse("mentoring:flag_raise", args=[pair.pk]),
        {"topic": "wellbeing", "urgent": "on", "message": "I cannot sleep before exams."},
        follow=True,
    )
    page = response.content.decode()
    assert "Thank you. Your coordinator has been told." in page
    assert '<p id="flag-message">I cannot sleep before exams.</p>' in page
    flag = Flag.objects.get()
    assert (flag.relationship_id, flag.raised_by_id, flag.topic, flag.urgent) == (
        pair.pk,
        world.learner.pk,
        "wellbeing",
        True,
    )
    subjects = set(
        Notification.objects.filter(kind__startswith="mentoring.").values_list(
            "recipient_id", "kind", "subject"
        )
    )
    subject = "Urgent mentoring flag: Wellbeing or mental health (Peer mentoring 2026)"
    assert subjects == {
        (world.coordinator.user_id, "mentoring.flag_raised", subject),
        (world.support.user_id, "mentoring.wellbeing_flag", subject),
    }
    assert AuditEvent.objects.get(action="mentoring_flag_raise").changes == {
        "topic": "wellbeing",
        "urgent": True,
    }
    # Urgent flags come first on the board.
    page = board(world)
    assert "Urgent flag: Wellbeing or mental health." in page
    assert "Read the flag and answer the person who raised it today." in page
    assert '<p class="stat" id="count-urgent">1</p>' in page
    # The other person of the pair may not read it.
    mentor = world.client_for(pair.mentor.membership)
    assert mentor.get(reverse("mentoring:flag_detail", args=[flag.pk])).status_code == 403
    # Support staff see it on their home page and resolve it.
    support = world.client_for(world.support)
    home = support.get("/").content.decode()
    assert "Mentoring flags about wellbeing" in home
    assert reverse("mentoring:flag_detail", args=[flag.pk]) in home
    resolved = support.post(
        reverse("mentoring:flag_detail", args=[flag.pk]),
        {"resolution": "Talked with her; booked a counsellor."},
        follow=True,
    ).content.decode()
    assert '<p id="flag-resolution">Talked with her; booked a counsellor.</p>' in resolved
    assert RiskAlert.objects.get(flag=flag).closed_at is not None
    assert PairWatch.objects.get(relationship=pair).open_alerts == 0
    assert "No open flags." in support.get("/").content.decode()


def test_a_scheduling_flag_does_not_reach_support(
    world: World, pairs: dict[str, Relationship]
) -> None:
    pair = pairs["healthy"]
    client = world.client_for(world.learner)
    client.post(
        reverse("mentoring:flag_raise", args=[pair.pk]),
        {"topic": "scheduling", "message": "We never find a time."},
    )
    flag = Flag.objects.get()
    assert not Notification.objects.filter(recipient=world.support.user).exists()
    support = world.client_for(world.support)
    assert support.get(reverse("mentoring:flag_detail", args=[flag.pk])).status_code == 403
    before = list(Flag.objects.values())
    assert (
        support.post(
            reverse("mentoring:flag_detail", args=[flag.pk]), {"resolution": "x"}
        ).status_code
        == 403
    )
    assert list(Flag.objects.values()) == before


def test_a_flag_without_a_message_is_refused_and_keeps_the_input(
    world: World, pairs: dict[str, Relationship]
) -> None:
    client = world.client_for(world.learner)
    response = client.post(
        reverse("mentoring:flag_raise", args=[pairs["healthy"].pk]),
        {"topic": "studies", "urgent": "on", "message": "  "},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert '<option value="studies" selected>' in page
    assert not Flag.objects.exists()
    assert not RiskAlert.objects.exists()


def test_contacts_follow_the_mentor_standard_and_actions_are_logged(
    world: World, pairs: dict[str, Relationship]
) -> None:
    monitoring_check(institution=world.institution, now=timezone.now())
    pair = pairs["quiet"]
    started = timezone.localdate() - 40 * DAY
    assert PairWatch.objects.get(relationship=pair).next_contact_due == started + 15 * DAY
    client = world.client_for(world.coordinator)
    overdue = client.get(reverse("mentoring:contacts_overdue")).content.decode()
    assert "3 of 3 active pairs are overdue a contact." in overdue
    assert "25 days late" in overdue
    assert "at least twice in its first month, by day 15 and day 30" in overdue

    url = reverse("mentoring:pair_monitoring", args=[pair.pk])
    alert = RiskAlert.objects.get(relationship=pair)
    response = client.post(
        url,
        {
            "kind": "contact_both",
            "taken_on": timezone.localdate().isoformat(),
            "note": "Called both; they meet on Monday.",
            "alert": str(alert.pk),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Action logged." in page
    assert "Talked with both" in page
    assert "Called both; they meet on Monday." in page
    watch = PairWatch.objects.get(relationship=pair)
    assert (watch.contacts, watch.next_contact_due) == (1, started + 30 * DAY)
    assert watch.open_alerts == 0
    alert.refresh_from_db()
    assert alert.closed_at is not None
    client.post(url, {"kind": "contact_mentee", "taken_on": timezone.localdate().isoformat()})
    watch.refresh_from_db()
    assert (watch.contacts, watch.next_contact_due) == (2, started + 60 * DAY)
    assert contact_due(started, 3) == started + 90 * DAY
    overdue = client.get(reverse("mentoring:contacts_overdue")).content.decode()
    assert "2 of 3 active pairs are overdue a contact." in overdue
    assert "Quinn Quiet" not in overdue


def test_an_action_in_the_future_is_refused(world: World, pairs: dict[str, Relationship]) -> None:
    client = world.client_for(world.coordinator)
    tomorrow = (timezone.localdate() + DAY).isoformat()
    response = client.post(
        reverse("mentoring:pair_monitoring", args=[pairs["quiet"].pk]),
        {"kind": "note", "taken_on": tomorrow, "note": "Plan to call"},
    )
    page = response.content.decode()
    assert "Log what has been done: the date cannot be in the future." in page
    assert "Plan to call" in page
    assert not MonitoringAction.objects.exists()


def test_coordinator_home_counts_pairs_at_risk_and_contacts_overdue(
    world: World, pairs: dict[str, Relationship]
) -> None:
    monitoring_check(institution=world.institution, now=timezone.now())
    client = world.client_for(world.coordinator)
    home = client.get("/").content.decode()
    assert '<span id="home-at-risk">2 pairs at risk</span>' in home
    assert '<span id="home-overdue">3 contacts overdue</span>' in home


@pytest.mark.parametrize("extra", [0, 30])
def test_board_and_overdue_list_queries_do_not_grow_with_pairs(
    world: World, programme: MentoringProgramme, pairs: dict[str, Relationship], extra: int
) -> None:
    for n in range(extra):
        pair = make_pair(world, programme, f"Mentor {n}", f"Mentee {n}", days_ago=60)
        meeting(pair, 50, "missed")
        meeting(pair, 40, "missed")
    monitoring_check(institution=world.institution, now=timezone.now())
    client = world.client_for(world.coordinator)
    client.get("/")  # session warm-up
    counts = {}
    for name in ("monitoring_board", "contacts_overdue"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(f"mentoring:{name}"))
        assert response.status_code == 200
        counts[name] = len(captured)
    assert counts == {"monitoring_board": 9, "contacts_overdue": 7}


def test_monitoring_notification_kinds_are_registered() -> None:
    from guildhouse.notifications.api import KINDS

    assert {key: str(KINDS[key].label) for key in KINDS if key.startswith("mentoring.")} == {
        "mentoring.pairs_at_risk": "Mentoring pairs newly at risk",
        "mentoring.flag_raised": "A mentor or mentee raised a flag",
        "mentoring.wellbeing_flag": "A mentoring flag about wellbeing or safety",
        "mentoring.meeting_reminder": "Reminders of my mentoring meetings",
    }


def test_low_or_falling_relationship_quality_puts_a_pair_at_risk(
    world: World, pairs: dict[str, Relationship]
) -> None:
    from guildhouse.mentoring.models import Survey, SurveyResponse

    healthy = pairs["healthy"]
    survey = Survey.objects.create(
        programme=healthy.programme,
        kind="quality",
        side="mentee",
        first_after_days=30,
        every_days=60,
    )
    for number, score in ((0, 4.5), (1, 3.0)):
        SurveyResponse.objects.create(
            survey=survey,
            programme=healthy.programme,
            kind="quality",
            relationship=healthy,
            respondent=healthy.mentee.membership,
            side="mentee",
            round=number,
            due_on=datetime.date(2026, 1, 1),
            score=score,
        )
    monitoring_check(institution=world.institution, now=timezone.now())
    alert = RiskAlert.objects.get(relationship=healthy)
    assert (alert.rule, alert.detail) == ("low_quality", {"score": 3.0, "before": [4.5]})
    page = board(world)
    assert "Relationship quality fell from 4.5 to 3 of 5." in page
    assert "Talk with each of them on their own about how it is going" in page


def test_board_and_kpis_are_in_finnish(world: World, pairs: dict[str, Relationship]) -> None:
    monitoring_check(institution=world.institution, now=timezone.now())
    client = world.client_for(world.coordinator)
    client.cookies["django_language"] = "fi"
    page = client.get(reverse("mentoring:monitoring_board")).content.decode()
    assert "Ei tapaamista 40 päivään (raja on 28)." in page
    assert "Ota yhteyttä molempiin ja auta heitä sopimaan seuraavan tapaamisen päivä." in page
    assert "Kaksi viimeisintä tapaamista jäivät väliin." in page
    assert "Miten riskissä olevat parit löydetään" in page
    assert "No meeting" not in page
    kpis = client.get(
        reverse("mentoring:programme_kpis", args=[pairs["quiet"].programme_id])
    ).content.decode()
    assert '<th scope="row">Tapaamisten toteutuminen</th>' in kpis
    assert "Meeting adherence" not in kpis


def test_a_paused_pair_is_not_due_a_contact(world: World, pairs: dict[str, Relationship]) -> None:
    monitoring_check(institution=world.institution, now=timezone.now())
    Relationship.objects.filter(pk=pairs["quiet"].pk).update(status="paused")
    client = world.client_for(world.coordinator)
    overdue = client.get(reverse("mentoring:contacts_overdue")).content.decode()
    assert "Quinn Quiet" not in overdue
    assert "Mia Missed" in overdue
    monitoring_check(institution=world.institution, now=timezone.now())
    assert PairWatch.objects.get(relationship=pairs["quiet"]).next_contact_due is None

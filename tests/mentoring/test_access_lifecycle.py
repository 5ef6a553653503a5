"""Access matrix of the lifecycle pages (agreement, goals, closure, surveys, swap, reminders
have no page): every role, the outsider and an anonymous visitor; plus a learner outside
the pair, who sees none of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guildhouse.mentoring.models import (
    Agreement,
    Closure,
    Goal,
    GoalUpdate,
    Milestone,
    Proposal,
    SurveyQuestion,
    SurveyResponse,
)
from tests.access_matrix import Page, check_page
from tests.conftest import World
from tests.factories import member_make
from tests.mentoring.factories import application_make
from tests.mentoring.test_access_matrix import (
    MANAGERS,
    PARTICIPANTS,
    _meeting,
    _pair,
    _recruiting,
    _run,
)

GOAL_TITLE = "Secret goal: pass the welding certificate"


def _goal(world: World) -> Goal:
    pair = _pair(world)
    return Goal.objects.filter(relationship=pair).first() or Goal.objects.create(
        relationship=pair, title=GOAL_TITLE
    )


def _proposal(world: World) -> Proposal:
    run = _run(world)
    proposal = Proposal.objects.filter(run=run).first()
    if proposal is None:
        pair = _pair(world)
        proposal = Proposal.objects.create(
            run=run, mentee=pair.mentee, mentor=pair.mentor, score=0.5, explanation={}
        )
    return proposal


def _agreements(world: World) -> object:
    return list(Agreement.objects.values())


def _goals(world: World) -> object:
    return (
        list(Goal.objects.values()),
        list(Milestone.objects.values()),
        list(GoalUpdate.objects.values()),
    )


def _closures(world: World) -> object:
    return list(Closure.objects.values())


def _responses(world: World) -> object:
    return list(SurveyResponse.objects.values())


def _questions(world: World) -> object:
    return list(SurveyQuestion.objects.values())


def _proposals(world: World) -> object:
    return list(Proposal.objects.values())


PAGES = [
    Page(
        "agreement edit",
        lambda w: reverse("mentoring:agreement_edit", args=[_pair(w).pk]),
        PARTICIPANTS,
        shows=lambda w, v: "Change the mentoring agreement",
    ),
    Page(
        "agreement edit (post)",
        lambda w: reverse("mentoring:agreement_edit", args=[_pair(w).pk]),
        PARTICIPANTS,
        method="post",
        data={"cadence": "weekly", "meeting_minutes": "999"},
        state=_agreements,
    ),
    Page(
        "goal add",
        lambda w: reverse("mentoring:goal_add", args=[_pair(w).pk]),
        PARTICIPANTS,
        ok_status=302,
        method="post",
        data={"title": "A new goal"},
        state=_goals,
    ),
    Page(
        "goal detail",
        lambda w: reverse("mentoring:goal_detail", args=[_goal(w).pk]),
        PARTICIPANTS | MANAGERS,
        secret=lambda w: GOAL_TITLE,
        shows=lambda w, v: GOAL_TITLE,
    ),
    Page(
        "goal progress (post)",
        lambda w: reverse("mentoring:goal_detail", args=[_goal(w).pk]),
        PARTICIPANTS,
        method="post",
        data={"action": "progress", "progress-progress": "50", "progress-status": "open"},
        state=_goals,
    ),
    Page(
        "closure update",
        lambda w: reverse("mentoring:closure_update", args=[_pair(w).pk]),
        PARTICIPANTS | MANAGERS,
        ok_status=302,
        method="post",
        data={"action": "checklist", "final_meeting": "on"},
        state=_closures,
    ),
    Page(
        "my surveys",
        lambda w: reverse("mentoring:my_surveys"),
        PARTICIPANTS,
        outsider_status=403,
        shows=lambda w, v: "Your surveys",
    ),
    Page(
        "survey answer",
        lambda w: reverse("mentoring:survey_answer", args=[_pair(w).pk, "quality"]),
        PARTICIPANTS,
        ok_status=302,
    ),
    Page(
        "survey answer (post)",
        lambda w: reverse("mentoring:survey_answer", args=[_pair(w).pk, "quality"]),
        PARTICIPANTS,
        ok_status=302,
        method="post",
        data={"comfort": "5", "useful": "5", "listened": "5", "direction": "5"},
        state=_responses,
    ),
    Page(
        "meeting rate",
        lambda w: reverse("mentoring:meeting_rate", args=[_meeting(w).pk]),
        PARTICIPANTS,
        ok_status=302,
        method="post",
        data={"rating": "5"},
        state=_responses,
    ),
    Page(
        "programme surveys",
        lambda w: reverse("mentoring:programme_surveys", args=[_recruiting(w).pk]),
        MANAGERS,
        shows=lambda w, v: "Relationship check-in",
    ),
    Page(
        "programme surveys (post)",
        lambda w: reverse("mentoring:programme_surveys", args=[_recruiting(w).pk]),
        MANAGERS,
        method="post",
        data={"survey": "0", "text": "", "kind": "scale"},
        state=_questions,
    ),
    Page(
        "matching swap",
        lambda w: reverse("mentoring:matching_swap", args=[_recruiting(w).pk, _proposal(w).pk]),
        MANAGERS,
        shows=lambda w, v: "Swap the mentor of",
    ),
    Page(
        "matching swap (post)",
        lambda w: reverse("mentoring:matching_swap", args=[_recruiting(w).pk, _proposal(w).pk]),
        MANAGERS,
        ok_status=404,  # no such other proposal: managers pass the access check first
        method="post",
        data={"other": "0"},
        state=_proposals,
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_access_matrix_lifecycle(world: World, page: Page) -> None:
    assert check_page(world, page) == []


def test_a_learner_outside_the_pair_sees_none_of_it(world: World) -> None:
    other = member_make(institution=world.institution, role="learner")
    application_make(programme=_pair(world).programme, membership=other)
    client = world.client_for(other)
    goal = _goal(world)
    pair = _pair(world)
    for url in (
        reverse("mentoring:relationship_detail", args=[pair.pk]),
        reverse("mentoring:goal_detail", args=[goal.pk]),
        reverse("mentoring:agreement_edit", args=[pair.pk]),
        reverse("mentoring:survey_answer", args=[pair.pk, "quality"]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert GOAL_TITLE not in response.content.decode()
    before = _goals(world)
    assert (
        client.post(reverse("mentoring:goal_add", args=[pair.pk]), {"title": "x"}).status_code
        == 403
    )
    assert _goals(world) == before
    assert client.get(reverse("mentoring:my_surveys")).context["due"] == []

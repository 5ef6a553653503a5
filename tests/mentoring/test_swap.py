"""Swapping two proposed pairs on the review page: the effect first, then apply; a re-run
keeps the swapped pairs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from guildhouse.mentoring.models import MatchingRun, PairRule, Proposal
from tests.conftest import World
from tests.mentoring.factories import application_make, mentoring_programme_make
from tests.mentoring.test_matching import Cohort, answers, person, run, trained

__all__ = ["run"]


@pytest.fixture
def two_by_two(world: World) -> Cohort:
    programme = mentoring_programme_make(institution=world.institution, state="matching")
    aino = application_make(
        programme=programme,
        membership=world.learner,
        answers=answers(interests=["trade_skills"], style="direct"),
    )
    eetu = application_make(
        programme=programme,
        membership=person(world, "Eetu Virtanen"),
        answers=answers(interests=["wellbeing"], style="reflective"),
    )
    sam = application_make(
        programme=programme,
        membership=trained(person(world, "Sam Walker")),
        side="mentor",
        answers=answers(interests=["trade_skills"], style="direct", experience="3"),
    )
    lea = application_make(
        programme=programme,
        membership=trained(person(world, "Lea Nieminen")),
        side="mentor",
        answers=answers(interests=["wellbeing"], style="reflective", experience="3"),
    )
    return Cohort(programme, [aino, eetu], sam, lea, lea)


def test_swap_shows_the_effect_then_applies_and_reruns_keep_it(
    world: World, two_by_two: Cohort, run: Callable[..., str]
) -> None:
    c = two_by_two
    run(c)
    first = MatchingRun.objects.get()
    aino = Proposal.objects.get(mentee=c.mentees[0])
    eetu = Proposal.objects.get(mentee=c.mentees[1])
    assert (aino.mentor_id, eetu.mentor_id) == (c.sam.pk, c.jo.pk)
    client = world.client_for(world.coordinator)
    review = client.get(reverse("mentoring:matching_review", args=[c.programme.pk]))
    url = reverse("mentoring:matching_swap", args=[c.programme.pk, aino.pk])
    assert url in review.content.decode()
    page = client.get(url)
    [option] = page.context["options"]
    assert option.other.pk == eetu.pk
    assert option.score_now == pytest.approx(aino.score, abs=1e-4)
    assert option.other_now == pytest.approx(eetu.score, abs=1e-4)
    assert option.change < 0  # both pairs fit worse after the swap
    body = page.content.decode()
    assert "Eetu Virtanen (mentor Lea Nieminen)" in body
    assert f"{option.score_now:.2f} → {option.score_after:.2f}" in body
    done = client.post(url, {"other": eetu.pk}, follow=True)
    assert "Swapped. The total fit changed by" in done.content.decode()
    aino.refresh_from_db()
    eetu.refresh_from_db()
    first.refresh_from_db()
    assert (aino.mentor_id, eetu.mentor_id, aino.locked, eetu.locked) == (
        c.jo.pk,
        c.sam.pk,
        True,
        True,
    )
    assert aino.score == pytest.approx(option.score_after, abs=1e-4)
    assert first.total_score == pytest.approx(option.score_after + option.other_after, abs=1e-3)
    assert sorted(PairRule.objects.values_list("mentee_id", "mentor_id", "kind")) == sorted(
        [(c.mentees[0].pk, c.jo.pk, "lock"), (c.mentees[1].pk, c.sam.pk, "lock")]
    )
    # Re-run: the swapped pairs are kept.
    run(c)
    latest = MatchingRun.objects.first()
    assert latest is not None
    assert latest.pk != first.pk
    assert dict(latest.proposals.values_list("mentee_id", "mentor_id")) == {
        c.mentees[0].pk: c.jo.pk,
        c.mentees[1].pk: c.sam.pk,
    }
    # A kept pair offers no swaps; an old run cannot be swapped.
    kept = latest.proposals.get(mentee=c.mentees[0])
    assert (
        client.get(reverse("mentoring:matching_swap", args=[c.programme.pk, kept.pk])).context[
            "options"
        ]
        == []
    )
    assert client.post(url, {"other": eetu.pk}).status_code == 404


@pytest.mark.parametrize("role", ["staff", "support", "learner", "partner"])
def test_only_coordinators_swap(
    world: World, two_by_two: Cohort, run: Callable[..., str], role: str
) -> None:
    run(two_by_two)
    aino = Proposal.objects.get(mentee=two_by_two.mentees[0])
    eetu = Proposal.objects.get(mentee=two_by_two.mentees[1])
    url = reverse("mentoring:matching_swap", args=[two_by_two.programme.pk, aino.pk])
    assert world.client_for(world.member(role)).post(url, {"other": eetu.pk}).status_code == 403
    aino.refresh_from_db()
    assert (aino.mentor_id, aino.locked) == (two_by_two.sam.pk, False)

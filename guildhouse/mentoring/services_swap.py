"""Swapping the mentors of two proposed pairs before publishing.

``swap_options`` shows, for one proposed pair, the swaps that keep every hard rule and
what each does to the total fit and to both pairs' scores; ``swap_apply`` makes one:
the two proposals change, their explanations are recomputed by the engine, and both
new pairs are kept (locked) so that a re-run keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import User
from guildhouse.matching.explain import explain_assignment
from guildhouse.mentoring.adapter import Round, build_round, explanation_data
from guildhouse.mentoring.models import MatchingRun, PairRule, PairRuleKind, Proposal, RunStatus


@dataclass(frozen=True)
class SwapOption:
    """Swapping the mentors of ``proposal`` and ``other``: each pair's score now and after."""

    other: Proposal
    score_now: float
    score_after: float
    other_now: float
    other_after: float

    @property
    def change(self) -> float:
        return self.score_after + self.other_after - self.score_now - self.other_now


def _reviewable(run: MatchingRun) -> None:
    if run.status != RunStatus.DONE or run.published_at is not None:
        raise ValidationError(_("Only a finished run that is not yet published can be changed."))
    latest = MatchingRun.objects.filter(programme_id=run.programme_id).first()
    if latest is None or latest.pk != run.pk:
        raise ValidationError(_("A newer run exists; change that one."))


def _indices(round_: Round) -> tuple[dict[int, int], dict[int, int]]:
    return (
        {a.pk: i for i, a in enumerate(round_.mentees)},
        {a.pk: j for j, a in enumerate(round_.mentors)},
    )


def swap_options(
    *, run: MatchingRun, proposal: Proposal, limit: int = 10, round_: Round | None = None
) -> list[SwapOption]:
    """The best ``limit`` swaps for ``proposal`` by change in total fit (best first).

    Only swaps where both new pairs keep every hard rule, neither is excluded, and
    neither proposal is kept (locked).
    """
    if proposal.mentor_id is None or proposal.locked:
        return []
    round_ = round_ or build_round(run.programme)
    mentee_at, mentor_at = _indices(round_)
    if proposal.mentee_id not in mentee_at or proposal.mentor_id not in mentor_at:
        return []
    others = [
        p
        for p in Proposal.objects.filter(run=run, mentor__isnull=False, locked=False)
        .exclude(pk=proposal.pk)
        .exclude(mentor_id=proposal.mentor_id)
        .select_related("mentee__membership__user", "mentor__membership__user")
        if p.mentee_id in mentee_at and p.mentor_id in mentor_at
    ]
    if not others:
        return []
    a, ja = mentee_at[proposal.mentee_id], mentor_at[proposal.mentor_id]
    b = np.array([mentee_at[p.mentee_id] for p in others], dtype=np.int64)
    jb = np.array([mentor_at[p.mentor_id or 0] for p in others], dtype=np.int64)
    a_rep, ja_rep = np.full(len(b), a), np.full(len(b), ja)
    source = round_.source
    a_after = source.criteria_for_pairs(mentee_idx=a_rep, mentor_idx=jb).score
    b_after = source.criteria_for_pairs(mentee_idx=b, mentor_idx=ja_rep).score
    b_now = source.criteria_for_pairs(mentee_idx=b, mentor_idx=jb).score
    a_now = float(source.criteria_for_pairs(mentee_idx=[a], mentor_idx=[ja]).score[0])
    ok = np.ones(len(b), dtype=bool)
    for broken in source.rule_failures_for_pairs(mentee_idx=a_rep, mentor_idx=jb).values():
        ok &= ~broken
    for broken in source.rule_failures_for_pairs(mentee_idx=b, mentor_idx=ja_rep).values():
        ok &= ~broken
    excluded = set(round_.excluded)
    change = a_after + b_after - a_now - b_now
    options = []
    for k in np.argsort(-change, kind="stable"):
        if not ok[k] or (a, int(jb[k])) in excluded or (int(b[k]), ja) in excluded:
            continue
        options.append(
            SwapOption(
                other=others[k],
                score_now=a_now,
                score_after=float(a_after[k]),
                other_now=float(b_now[k]),
                other_after=float(b_after[k]),
            )
        )
        if len(options) == limit:
            break
    return options


def swap_apply(*, actor: User, run: MatchingRun, proposal: Proposal, other: Proposal) -> float:
    """Swap the two proposals' mentors; returns the change in total fit.

    Both new pairs are kept (locked) for later runs. Refused for a published or old
    run, a kept proposal, or a swap that breaks a hard rule.
    """
    round_ = build_round(run.programme)
    option = next(
        (
            o
            for o in swap_options(run=run, proposal=proposal, limit=10**6, round_=round_)
            if o.other.pk == other.pk
        ),
        None,
    )
    if option is None:
        raise ValidationError(
            _("These two pairs cannot swap mentors (a rule would be broken, or one is kept).")
        )
    mentee_at, mentor_at = _indices(round_)
    with transaction.atomic(durable=True):
        locked_run = MatchingRun.objects.select_for_update().get(pk=run.pk)
        _reviewable(locked_run)
        proposals = {
            p.pk: p
            for p in Proposal.objects.select_for_update().filter(
                run=locked_run, pk__in=[proposal.pk, other.pk]
            )
        }
        first, second = proposals[proposal.pk], proposals[other.pk]
        if (first.mentor_id, second.mentor_id) != (proposal.mentor_id, other.mentor_id):
            raise ValidationError(_("The proposals changed meanwhile; look again."))
        assignment = np.full(len(round_.mentees), -1, dtype=np.int64)
        for mentee_id, mentor_id in Proposal.objects.filter(
            run=locked_run, mentor__isnull=False
        ).values_list("mentee_id", "mentor_id"):
            if mentee_id in mentee_at and mentor_id in mentor_at:
                assignment[mentee_at[mentee_id]] = mentor_at[mentor_id]
        i, k = mentee_at[first.mentee_id], mentee_at[second.mentee_id]
        assignment[i], assignment[k] = assignment[k], assignment[i]
        first.mentor_id, second.mentor_id = second.mentor_id, first.mentor_id
        assert first.mentor_id is not None
        assert second.mentor_id is not None
        locks: list[tuple[int, int]] = [
            (first.mentee_id, first.mentor_id),
            (second.mentee_id, second.mentor_id),
        ]
        explained = explain_assignment(
            source=round_.source,
            assignment=assignment,
            capacity=round_.capacity,
            locked=[(mentee_at[m], mentor_at[n]) for m, n in locks],
            excluded=round_.excluded,
            mentees=sorted((i, k)),
        )
        pairs, _unmatched = explanation_data(explained, round_)
        for p, index in ((first, i), (second, k)):
            p.explanation = pairs[index]
            p.score = pairs[index]["score"]
            p.locked = True
            p.save(update_fields=["mentor", "score", "explanation", "locked"])
        for mentee_id, new_mentor in locks:
            PairRule.objects.filter(
                programme_id=locked_run.programme_id, mentee_id=mentee_id, kind=PairRuleKind.LOCK
            ).delete()
            PairRule.objects.filter(
                programme_id=locked_run.programme_id, mentee_id=mentee_id, mentor_id=new_mentor
            ).delete()
            PairRule.objects.create(
                programme_id=locked_run.programme_id,
                mentee_id=mentee_id,
                mentor_id=new_mentor,
                kind=PairRuleKind.LOCK,
                created_by=actor,
            )
        locked_run.total_score = (locked_run.total_score or 0.0) + option.change
        locked_run.save(update_fields=["total_score"])
        audit_record(
            actor=actor,
            institution=run.programme.institution,
            action="matching_swap",
            obj=locked_run,
            changes={"proposals": [first.pk, second.pk], "change": round(option.change, 4)},
        )
    return option.change

"""Why each mentee got the mentor they got, or none, in plain words.

`explain_assignment` reads the same blocks the solver read, so ranks and "scored
higher" always refer to the scores the solver saw. For an assigned pair it gives
each criterion's value and weight, the mentor's rank among the mentee's suitable
mentors, and, for up to `top` mentors who scored higher, why they were not chosen.
For an unmatched mentee it says whether nobody was suitable (and which rules ruled
everyone out) or everybody suitable was full.

"Suitable" means allowed by every hard rule and not excluded by a coordinator.
Mentors from other programmes are never candidates; they are counted under the
programme rule but not listed as higher-scoring alternatives.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import numpy.typing as npt

from guildhouse.matching.profiles import SLOT_NAMES, CommunicationStyle, Labels
from guildhouse.matching.scoring import Criterion, HardRule, PairCriteria, ProfileScoreSource
from guildhouse.matching.text import normalise

I64 = npt.NDArray[np.int64]

# A mentor counts as scoring higher only by more than this, so float32 rounding in
# the blocks does not turn an equal score into a "better" one.
_TOLERANCE = 1e-6


class Reason(enum.StrEnum):
    """Why a higher-scoring mentor was not assigned."""

    RULE = "rule"  # a hard rule excludes the pair
    EXCLUDED = "excluded"  # a coordinator excluded the pair
    FULL = "full"  # suitable, but at capacity with other mentees
    NOT_CHOSEN = "not_chosen"  # suitable with room; another mode or a locked pair decided


class UnmatchedReason(enum.StrEnum):
    NO_SUITABLE_MENTOR = "no_suitable_mentor"
    ALL_SUITABLE_FULL = "all_suitable_full"
    NOT_CHOSEN = "not_chosen"  # suitable mentors had room, the mode left the mentee out


@dataclass(frozen=True)
class CriterionPart:
    """One criterion of an assigned pair.

    `contribution` is weight x value; `share` is its part of the pair's score
    (contribution / total counted weight), so the shares add up to the score. A
    criterion that did not apply (no goal, no wish list) has `counted` False and
    weight 0.
    """

    criterion: Criterion
    value: float
    weight: float
    contribution: float
    share: float
    counted: bool
    sentence: str


@dataclass(frozen=True)
class Alternative:
    """A mentor who scored higher than the assigned one, and why they were not chosen."""

    mentor: int
    score: float
    reason: Reason
    rules: tuple[HardRule, ...]  # the rules that exclude the pair, for Reason.RULE
    sentence: str


@dataclass(frozen=True)
class PairExplanation:
    mentee: int
    mentor: int
    score: float
    rank: int  # 1 = the best-scoring suitable mentor
    suitable_mentors: int
    locked: bool  # a coordinator fixed this pair
    criteria: tuple[CriterionPart, ...]
    common_times: tuple[str, ...]
    higher_scoring: int  # how many candidates scored higher, suitable or not
    alternatives: tuple[Alternative, ...]  # the best `top` of those
    sentences: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data (enums as their string values)."""
        return _plain(asdict(self))  # type: ignore[return-value]


@dataclass(frozen=True)
class UnmatchedExplanation:
    mentee: int
    reason: UnmatchedReason
    suitable_mentors: int
    # Only when no mentor is suitable: for every mentor, the first rule (in HardRule
    # order) that rules them out; coordinator exclusions count separately.
    rule_counts: dict[HardRule, int]
    excluded_by_coordinator: int
    sentence: str

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data (enums as their string values)."""
        return _plain(asdict(self))  # type: ignore[return-value]


@dataclass(frozen=True)
class Explanations:
    pairs: list[PairExplanation] = field(default_factory=list)
    unmatched: list[UnmatchedExplanation] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "pairs": [p.to_dict() for p in self.pairs],
            "unmatched": [u.to_dict() for u in self.unmatched],
        }


def explain_assignment(
    *,
    source: ProfileScoreSource,
    assignment: npt.ArrayLike,
    capacity: npt.ArrayLike,
    locked: Iterable[tuple[int, int]] = (),
    excluded: Iterable[tuple[int, int]] = (),
    mentees: Iterable[int] | None = None,
    top: int = 5,
    labels: Labels | None = None,
) -> Explanations:
    """Explain `assignment` (mentor index or -1 per mentee) for `mentees` (default all).

    `locked` and `excluded` are the coordinator's pairs as given to the solver.
    Explanations come in ascending mentee order.
    """
    assigned = np.asarray(assignment, dtype=np.int64)
    seats = np.asarray(capacity, dtype=np.int64)
    wanted = np.zeros(source.n_mentees, dtype=bool)
    wanted[list(range(source.n_mentees)) if mentees is None else list(mentees)] = True
    load = np.bincount(assigned[assigned >= 0], minlength=source.n_mentors)
    excluded_codes = _codes(excluded, source.n_mentors)
    scan = _scan(source, assigned, wanted, load < seats, excluded_codes, top)
    labels = labels or Labels()
    locked_pairs = set(locked)

    order = np.flatnonzero(wanted)
    matched = order[assigned[order] >= 0]
    context = _Context(
        source=source,
        scan=scan,
        load=load,
        seats=seats,
        excluded_codes=excluded_codes,
        labels=labels,
        pairs=source.criteria_for_pairs(mentee_idx=matched, mentor_idx=assigned[matched]),
        broken=_broken_rules(source, scan, matched),
    )
    explanations = Explanations()
    for k, mentee in enumerate(matched.tolist()):
        mentor = int(assigned[mentee])
        locked_pair = (mentee, mentor) in locked_pairs
        explanations.pairs.append(_explain_pair(context, k, mentee, mentor, locked=locked_pair))
    for mentee in order[assigned[order] < 0].tolist():
        explanations.unmatched.append(_explain_unmatched(source, scan, mentee))
    return explanations


# -- one pass over the blocks ------------------------------------------------------------


@dataclass
class _Scan:
    """Per-mentee facts gathered from the blocks."""

    assigned_score: npt.NDArray[np.float64]
    higher_suitable: I64  # suitable mentors scoring more than the assigned one
    higher_any: I64  # candidates scoring more, suitable or not
    suitable: I64
    suitable_with_room: I64
    excluded: I64  # candidates allowed by the rules but excluded by a coordinator
    better: dict[int, list[tuple[float, int]]]  # mentee -> (score, mentor), best first


def _scan(
    source: ProfileScoreSource,
    assigned: I64,
    wanted: npt.NDArray[np.bool_],
    has_room: npt.NDArray[np.bool_],
    excluded_codes: I64,
    top: int,
) -> _Scan:
    n = source.n_mentees
    matched = np.flatnonzero(assigned >= 0)
    assigned_score = np.full(n, np.nan)
    assigned_score[matched] = source.criteria_for_pairs(
        mentee_idx=matched, mentor_idx=assigned[matched]
    ).score
    scan = _Scan(
        assigned_score=assigned_score,
        higher_suitable=np.zeros(n, dtype=np.int64),
        higher_any=np.zeros(n, dtype=np.int64),
        suitable=np.zeros(n, dtype=np.int64),
        suitable_with_room=np.zeros(n, dtype=np.int64),
        excluded=np.zeros(n, dtype=np.int64),
        better={},
    )
    for block in source.blocks_containing(np.flatnonzero(wanted)):
        keep = wanted[block.rows]
        if not keep.any():
            continue
        rows, scores = block.rows[keep], block.scores[keep]
        excluded = block.allowed[keep] & _is_excluded(
            rows, block.cols, source.n_mentors, excluded_codes
        )
        suitable = block.allowed[keep] & ~excluded
        is_assigned = block.cols[None, :] == assigned[rows, None]
        # NaN (unmatched) compares False, so unmatched rows get no "higher" mentors.
        higher = (scores > assigned_score[rows, None] + _TOLERANCE) & ~is_assigned
        scan.suitable[rows] += suitable.sum(axis=1)
        scan.suitable_with_room[rows] += (suitable & has_room[block.cols][None, :]).sum(axis=1)
        scan.excluded[rows] += excluded.sum(axis=1)
        scan.higher_suitable[rows] += (higher & suitable).sum(axis=1)
        scan.higher_any[rows] += higher.sum(axis=1)
        _collect_best(scan.better, rows, block.cols, np.where(higher, scores, -np.inf), top)
    return scan


def _is_excluded(rows: I64, cols: I64, n_mentors: int, codes: I64) -> npt.NDArray[np.bool_]:
    if len(codes) == 0:
        return np.zeros((len(rows), len(cols)), dtype=bool)
    found: npt.NDArray[np.bool_] = np.isin(rows[:, None] * n_mentors + cols[None, :], codes)
    return found


def _collect_best(
    better: dict[int, list[tuple[float, int]]],
    rows: I64,
    cols: I64,
    scores: npt.NDArray[np.floating],
    top: int,
) -> None:
    """Keep each row's `top` best finite scores (ties: lower mentor index first)."""
    for i in np.flatnonzero(np.isfinite(scores).any(axis=1)).tolist():
        row = scores[i]
        found = np.flatnonzero(np.isfinite(row))
        order = np.lexsort((cols[found], -row[found].astype(np.float64)))[:top]
        merged = better.setdefault(int(rows[i]), [])
        merged.extend((float(row[found[k]]), int(cols[found[k]])) for k in order)
        merged.sort(key=lambda item: (-item[0], item[1]))
        del merged[top:]


# -- assigned pairs ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    source: ProfileScoreSource
    scan: _Scan
    load: I64
    seats: I64
    excluded_codes: I64
    labels: Labels
    pairs: PairCriteria  # of the assigned pairs, in the order they are explained
    broken: dict[tuple[int, int], tuple[HardRule, ...]]  # of each higher-scoring pair


def _broken_rules(
    source: ProfileScoreSource, scan: _Scan, matched: I64
) -> dict[tuple[int, int], tuple[HardRule, ...]]:
    """The hard rules each listed higher-scoring (mentee, mentor) pair breaks."""
    listed = [(m, j) for m in matched.tolist() for _, j in scan.better.get(m, [])]
    if not listed:
        return {}
    mentee_idx, mentor_idx = np.array(listed, dtype=np.int64).T
    failures = source.rule_failures_for_pairs(mentee_idx=mentee_idx, mentor_idx=mentor_idx)
    return {
        pair: tuple(rule for rule in HardRule if failures[rule][k]) for k, pair in enumerate(listed)
    }


def _explain_pair(
    context: _Context, k: int, mentee: int, mentor: int, *, locked: bool
) -> PairExplanation:
    """The explanation of assigned pair number `k` (mentee, mentor)."""
    source, scan, pairs = context.source, context.scan, context.pairs
    total_weight = sum(float(w[k]) for w in pairs.weights.values())
    parts = []
    for criterion in Criterion:
        value, weight = float(pairs.values[criterion][k]), float(pairs.weights[criterion][k])
        parts.append(
            CriterionPart(
                criterion=criterion,
                value=value,
                weight=weight,
                contribution=weight * value,
                share=weight * value / total_weight if total_weight else 0.0,
                counted=weight > 0,
                sentence=_criterion_sentence(
                    source, criterion, mentee, mentor, value, weight, context.labels
                ),
            )
        )
    common = int(source.mentee_cohort.availability[mentee]) & int(
        source.mentor_cohort.availability[mentor]
    )
    common_times = tuple(name for bit, name in enumerate(SLOT_NAMES) if common >> bit & 1)
    rank = int(scan.higher_suitable[mentee]) + 1
    suitable = int(scan.suitable[mentee])
    alternatives = tuple(
        _alternative(context, mentee, mentor_, score)
        for score, mentor_ in scan.better.get(mentee, [])
    )
    sentences = [
        _rank_sentence(rank, suitable),
        *(["A coordinator fixed this pair."] if locked else []),
        *(part.sentence for part in parts),
        f"Available together on {_join(common_times)}." if common_times else "No time in common.",
        *(alternative.sentence for alternative in alternatives),
    ]
    return PairExplanation(
        mentee=mentee,
        mentor=mentor,
        score=float(pairs.score[k]),
        rank=rank,
        suitable_mentors=suitable,
        locked=locked,
        criteria=tuple(parts),
        common_times=common_times,
        higher_scoring=int(scan.higher_any[mentee]),
        alternatives=alternatives,
        sentences=tuple(sentences),
    )


def _alternative(context: _Context, mentee: int, mentor: int, score: float) -> Alternative:
    rules = context.broken[mentee, mentor]
    load = int(context.load[mentor])
    if rules:
        reason = Reason.RULE
    elif mentee * context.source.n_mentors + mentor in context.excluded_codes:
        reason = Reason.EXCLUDED
    elif load >= context.seats[mentor]:
        reason = Reason.FULL
    else:
        reason = Reason.NOT_CHOSEN
    name = context.labels.mentor(mentor)
    lead = f"{name[:1].upper()}{name[1:]} scored higher ({_percent(score)})"
    return Alternative(
        mentor=mentor,
        score=score,
        reason=reason,
        rules=rules,
        sentence=lead + _reason_tail(reason, rules, load),
    )


def _reason_tail(reason: Reason, rules: tuple[HardRule, ...], load: int) -> str:
    if reason is Reason.RULE:
        return f" but cannot be paired: {_join([RULE_PHRASES[rule][0] for rule in rules])}."
    if reason is Reason.EXCLUDED:
        return " but a coordinator excluded this pair."
    if reason is Reason.FULL:
        return f" but is already full with {load} other {_plural(load, 'mentee')}."
    return " and had room, but the matching chose differently."


# -- unmatched mentees ---------------------------------------------------------------------


def _explain_unmatched(
    source: ProfileScoreSource, scan: _Scan, mentee: int
) -> UnmatchedExplanation:
    suitable = int(scan.suitable[mentee])
    # Counting rules means checking every candidate, so it is done only where it is
    # the answer: when nobody is suitable.
    counts = _first_rule_counts(source, mentee) if suitable == 0 else {}
    excluded = int(scan.excluded[mentee])

    if suitable == 0:
        reason = UnmatchedReason.NO_SUITABLE_MENTOR
        reasons = [f"{n} {RULE_PHRASES[rule][0 if n == 1 else 1]}" for rule, n in counts.items()]
        if excluded:
            reasons.append(f"{excluded} excluded by a coordinator")
        sentence = (
            f"No suitable mentor: {_join(reasons)}." if reasons else "No mentors in this round."
        )
    elif scan.suitable_with_room[mentee] == 0:
        reason = UnmatchedReason.ALL_SUITABLE_FULL
        everyone = {1: "The only suitable mentor is", 2: "Both suitable mentors are"}
        sentence = f"{everyone.get(suitable, f'All {suitable} suitable mentors are')} already full."
    else:
        reason = UnmatchedReason.NOT_CHOSEN
        room = int(scan.suitable_with_room[mentee])
        sentence = (
            f"{room} suitable {_plural(room, 'mentor')} still had room, "
            "but the matching left this mentee out."
        )
    return UnmatchedExplanation(
        mentee=mentee,
        reason=reason,
        suitable_mentors=suitable,
        rule_counts=counts,
        excluded_by_coordinator=excluded,
        sentence=sentence,
    )


def _first_rule_counts(source: ProfileScoreSource, mentee: int) -> dict[HardRule, int]:
    """For every mentor, the first rule that rules them out for `mentee`, counted."""
    candidates = source.candidates(mentee)
    failures = source.rule_failures_for_pairs(
        mentee_idx=np.full(len(candidates), mentee), mentor_idx=candidates
    )
    broken = np.stack([failures[rule] for rule in HardRule])
    first = np.where(broken.any(axis=0), broken.argmax(axis=0), -1)
    counts = {rule: int((first == k).sum()) for k, rule in enumerate(HardRule)}
    counts[HardRule.PROGRAMME] += source.n_mentors - len(candidates)
    return {rule: n for rule, n in counts.items() if n}


# -- sentences -----------------------------------------------------------------------------

# (said of one mentor, said of several) for each hard rule.
RULE_PHRASES: dict[HardRule, tuple[str, str]] = {
    HardRule.PROGRAMME: ("is in another programme", "are in another programme"),
    HardRule.AVAILABILITY: ("has no time in common", "have no time in common"),
    HardRule.SAME_GENDER: (
        "does not meet a same-gender request",
        "do not meet a same-gender request",
    ),
    HardRule.SHARED_LANGUAGE: (
        "does not meet a shared-language request",
        "do not meet a shared-language request",
    ),
    HardRule.SHARED_BACKGROUND: (
        "does not meet a shared-background request",
        "do not meet a shared-background request",
    ),
    HardRule.CONFLICT: (
        "has a declared conflict of interest",
        "have a declared conflict of interest",
    ),
    HardRule.TRAINING: ("has not completed mentor training", "have not completed mentor training"),
}

_STYLE_WORDS = {
    CommunicationStyle.DIRECT: "direct",
    CommunicationStyle.REFLECTIVE: "reflective",
    CommunicationStyle.STRUCTURED: "structured",
    CommunicationStyle.FLEXIBLE: "flexible",
}


def _criterion_sentence(
    source: ProfileScoreSource,
    criterion: Criterion,
    mentee: int,
    mentor: int,
    value: float,
    weight: float,
    labels: Labels,
) -> str:
    a, b = source.mentee_cohort, source.mentor_cohort
    if criterion is Criterion.INTERESTS:
        mine, theirs = _bits(a.interests[mentee]), _bits(b.interests[mentor])
        shared = sorted(mine & theirs)
        if not mine | theirs:
            return "Neither named any interests."
        if not shared:
            return "No interests in common."
        names = _join([labels.interest(i) for i in shared])
        named = len(mine | theirs)
        return f"Shares {len(shared)} of the {named} interests they named between them: {names}."
    if criterion is Criterion.GOALS:
        if weight == 0:
            return _missing_goal_sentence(
                bool(normalise(a.goals[mentee])), bool(normalise(b.goals[mentor]))
            )
        if value >= 0.5:
            return "Their career goals are very similar."
        if value >= 0.2:
            return "Their career goals are somewhat similar."
        return "Their career goals have little in common."
    if criterion is Criterion.STYLE:
        mine_style = _STYLE_WORDS[CommunicationStyle(int(a.style[mentee]))]
        their_style = _STYLE_WORDS[CommunicationStyle(int(b.style[mentor]))]
        if mine_style == their_style:
            return f"Both prefer a {mine_style} way of talking things through."
        fit = "a good fit" if value >= 0.7 else "workable" if value >= 0.5 else "may need effort"
        return f"The mentee prefers a {mine_style} style, the mentor a {their_style} one: {fit}."
    if criterion is Criterion.EXPERIENCE:
        return _experience_sentence(int(a.level[mentee]), int(b.level[mentor]), labels)
    if criterion is Criterion.LANGUAGE:
        mine, theirs = (
            _bits(a.languages[mentee : mentee + 1]),
            _bits(b.languages[mentor : mentor + 1]),
        )
        if not mine:
            return "The mentee listed no languages."
        spoken = [labels.language(i) for i in sorted(mine & theirs)]
        if not spoken:
            return "The mentor speaks none of the mentee's languages."
        if len(spoken) == len(mine):
            return f"Both speak {_join(spoken)}."
        return f"Speaks {len(spoken)} of the mentee's {len(mine)} languages: {_join(spoken)}."
    if weight == 0:
        return "The mentee made no wish list."
    if value == 0:
        return "Not on the mentee's wish list."
    rank = a.wishes[mentee].tolist().index(mentor) + 1
    return f"The mentee put this mentor {_ordinal(rank)} on their wish list."


def _missing_goal_sentence(mentee_wrote: bool, mentor_wrote: bool) -> str:
    if mentee_wrote:
        return "Career goals not compared: the mentor did not write one."
    if mentor_wrote:
        return "Career goals not compared: the mentee did not write one."
    return "Career goals not compared: neither wrote one."


def _experience_sentence(mentee_level: int, mentor_level: int, labels: Labels) -> str:
    gap = mentor_level - mentee_level
    them = f"the mentor ({labels.level(mentor_level)})"
    me = f"the mentee ({labels.level(mentee_level)})"
    if gap < 0:
        return f"{them.capitalize()} is behind {me}."
    if gap == 0:
        return f"{them.capitalize()} is at the same stage as {me}."
    ahead = f"{them.capitalize()} is {gap} {_plural(gap, 'step')} ahead of {me}"
    return f"{ahead}: the ideal gap." if gap <= 2 else f"{ahead}: a bigger gap than ideal."


def _rank_sentence(rank: int, suitable: int) -> str:
    if rank == 1:
        return f"The best-scoring of {suitable} suitable {_plural(suitable, 'mentor')}."
    return f"Ranked {_ordinal(rank)} of {suitable} suitable mentors by score."


def _bits(words: npt.NDArray[np.uint64]) -> set[int]:
    """The positions of the set bits of a bitmask split in uint64 words."""
    found = set()
    for word, value in enumerate(np.atleast_1d(words).tolist()):
        while value:
            lowest = value & -value
            found.add(word * 64 + lowest.bit_length() - 1)
            value ^= lowest
    return found


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _plural(n: int, word: str) -> str:
    return word if n == 1 else f"{word}s"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _percent(score: float) -> str:
    return f"{round(score * 100)}%"


def _codes(pairs: Iterable[tuple[int, int]], n_mentors: int) -> I64:
    codes = [mentee * n_mentors + mentor for mentee, mentor in pairs]
    return np.unique(np.array(codes, dtype=np.int64))


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value

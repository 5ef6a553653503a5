"""Realistic synthetic rounds for tests, benchmarks and demos.

`generate_instance` builds a VET college's mentoring round: up to 20 programmes of
skewed size, learners in years 1-3 as mentees, learners in years 2-3 plus some
alumni and industry volunteers as mentors, weekly availability that leans towards
afternoons and evenings, interests drawn mostly from the learner's own trade,
career goals written from realistic fragments, a few requested preferences,
conflicts of interest and wish lists. Everything is drawn with vectorised numpy
from one seeded generator, so the same arguments always give the same round and
100,000 x 25,000 profiles take a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from guildhouse.matching.profiles import N_SLOTS, Cohort, Labels, Preference
from guildhouse.matching.scoring import ProfileScoreSource


class _Trade(NamedTuple):
    name: str
    women: float  # share of women among learners
    interests: str  # eight interests of the trade, separated by "; "
    aims: str  # four career aims that complete "I want to ...", separated by "; "


_TRADES = (
    _Trade(
        "Electrical installation",
        0.08,
        (
            "solar panels; home automation; wiring; EV chargers; smart meters; lighting design; "
            "industrial controls; fault finding"
        ),
        (
            "become a certified electrician; install solar panels and heat pumps; work on "
            "electrical systems in new housing; specialise in smart home installations"
        ),
    ),
    _Trade(
        "Health care",
        0.82,
        (
            "elderly care; first aid; mental health; hospital work; nutrition; dementia care; "
            "patient safety; rehabilitation"
        ),
        (
            "work as a nurse in a hospital; care for elderly people at home; specialise in mental"
            " health care; work in a rehabilitation clinic"
        ),
    ),
    _Trade(
        "Hospitality",
        0.55,
        (
            "events; hotel reception; bar work; tourism; customer service; wine; front office; "
            "catering"
        ),
        (
            "manage a hotel reception; run events at a large venue; work in tourism abroad; "
            "become a restaurant manager"
        ),
    ),
    _Trade(
        "Plumbing",
        0.04,
        (
            "heating systems; heat pumps; bathroom fitting; gas safety; pipework; water saving; "
            "boilers; drainage"
        ),
        (
            "become a registered gas engineer; install heat pumps and heating systems; run my own"
            " plumbing business; fit bathrooms and kitchens"
        ),
    ),
    _Trade(
        "Automotive",
        0.07,
        (
            "electric vehicles; diagnostics; engines; motorsport; car body repair; tyres; classic"
            " cars; hybrid systems"
        ),
        (
            "become a car mechanic; work on electric and hybrid vehicles; become a diagnostic "
            "technician; work in motorsport"
        ),
    ),
    _Trade(
        "Hairdressing",
        0.88,
        (
            "colouring; barbering; bridal styling; cutting; social media; wigs; salon management;"
            " trends"
        ),
        (
            "open my own hair salon; become a colour specialist; work as a barber; style hair for"
            " film and television"
        ),
    ),
    _Trade(
        "Carpentry",
        0.09,
        (
            "furniture making; timber frames; joinery; restoration; kitchens; tiny houses; hand "
            "tools; stairs"
        ),
        (
            "become a skilled joiner; make custom furniture; restore old buildings; build timber "
            "frame houses"
        ),
    ),
    _Trade(
        "ICT support",
        0.2,
        (
            "networking; cyber security; gaming; cloud; hardware repair; programming; help desk; "
            "linux"
        ),
        (
            "work on a help desk; become a network technician; specialise in cyber security; "
            "support schools with their IT"
        ),
    ),
    _Trade(
        "Logistics",
        0.25,
        (
            "warehousing; forklifts; supply chain; transport planning; customs; e-commerce; stock"
            " control; driving"
        ),
        (
            "become a warehouse team leader; plan transport routes; work in international supply "
            "chains; manage stock for a large retailer"
        ),
    ),
    _Trade(
        "Retail",
        0.6,
        (
            "fashion; visual merchandising; customer service; online shops; sales; sneakers; "
            "electronics; store management"
        ),
        (
            "become a store manager; work in visual merchandising; start an online shop; become a"
            " fashion buyer"
        ),
    ),
    _Trade(
        "Early childhood",
        0.9,
        (
            "play; reading; special needs; outdoor learning; music; child development; arts and "
            "crafts; parents"
        ),
        (
            "work in a nursery; become a teaching assistant; support children with special needs;"
            " run my own childminding service"
        ),
    ),
    _Trade(
        "Welding",
        0.05,
        (
            "TIG welding; MIG welding; metal art; shipbuilding; pipelines; fabrication; offshore "
            "work; inspection"
        ),
        (
            "become a certified welder; work in shipbuilding; weld pipelines offshore; become a "
            "welding inspector"
        ),
    ),
    _Trade(
        "Cooking",
        0.38,
        (
            "baking; pastry; vegan food; fine dining; street food; butchery; world cuisine; food "
            "safety"
        ),
        (
            "become a chef in a good restaurant; open my own food truck; become a pastry chef; "
            "cook in fine dining kitchens"
        ),
    ),
    _Trade(
        "Agriculture",
        0.3,
        (
            "dairy farming; tractors; horticulture; animal care; organic farming; drones; "
            "forestry; beekeeping"
        ),
        (
            "take over the family farm; work with animals on a dairy farm; run an organic "
            "vegetable farm; work in forestry"
        ),
    ),
    _Trade(
        "Business administration",
        0.62,
        (
            "accounting; office software; marketing; human resources; events; spreadsheets; law; "
            "entrepreneurship"
        ),
        (
            "work in an accounting office; become an office manager; work in human resources; "
            "start my own business"
        ),
    ),
    _Trade(
        "Beauty therapy",
        0.93,
        ("nails; make-up; skin care; massage; lashes; spa; wellness; social media"),
        (
            "open my own beauty salon; work in a luxury spa; become a make-up artist; specialise "
            "in skin care"
        ),
    ),
    _Trade(
        "Construction",
        0.06,
        (
            "bricklaying; site safety; concrete; roofing; surveying; heavy machinery; sustainable"
            " building; renovation"
        ),
        (
            "become a site supervisor; work as a bricklayer; operate heavy machinery; work on "
            "sustainable building projects"
        ),
    ),
    _Trade(
        "Mechatronics",
        0.1,
        (
            "robotics; PLC programming; 3D printing; automation; sensors; hydraulics; "
            "maintenance; electronics"
        ),
        (
            "maintain robots in a factory; become an automation technician; program industrial "
            "machines; work in maintenance at a large plant"
        ),
    ),
    _Trade(
        "Social care",
        0.78,
        (
            "youth work; disability support; addiction; housing; refugees; sports coaching; "
            "counselling; community work"
        ),
        (
            "work as a youth worker; support people with disabilities; work in community "
            "projects; become a social worker"
        ),
    ),
    _Trade(
        "Graphic design",
        0.52,
        (
            "illustration; typography; branding; photography; animation; web design; printing; "
            "video editing"
        ),
        (
            "work in a design studio; become a freelance illustrator; design brands for small "
            "businesses; work in animation"
        ),
    ),
)
_INTERESTS = tuple(tuple(t.interests.split("; ")) for t in _TRADES)
_AIMS = tuple(tuple(t.aims.split("; ")) for t in _TRADES)
_PER_TRADE = 8  # interests per trade; trade t has interest ids 8t .. 8t + 7
assert {len(i) for i in _INTERESTS} == {_PER_TRADE}
assert {len(a) for a in _AIMS} == {4}
PROGRAMME_NAMES = tuple(t.name for t in _TRADES)

# Related trades whose mentors may also mentor each other's learners.
_CROSS_PROGRAMME = (
    ("Electrical installation", "Mechatronics"),
    ("Hospitality", "Cooking"),
    ("Health care", "Social care"),
    ("Early childhood", "Social care"),
    ("Hairdressing", "Beauty therapy"),
    ("Carpentry", "Construction"),
    ("Plumbing", "Construction"),
    ("Logistics", "Retail"),
    ("ICT support", "Graphic design"),
)

GENERAL_INTERESTS = (
    "football", "gym", "music", "gaming", "cooking", "travel", "cars", "fashion",
    "volunteering", "dancing", "photography", "hiking", "films", "reading", "animals",
    "family",
)  # fmt: skip
INTEREST_NAMES = tuple(i for trade in _INTERESTS for i in trade) + GENERAL_INTERESTS
LANGUAGE_NAMES = (
    "English", "Arabic", "Polish", "Turkish", "Ukrainian", "Somali", "Spanish",
    "Romanian", "Urdu", "Portuguese", "Tigrinya", "French",
)  # fmt: skip
GENDER_NAMES = ("woman", "man", "non-binary")
BACKGROUND_NAMES = ("first in family at college", "moved here recently", "care experienced")
LEVEL_NAMES = {1: "year 1", 2: "year 2", 3: "year 3", 4: "graduate", 5: "industry volunteer"}

_OPENERS = (
    "I want to", "My goal is to", "I hope to", "After my course I would like to",
    "One day I want to", "I'd love to",
)  # fmt: skip
_FOLLOW_UPS = (
    "", "", "", " and start my own business", " and keep learning",
    " and later train apprentices myself", " and get a permanent contract",
    " and become a team leader", " and work abroad for a few years",
    " and earn enough to support my family",
)  # fmt: skip

# Chance per weekly slot (morning, afternoon, evening; weekdays then weekend) that a
# learner or a working volunteer is free: learners are in class in the mornings,
# people in work are free in the evenings.
_LEARNER_FREE = (0.08, 0.4, 0.3, 0.05, 0.15, 0.1)
_WORKER_FREE = (0.03, 0.1, 0.45, 0.15, 0.2, 0.1)


@dataclass(frozen=True, eq=False)
class GeneratedInstance:
    """A synthetic round; `source` streams its scores, `dense()` materialises them."""

    mentees: Cohort
    mentors: Cohort
    source: ProfileScoreSource
    capacity: npt.NDArray[np.int64]
    programme_names: tuple[str, ...]
    labels: Labels = field(default_factory=Labels)

    def dense(
        self,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
        """(scores, allowed, mentor_scores) as full (mentees, mentors) arrays.

        Pairs in no block (other programmes) have score 0 and are not allowed.
        `mentor_scores` is the mentor's view: the same criteria, with the mentor's
        own wish list in place of the mentee's. Meant for small and medium rounds:
        the arrays take 17 bytes per pair.
        """
        shape = (self.source.n_mentees, self.source.n_mentors)
        scores = np.zeros(shape, dtype=np.float64)
        mentor_scores = np.zeros(shape, dtype=np.float64)
        allowed = np.zeros(shape, dtype=bool)
        for block in self.source.blocks():
            at = np.ix_(block.rows, block.cols)
            scores[at] = block.scores
            allowed[at] = block.allowed
            mentor_scores[at] = block.scores if block.mentor_scores is None else block.mentor_scores
        return scores, allowed, mentor_scores

    def save_npz(self, path: str | Path) -> None:
        """Write `scores`, `allowed`, `capacity` and `mentor_scores` to exactly `path`."""
        scores, allowed, mentor_scores = self.dense()
        # Through an open file: given a name, numpy appends ".npz" to one without it.
        with Path(path).open("wb") as file:
            np.savez_compressed(
                file,
                scores=scores,
                allowed=allowed,
                capacity=self.capacity,
                mentor_scores=mentor_scores,
            )


def programme_count(mentees: int) -> int:
    """How many programmes a college with `mentees` mentees has in the generator."""
    return max(1, min(len(_TRADES), mentees // 500))


def generate_instance(*, mentees: int, mentors: int, capacity: int, seed: int) -> GeneratedInstance:
    """A realistic round of `mentees` x `mentors`, every mentor taking `capacity`.

    Deterministic for the arguments. Programme sizes are skewed (a few large trades,
    a long tail); mentors are spread over programmes like mentees, with noise, and
    every programme has at least one mentor.
    """
    if mentees < 1 or mentors < 1 or capacity < 1:
        raise ValueError("mentees, mentors and capacity must be at least 1")
    rng = np.random.default_rng(seed)
    n_programmes = programme_count(mentees)
    chosen = np.sort(rng.choice(len(_TRADES), size=n_programmes, replace=False))
    share = 1.0 / np.arange(1, n_programmes + 1) ** 0.8
    share = rng.permutation(share / share.sum())
    mentee_programme = rng.choice(n_programmes, size=mentees, p=share)
    mentor_share = rng.dirichlet(share * 200)  # like the mentees, a little off
    mentor_programme = _mentor_programmes(rng, mentors, mentor_share)

    mentee_cohort = _cohort(
        rng, programme=mentee_programme, chosen=chosen, mentor=False, others=mentor_programme
    )
    mentor_cohort = _cohort(
        rng,
        programme=mentor_programme,
        chosen=chosen,
        mentor=True,
        others=mentee_programme,
        capacity=capacity,
    )
    names = tuple(PROGRAMME_NAMES[p] for p in chosen)
    position = {name: i for i, name in enumerate(names)}
    cross = [
        (position[a], position[b]) for a, b in _CROSS_PROGRAMME if a in position and b in position
    ]
    source = ProfileScoreSource(mentee_cohort, mentor_cohort, cross_programme=cross)
    return GeneratedInstance(
        mentees=mentee_cohort,
        mentors=mentor_cohort,
        source=source,
        capacity=np.full(mentors, capacity, dtype=np.int64),
        programme_names=names,
        labels=Labels(interests=INTEREST_NAMES, languages=LANGUAGE_NAMES, levels=LEVEL_NAMES),
    )


def _mentor_programmes(
    rng: np.random.Generator, mentors: int, share: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    n = len(share)
    if mentors < n:
        return rng.choice(n, size=mentors, p=share)
    # One mentor per programme first, so that no trade is left without anyone.
    rest = rng.choice(n, size=mentors - n, p=share)
    return rng.permutation(np.concatenate([np.arange(n), rest]))


def _cohort(
    rng: np.random.Generator,
    *,
    programme: npt.NDArray[np.int64],
    chosen: npt.NDArray[np.int64],
    mentor: bool,
    others: npt.NDArray[np.int64],
    capacity: int = 0,
) -> Cohort:
    n = len(programme)
    trade = chosen[programme]  # index into _TRADES
    level = _levels(rng, n, mentor=mentor)
    languages, home = _languages(rng, n)
    female_share = np.array([t.women for t in _TRADES])[trade]
    gender = np.where(rng.random(n) < female_share, 0, 1).astype(np.int8)
    gender[rng.random(n) < 0.02] = 2
    gender[rng.random(n) < 0.05] = -1  # prefers not to say
    background = np.where(rng.random(n) < 0.3, rng.integers(0, len(BACKGROUND_NAMES), n), -1)
    return Cohort(
        programme=programme.astype(np.int32),
        availability=_availability(rng, n, working=level >= 4),
        interests=_interests(rng, trade),
        goals=_goals(rng, trade),
        style=rng.choice(4, size=n, p=[0.3, 0.25, 0.25, 0.2]).astype(np.int8),
        level=level,
        languages=languages,
        home_language=home,
        gender=gender,
        background=background.astype(np.int16),
        requested=_requests(rng, n),
        wishes=_wishes(rng, programme, others, share=0.03 if mentor else 0.05),
        conflicts=_conflicts(rng, programme, others, share=0.002 if mentor else 0.003),
        trained=rng.random(n) < 0.93 if mentor else None,
        capacity=np.full(n, capacity, dtype=np.int64) if mentor else None,
    )


def _levels(rng: np.random.Generator, n: int, *, mentor: bool) -> npt.NDArray[np.int16]:
    if mentor:  # year 2, year 3, alumni, industry
        return rng.choice([2, 3, 4, 5], size=n, p=[0.35, 0.4, 0.15, 0.1]).astype(np.int16)
    return rng.choice([1, 2, 3], size=n, p=[0.6, 0.3, 0.1]).astype(np.int16)


def _availability(
    rng: np.random.Generator, n: int, *, working: npt.NDArray[np.bool_]
) -> npt.NDArray[np.uint32]:
    def per_slot(chances: tuple[float, ...]) -> npt.NDArray[np.float64]:
        weekday, weekend = np.array(chances[:3]), np.array(chances[3:])
        return np.concatenate([np.tile(weekday, 5), np.tile(weekend, 2)])

    chance = np.where(working[:, None], per_slot(_WORKER_FREE), per_slot(_LEARNER_FREE))
    free = rng.random((n, N_SLOTS)) < chance
    # Everyone signing up is free at least once a week.
    nobody = ~free.any(axis=1)
    free[np.flatnonzero(nobody), rng.integers(0, N_SLOTS, nobody.sum())] = True
    bits = free.astype(np.uint32) << np.arange(N_SLOTS, dtype=np.uint32)
    mask: npt.NDArray[np.uint32] = bits.sum(axis=1, dtype=np.uint32)
    return mask


def _interests(rng: np.random.Generator, trade: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    n = len(trade)
    picks = 6
    own = rng.random((n, picks)) < 0.6  # the rest from the general interests
    interest = np.where(
        own,
        trade[:, None] * _PER_TRADE + rng.integers(0, _PER_TRADE, (n, picks)),
        len(_TRADES) * _PER_TRADE + rng.integers(0, len(GENERAL_INTERESTS), (n, picks)),
    )
    count = rng.integers(2, picks + 1, n)
    keep = np.arange(picks)[None, :] < count[:, None]
    words = (len(INTEREST_NAMES) + 63) // 64
    bits = np.zeros((n, words), dtype=np.uint64)
    row = np.repeat(np.arange(n), picks)[keep.ravel()]
    chosen = interest.ravel()[keep.ravel()]
    np.bitwise_or.at(
        bits, (row, chosen // 64), np.left_shift(np.uint64(1), (chosen % 64).astype(np.uint64))
    )
    return bits


def _goals(rng: np.random.Generator, trade: npt.NDArray[np.int64]) -> tuple[str, ...]:
    n = len(trade)
    opener = rng.integers(0, len(_OPENERS), n)
    aim = rng.integers(0, len(_AIMS[0]), n)
    follow = rng.integers(0, len(_FOLLOW_UPS), n)
    blank = rng.random(n) < 0.04  # some leave the question empty
    return tuple(
        "" if b else f"{_OPENERS[o]} {_AIMS[t][a]}{_FOLLOW_UPS[f]}."
        for t, o, a, f, b in zip(
            trade.tolist(),
            opener.tolist(),
            aim.tolist(),
            follow.tolist(),
            blank.tolist(),
            strict=True,
        )
    )


def _languages(
    rng: np.random.Generator, n: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int16]]:
    # Everyone speaks English; a quarter grew up with another language.
    other = rng.integers(1, len(LANGUAGE_NAMES), n)
    has_other = rng.random(n) < 0.25
    home = np.where(has_other, other, 0).astype(np.int16)
    languages = np.uint64(1) | np.where(
        has_other, np.left_shift(np.uint64(1), other.astype(np.uint64)), np.uint64(0)
    )
    return languages.astype(np.uint64), home


def _requests(rng: np.random.Generator, n: int) -> npt.NDArray[np.uint8]:
    asks = rng.random(n) < 0.07
    kind = rng.choice(
        [Preference.SAME_GENDER, Preference.SHARED_LANGUAGE, Preference.SHARED_BACKGROUND],
        size=n,
        p=[0.5, 0.3, 0.2],
    )
    return np.where(asks, kind, 0).astype(np.uint8)


def _wishes(
    rng: np.random.Generator,
    programme: npt.NDArray[np.int64],
    others: npt.NDArray[np.int64],
    *,
    share: float,
) -> npt.NDArray[np.int64]:
    """Up to three people of the other side, same programme, for `share` of people."""
    n, max_wishes = len(programme), 3
    wishes = np.full((n, max_wishes), -1, dtype=np.int64)
    who = np.flatnonzero(rng.random(n) < share)
    picks = _same_programme_picks(rng, programme[who], others, count=max_wishes)
    length = rng.integers(1, max_wishes + 1, len(who))
    picks[np.arange(max_wishes)[None, :] >= length[:, None]] = -1
    for k in range(1, max_wishes):  # a repeated pick is dropped, the rest move up
        picks[(picks[:, k : k + 1] == picks[:, :k]).any(axis=1), k] = -1
    picks = np.take_along_axis(picks, np.argsort(picks < 0, axis=1, kind="stable"), axis=1)
    wishes[who] = picks
    return wishes


def _conflicts(
    rng: np.random.Generator,
    programme: npt.NDArray[np.int64],
    others: npt.NDArray[np.int64],
    *,
    share: float,
) -> npt.NDArray[np.int64]:
    """(own, other) pairs within a programme, e.g. relatives or a supervisor."""
    who = np.flatnonzero(rng.random(len(programme)) < share)
    other = _same_programme_picks(rng, programme[who], others, count=1)[:, 0]
    pairs = np.stack([who, other], axis=1)
    return pairs[other >= 0]


def _same_programme_picks(
    rng: np.random.Generator,
    programme: npt.NDArray[np.int64],
    others: npt.NDArray[np.int64],
    *,
    count: int,
) -> npt.NDArray[np.int64]:
    """`count` random people from `others` in each given programme (-1 if it has none)."""
    order = np.argsort(others, kind="stable")
    start = np.searchsorted(others[order], programme, side="left")
    size = np.searchsorted(others[order], programme, side="right") - start
    offset = (rng.random((len(programme), count)) * np.maximum(size, 1)[:, None]).astype(np.int64)
    picks = order[np.minimum(start[:, None] + offset, len(order) - 1)]
    return np.where(size[:, None] > 0, picks, -1)

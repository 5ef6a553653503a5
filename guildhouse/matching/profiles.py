"""Who takes part in a mentoring round: per-person profiles and their columnar form.

`MenteeProfile` and `MentorProfile` are the friendly, one-object-per-person form that
the web app builds from its models. The scoring layer never loops over them: it works
on a `Cohort`, which holds the same information as numpy arrays (one row per person),
because a round can have 100,000 mentees and 25,000 mentors.

Indices are positional: mentee `i` is row `i` of the mentee cohort, mentor `j` is row
`j` of the mentor cohort. Wishes and conflicts refer to the other side by that index.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PARTS_OF_DAY = ("morning", "afternoon", "evening")
N_SLOTS = len(DAYS) * len(PARTS_OF_DAY)  # 21 weekly slots, one bit each
SLOT_NAMES = tuple(f"{day} {part}" for day in DAYS for part in PARTS_OF_DAY)

MAX_LANGUAGES = 64  # languages are one uint64 bitmask


def slot(day: int, part: int) -> int:
    """The slot number for `day` (0 = Monday) and `part` (0 morning, 1 afternoon, 2 evening)."""
    if not (0 <= day < len(DAYS) and 0 <= part < len(PARTS_OF_DAY)):
        raise ValueError(f"no slot for day={day}, part={part}")
    return day * len(PARTS_OF_DAY) + part


class CommunicationStyle(enum.IntEnum):
    """How someone prefers to talk things through; see `STYLE_COMPATIBILITY`."""

    DIRECT = 0
    REFLECTIVE = 1
    STRUCTURED = 2
    FLEXIBLE = 3


# How well a mentee with the row style gets on with a mentor with the column style.
# Equal styles fit best; a flexible mentor adapts to anyone; direct and reflective
# people are the pairing most likely to talk past each other.
STYLE_COMPATIBILITY: npt.NDArray[np.float64] = np.array(
    [
        # DIRECT REFLECTIVE STRUCTURED FLEXIBLE   (mentor)
        [1.0, 0.3, 0.7, 0.8],  # DIRECT mentee
        [0.3, 1.0, 0.6, 0.8],  # REFLECTIVE mentee
        [0.7, 0.6, 1.0, 0.7],  # STRUCTURED mentee
        [0.8, 0.8, 0.7, 1.0],  # FLEXIBLE mentee
    ],
    dtype=np.float64,
)
STYLE_COMPATIBILITY.setflags(write=False)


class Preference(enum.IntFlag):
    """A hard requirement a participant asked for; honoured whichever side asked."""

    NONE = 0
    SAME_GENDER = 1
    SHARED_LANGUAGE = 2  # the other speaks my home language
    SHARED_BACKGROUND = 4


@dataclass(frozen=True, kw_only=True)
class Participant:
    """What mentees and mentors have in common.

    `gender`, `background` and `home_language` are optional (None) and are only ever
    used to honour a preference that someone explicitly `requested`.
    """

    programme: int
    availability: frozenset[int]  # slot numbers, see `slot()`
    interests: frozenset[int] = frozenset()  # ids in the round's interest vocabulary
    goal: str = ""  # career goal in the participant's own words
    style: CommunicationStyle = CommunicationStyle.FLEXIBLE
    level: int = 1  # year of study; mentors may be alumni or from industry (higher)
    languages: frozenset[int] = frozenset()  # ids in the round's language list
    home_language: int | None = None
    gender: int | None = None
    background: int | None = None
    requested: Preference = Preference.NONE
    wishes: tuple[int, ...] = ()  # other side's indices, best first
    conflicts: frozenset[int] = frozenset()  # other side's indices that must not be paired


@dataclass(frozen=True, kw_only=True)
class MenteeProfile(Participant):
    """A learner who would like a mentor; `wishes` are mentor indices."""


@dataclass(frozen=True, kw_only=True)
class MentorProfile(Participant):
    """A mentor; `wishes` are mentee indices, `capacity` is how many mentees they take."""

    trained: bool = True
    capacity: int = 1


Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Cohort:
    """One side of a round in columnar form: every array has one row per person.

    Optional values use -1 for "not given". `interests` is a bitmask split in uint64
    words (shape (n, words)); `wishes` is padded with -1 (shape (n, max wishes));
    `conflicts` holds (own index, other side's index) rows.
    """

    programme: npt.NDArray[np.int32]
    availability: npt.NDArray[np.uint32]
    interests: npt.NDArray[np.uint64]
    goals: tuple[str, ...]
    style: npt.NDArray[np.int8]
    level: npt.NDArray[np.int16]
    languages: npt.NDArray[np.uint64]
    home_language: npt.NDArray[np.int16]
    gender: npt.NDArray[np.int8]
    background: npt.NDArray[np.int16]
    requested: npt.NDArray[np.uint8]
    wishes: Int64Array
    conflicts: Int64Array = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    trained: npt.NDArray[np.bool_] | None = None  # mentors only; None = all trained
    capacity: Int64Array | None = None  # mentors only

    def __post_init__(self) -> None:
        n = len(self.programme)
        columns: dict[str, npt.NDArray[np.generic]] = {
            "availability": self.availability,
            "interests": self.interests,
            "style": self.style,
            "level": self.level,
            "languages": self.languages,
            "home_language": self.home_language,
            "gender": self.gender,
            "background": self.background,
            "requested": self.requested,
            "wishes": self.wishes,
        }
        for name, column in columns.items():
            if len(column) != n:
                raise ValueError(f"{name} has {len(column)} rows, programme has {n}")
        if len(self.goals) != n:
            raise ValueError(f"goals has {len(self.goals)} rows, programme has {n}")
        if self.interests.ndim != 2 or self.wishes.ndim != 2:
            raise ValueError("interests and wishes must be 2-dimensional")
        if self.conflicts.ndim != 2 or self.conflicts.shape[1] != 2:
            raise ValueError("conflicts must have shape (k, 2)")
        for name, optional in (("trained", self.trained), ("capacity", self.capacity)):
            if optional is not None and len(optional) != n:
                raise ValueError(f"{name} has {len(optional)} rows, programme has {n}")

    def __len__(self) -> int:
        return len(self.programme)

    @property
    def interest_words(self) -> int:
        """How many uint64 words the interest bitmask uses."""
        return int(self.interests.shape[1])

    @classmethod
    def from_profiles(cls, profiles: Sequence[MenteeProfile] | Sequence[MentorProfile]) -> Cohort:
        """The columnar form of `profiles`, in the same order."""
        n = len(profiles)
        max_interest = max((max(p.interests) for p in profiles if p.interests), default=0)
        interests = np.zeros((n, max_interest // 64 + 1), dtype=np.uint64)
        max_wishes = max((len(p.wishes) for p in profiles), default=0)
        wishes = np.full((n, max_wishes), -1, dtype=np.int64)
        for i, p in enumerate(profiles):
            for interest in p.interests:
                interests[i, interest // 64] |= np.uint64(1 << (interest % 64))
            wishes[i, : len(p.wishes)] = p.wishes
        conflicts = [(i, other) for i, p in enumerate(profiles) for other in sorted(p.conflicts)]
        mentors = [p for p in profiles if isinstance(p, MentorProfile)]
        is_mentor = n > 0 and len(mentors) == n
        return cls(
            programme=np.array([p.programme for p in profiles], dtype=np.int32),
            availability=np.array([_bits(p.availability) for p in profiles], dtype=np.uint32),
            interests=interests,
            goals=tuple(p.goal for p in profiles),
            style=np.array([p.style for p in profiles], dtype=np.int8),
            level=np.array([p.level for p in profiles], dtype=np.int16),
            languages=np.array([_bits(p.languages) for p in profiles], dtype=np.uint64),
            home_language=_optional([p.home_language for p in profiles], np.int16),
            gender=_optional([p.gender for p in profiles], np.int8),
            background=_optional([p.background for p in profiles], np.int16),
            requested=np.array([int(p.requested) for p in profiles], dtype=np.uint8),
            wishes=wishes,
            conflicts=np.array(conflicts, dtype=np.int64).reshape(-1, 2),
            trained=np.array([p.trained for p in mentors], dtype=bool) if is_mentor else None,
            capacity=np.array([p.capacity for p in mentors], dtype=np.int64) if is_mentor else None,
        )


def _bits(members: frozenset[int]) -> int:
    mask = 0
    for member in members:
        mask |= 1 << member
    return mask


def _optional(values: list[int | None], dtype: type[np.signedinteger]) -> npt.NDArray:  # type: ignore[type-arg]
    return np.array([-1 if v is None else v for v in values], dtype=dtype)


@dataclass(frozen=True, kw_only=True)
class Labels:
    """Display names for the ids in a round, used in explanations.

    Anything not named falls back to a neutral label ("interest 12").
    """

    interests: Sequence[str] = ()
    languages: Sequence[str] = ()
    levels: Mapping[int, str] = field(default_factory=dict)
    mentors: Sequence[str] = ()

    def interest(self, interest: int) -> str:
        return _label(self.interests, interest, "interest")

    def language(self, language: int) -> str:
        return _label(self.languages, language, "language")

    def level(self, level: int) -> str:
        return self.levels.get(level, f"level {level}")

    def mentor(self, mentor: int) -> str:
        return _label(self.mentors, mentor, "mentor")


def _label(names: Sequence[str], index: int, kind: str) -> str:
    return names[index] if 0 <= index < len(names) else f"{kind} {index}"

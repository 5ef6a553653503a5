"""The built-in enrolment questions and their answer vocabularies.

Every programme's enrolment form is data (``Question`` rows); the built-in rows carry a
``key`` from ``BUILTIN_QUESTIONS`` and take their wording and choices from here, so
that both languages ship with the code. The matching adapter reads the answers of
these keys; custom questions are for the coordinator's eyes only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guildhouse.matching.profiles import DAYS, PARTS_OF_DAY


class Interest(models.TextChoices):
    STUDY_SKILLS = "study_skills", _("Study skills and keeping up")
    TRADE_SKILLS = "trade_skills", _("Practical skills of my trade")
    WORK_PLACEMENT = "work_placement", _("Work placements and on-the-job learning")
    CAREER = "career", _("Career planning and job hunting")
    FURTHER_STUDY = "further_study", _("Further studies")
    ENTREPRENEURSHIP = "entrepreneurship", _("Starting a business")
    WELLBEING = "wellbeing", _("Wellbeing and balance")
    LANGUAGE = "language", _("Language and communication")
    DIGITAL = "digital", _("Digital tools")
    SETTLING_IN = "settling_in", _("Settling in at school")


class Style(models.TextChoices):
    # Values match guildhouse.matching.profiles.CommunicationStyle by name.
    DIRECT = "direct", _("Direct: I like to get to the point")
    REFLECTIVE = "reflective", _("Reflective: I like time to think things through")
    STRUCTURED = "structured", _("Structured: I like a plan and an agenda")
    FLEXIBLE = "flexible", _("Flexible: it depends on the day")


class Experience(models.TextChoices):
    # The value is the engine's level: year of study, alumni 4, industry 5.
    YEAR_1 = "1", _("First year of study")
    YEAR_2 = "2", _("Second year of study")
    YEAR_3 = "3", _("Third year of study")
    ALUMNUS = "4", _("Graduated (alumni)")
    PROFESSIONAL = "5", _("Working in the trade")


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    ESTONIAN = "et", _("Estonian")
    PERSIAN = "fa", _("Persian")
    RUSSIAN = "ru", _("Russian")
    SOMALI = "so", _("Somali")
    UKRAINIAN = "uk", _("Ukrainian")
    VIETNAMESE = "vi", _("Vietnamese")
    SIGN = "fse", _("Finnish Sign Language")


DAY_NAMES: tuple[Promise, ...] = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
PART_NAMES: tuple[Promise, ...] = (_("Morning"), _("Afternoon"), _("Evening"))
assert len(DAY_NAMES) == len(DAYS)
assert len(PART_NAMES) == len(PARTS_OF_DAY)


def slot_label(slot: int) -> str:
    """ "Tuesday afternoon" for slot 4, in the active language."""
    day, part = divmod(slot, len(PART_NAMES))
    return f"{DAY_NAMES[day]} {str(PART_NAMES[part]).lower()}"


@dataclass(frozen=True)
class Builtin:
    key: str
    kind: str
    label: Promise
    help_text: Promise | str = ""
    choices: type[models.TextChoices] | None = None
    required: bool = True


# In the order they appear on the form.
BUILTIN_QUESTIONS: tuple[Builtin, ...] = (
    Builtin(
        "interests",
        "multiple",
        _("What would you like to talk about?"),
        _("Pick everything that interests you."),
        Interest,
    ),
    Builtin(
        "career_goal",
        "long_text",
        _("Your career goal, in your own words"),
        _("For example: I want to become an electrician and work on solar panels."),
        required=False,
    ),
    Builtin("style", "single", _("How do you like to talk things through?"), "", Style),
    Builtin("experience", "single", _("Where are you in your studies or career?"), "", Experience),
    Builtin(
        "availability",
        "availability",
        _("When could you usually meet?"),
        _("Tick every part of the week that usually suits you."),
    ),
    Builtin("languages", "multiple", _("Languages you speak"), "", Language),
    Builtin(
        "home_language",
        "single",
        _("The language you grew up with"),
        "",
        Language,
        required=False,
    ),
    Builtin(
        "about",
        "long_text",
        _("Anything else you would like us to know"),
        required=False,
    ),
)
BUILTINS: dict[str, Builtin] = {b.key: b for b in BUILTIN_QUESTIONS}

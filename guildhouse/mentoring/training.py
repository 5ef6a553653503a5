"""Mentor training: the four modules of seed 003, each with its content and a short check.

The modules live in code so that both languages ship with them; completions are rows
(``TrainingCompletion``). A programme lists the modules it requires
(``MentoringProgramme.required_modules``) and the matching proposes only mentors
who completed all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ModuleKey(models.TextChoices):
    ROLE = "role", _("The role of a mentor")
    LISTENING = "listening", _("Active listening and communication")
    CONFLICT = "conflict", _("Conflict resolution")
    GOALS = "goals", _("Goal setting and progress evaluation")


@dataclass(frozen=True)
class CheckQuestion:
    text: Promise
    options: tuple[Promise, ...]
    correct: int  # index into options


@dataclass(frozen=True)
class Module:
    key: ModuleKey
    summary: Promise
    content: tuple[Promise, ...]  # paragraphs
    check: tuple[CheckQuestion, ...]

    @property
    def title(self) -> str:
        return str(self.key.label)


MODULES: tuple[Module, ...] = (
    Module(
        ModuleKey.ROLE,
        _("What a mentor does, and what a mentor does not do."),
        (
            _(
                "A mentor is a guide, not a teacher or a parent. You share what you have "
                "learnt, help your mentee find their own answers and encourage them when "
                "things are hard."
            ),
            _(
                "You keep what your mentee tells you private, with one limit: if someone "
                "may be hurt, you tell the coordinator or support staff straight away."
            ),
            _(
                "You turn up to meetings you agreed, and you tell your mentee early if you "
                "cannot. Being reliable matters more than having every answer."
            ),
        ),
        (
            CheckQuestion(
                _("Your mentee asks you to solve their assignment for them. What do you do?"),
                (
                    _("Do it, so they pass"),
                    _("Help them work out how to do it themselves"),
                    _("Tell them to ask someone else"),
                ),
                1,
            ),
            CheckQuestion(
                _("Your mentee tells you something that means they may be in danger. What then?"),
                (
                    _("Keep it secret: you promised confidentiality"),
                    _("Tell the coordinator or support staff straight away"),
                ),
                1,
            ),
        ),
    ),
    Module(
        ModuleKey.LISTENING,
        _("Listening so that the other person feels heard."),
        (
            _(
                "Active listening means giving your full attention: put the phone away, "
                "look at the person, and let them finish before you answer."
            ),
            _(
                "Ask open questions that start with what, how or tell me, and check that "
                "you understood by saying back what you heard in your own words."
            ),
        ),
        (
            CheckQuestion(
                _("Which is an open question?"),
                (
                    _("Did you like the placement?"),
                    _("What was the best part of the placement?"),
                ),
                1,
            ),
            CheckQuestion(
                _("How do you check that you understood?"),
                (
                    _("Say back what you heard in your own words"),
                    _("Change the subject to your own story"),
                ),
                0,
            ),
        ),
    ),
    Module(
        ModuleKey.CONFLICT,
        _("When you disagree, or meetings stop happening."),
        (
            _(
                "Disagreements happen. Stay calm, describe what happened rather than "
                "judging the person, and look together for a next step you both accept."
            ),
            _(
                "If meetings keep being missed or something feels wrong, talk about it "
                "early. If that does not help, ask the coordinator: asking is not failing."
            ),
        ),
        (
            CheckQuestion(
                _("Your mentee has missed two meetings. What is a good first step?"),
                (
                    _("Stop contacting them"),
                    _("Ask them kindly what is getting in the way"),
                    _("Complain to their teacher"),
                ),
                1,
            ),
        ),
    ),
    Module(
        ModuleKey.GOALS,
        _("Setting goals together and seeing progress."),
        (
            _(
                "Good goals are the mentee's own, specific and possible: 'find a work "
                "placement in a garage by March' rather than 'do better'."
            ),
            _(
                "Split a goal into small milestones, agree who does what by when, and look "
                "back at progress every few meetings so that success is visible."
            ),
        ),
        (
            CheckQuestion(
                _("Which goal is easiest to follow up?"),
                (
                    _("Do better at school"),
                    _("Hand in the two missing reports by Friday 14 March"),
                ),
                1,
            ),
            CheckQuestion(
                _("Whose goals are they?"),
                (_("The mentor's"), _("The mentee's")),
                1,
            ),
        ),
    ),
)
MODULES_BY_KEY: dict[str, Module] = {m.key.value: m for m in MODULES}

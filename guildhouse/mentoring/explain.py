"""The engine's explanations in plain words, in the reader's language.

Runs store numbers and codes (``adapter.explanation_data``); these functions write the
sentences when a page is shown, so a Finnish coordinator reads Finnish. Which
optional preference ruled a pair out is never named: preferences are special-category
data that coordinators do not see.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guildhouse.mentoring.intake import Interest, Style, slot_label
from guildhouse.mentoring.models import Application

PREFERENCE_RULES = frozenset({"same_gender", "shared_language", "shared_background"})


def rule_words(rule: str) -> str:
    """Why a pair cannot be made, as a short noun phrase."""
    if rule == "programme":
        return _("another study programme")
    if rule == "availability":
        return _("no common time in the week")
    if rule in PREFERENCE_RULES:
        return _("an optional matching preference")
    if rule == "conflict_of_interest":
        return _("a declared conflict or an earlier declined pair")
    if rule == "training":
        return _("mentor training not completed")
    return rule


def percent(score: float) -> str:
    return f"{round(score * 100)} %"


def common_times(mentee: Application, mentor: Application) -> list[str]:
    shared = set(mentee.answers.get("availability", [])) & set(
        mentor.answers.get("availability", [])
    )
    return [slot_label(int(s)) for s in sorted(shared)]


def shared_interests(mentee: Application, mentor: Application) -> list[str]:
    labels = dict(Interest.choices)
    mine = mentee.answers.get("interests", [])
    theirs = set(mentor.answers.get("interests", []))
    return [str(labels[i]) for i in mine if i in theirs and i in labels]


def why_sentences(data: dict[str, Any], mentee: Application, mentor: Application) -> list[str]:
    """The short "why" both people of a pair see: what they have in common."""
    sentences = []
    times = common_times(mentee, mentor)
    if times:
        sentences.append(_("You are both free on %(times)s.") % {"times": ", ".join(times)})
    interests = shared_interests(mentee, mentor)
    if interests:
        sentences.append(
            _("You both want to talk about %(topics)s.") % {"topics": ", ".join(interests)}
        )
    criteria = {c["criterion"]: c for c in data.get("criteria", [])}
    styles = dict(Style.choices)
    if "style" in criteria and criteria["style"]["value"] >= 0.7:
        mentee_style = mentee.answers.get("style")
        mentor_style = mentor.answers.get("style")
        if mentee_style == mentor_style and mentee_style in styles:
            sentences.append(
                _("You talk things through the same way: %(style)s.")
                % {"style": str(styles[mentee_style]).split(":")[0].lower()}
            )
        else:
            sentences.append(_("Your ways of talking things through fit well together."))
    if "goals" in criteria and criteria["goals"]["value"] >= 0.3:
        sentences.append(_("Your career goals are alike."))
    experience = criteria.get("experience")
    if experience and experience["value"] >= 1:
        sentences.append(_("The mentor is a step or two ahead of the mentee: the ideal gap."))
    return sentences


def coordinator_sentences(
    data: dict[str, Any],
    mentee: Application,
    mentor: Application,
    names: dict[int, str],
) -> list[str]:
    """The full explanation of a proposed pair, for the coordinator's review."""
    sentences = [
        ngettext(
            "Fit %(score)s: number %(rank)s of %(n)s suitable mentor.",
            "Fit %(score)s: number %(rank)s of %(n)s suitable mentors.",
            data["suitable"],
        )
        % {"score": percent(data["score"]), "rank": data["rank"], "n": data["suitable"]}
    ]
    if data.get("locked"):
        sentences.append(_("You kept this pair."))
    shares = sorted(data.get("criteria", []), key=lambda c: -c["share"])
    names_of_criteria = {
        "interests": _("shared interests"),
        "goals": _("similar career goals"),
        "style": _("communication style"),
        "experience": _("experience gap"),
        "language": _("shared languages"),
        "wishes": _("wish lists"),
    }
    parts = [
        _("%(criterion)s %(share)s")
        % {"criterion": names_of_criteria[c["criterion"]], "share": percent(c["share"])}
        for c in shares
        if c["share"] > 0 and c["criterion"] in names_of_criteria
    ]
    if parts:
        sentences.append(_("Made of: %(parts)s.") % {"parts": ", ".join(parts)})
    sentences.extend(why_sentences(data, mentee, mentor))
    for alternative in data.get("alternatives", []):
        name = names.get(alternative["mentor"], _("Another mentor"))
        values = {"name": name, "score": percent(alternative["score"])}
        if alternative["reason"] == "full":
            sentences.append(_("%(name)s scored higher (%(score)s) but is full.") % values)
        elif alternative["reason"] == "excluded":
            sentences.append(
                _("%(name)s scored higher (%(score)s) but you excluded the pair.") % values
            )
        elif alternative["reason"] == "rule":
            why = ", ".join(dict.fromkeys(rule_words(r) for r in alternative["rules"]))
            sentences.append(
                _("%(name)s scored higher (%(score)s) but cannot be paired: %(why)s.")
                % {**values, "why": why}
            )
        else:
            sentences.append(
                _("%(name)s scored higher (%(score)s) and had room; the mode chose otherwise.")
                % values
            )
    return sentences


def unmatched_sentence(data: dict[str, Any]) -> str:
    if data["reason"] == "all_suitable_full":
        return _("Every suitable mentor is full.")
    if data["reason"] == "not_chosen":
        return _("Suitable mentors had room, but this mode left the mentee out.")
    counts = data.get("rule_counts", {})
    parts = [
        ngettext("%(n)s mentor: %(why)s", "%(n)s mentors: %(why)s", n)
        % {"n": n, "why": rule_words(rule)}
        for rule, n in counts.items()
    ]
    if data.get("excluded"):
        parts.append(
            ngettext("%(n)s excluded by you", "%(n)s excluded by you", data["excluded"])
            % {"n": data["excluded"]}
        )
    return _("No suitable mentor: %(parts)s.") % {"parts": "; ".join(parts)}

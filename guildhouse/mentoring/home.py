"""The participant's home-page panel: mentoring surveys waiting for an answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from guildhouse.mentoring import selectors
from guildhouse.mentoring.models import Side
from guildhouse.mentoring.surveys import due_surveys

# A person has one pair per programme; a handful of pairs bounds the panel's queries.
PAIRS_LOOKED_AT = 5


def due_surveys_panel(request: HttpRequest) -> dict[str, object] | None:
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    due = []
    today = timezone.localdate()
    for relationship in selectors.my_relationships(membership=membership)[:PAIRS_LOOKED_AT]:
        side = Side.MENTEE if relationship.mentee.membership_id == membership.pk else Side.MENTOR
        due.extend(
            due_surveys(
                relationship=relationship, side=side, respondent_id=membership.pk, today=today
            )
        )
    return {"count": len(due)} if due else None

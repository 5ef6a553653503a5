"""``{% campaign_answers organisation %}``: the partner's check-in answers on its page."""

from __future__ import annotations

from typing import Any

from django import template

from guildhouse.partners import selectors_campaigns
from guildhouse.partners.models import Organisation

register = template.Library()


@register.inclusion_tag("partners/_campaign_answers.html")
def campaign_answers(organisation: Organisation) -> dict[str, Any]:
    return {"answers": selectors_campaigns.organisation_answers(organisation=organisation)}

"""The suggestions a lookup field's text box shows while the user types."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.partners import selectors
from guildhouse.partners.access import PARTNER_WORKERS, access_period
from guildhouse.partners.lookup import KINDS, options_html, suggestions


@require_GET
@member_required(*PARTNER_WORKERS)
def lookup(request: AuthedRequest, kind: str) -> HttpResponse:
    """``<option>`` elements for the box named ``field`` (htmx sends the typed text
    under the box's own name). Staff only; one school's records only."""
    if kind not in KINDS:
        raise Http404
    field = request.GET.get("field", "")
    text = request.GET.get(field, "") if field else ""
    within = None
    if period := request.GET.get("period"):  # the learners a period's opportunity may take
        if kind != "member" or not period.isdigit():
            raise Http404
        opportunity = access_period(request.membership, int(period)).opportunity
        within = selectors.learner_choices(opportunity=opportunity)
    labels = suggestions(institution=request.institution, kind=kind, text=text, within=within)
    return HttpResponse(options_html(labels))  # no-store: the shell's middleware

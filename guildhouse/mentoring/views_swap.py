"""The swap page of the matching review: the effect of each possible swap, then apply one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.mentoring import selectors, services_swap
from guildhouse.mentoring.access import access_mentoring_programme
from guildhouse.mentoring.models import Proposal, RunStatus


@require_http_methods(["GET", "POST"])
@member_required()
def matching_swap(request: AuthedRequest, pk: int, proposal: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk, for_change=True)
    run = selectors.latest_run(programme=programme)
    if run is None or run.status != RunStatus.DONE:
        raise Http404("No finished run.")
    try:
        chosen = Proposal.objects.select_related(
            "mentee__membership__user", "mentor__membership__user"
        ).get(pk=proposal, run=run, mentor__isnull=False)
    except Proposal.DoesNotExist:
        raise Http404("No such proposed pair in the latest run.") from None
    if request.method == "POST":
        try:
            other = Proposal.objects.get(pk=int(request.POST.get("other", "0")), run=run)
        except (ValueError, Proposal.DoesNotExist):
            raise Http404("No such proposed pair in the latest run.") from None
        try:
            change = services_swap.swap_apply(
                actor=request.user, run=run, proposal=chosen, other=other
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Swapped. The total fit changed by %(change)s; both new pairs are kept "
                    "if you run the matching again."
                )
                % {"change": f"{change:+.2f}"},
            )
            return redirect("mentoring:matching_review", pk=programme.pk)
    return render(
        request,
        "mentoring/matching_swap.html",
        {
            "programme": programme,
            "run": run,
            "proposal": chosen,
            "options": services_swap.swap_options(run=run, proposal=chosen)
            if run.published_at is None
            else [],
        },
    )

"""Matching pages: run the engine, review proposals with their explanation, publish; and the
pair's own page, where each side sees why and may accept or decline once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import PAGE_SIZE
from guildhouse.mentoring import explain, selectors, services_matching
from guildhouse.mentoring.access import (
    MANAGERS,
    access_matching_run,
    access_mentoring_programme,
    access_relationship,
    meeting_notes_readable,
)
from guildhouse.mentoring.forms import CloseForm, DeclineForm, MeetingForm, RunForm
from guildhouse.mentoring.models import (
    Application,
    MentoringProgramme,
    Relationship,
    RelationshipStatus,
    RunStatus,
    Side,
)
from guildhouse.mentoring.views_lifecycle import pair_context


@require_GET
@member_required()
def matching_review(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk, for_change=True)
    return _review_page(request, programme, RunForm(initial={"mode": programme.matching_mode}))


def _review_page(
    request: AuthedRequest, programme: MentoringProgramme, form: RunForm
) -> HttpResponse:
    run = selectors.latest_run(programme=programme)
    page = None
    rows = []
    if run is not None and run.status == RunStatus.DONE:
        page = Paginator(selectors.run_proposals(run=run), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        proposals = list(page.object_list)
        alternative_ids = {
            a["mentor"] for p in proposals for a in p.explanation.get("alternatives", [])
        }
        names = selectors.application_names(ids=alternative_ids)
        rules = selectors.pair_rules(programme=programme)
        for proposal in proposals:
            if proposal.mentor is None or proposal.mentor_id is None:
                sentences = [explain.unmatched_sentence(proposal.explanation)]
                rule = ""
            else:
                sentences = explain.coordinator_sentences(
                    proposal.explanation, proposal.mentee, proposal.mentor, names
                )
                rule = rules.get((proposal.mentee_id, proposal.mentor_id), "")
            rows.append({"proposal": proposal, "sentences": sentences, "rule": rule})
    return render(
        request,
        "mentoring/matching_review.html",
        {
            "programme": programme,
            "run": run,
            "page": page,
            "rows": rows,
            "form": form,
            "can_run": programme.state in services_matching.MATCHING_STATES,
            "pairs": selectors.relationship_counts(programme=programme),
        },
    )


@require_POST
@member_required()
def matching_start(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk, for_change=True)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            services_matching.matching_run_start(
                actor=request.user, programme=programme, mode=form.cleaned_data["mode"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The matching has started; its progress shows below."))
        return redirect("mentoring:matching_review", pk=programme.pk)
    return _review_page(request, programme, form)


@require_POST
@member_required()
def pair_rule(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk, for_change=True)
    try:
        mentee = Application.objects.get(
            pk=int(request.POST.get("mentee", "0")), programme=programme, side=Side.MENTEE
        )
        mentor = Application.objects.get(
            pk=int(request.POST.get("mentor", "0")), programme=programme, side=Side.MENTOR
        )
    except (ValueError, Application.DoesNotExist):
        raise Http404("No such pair in this programme.") from None
    try:
        services_matching.pair_rule_set(
            actor=request.user,
            programme=programme,
            mentee=mentee,
            mentor=mentor,
            kind=request.POST.get("kind", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved. Run the matching again to see the effect."))
    return redirect("mentoring:matching_review", pk=programme.pk)


@require_POST
@member_required()
def matching_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    run = access_matching_run(request.membership, pk)
    try:
        published, skipped = services_matching.matching_run_publish(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s pair published. Both people can now see their match.",
                "%(n)s pairs published. Both people can now see their match.",
                published,
            )
            % {"n": published},
        )
        for reason in skipped:
            messages.warning(request, reason)
    return redirect("mentoring:matching_review", pk=run.programme_id)


@require_GET
@member_required()
def relationship_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk)
    return _relationship_page(request, relationship, DeclineForm())


def _relationship_page(
    request: AuthedRequest, relationship: Relationship, form: DeclineForm
) -> HttpResponse:
    viewer = request.membership
    side = (
        Side.MENTEE
        if viewer.pk == relationship.mentee.membership_id
        else Side.MENTOR
        if viewer.pk == relationship.mentor.membership_id
        else ""
    )
    own = relationship.mentee if side == Side.MENTEE else relationship.mentor if side else None
    proposed = relationship.status == RelationshipStatus.PROPOSED
    accepted = (
        relationship.mentee_accepted_at if side == Side.MENTEE else relationship.mentor_accepted_at
    )
    meetings = [
        {"meeting": m, "show_notes": meeting_notes_readable(viewer, m)}
        for m in selectors.meetings_of(relationship=relationship).select_related(
            "relationship__mentor", "relationship__mentee"
        )
    ]
    meeting_form = None
    if side and relationship.status == RelationshipStatus.ACTIVE:
        meeting_form = MeetingForm(
            suggestions=selectors.suggested_times(relationship=relationship, now=timezone.now()),
            initial={"minutes": relationship.programme.meeting_minutes},
        )
    return render(
        request,
        "mentoring/relationship_detail.html",
        {
            "relationship": relationship,
            "side": side,
            "why": explain.why_sentences(
                relationship.explanation, relationship.mentee, relationship.mentor
            ),
            "can_accept": bool(side) and proposed and accepted is None,
            "can_decline": own is not None and proposed and not own.used_decline,
            "form": form,
            "is_manager": viewer.role in MANAGERS,
            "meetings": meetings,
            "meeting_form": meeting_form,
            "can_manage_pair": viewer.role in MANAGERS
            and relationship.status in (RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED),
            "close_form": CloseForm(),
            **pair_context(viewer, relationship, side),
        },
    )


@require_POST
@member_required()
def relationship_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk)
    try:
        version = request.POST.get("version", "")
        relationship = services_matching.relationship_accept(
            actor=request.user,
            relationship=relationship,
            version=int(version) if version.isdigit() else None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if relationship.status == RelationshipStatus.ACTIVE:
            messages.success(request, _("You have both accepted: your mentoring has started."))
        else:
            messages.success(request, _("Accepted. We are waiting for the other person."))
    return redirect("mentoring:relationship_detail", pk=pk)


@require_POST
@member_required()
def relationship_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services_matching.relationship_decline(
                actor=request.user, relationship=relationship, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("You declined this match. The coordinator will find you another.")
            )
        return redirect("mentoring:relationship_detail", pk=pk)
    return _relationship_page(request, relationship, form)


@require_POST
@member_required()
def relationship_pause(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk, for_change=True)
    pause = request.POST.get("pause") == "1"
    try:
        services_matching.relationship_pause(
            actor=request.user, relationship=relationship, pause=pause
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The pair is paused.") if pause else _("The pair is active again.")
        )
    return redirect("mentoring:relationship_detail", pk=pk)


@require_POST
@member_required()
def relationship_close(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk, for_change=True)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the pair ends."))
        return redirect("mentoring:relationship_detail", pk=pk)
    try:
        services_matching.relationship_close(
            actor=request.user,
            relationship=relationship,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pair has ended. Its mentor's seat is free again."))
    return redirect("mentoring:relationship_detail", pk=pk)

"""Monitoring pages: the board of pairs at risk, overdue contacts, a pair's monitoring, flags."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.mentoring import selectors_monitoring as selectors
from guildhouse.mentoring import services_monitoring as services
from guildhouse.mentoring.access import access_relationship
from guildhouse.mentoring.access_monitoring import MONITORS, access_flag, require_pair_member
from guildhouse.mentoring.forms_monitoring import ActionForm, FlagForm, ResolveForm
from guildhouse.mentoring.models import MentoringProgramme, PairWatch, RelationshipStatus

PAGE_SIZE = 50


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told the number of rows (from the grouped counts already read)."""

    def __init__(self, object_list: Any, per_page: int, *, known: int) -> None:
        super().__init__(object_list, per_page)
        self.known = known

    @cached_property
    def count(self) -> int:
        return self.known


def _programme_filter(request: AuthedRequest) -> MentoringProgramme | None:
    raw = request.GET.get("programme", "")
    if not raw.isdigit():
        return None
    return MentoringProgramme.objects.filter(pk=int(raw), institution=request.institution).first()


@require_GET
@member_required(*MONITORS)
def monitoring_board(request: AuthedRequest) -> HttpResponse:
    programme = _programme_filter(request)
    today = timezone.localdate()
    watches = selectors.at_risk(institution=request.institution, programme=programme)
    counts = selectors.monitoring_counts(
        institution=request.institution, today=today, programme=programme
    )
    page = CountedPaginator(watches, PAGE_SIZE, known=counts.at_risk).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "watch": watch,
            "pair": watch.relationship,
            "alerts": [
                {"reason": selectors.reason(a), "suggestion": selectors.suggestion(a), "alert": a}
                for a in watch.relationship.open_alerts_list
            ],
        }
        for watch in page
    ]
    return render(
        request,
        "mentoring/monitoring_board.html",
        {
            "page": page,
            "rows": rows,
            "counts": counts,
            "programme": programme,
            "programmes": MentoringProgramme.objects.of(request.institution)
            .exclude(state="draft")
            .order_by("-cohort_start", "name")
            .only("pk", "name"),
            "rules": selectors.rules_in_words(),
            "query_string": f"programme={programme.pk}" if programme else "",
        },
    )


@require_GET
@member_required(*MONITORS)
def contacts_overdue(request: AuthedRequest) -> HttpResponse:
    programme = _programme_filter(request)
    today = timezone.localdate()
    counts = selectors.monitoring_counts(
        institution=request.institution, today=today, programme=programme
    )
    watches = selectors.contacts_overdue(
        institution=request.institution, today=today, programme=programme
    )
    page = CountedPaginator(watches, PAGE_SIZE, known=counts.overdue).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "mentoring/contacts_overdue.html",
        {
            "page": page,
            "rows": [{"watch": w, "days": (today - w.next_contact_due).days} for w in page],
            "counts": counts,
            "programme": programme,
            "query_string": f"programme={programme.pk}" if programme else "",
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(*MONITORS)
def pair_monitoring(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk, for_change=True)
    alerts = selectors.pair_alerts(relationship_id=relationship.pk)
    form = ActionForm(posted(request), alerts=alerts)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_action_log(
                actor=request.user,
                relationship=relationship,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                taken_on=form.cleaned_data["taken_on"],
                alert=form.chosen_alert(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Action logged."))
            return redirect("mentoring:pair_monitoring", pk=relationship.pk)
    watch = PairWatch.objects.filter(relationship=relationship).first()
    return render(
        request,
        "mentoring/pair_monitoring.html",
        {
            "relationship": relationship,
            "alerts": [
                {"alert": a, "reason": selectors.reason(a), "suggestion": selectors.suggestion(a)}
                for a in alerts
            ],
            "actions": selectors.pair_actions(relationship_id=relationship.pk),
            "watch": watch,
            "today": timezone.localdate(),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required()
def flag_raise(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk)
    require_pair_member(
        request.membership, relationship.mentee.membership_id, relationship.mentor.membership_id
    )
    form = FlagForm(posted(request))
    closed = relationship.status == RelationshipStatus.CLOSED
    if request.method == "POST" and form.is_valid():
        try:
            flag = services.flag_raise(
                actor=request.user,
                relationship=relationship,
                topic=form.cleaned_data["topic"],
                urgent=form.cleaned_data["urgent"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Thank you. Your coordinator has been told."))
            return redirect("mentoring:flag_detail", pk=flag.pk)
    return render(
        request,
        "mentoring/flag_form.html",
        {"relationship": relationship, "form": form, "closed": closed},
    )


@require_http_methods(["GET", "POST"])
@member_required()
def flag_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    flag = access_flag(request.membership, pk, for_change=request.method == "POST")
    can_resolve = flag.raised_by_id != request.membership.pk and flag.resolved_at is None
    form = ResolveForm(posted(request)) if can_resolve else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.flag_resolve(
                actor=request.user, flag=flag, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The flag is resolved."))
            return redirect("mentoring:flag_detail", pk=flag.pk)
    return render(
        request,
        "mentoring/flag_detail.html",
        {
            "flag": flag,
            "form": form,
            "is_raiser": flag.raised_by_id == request.membership.pk,
            "can_see_pair": request.membership.role in MONITORS,
        },
    )

"""``/partners/export/<list>.<csv|xlsx>``: any partnership list as a file, with the same
query string (filters) as the list page. Each list is one ``ExportList`` row: its
columns and a function that reads its rows through the list's own selector."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.partners import selectors, selectors_campaigns
from guildhouse.partners.access import PARTNER_WORKERS
from guildhouse.partners.access_campaigns import access_campaign
from guildhouse.partners.export import FORMATS, Column, export_response
from guildhouse.partners.forms_campaigns import organisation_filters
from guildhouse.partners.models import Affiliation, Campaign, OpportunityKind

# No export reads more than this many rows (a region has 20,000 organisations).
EXPORT_LIMIT = 100_000


def _organisations(request: AuthedRequest) -> Iterable[Any]:
    _form, filters = organisation_filters(
        request.GET, institution=request.institution, viewer=request.membership
    )
    orgs = selectors.organisation_list(institution=request.institution, filters=filters)
    return orgs[:EXPORT_LIMIT].iterator(chunk_size=2000)


def _contacts(request: AuthedRequest) -> Iterable[Any]:
    rows = Affiliation.objects.filter(
        organisation__institution=request.institution,
        contact__institution=request.institution,
    )
    if request.GET.get("current") == "1":
        rows = rows.current()
    return (
        rows.select_related("contact", "organisation")
        .order_by("contact__full_name", "contact_id", "pk")[:EXPORT_LIMIT]
        .iterator(chunk_size=2000)
    )


def _opportunities(request: AuthedRequest) -> Iterable[Any]:
    kind = request.GET.get("kind", "")
    return selectors.opportunity_list(
        viewer=request.membership,
        kind=kind if kind in OpportunityKind.values else "",
        open_only=request.GET.get("open") == "1",
        limit=EXPORT_LIMIT,
    )


def _placements(request: AuthedRequest) -> Iterable[Any]:
    return selectors.placement_list(viewer=request.membership, limit=EXPORT_LIMIT)


def _agreements(request: AuthedRequest) -> Iterable[Any]:
    return selectors.agreement_list(viewer=request.membership, limit=EXPORT_LIMIT)


def _commitments(request: AuthedRequest) -> Iterable[Any]:
    return selectors.open_commitments(institution=request.institution, limit=EXPORT_LIMIT)


def _follow_ups(request: AuthedRequest) -> Iterable[Any]:
    everyone = request.GET.get("who") == "everyone"
    return selectors.follow_up_list(
        institution=request.institution,
        owner=None if everyone else request.membership,
        limit=EXPORT_LIMIT,
    )


def _check_ins(request: AuthedRequest) -> Iterable[Any]:
    return selectors.check_ins_overdue(institution=request.institution)


def _names(memberships: Iterable[Any]) -> str:
    return ", ".join(m.user.full_name for m in memberships)


@dataclass(frozen=True)
class ExportList:
    filename: str
    rows: Callable[[AuthedRequest], Iterable[Any]]
    columns: list[Column]
    # Lists whose columns depend on the request (a campaign's questions) add them here.
    more_columns: Callable[[AuthedRequest], list[Column]] | None = None


def _campaign(request: AuthedRequest) -> Campaign:
    try:
        pk = int(request.GET.get("campaign", ""))
    except ValueError:
        raise Http404("No such campaign.") from None
    return access_campaign(request.membership, pk)


def _campaign_answers(request: AuthedRequest) -> Iterable[Any]:
    results = selectors_campaigns.campaign_results(campaign=_campaign(request))
    return [*results.rows, *results.waiting]


def _answer(index: int) -> Callable[[Any], object]:
    def value(row: Any) -> object:
        return row.answers[index] if hasattr(row, "answers") else ""

    return value


def _response(row: Any, name: str) -> object:
    """A field of the row's answer; empty for a partner who has not answered."""
    response = getattr(row, "response", None)
    return getattr(response, name) if response is not None else ""


def _question_columns(request: AuthedRequest) -> list[Column]:
    return [Column(q, _answer(i)) for i, q in enumerate(_campaign(request).questions)]


LISTS: dict[str, ExportList] = {
    "organisations": ExportList(
        "organisations",
        _organisations,
        [
            Column(_("Name"), lambda o: o.name),
            Column(_("Type"), lambda o: o.get_kind_display()),
            Column(_("Sector"), lambda o: o.get_sector_display()),
            Column(_("Size"), lambda o: o.get_size_display()),
            Column(_("Stage"), lambda o: o.stage.name),
            Column(_("Website"), lambda o: o.website),
            Column(_("Street address"), lambda o: o.street_address),
            Column(_("Postcode"), lambda o: o.postcode),
            Column(_("Town or city"), lambda o: o.city),
            Column(_("Region"), lambda o: o.region),
            Column(_("Skill shortages and training needs"), lambda o: o.skill_needs),
            Column(_("Source"), lambda o: o.get_source_display()),
            Column(_("Relationship owners"), lambda o: _names(o.owners.all())),
            Column(_("Last contact"), lambda o: o.last_contact_on),
        ],
    ),
    "contacts": ExportList(
        "contacts",
        _contacts,
        [
            Column(_("Name"), lambda a: a.contact.full_name),
            Column(_("Email"), lambda a: a.contact.email),
            Column(_("Phone"), lambda a: a.contact.phone),
            Column(_("Organisation"), lambda a: a.organisation.name),
            Column(_("Role"), lambda a: a.role),
            Column(_("From"), lambda a: a.start_date),
            Column(_("Until"), lambda a: a.end_date),
        ],
    ),
    "opportunities": ExportList(
        "opportunities",
        _opportunities,
        [
            Column(_("Title"), lambda o: o.title),
            Column(_("Type"), lambda o: o.get_kind_display()),
            Column(_("Organisation"), lambda o: o.organisation.name),
            Column(_("Location"), lambda o: o.location),
            Column(_("Starts"), lambda o: o.starts_on),
            Column(_("Ends"), lambda o: o.ends_on),
            Column(_("Places"), lambda o: o.capacity),
            Column(_("Confirmed"), lambda o: o.confirmed),
            Column(_("Open for placements"), lambda o: o.is_open),
        ],
    ),
    "placements": ExportList(
        "placements",
        _placements,
        [
            Column(_("Learner"), lambda p: p.learner.user.full_name),
            Column(_("Organisation"), lambda p: p.period.opportunity.organisation.name),
            Column(_("Opportunity"), lambda p: p.period.opportunity.title),
            Column(_("Starts"), lambda p: p.starts_on),
            Column(_("Ends"), lambda p: p.ends_on),
            Column(_("Planned hours"), lambda p: p.hours),
            Column(_("Workplace supervisor"), lambda p: p.supervisor_name),
            Column(_("Status"), lambda p: p.get_status_display()),
        ],
    ),
    "agreements": ExportList(
        "agreements",
        _agreements,
        [
            Column(_("Title"), lambda a: a.title),
            Column(_("Type"), lambda a: a.get_kind_display()),
            Column(_("Organisation"), lambda a: a.organisation.name),
            Column(_("Status"), lambda a: a.get_status_display()),
            Column(_("Starts"), lambda a: a.starts_on),
            Column(_("Ends"), lambda a: a.ends_on),
            Column(_("Review date"), lambda a: a.review_on),
            Column(_("Signed on"), lambda a: a.signed_on),
            Column(_("Amends"), lambda a: a.amends.title if a.amends else ""),
        ],
    ),
    "commitments": ExportList(
        "promises",
        _commitments,
        [
            Column(_("Promise"), lambda c: c.description),
            Column(_("Who promised"), lambda c: c.get_side_display()),
            Column(_("Organisation"), lambda c: c.organisation.name),
            Column(_("Owner"), lambda c: c.owner.user.full_name),
            Column(_("Due"), lambda c: c.due_on),
            Column(_("Status"), lambda c: c.get_status_display()),
        ],
    ),
    "follow-ups": ExportList(
        "follow-ups",
        _follow_ups,
        [
            Column(_("What to do"), lambda f: f.description),
            Column(_("Organisation"), lambda f: f.organisation.name),
            Column(_("Owner"), lambda f: f.owner.user.full_name),
            Column(_("Due"), lambda f: f.due_on),
        ],
    ),
    "check-ins": ExportList(
        "check-ins-due",
        _check_ins,
        [
            Column(_("Name"), lambda r: r.organisation.name),
            Column(_("Stage"), lambda r: r.organisation.stage.name),
            Column(_("Last contact"), lambda r: r.organisation.last_contact_on),
            Column(_("Check in every (days)"), lambda r: r.every_days),
            Column(_("Overdue by (days)"), lambda r: r.days_overdue),
        ],
    ),
    "campaign-answers": ExportList(
        "check-in-answers",
        _campaign_answers,
        [
            Column(_("Partner"), lambda r: r.organisation.name),
            Column(
                _("Answered on"), lambda r: getattr(r, "response", None) and r.response.updated_at
            ),
            Column(
                _("Answered by"),
                lambda r: getattr(r, "response", None) and r.response.respondent_name,
            ),
        ],
        more_columns=_question_columns,
    ),
}


@require_GET
@member_required(*PARTNER_WORKERS)
def export(request: AuthedRequest, name: str, fmt: str) -> HttpResponse:
    spec = LISTS.get(name)
    if spec is None or fmt not in FORMATS:
        raise Http404("No such export.")
    stamp = timezone.localdate().isoformat()
    columns = spec.columns + (spec.more_columns(request) if spec.more_columns else [])
    return export_response(
        columns=columns,
        rows=spec.rows(request),
        filename=f"{spec.filename}-{stamp}",
        fmt=fmt,
    )

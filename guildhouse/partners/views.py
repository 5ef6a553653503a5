"""Partnership pages: organisations, contacts and the pipeline."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors, services
from guildhouse.partners.access import (
    PARTNER_RUNNERS,
    PARTNER_WORKERS,
    access_affiliation,
    access_commitment,
    access_contact,
    access_follow_up,
    access_interaction,
    access_organisation,
    access_stage,
    may_change_organisation,
)
from guildhouse.partners.forms import (
    CommitmentCloseForm,
    CommitmentForm,
    ContactForm,
    EndAffiliationForm,
    FollowUpForm,
    InteractionForm,
    LinkAccountForm,
    MoveForm,
    NoteForm,
    OrganisationCreateForm,
    OrganisationFilterForm,
    OrganisationForm,
    StageForm,
)
from guildhouse.partners.models import DEFAULT_CHECK_IN_DAYS
from guildhouse.partners.paging import page_of


def _cursor_encode(cursor: tuple[str, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(cursor)).encode()).decode()


def _cursor_decode(raw: str) -> tuple[str, int] | None:
    try:
        name, pk = json.loads(base64.urlsafe_b64decode(raw.encode()))
    except (ValueError, TypeError):
        return None
    if not isinstance(name, str) or not isinstance(pk, int):
        return None
    return name, pk


def _next_url(request: AuthedRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_GET
@member_required(*PARTNER_WORKERS)
def organisation_list(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    stages = selectors.stage_list(institution=institution)
    tags = list(selectors.tag_list(institution=institution).values_list("pk", "name"))
    form = OrganisationFilterForm(request.GET, stages=stages, tags=tags)
    filters = selectors.OrganisationFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.OrganisationFilters(
            query=data["q"].strip(),
            kind=data["kind"],
            sector=data["sector"],
            stage_id=data["stage"],
            tag_id=data["tag"],
            owner_id=request.membership.pk if data["mine"] else None,
        )
    orgs = selectors.organisation_list(institution=institution, filters=filters)
    after = _cursor_decode(request.GET.get("after", ""))
    rows, next_cursor = selectors.keyset_page(orgs, after=after)
    params = {k: str(v) for k, v in request.GET.items() if k != "after" and v}
    context: dict[str, Any] = {
        "form": form,
        "organisations": rows,
        "first_url": "?" + urlencode(params) if after else "",
        "next_url": "?" + urlencode({**params, "after": _cursor_encode(next_cursor)})
        if next_cursor
        else "",
    }
    template = (
        "partners/_organisation_results.html" if request.htmx else "partners/organisation_list.html"
    )
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_WORKERS)
def organisation_create(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    form = OrganisationCreateForm(
        posted(request),
        institution=institution,
        initial={"owners": [request.membership]},
    )
    duplicates: list[services.DuplicateMatch] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact = (
            services.FirstContact(
                full_name=data["contact_name"],
                email=data["contact_email"],
                phone=data["contact_phone"],
                role=data["contact_role"],
            )
            if data["contact_name"]
            else None
        )
        try:
            org = services.organisation_create(
                actor=request.user,
                institution=institution,
                **{name: data[name] for name in OrganisationForm.Meta.fields},
                tags=form.tag_names(),
                owners=list(data["owners"]),
                contact=contact,
                allow_duplicate=request.POST.get("create_anyway") == "1",
            )
        except services.PossibleDuplicate as warning:
            duplicates = warning.matches
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s added to the pipeline.") % {"name": org.name})
            return redirect("partners:organisation_detail", pk=org.pk)
    context = {"form": form, "duplicates": duplicates, "organisation": None}
    return render(request, "partners/organisation_form.html", context)


@require_GET
@member_required()
def organisation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk)
    can_change = may_change_organisation(request.membership, org)
    health = selectors.partner_health(organisation=org)
    staff = selectors.staff_choices(institution=request.institution)  # for both forms
    context = {
        "organisation": org,
        "owners": org.owners.select_related("user"),
        "tags": org.tags.all(),
        "affiliations": selectors.organisation_affiliations(organisation=org),
        "history": selectors.stage_history(organisation=org)[:20],
        "notes": org.research_notes.select_related("author")[:20],
        "can_change": can_change,
        "move_form": MoveForm(institution=request.institution, initial={"stage": org.stage_id}),
        "note_form": NoteForm(),
        "timeline": selectors.organisation_timeline(organisation=org),
        "open_follow_ups": selectors.open_follow_ups(organisation=org)[:20],
        "follow_up_form": FollowUpForm(institution=request.institution, staff=staff),
        "today": timezone.localdate(),
        "runner": request.membership.role in PARTNER_RUNNERS,
        "commitments": org.commitments.select_related("owner__user").order_by(
            "status", "due_on", "pk"
        )[:30],
        "commitment_rate": health.promises,
        "opportunities": org.opportunities.order_by("-starts_on", "pk")[:20],
        "agreements": org.agreements.order_by("-starts_on", "pk")[:20],
        "commitment_form": CommitmentForm(institution=request.institution, staff=staff),
        "check_in_every_days": org.check_in_every_days or DEFAULT_CHECK_IN_DAYS,
        "health": health,
    }
    return render(request, "partners/organisation_detail.html", context)


@require_http_methods(["GET", "POST"])
@member_required()
def organisation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk, for_change=True)
    form = OrganisationForm(posted(request), instance=org, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org.refresh_from_db()
        try:
            services.organisation_update(
                actor=request.user,
                organisation=org,
                tags=form.tag_names(),
                owners=list(data["owners"]),
                **{name: data[name] for name in OrganisationForm.Meta.fields},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("partners:organisation_detail", pk=org.pk)
    context = {"form": form, "duplicates": [], "organisation": org}
    return render(request, "partners/organisation_form.html", context)


@require_POST
@member_required()
def organisation_move(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk, for_change=True)
    form = MoveForm(request.POST, institution=request.institution)
    back = _next_url(request, reverse("partners:organisation_detail", args=[org.pk]))
    if not form.is_valid():
        messages.error(request, _("Choose one of the stages."))
        return redirect(back)
    try:
        services.organisation_move(
            actor=request.user, organisation=org, stage=form.cleaned_data["stage"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s moved to %(stage)s.") % {"name": org.name, "stage": org.stage.name},
        )
    return redirect(back)


@require_POST
@member_required()
def note_add(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(actor=request.user, organisation=org, body=form.cleaned_data["body"])
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("Write the note before saving it."))
    return redirect("partners:organisation_detail", pk=org.pk)


@require_http_methods(["GET", "POST"])
@member_required()
def contact_add(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk)
    form = ContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                actor=request.user, organisation=org, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s added to %(org)s.") % {"name": contact.full_name, "org": org.name},
            )
            return redirect("partners:organisation_detail", pk=org.pk)
    return render(request, "partners/contact_form.html", {"form": form, "organisation": org})


@require_http_methods(["GET", "POST"])
@member_required()
def contact_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = access_contact(request.membership, pk)
    link_form = None
    if request.membership.role in PARTNER_RUNNERS:
        link_form = LinkAccountForm(
            posted(request),
            institution=request.institution,
            initial={"membership": contact.membership_id},
        )
        if request.method == "POST" and link_form.is_valid():
            try:
                services.contact_link_account(
                    actor=request.user,
                    contact=contact,
                    membership=link_form.cleaned_data["membership"],
                )
            except ValidationError as error:
                link_form.add_error(None, error)
            else:
                messages.success(request, _("Account link saved."))
                return redirect("partners:contact_detail", pk=contact.pk)
    elif request.method == "POST":
        access_contact(request.membership, pk, for_change=True)
    context = {
        "contact": contact,
        "affiliations": selectors.contact_affiliations(contact_id=contact.pk),
        "link_form": link_form,
        "end_form": EndAffiliationForm(),
    }
    return render(request, "partners/contact_detail.html", context)


@require_POST
@member_required()
def affiliation_end(request: AuthedRequest, pk: int) -> HttpResponse:
    affiliation = access_affiliation(request.membership, pk)
    form = EndAffiliationForm(request.POST)
    if form.is_valid():
        try:
            services.affiliation_end(
                actor=request.user, affiliation=affiliation, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved: they no longer work there."))
    else:
        messages.error(request, _("Give the date they left, as a date."))
    return redirect("partners:contact_detail", pk=affiliation.contact_id)


@require_GET
@member_required(*PARTNER_WORKERS)
def pipeline_board(request: AuthedRequest) -> HttpResponse:
    columns = selectors.pipeline_board(institution=request.institution)
    stages = [c.stage for c in columns]
    context = {
        "columns": columns,
        "stages": stages,
        "card_limit": selectors.BOARD_CARDS_PER_STAGE,
        "runner": request.membership.role in PARTNER_RUNNERS,
        "owned": set(request.membership.partner_organisations_owned.values_list("pk", flat=True)),
    }
    return render(request, "partners/pipeline_board.html", context)


@require_GET
@member_required(*PARTNER_WORKERS)
def stale_list(request: AuthedRequest) -> HttpResponse:
    page = page_of(request, selectors.stale_list(institution=request.institution))
    context = {"organisations": page.object_list, "page": page}
    return render(request, "partners/stale_list.html", context)


@require_GET
@member_required(*PARTNER_WORKERS)
def check_in_list(request: AuthedRequest) -> HttpResponse:
    rows = selectors.check_ins_overdue(institution=request.institution)
    page = page_of(request, rows)
    context = {"rows": page.object_list, "total": len(rows), "page": page}
    return render(request, "partners/check_in_list.html", context)


@require_GET
@member_required(*PARTNER_WORKERS)
def health_list(request: AuthedRequest) -> HttpResponse:
    sort = request.GET.get("sort", "health")
    if sort not in selectors.HEALTH_SORTS:
        sort = "health"
    today = timezone.localdate()
    ranked = selectors.health_ranked(institution=request.institution, sort=sort, today=today)
    page = page_of(request, ranked)
    rows = [(org, selectors.health_explain(org, today=today)) for org in page.object_list]
    context = {"rows": rows, "sort": sort, "page": page, "query_string": f"sort={sort}"}
    return render(request, "partners/health_list.html", context)


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_RUNNERS)
def stage_settings(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    if request.method == "GET" and not selectors.stage_list(institution=institution):
        services.pipeline_setup(actor=request.user, institution=institution)
    form = StageForm(posted(request))
    if request.method == "POST" and form.is_valid():
        stage_id = request.POST.get("stage", "")
        stage = access_stage(request.membership, int(stage_id)) if stage_id.isdigit() else None
        try:
            services.stage_save(
                actor=request.user, institution=institution, stage=stage, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Stage saved."))
            return redirect("partners:stage_settings")
    stages = selectors.stage_list(institution=institution)
    return render(request, "partners/stage_settings.html", {"stages": stages, "form": form})


@require_http_methods(["GET", "POST"])
@member_required()
def interaction_log(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk)
    form = InteractionForm(
        posted(request),
        institution=request.institution,
        organisation=org,
        initial={"staff": [request.membership], "occurred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        follow_ups = (
            [
                services.FollowUpInput(
                    data["follow_up"], data["follow_up_owner"], data["follow_up_due_on"]
                )
            ]
            if data["follow_up"]
            else []
        )
        try:
            services.interaction_log(
                actor=request.user,
                organisation=org,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                summary=data["summary"],
                staff=list(data["staff"]),
                contacts=list(data["contacts"]),
                follow_ups=follow_ups,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Interaction logged."))
            return redirect("partners:organisation_detail", pk=org.pk)
    return render(request, "partners/interaction_form.html", {"form": form, "organisation": org})


@require_POST
@member_required()
def interaction_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    interaction = access_interaction(request.membership, pk, for_change=True)
    org_pk = interaction.organisation_id
    services.interaction_delete(actor=request.user, interaction=interaction)
    messages.success(request, _("Interaction removed."))
    return redirect("partners:organisation_detail", pk=org_pk)


@require_POST
@member_required()
def follow_up_add(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk)
    form = FollowUpForm(request.POST, institution=request.institution)
    if form.is_valid():
        data = form.cleaned_data
        services.follow_up_add(
            actor=request.user,
            organisation=org,
            item=services.FollowUpInput(data["description"], data["owner"], data["due_on"]),
        )
        messages.success(request, _("Follow-up added."))
    else:
        errors = [
            f"{form.fields[name].label}: {' '.join(str(m) for m in e)}"
            for name, e in form.errors.items()
        ]
        messages.error(
            request, _("The follow-up was not added. %(errors)s") % {"errors": "; ".join(errors)}
        )
    return redirect("partners:organisation_detail", pk=org.pk)


@require_POST
@member_required()
def follow_up_done(request: AuthedRequest, pk: int) -> HttpResponse:
    follow_up = access_follow_up(request.membership, pk)
    done = request.POST.get("done", "1") == "1"
    services.follow_up_set_done(actor=request.user, follow_up=follow_up, done=done)
    messages.success(request, _("Marked as done.") if done else _("Marked as not done."))
    fallback = reverse("partners:organisation_detail", args=[follow_up.organisation_id])
    return redirect(_next_url(request, fallback))


@require_GET
@member_required(*PARTNER_WORKERS)
def follow_up_list(request: AuthedRequest) -> HttpResponse:
    everyone = request.GET.get("who") == "everyone"
    items = selectors.follow_up_list(
        institution=request.institution,
        owner=None if everyone else request.membership,
        limit=None,
    )
    page = page_of(request, items)
    context = {
        "follow_ups": page.object_list,
        "everyone": everyone,
        "today": timezone.localdate(),
        "page": page,
        "query_string": "who=everyone" if everyone else "",
    }
    return render(request, "partners/follow_up_list.html", context)


@require_POST
@member_required()
def commitment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk)
    form = CommitmentForm(request.POST, institution=request.institution)
    if form.is_valid():
        services.commitment_add(actor=request.user, organisation=org, **form.cleaned_data)
        messages.success(request, _("Promise recorded."))
    else:
        errors = [
            f"{form.fields[name].label}: {' '.join(str(m) for m in e)}"
            for name, e in form.errors.items()
        ]
        messages.error(
            request, _("The promise was not recorded. %(errors)s") % {"errors": "; ".join(errors)}
        )
    return redirect("partners:organisation_detail", pk=org.pk)


@require_POST
@member_required()
def commitment_close(request: AuthedRequest, pk: int) -> HttpResponse:
    commitment = access_commitment(request.membership, pk)
    form = CommitmentCloseForm(request.POST)
    fallback = reverse("partners:organisation_detail", args=[commitment.organisation_id])
    if not form.is_valid():
        messages.error(request, _("Choose delivered or cancelled."))
        return redirect(_next_url(request, fallback))
    try:
        services.commitment_close(
            actor=request.user,
            commitment=commitment,
            status=form.cleaned_data["status"],
            delivered_on=form.cleaned_data["delivered_on"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Promise closed."))
    return redirect(_next_url(request, fallback))


@require_GET
@member_required(*PARTNER_WORKERS)
def commitment_list(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    page = page_of(request, selectors.open_commitments(institution=institution, limit=None))
    context = {
        "commitments": page.object_list,
        "page": page,
        "rates": selectors.delivery_rates_by_owner(institution=institution),
        "today": timezone.localdate(),
    }
    return render(request, "partners/commitment_list.html", context)

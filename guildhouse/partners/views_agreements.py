"""Partnership pages: agreements, their parties, contributions, signed copy and print."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors, services
from guildhouse.partners.access import (
    OPPORTUNITY_READERS,
    PARTNER_RUNNERS,
    PARTNER_WORKERS,
    access_agreement,
    access_organisation,
)
from guildhouse.partners.forms import AgreementForm, ContributionForm, SignatoryForm, SignForm
from guildhouse.partners.models import Agreement
from guildhouse.partners.paging import page_of


def _form_errors(form: SignatoryForm | ContributionForm | SignForm) -> str:
    return "; ".join(
        f"{form.fields[name].label}: {' '.join(str(m) for m in errors)}"
        for name, errors in form.errors.items()
    )


@require_GET
@member_required(*OPPORTUNITY_READERS)
def agreement_list(request: AuthedRequest) -> HttpResponse:
    page = page_of(request, selectors.agreement_list(viewer=request.membership, limit=None))
    context = {"agreements": page.object_list, "page": page}
    return render(request, "partners/agreement_list.html", context)


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_RUNNERS)
def agreement_create(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk, for_change=True)
    amends: Agreement | None = None
    amends_id = request.GET.get("amends", "")
    if amends_id.isdigit():
        amends = access_agreement(request.membership, int(amends_id), for_change=True)
        if amends.organisation_id != org.pk:
            raise Http404("No such agreement at this organisation.")
    initial = {}
    if amends is not None:
        initial = {
            "kind": amends.kind,
            "title": _("Amendment to %(title)s") % {"title": amends.title},
        }
    form = AgreementForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                actor=request.user, organisation=org, amends=amends, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Agreement drafted. Add its parties and contributions."))
            return redirect("partners:agreement_detail", pk=agreement.pk)
    context = {"form": form, "organisation": org, "amends": amends}
    return render(request, "partners/agreement_form.html", context)


def _agreement_context(request: AuthedRequest, agreement: Agreement) -> dict[str, object]:
    return {
        "agreement": agreement,
        "organisation": agreement.organisation,
        "signatories": list(agreement.signatories.all()),
        "contributions": list(agreement.contributions.all()),
        "totals": selectors.contribution_totals(agreement=agreement),
        "amendments": list(agreement.amendments.order_by("starts_on", "pk")),
        "staff": request.membership.role in PARTNER_WORKERS,
    }


@require_GET
@member_required()
def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.membership, pk)
    context = _agreement_context(request, agreement)
    if request.membership.role in PARTNER_RUNNERS:
        context |= {
            "runner": True,
            "signatory_form": SignatoryForm(),
            "contribution_form": ContributionForm(),
            "sign_form": SignForm() if agreement.status == "draft" else None,
        }
    return render(request, "partners/agreement_detail.html", context)


@require_GET
@member_required()
def agreement_print(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.membership, pk)
    return render(request, "partners/agreement_print.html", _agreement_context(request, agreement))


@require_POST
@member_required()
def signatory_add(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.membership, pk, for_change=True)
    form = SignatoryForm(request.POST)
    if form.is_valid():
        services.signatory_add(actor=request.user, agreement=agreement, **form.cleaned_data)
        messages.success(request, _("Signatory added."))
    else:
        messages.error(request, _("Not added. %(errors)s") % {"errors": _form_errors(form)})
    return redirect("partners:agreement_detail", pk=agreement.pk)


@require_POST
@member_required()
def contribution_add(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.membership, pk, for_change=True)
    form = ContributionForm(request.POST)
    if form.is_valid():
        services.contribution_add(actor=request.user, agreement=agreement, **form.cleaned_data)
        messages.success(request, _("Contribution added."))
    else:
        messages.error(request, _("Not added. %(errors)s") % {"errors": _form_errors(form)})
    return redirect("partners:agreement_detail", pk=agreement.pk)


@require_POST
@member_required()
def agreement_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(request.membership, pk, for_change=True)
    form = SignForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Not signed. %(errors)s") % {"errors": _form_errors(form)})
        return redirect("partners:agreement_detail", pk=agreement.pk)
    try:
        services.agreement_sign(
            actor=request.user,
            agreement=agreement,
            signed_on=form.cleaned_data["signed_on"],
            document=form.cleaned_data["document"],
        )
    except ValidationError as error:
        messages.error(request, _("Not signed. %(errors)s") % {"errors": " ".join(error.messages)})
    else:
        messages.success(request, _("Agreement signed; the signed copy is stored."))
    return redirect("partners:agreement_detail", pk=agreement.pk)


@require_GET
@member_required()
def agreement_document(request: AuthedRequest, pk: int) -> HttpResponse:
    """The signed copy, only after the access check; never from a public address."""
    agreement = access_agreement(request.membership, pk)
    if not agreement.document:
        raise Http404("No signed copy.")
    content_type = mimetypes.guess_type(agreement.document.name or "")[0]
    response = FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=agreement.document_name or "agreement",
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    # member_required is typed for HttpResponse; a file is streamed instead.
    return response  # type: ignore[return-value]

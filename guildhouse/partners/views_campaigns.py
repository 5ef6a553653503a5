"""Check-in campaign pages: list, create, send, results and reminders for staff, and the
login-free answer page a partner contact reaches through the emailed link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors_campaigns, services_campaigns
from guildhouse.partners.access import PARTNER_RUNNERS, PARTNER_WORKERS
from guildhouse.partners.access_campaigns import access_campaign
from guildhouse.partners.forms import OrganisationFilterForm
from guildhouse.partners.forms_campaigns import AnswerForm, CampaignForm, organisation_filters
from guildhouse.partners.models import Campaign, Organisation

AUDIENCE_PREVIEW = 50


@require_GET
@member_required(*PARTNER_WORKERS)
def campaign_list(request: AuthedRequest) -> HttpResponse:
    context = {
        "campaigns": selectors_campaigns.campaign_list(institution=request.institution),
        "runner": request.membership.role in PARTNER_RUNNERS,
        "templates": services_campaigns.TEMPLATES.values(),
        "today": timezone.localdate(),
    }
    return render(request, "partners/campaign_list.html", context)


def _draft(form: CampaignForm) -> dict[str, Any]:
    """What the campaign form gives the services: title, message, questions, closing day."""
    data = form.cleaned_data
    return {
        "title": data["title"],
        "intro": data["intro"],
        "questions": form.question_list(),
        "closes_on": data["closes_on"],
    }


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_RUNNERS)
def campaign_create(request: AuthedRequest) -> HttpResponse:
    template = services_campaigns.TEMPLATES.get(request.GET.get("template", ""))
    initial: dict[str, Any] = {}
    if template is not None:
        initial = {
            "title": str(template.title),
            "intro": str(template.intro),
            "questions": "\n".join(str(q) for q in template.questions),
        }
    form = CampaignForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services_campaigns.campaign_create(
                actor=request.user, institution=request.institution, **_draft(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Campaign saved. Choose who receives it, then send it."))
            return redirect("partners:campaign_detail", pk=campaign.pk)
    return render(request, "partners/campaign_form.html", {"form": form, "template": template})


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_RUNNERS)
def campaign_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.membership, pk, for_change=True)
    if campaign.sent_at is not None:
        messages.error(request, _("This campaign has already been sent: it cannot be changed."))
        return redirect("partners:campaign_detail", pk=campaign.pk)
    initial = {
        "title": campaign.title,
        "intro": campaign.intro,
        "questions": "\n".join(campaign.questions),
        "closes_on": campaign.closes_on,
    }
    form = CampaignForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_campaigns.campaign_update(
                actor=request.user, campaign=campaign, **_draft(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("partners:campaign_detail", pk=campaign.pk)
    context = {"form": form, "template": None, "campaign": campaign}
    return render(request, "partners/campaign_form.html", context)


def _audience(
    request: AuthedRequest, data: Any
) -> tuple[OrganisationFilterForm, QuerySet[Organisation]]:
    form, filters = organisation_filters(
        data, institution=request.institution, viewer=request.membership
    )
    form.fields["stage"].help_text = _(
        "Leave at All for every partner except paused and ended ones."
    )
    return form, selectors_campaigns.audience(institution=request.institution, filters=filters)


@require_GET
@member_required()
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.membership, pk)
    runner = request.membership.role in PARTNER_RUNNERS
    context: dict[str, Any] = {
        "campaign": campaign,
        "runner": runner,
        "is_open": campaign.is_open(),
        "today": timezone.localdate(),
    }
    if campaign.sent_at is None:
        form, audience = _audience(request, request.GET or None)
        context |= {
            "audience_form": form,
            "audience": list(audience[:AUDIENCE_PREVIEW]),
            "audience_count": audience.count(),
            "query_string": request.GET.urlencode(),
        }
    else:
        context["results"] = selectors_campaigns.campaign_results(campaign=campaign)
    return render(request, "partners/campaign_detail.html", context)


@require_POST
@member_required()
def campaign_send(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.membership, pk, for_change=True)
    _form, audience = _audience(request, request.POST)
    organisations = list(audience)
    try:
        recipients = services_campaigns.campaign_send(
            actor=request.user, campaign=campaign, organisations=organisations
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Sent to %(count)d partners. Their emails go out in the background.")
            % {"count": len(recipients)},
        )
    return redirect("partners:campaign_detail", pk=campaign.pk)


@require_POST
@member_required()
def campaign_remind(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.membership, pk, for_change=True)
    try:
        count = services_campaigns.campaign_remind(actor=request.user, campaign=campaign)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("A reminder goes to the %(count)d partners who have not answered.")
            % {"count": count},
        )
    return redirect("partners:campaign_detail", pk=campaign.pk)


def _public(response: HttpResponse) -> HttpResponse:
    # The token is in the address: never send it to another site (same-origin, not
    # no-referrer: browsers then send "Origin: null" and CSRF refuses the form), never
    # cache it.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def _link_problem(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    status = 410 if campaign is not None else 404
    context = {"campaign": campaign}
    return _public(render(request, "partners/campaign_link_invalid.html", context, status=status))


@require_http_methods(["GET", "POST"])
def campaign_answer(request: HttpRequest, campaign_id: int, token: str) -> HttpResponse:
    """No login: the link's token is the proof. Unknown, altered, other-campaign and
    expired links get a page that says so, and change nothing."""
    try:
        recipient = services_campaigns.recipient_for_token(campaign_id=campaign_id, token=token)
    except services_campaigns.LinkInvalid:
        return _link_problem(request, None)
    except services_campaigns.LinkExpired as expired:
        return _link_problem(request, expired.campaign)
    campaign = recipient.campaign
    existing = recipient.responses.first()
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {f"answer_{i}": a for i, a in enumerate(existing.answers)}
        initial["respondent_name"] = existing.respondent_name
    with translation.override(campaign.language):
        form = AnswerForm(
            request.POST if request.method == "POST" else None,
            questions=list(campaign.questions),
            initial=initial,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services_campaigns.campaign_answer(
                    recipient=recipient,
                    respondent_name=form.cleaned_data["respondent_name"],
                    answers=form.answers(),
                )
            except services_campaigns.LinkExpired:
                return _link_problem(request, campaign)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _public(
                    render(
                        request,
                        "partners/campaign_thanks.html",
                        {"campaign": campaign, "organisation": recipient.organisation},
                    )
                )
        context = {
            "campaign": campaign,
            "organisation": recipient.organisation,
            "form": form,
            "existing": existing,
        }
        return _public(render(request, "partners/campaign_answer.html", context))

"""Learner-voice pages: speaking up, receipts, "me too", reports, support cases; the staff
inbox and moderation.

The submit view is built so that the request leaves nothing behind but the item: it
writes no audit row, adds no flash message (the page shown is the answer itself) and
does not touch the session.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.voice import selectors, services
from guildhouse.voice.access import (
    LEARNERS,
    REPORTERS,
    SUPPORT_CASE_READERS,
    VOICE_RUNNERS,
    VOICE_STAFF,
    access_consultation,
    access_item,
    access_support_case,
)
from guildhouse.voice.forms import (
    HideForm,
    ReceiptAddForm,
    ReceiptForm,
    ReportForm,
    SubmitForm,
    SupportCaseForm,
    SupportCaseStatusForm,
)
from guildhouse.voice.models import Consultation, Item

# Every page of the anonymous flow renders without the flash messages of earlier
# pages: reading them would make the request write them back (cookie or session).
NO_MESSAGES: dict[str, Any] = {"messages": []}
# A learner's own support requests shown under the form: the latest few.
RECENT_CASES = 5


def _submit_form(
    request: AuthedRequest, consultation: Consultation | None, data: Any = None
) -> SubmitForm:
    settings = selectors.voice_settings(institution=request.institution)
    return SubmitForm(
        data,
        categories=list(selectors.category_list(institution=request.institution, active_only=True)),
        programmes=selectors.programme_choices(
            institution=request.institution, k=settings.min_group_size
        ),
        named_only=consultation is not None and not consultation.anonymous_allowed,
    )


def _write_page(
    request: AuthedRequest,
    form: SubmitForm,
    consultation: Consultation | None,
    *,
    hits: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    settings = selectors.voice_settings(institution=request.institution)
    context = {
        **NO_MESSAGES,
        "form": form,
        "consultation": consultation,
        "settings": settings,
        "keywords": settings.keywords(),
        "hits": hits or [],
        "consultations": (
            []
            if consultation
            else selectors.consultations_open_to(
                membership=request.membership, today=timezone.localdate()
            )
        ),
    }
    return render(request, "voice/speak_up.html", context, status=status)


@require_GET
@member_required(*LEARNERS)
def speak_up(request: AuthedRequest) -> HttpResponse:
    return _write_page(request, _submit_form(request, None), None)


@require_GET
@member_required()  # the access function: 404 outside, then the role
def consultation_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.membership, pk, roles=LEARNERS)
    open_ids = {
        c.pk
        for c in selectors.consultations_open_to(
            membership=request.membership, today=timezone.localdate()
        )
    }
    if consultation.pk not in open_ids:
        return render(request, "voice/consultation_closed.html", {"consultation": consultation})
    return _write_page(request, _submit_form(request, consultation), consultation)


def _posted_consultation(request: AuthedRequest) -> Consultation | None:
    raw = request.POST.get("consultation", "")
    if not raw:
        return None
    try:
        pk = int(raw)
    except ValueError:
        return None
    consultation = access_consultation(request.membership, pk, roles=LEARNERS)
    open_ids = {
        c.pk
        for c in selectors.consultations_open_to(
            membership=request.membership, today=timezone.localdate()
        )
    }
    return consultation if consultation.pk in open_ids else None


@require_POST
@member_required(*LEARNERS)
def item_submit(request: AuthedRequest) -> HttpResponse:
    """Store an item and answer with its receipt code: no redirect, no message, no session."""
    consultation = _posted_consultation(request)
    if request.POST.get("consultation") and consultation is None:
        return render(
            request, "voice/consultation_closed.html", {**NO_MESSAGES, "consultation": None}
        )
    form = _submit_form(request, consultation, request.POST)
    if not form.is_valid():
        return _write_page(request, form, consultation, status=400)
    data = form.cleaned_data
    settings = selectors.voice_settings(institution=request.institution)
    hits = services.keyword_hits(settings=settings, text=data["text"])
    if hits and not data["safeguarding_seen"]:
        # The no-JavaScript path: show how to get support now, send nothing yet.
        return _write_page(request, form, consultation, hits=hits)
    try:
        submitted = services.item_submit(
            membership=request.membership,
            text=data["text"],
            category=data["category"],
            programme=data["programme"],
            consultation=consultation,
            named=data["named"],
            contact=data["contact"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _write_page(request, form, consultation, status=400)
    response = render(
        request,
        "voice/receipt_issued.html",
        {
            **NO_MESSAGES,
            "code": submitted.receipt_code,
            "named": data["named"],
            "settings": settings,
        },
    )
    # The code is shown once: no cache may keep this page.
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
@member_required(*LEARNERS)
def receipt(request: AuthedRequest) -> HttpResponse:
    """Read replies and add information with a receipt code (sent by POST, never in a URL)."""
    context: dict[str, Any] = {**NO_MESSAGES}
    if request.method == "GET":
        context["form"] = ReceiptForm()
        return render(request, "voice/receipt.html", context)
    adding = "text" in request.POST
    form: ReceiptForm = ReceiptAddForm(request.POST) if adding else ReceiptForm(request.POST)
    if not form.is_valid() and "code" in form.errors:
        context["form"] = form
        return render(request, "voice/receipt.html", context, status=400)
    code: str = form.cleaned_data.get("code", "")
    item = services.item_for_receipt(code=code)
    if item is None or item.institution_id != request.institution.pk:
        form.add_error("code", _("No item has this receipt code. Check the code and try again."))
        context["form"] = form
        return render(request, "voice/receipt.html", context, status=400)
    add_form: ReceiptForm = ReceiptAddForm(initial={"code": code})
    added = False
    if adding:
        add_form = form
        if form.is_valid():
            services.receipt_add(code=code, text=form.cleaned_data["text"])
            add_form = ReceiptAddForm(initial={"code": code})
            added = True
    context.update(
        {
            "item": item,
            "thread": list(selectors.thread(item=item, for_author=True)),
            "add_form": add_form,
            "added": added,
            "code": code,
        }
    )
    response = render(
        request, "voice/receipt_thread.html", context, status=400 if adding and not added else 200
    )
    add_never_cache_headers(response)
    return response


PUBLIC_PAGE = 50


@require_GET
@member_required(*LEARNERS)
def item_list(request: AuthedRequest) -> HttpResponse:
    """What learners have said (released, visible, anonymous items), to support or report."""
    items = list(selectors.public_items(institution=request.institution)[:PUBLIC_PAGE])
    supported = selectors.supported_ids(membership=request.membership, items=items)
    return render(
        request,
        "voice/item_list.html",
        {
            "items": [(item, str(item.pk) in supported) for item in items],
            "report_form": ReportForm(),
        },
    )


def _public_item(request: AuthedRequest, pk: uuid.UUID, roles: frozenset[str]) -> Item:
    item = access_item(request.membership, pk, roles=roles)
    if request.membership.role in LEARNERS and hasattr(item, "named_contact"):
        # Named items are between the learner and staff; other learners never see them.
        raise Http404("No such item.")
    return item


@require_POST
@member_required()  # the access function: 404 outside, then the role
def item_support(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    item = _public_item(request, pk, LEARNERS)
    if services.item_support(membership=request.membership, item=item):
        messages.success(request, _("Thank you: your “me too” was counted, without your name."))
    else:
        messages.info(request, _("You have already supported this item."))
    return redirect("voice:item_list")


@require_POST
@member_required()  # the access function: 404 outside, then the role
def item_report(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    item = _public_item(request, pk, REPORTERS)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason for the report."))
    elif services.item_report(
        membership=request.membership, item=item, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, _("Thank you: a moderator will look at this item."))
    else:
        messages.info(request, _("You have already reported this item."))
    return redirect("voice:item_list" if request.membership.role in LEARNERS else "voice:inbox")


@require_http_methods(["GET", "POST"])
@member_required(*LEARNERS)
def support_case_open(request: AuthedRequest) -> HttpResponse:
    """The identified path: a learner asks support staff, by name, to contact them."""
    settings = selectors.voice_settings(institution=request.institution)
    form = SupportCaseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.support_case_open(
            membership=request.membership,
            message=form.cleaned_data["message"],
            contact=form.cleaned_data["contact"],
        )
        messages.success(request, _("Support staff have your request and will contact you."))
        return redirect("voice:speak_up")
    status = 400 if request.method == "POST" else 200
    mine = list(selectors.support_cases_of(membership=request.membership)[:RECENT_CASES])
    return render(
        request,
        "voice/support_case_form.html",
        {"form": form, "settings": settings, "mine": mine},
        status=status,
    )


# --- Staff ---------------------------------------------------------------------------

INBOX_PAGE = 100


@require_GET
@member_required(*VOICE_STAFF)
def inbox(request: AuthedRequest) -> HttpResponse:
    """Released items by category, then a keyed hash: no choice of order or date exists."""
    categories = list(selectors.category_list(institution=request.institution))
    category_id: int | None = None
    raw = request.GET.get("category", "")
    if raw.isdigit() and any(c.pk == int(raw) for c in categories):
        category_id = int(raw)
    items = list(
        selectors.inbox(institution=request.institution, category_id=category_id)[:INBOX_PAGE]
    )
    named = set(
        Item.objects.filter(pk__in=[i.pk for i in items], named_contact__isnull=False).values_list(
            "pk", flat=True
        )
    )
    return render(
        request,
        "voice/inbox.html",
        {
            "items": [(item, item.pk in named) for item in items],
            "categories": categories,
            "category_id": category_id,
            "is_runner": request.membership.role in VOICE_RUNNERS,
            "hide_form": HideForm(),
            "report_form": ReportForm(),
        },
    )


@require_POST
@member_required()  # the access function: 404 outside, then the role
def item_hide(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    item = access_item(request.membership, pk, roles=VOICE_RUNNERS)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the item is hidden."))
        return redirect("voice:inbox")
    services.item_hide(actor=request.membership, item=item, reason=form.cleaned_data["reason"])
    messages.success(request, _("The item is hidden from every list, count and report."))
    return redirect("voice:moderation_list" if item.pending_review else "voice:inbox")


@require_POST
@member_required()  # the access function: 404 outside, then the role
def item_restore(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    item = access_item(request.membership, pk, roles=VOICE_RUNNERS)
    services.item_restore(actor=request.membership, item=item)
    messages.success(request, _("The item is shown again."))
    return redirect("voice:moderation_list")


@require_GET
@member_required(*VOICE_RUNNERS)
def moderation_list(request: AuthedRequest) -> HttpResponse:
    items = list(selectors.moderation_queue(institution=request.institution)[:INBOX_PAGE])
    return render(request, "voice/moderation_list.html", {"items": items, "hide_form": HideForm()})


@require_GET
@member_required(*SUPPORT_CASE_READERS)
def support_case_list(request: AuthedRequest) -> HttpResponse:
    cases = list(selectors.support_case_list(institution=request.institution)[:INBOX_PAGE])
    rows = [
        (case, SupportCaseStatusForm(initial={"status": case.status}, auto_id=f"case-{case.pk}-%s"))
        for case in cases
    ]
    return render(request, "voice/support_case_list.html", {"rows": rows})


@require_POST
@member_required()  # access_support_case: 404 outside the institution, then 403 by role
def support_case_status(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_support_case(request.membership, pk)
    form = SupportCaseStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
    elif services.support_case_status_set(
        actor=request.membership, case=case, status=form.cleaned_data["status"]
    ):
        messages.success(
            request,
            _("%(name)s's request is now: %(status)s.")
            % {"name": case.membership.user.full_name, "status": case.get_status_display()},
        )
    else:
        messages.info(
            request,
            _("%(name)s's request was already: %(status)s.")
            % {"name": case.membership.user.full_name, "status": case.get_status_display()},
        )
    return redirect("voice:support_case_list")

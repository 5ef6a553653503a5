"""Staff pages of learner voice: triage of released items, the overdue list, the
"You said, we did" board, and actions with the resources management allocates."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.voice import selectors_staff, services_staff
from guildhouse.voice.access_staff import (
    BOARD_READERS,
    MANAGEMENT,
    VOICE_RUNNERS,
    VOICE_STAFF,
    access_action,
    access_staff_item,
    may_triage,
)
from guildhouse.voice.forms_staff import (
    ActionForm,
    AllocationForm,
    NoteForm,
    PublicResponseForm,
    ReplyForm,
    TriageForm,
)
from guildhouse.voice.models import Action, Item, ItemNote, PublicResponse, ReceiptMessage

BOARD_MAX_PAGES = 50


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        form.add_error(None, error)


def _item_page(request: AuthedRequest, item: Item, status: int = 200, **forms: Any) -> HttpResponse:
    membership = request.membership
    institution = request.institution
    can_change = may_triage(membership, item)
    response = PublicResponse.objects.filter(item=item).first()
    context: dict[str, Any] = {
        "item": item,
        "can_change": can_change,
        "can_plan_action": membership.role in VOICE_RUNNERS,  # as action_create allows
        "notes": ItemNote.objects.filter(item=item).select_related("author__user"),
        # The author's later messages reach staff with a batch, like items.
        "thread": ReceiptMessage.objects.filter(item=item)
        .filter(Q(from_staff=True) | Q(batch__isnull=False))
        .select_related("author__user")
        .order_by("position"),
        "public_response": response,
        "actions": item.actions.order_by("-created_on"),
        "triage_form": forms.get("triage_form")
        or TriageForm(
            institution=institution,
            initial={
                "status": item.status,
                "owner": item.owner_id,
                "decline_reason": item.decline_reason,
            },
        ),
        "note_form": forms.get("note_form") or NoteForm(),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "response_form": forms.get("response_form")
        or PublicResponseForm(
            initial={"you_said": response.you_said, "we_did": response.we_did} if response else None
        ),
    }
    return render(request, "voice/staff/item_detail.html", context, status=status)


@require_GET
@member_required(*VOICE_STAFF)
def item_detail(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    item = access_staff_item(request.membership, pk)
    return _item_page(request, item)


@require_POST
@member_required(*VOICE_STAFF)
def item_triage(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    item = access_staff_item(request.membership, pk, for_change=True)
    form = TriageForm(request.POST, institution=request.institution)
    if form.is_valid():
        try:
            services_staff.item_triage(
                actor=request.user,
                item=item,
                status=form.cleaned_data["status"],
                owner=form.cleaned_data["owner"],
                decline_reason=form.cleaned_data["decline_reason"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Triage saved."))
            return redirect("voice:staff_item", item.pk)
    return _item_page(request, item, status=400, triage_form=form)


@require_POST
@member_required(*VOICE_STAFF)
def item_note(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    item = access_staff_item(request.membership, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services_staff.item_note_add(
            actor=request.user, item=item, author=request.membership, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Note added."))
        return redirect("voice:staff_item", item.pk)
    return _item_page(request, item, status=400, note_form=form)


@require_POST
@member_required(*VOICE_STAFF)
def item_reply(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    item = access_staff_item(request.membership, pk, for_change=True)
    form = ReplyForm(request.POST)
    if form.is_valid():
        services_staff.item_reply(
            actor=request.user, item=item, author=request.membership, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Reply sent. The author reads it with their receipt code."))
        return redirect("voice:staff_item", item.pk)
    return _item_page(request, item, status=400, reply_form=form)


@require_POST
@member_required(*VOICE_STAFF)
def item_respond(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    item = access_staff_item(request.membership, pk, for_change=True)
    if request.POST.get("withdraw"):
        services_staff.public_response_withdraw(actor=request.user, item=item)
        messages.success(request, _("Response withdrawn from the board."))
        return redirect("voice:staff_item", item.pk)
    form = PublicResponseForm(request.POST)
    if form.is_valid():
        services_staff.public_response_save(
            actor=request.user,
            item=item,
            author=request.membership,
            you_said=form.cleaned_data["you_said"],
            we_did=form.cleaned_data["we_did"],
        )
        messages.success(request, _("Published on “You said, we did”."))
        return redirect("voice:staff_item", item.pk)
    return _item_page(request, item, status=400, response_form=form)


@require_GET
@member_required(*VOICE_STAFF)
def overdue_list(request: AuthedRequest) -> HttpResponse:
    items = list(selectors_staff.overdue_items(institution=request.institution)[:200])
    return render(request, "voice/staff/overdue_list.html", {"items": items})


@require_GET
@member_required(*BOARD_READERS)
def board(request: AuthedRequest) -> HttpResponse:
    paginator = Paginator(selectors_staff.board(institution=request.institution), 30)
    number = request.GET.get("page", "1")
    page = paginator.get_page(number if number.isdigit() and int(number) <= BOARD_MAX_PAGES else 1)
    return render(request, "voice/staff/board.html", {"page": page})


# --- Actions ------------------------------------------------------------------------------


@require_GET
@member_required(*VOICE_STAFF)
def action_list(request: AuthedRequest) -> HttpResponse:
    actions = list(selectors_staff.action_list(institution=request.institution)[:100])
    return render(
        request,
        "voice/staff/action_list.html",
        {"actions": actions, "can_create": request.membership.role in VOICE_RUNNERS},
    )


@require_http_methods(["GET", "POST"])
@member_required(*VOICE_RUNNERS)
def action_create(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    initial: dict[str, Any] = {}
    item_pk = request.GET.get("item", "")
    if item_pk:
        try:
            item = access_staff_item(request.membership, uuid.UUID(item_pk))
        except ValueError:
            item = None
        if item is not None:
            initial = {"items": [item.pk], "category": item.category_id, "title": ""}
    form = ActionForm(
        posted(request),
        institution=institution,
        instance=Action(institution=institution),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services_staff.action_save(
                actor=request.user,
                action=form.instance,
                items=list(form.cleaned_data["items"]),
                creator=request.membership,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect("voice:action_detail", action.pk)
    return render(request, "voice/staff/action_form.html", {"form": form, "action": None})


@require_http_methods(["GET", "POST"])
@member_required(*VOICE_RUNNERS)
def action_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    action = access_action(request.membership, pk, for_change=True)
    form = ActionForm(
        posted(request),
        institution=request.institution,
        instance=action,
        initial={"items": list(action.items.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_staff.action_save(
                actor=request.user, action=form.instance, items=list(form.cleaned_data["items"])
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect("voice:action_detail", action.pk)
    return render(request, "voice/staff/action_form.html", {"form": form, "action": action})


def _action_page(
    request: AuthedRequest, action: Action, form: AllocationForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "action": action,
        "items": action.items.select_related("category"),
        "allocations": action.allocations.select_related("allocated_by__user"),
        "totals": selectors_staff.resource_totals(action=action),
        "can_allocate": request.membership.role in MANAGEMENT,
        "can_change": request.membership.role in VOICE_RUNNERS,
        "form": form or AllocationForm(),
    }
    return render(request, "voice/staff/action_detail.html", context, status=status)


@require_GET
@member_required(*VOICE_STAFF)
def action_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action_page(request, access_action(request.membership, pk))


@require_POST
@member_required(*MANAGEMENT)
def action_allocate(request: AuthedRequest, pk: int) -> HttpResponse:
    action = access_action(request.membership, pk)
    form = AllocationForm(request.POST)
    if form.is_valid():
        try:
            services_staff.resource_allocate(
                actor=request.user,
                action=action,
                allocated_by=request.membership,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Resources allocated."))
            return redirect("voice:action_detail", action.pk)
    return _action_page(request, action, form, status=400)

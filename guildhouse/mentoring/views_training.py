"""Mentor training pages: the modules, each with its content and a short check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guildhouse.core.access import require_role
from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.mentoring import selectors, services
from guildhouse.mentoring.access import MENTORING_ROLES, PARTICIPANT_ROLES
from guildhouse.mentoring.forms import TrainingCheckForm
from guildhouse.mentoring.training import MODULES, MODULES_BY_KEY


@require_GET
@member_required(*MENTORING_ROLES)
def training_list(request: AuthedRequest) -> HttpResponse:
    done = selectors.completed_modules(membership=request.membership)
    return render(
        request,
        "mentoring/training_list.html",
        {"modules": [(m, done.get(m.key.value)) for m in MODULES]},
    )


@require_http_methods(["GET", "POST"])
@member_required(*MENTORING_ROLES)
def training_module(request: AuthedRequest, key: str) -> HttpResponse:
    module = MODULES_BY_KEY.get(key)
    if module is None:
        raise Http404("No such training module.")
    if request.method == "POST":
        require_role(request.membership, PARTICIPANT_ROLES)
    form = TrainingCheckForm(posted(request), module=module)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_complete(
                actor=request.user,
                membership=request.membership,
                module=module.key.value,
                answers=form.answers(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("Well done: you completed %(title)s.") % {"title": module.title}
            )
            return redirect("mentoring:training_list")
    done = selectors.completed_modules(membership=request.membership).get(module.key.value)
    return render(
        request,
        "mentoring/training_module.html",
        {
            "module": module,
            "form": form,
            "done": done,
            "can_take": request.membership.role in PARTICIPANT_ROLES,
        },
    )

"""Core pages: home dashboards, switcher, programmes, people, invitations, audit, profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from guildhouse.core import selectors, services
from guildhouse.core.access import (
    access_audit_event,
    access_invitation,
    access_member,
    access_programme,
    access_special_category,
)
from guildhouse.core.audit import ACTION_LABELS, audit_rows
from guildhouse.core.decorators import member_required
from guildhouse.core.forms import (
    AcceptInvitationForm,
    InstitutionForm,
    InvitationForm,
    ProgrammeForm,
    RoleForm,
    SpecialCategoryForm,
)
from guildhouse.core.home import panels_for
from guildhouse.core.middleware import SESSION_KEY
from guildhouse.core.models import STAFF_ROLES, Role
from guildhouse.core.pagination import KeysFirstPaginator
from guildhouse.core.types import AuthedRequest

PAGE_SIZE = 50


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data of a POST, or ``None`` to leave the form unbound.

    Not ``request.POST or None``: a POST whose only field is an unticked checkbox is
    empty, and must still be processed.
    """
    return request.POST if request.method == "POST" else None


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@member_required()
def home(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    context: dict[str, object] = {"membership": membership}
    if membership.role in (Role.ADMIN, Role.COORDINATOR):
        context["counts"] = selectors.institution_counts(institution=request.institution)
    if membership.role == Role.LEARNER:
        context["learner_profile"] = getattr(membership, "learner_profile", None)
    if membership.is_staff_role:
        context["programmes"] = selectors.programme_list(institution=request.institution)[:8]
    context["panels"] = panels_for(request, membership.role)
    return render(request, f"core/home/{membership.role}.html", context)


@require_POST
@member_required()
def institution_switch(request: AuthedRequest) -> HttpResponse:
    try:
        institution_id = int(request.POST.get("institution", ""))
    except ValueError:
        raise Http404("No such institution.") from None
    chosen = next((m for m in request.memberships if m.institution_id == institution_id), None)
    if chosen is None:
        raise Http404("No such institution.")
    request.session[SESSION_KEY] = chosen.institution_id
    messages.success(
        request, _("You are now working in %(name)s.") % {"name": chosen.institution.name}
    )
    # Object pages of the previous institution would 404 in the new one: go home.
    return redirect("home")


@require_GET
@member_required(*STAFF_ROLES)
def programme_list(request: AuthedRequest) -> HttpResponse:
    programmes = selectors.programme_list(institution=request.institution)
    return render(request, "core/programme_list.html", {"programmes": programmes})


@require_GET
@member_required()
def programme_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.membership, pk)
    learners = selectors.people_list(
        institution=request.institution, role=Role.LEARNER, programme_id=programme.pk
    )
    page = KeysFirstPaginator(learners, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/programme_detail.html", {"programme": programme, "page": page})


@require_http_methods(["GET", "POST"])
@member_required(Role.ADMIN)
def programme_create(request: AuthedRequest) -> HttpResponse:
    form = ProgrammeForm(posted(request), institution=request.institution)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user,
                institution=request.institution,
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
                field=form.cleaned_data["field"],
                level=form.cleaned_data["level"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Programme %(name)s added.") % {"name": programme.name})
            return redirect("programme_detail", pk=programme.pk)
    return render(request, "core/programme_form.html", {"form": form, "programme": None})


@require_http_methods(["GET", "POST"])
@member_required()
def programme_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.membership, pk, for_change=True)
    form = ProgrammeForm(posted(request), instance=programme, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        programme.refresh_from_db()
        try:
            services.programme_update(actor=request.user, programme=programme, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("programme_detail", pk=programme.pk)
    return render(request, "core/programme_form.html", {"form": form, "programme": programme})


@require_GET
@member_required(*STAFF_ROLES)
def people_list(request: AuthedRequest) -> HttpResponse:
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    query = request.GET.get("q", "").strip()[:100]
    people = selectors.people_list(institution=request.institution, role=role, query=query)
    page = KeysFirstPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "role": role, "query": query, "roles": Role.choices}
    # htmx asks for the results only, as the search box filters while typing.
    template = "core/_people_results.html" if request.htmx else "core/people_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@member_required()
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access_member(request.membership, pk)
    role_form = None
    if request.membership.role == Role.ADMIN and person.is_active:
        own = person.pk == request.membership.pk
        role_form = RoleForm(posted(request), current=person.role, own=own)
        if request.method == "POST" and role_form.is_valid():
            try:
                services.membership_change_role(
                    actor=request.user, membership=person, role=role_form.cleaned_data["role"]
                )
            except ValidationError as error:
                role_form.add_error(None, error)
            else:
                messages.success(request, _("Role changed."))
                return redirect("person_detail", pk=person.pk)
    elif request.method == "POST":
        access_member(request.membership, pk, for_change=True)
    context = {
        "person": person,
        "special": access_special_category(request.membership, person),
        "role_form": role_form,
    }
    return render(request, "core/person_detail.html", context)


@require_http_methods(["GET", "POST"])
@member_required(Role.ADMIN)
def person_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask, then remove a person from the institution (their records stay)."""
    person = access_member(request.membership, pk, for_change=True)
    if person.pk == request.membership.pk or not person.is_active:
        return redirect("person_detail", pk=person.pk)
    error = ""
    if request.method == "POST":
        try:
            services.membership_deactivate(actor=request.user, membership=person)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(name)s was removed from %(institution)s.")
                % {"name": person.user.full_name, "institution": request.institution.name},
            )
            return redirect("people_list")
    return render(request, "core/person_deactivate.html", {"person": person, "error": error})


@require_http_methods(["GET", "POST"])
@member_required(Role.ADMIN)
def invitation_list(request: AuthedRequest) -> HttpResponse:
    form = InvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                actor=request.user,
                institution=request.institution,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                accept_url_for=lambda token: request.build_absolute_uri(
                    reverse("invitation_link", args=[token])
                ),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("invitation_list")
    invitations = selectors.invitation_list(institution=request.institution)
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/invitation_list.html", {"form": form, "page": page})


@require_POST
@member_required()
def invitation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = access_invitation(request.membership, pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Invitation for %(email)s revoked.") % {"email": invitation.email}
        )
    return redirect("invitation_list")


INVITATION_SESSION_KEY = "guildhouse_invitation_token"


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def invitation_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link only hands the token over: kept in the session, it goes on to a
    URL without it, so that access logs and Referer headers never carry it (as Django's
    password reset does)."""
    if services.invitation_find(token) is None:
        return render(request, "core/invitation_invalid.html", status=404)
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("invitation_accept")


@require_http_methods(["GET", "POST"])
@never_cache
def invitation_accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(INVITATION_SESSION_KEY, "")
    invitation = services.invitation_find(token) if token else None
    if invitation is None:
        return render(request, "core/invitation_invalid.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(posted(request))
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                invitation=invitation,
                user=request.user if signed_in else None,  # type: ignore[arg-type]
                password=form.cleaned_data["password1"] if form else "",
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if not signed_in:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = membership.institution_id
            request.session.pop(INVITATION_SESSION_KEY, None)
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": membership.institution.name}
            )
            return redirect("home")
    context = {"invitation": invitation, "form": form, "error": error}
    return render(request, "core/invitation_accept.html", context)


@require_GET
@member_required(Role.ADMIN)
def audit_list(request: AuthedRequest) -> HttpResponse:
    action = request.GET.get("action", "").strip()[:80]
    actor = request.GET.get("actor", "").strip()[:254]
    events = selectors.audit_list(institution=request.institution, action=action, actor=actor)
    page = KeysFirstPaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": audit_rows(page.object_list),
        "action": action,
        "actor": actor,
        "actions": ACTION_LABELS.items(),
    }
    return render(request, "core/audit_list.html", context)


@require_GET
@member_required(Role.ADMIN)
def audit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One audit event in full: the list cuts long details."""
    event = access_audit_event(request.membership, pk)
    return render(request, "core/audit_detail.html", {"event": event})


@require_http_methods(["GET", "POST"])
@member_required(Role.ADMIN)
def institution_settings(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    form = InstitutionForm(posted(request), instance=institution)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        institution.refresh_from_db()
        services.institution_update(actor=request.user, institution=institution, **fields)
        messages.success(request, _("Changes saved."))
        return redirect("institution_settings")
    return render(request, "core/institution_settings.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required()
def profile(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    special = access_special_category(membership, membership)
    initial: dict[str, object] = {"consent": special is not None}
    if special is not None:
        initial |= {
            "gender": special.gender,
            "background": special.background,
            "support_needs": special.support_needs,
        }
    form = SpecialCategoryForm(posted(request), initial=initial, on_file=special is not None)
    if request.method == "POST" and form.is_valid():
        saved = services.special_category_save(
            actor=request.user,
            membership=membership,
            consent=form.cleaned_data["consent"],
            gender=form.cleaned_data["gender"],
            background=form.cleaned_data["background"],
            support_needs=form.cleaned_data["support_needs"],
        )
        messages.success(
            request,
            _("Saved. Support staff can now see this.")
            if saved
            else _("Nothing is stored about this."),
        )
        return redirect("profile")
    return render(request, "core/profile.html", {"membership": membership, "form": form})


def mfa_required(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    return render(request, "core/mfa_required.html")

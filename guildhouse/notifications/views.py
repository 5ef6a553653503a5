"""Notification pages: the list (mark read), preferences, and login-free unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.models import Membership, User
from guildhouse.core.types import AuthedRequest
from guildhouse.notifications import selectors, services
from guildhouse.notifications.api import KINDS, deliveries_for, kinds_for, recipient_languages
from guildhouse.notifications.emails import DIGEST_KIND, unsubscribe_read
from guildhouse.notifications.forms import PreferencesForm
from guildhouse.notifications.models import Notification

PAGE_SIZE = 30


def access_notification(user_id: int, pk: int) -> Notification:
    """One of the viewer's own notifications; anyone else's is 404."""
    try:
        return Notification.objects.get(pk=pk, recipient_id=user_id)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None


@require_GET
@member_required()
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
@member_required()
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = access_notification(request.user.pk, pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notification_list")


@require_POST
@member_required()
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")


@require_http_methods(["GET", "POST"])
@member_required()
def notification_preferences(request: AuthedRequest) -> HttpResponse:
    current = deliveries_for(request.user)
    language = recipient_languages([request.user])[request.user.pk]
    roles = Membership.objects.filter(user=request.user, is_active=True).values_list(
        "role", flat=True
    )
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        kinds=kinds_for(roles),
        current=current,
        initial={"language": language},
    )
    if form.is_valid():
        services.preferences_save(
            user=request.user,
            deliveries=form.deliveries(),
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "digest_waiting": selectors.digest_waiting(user=request.user)},
        status=400 if form.is_bound else 200,
    )


@csrf_exempt  # mail programs POST here without a session (RFC 8058); the token is the proof
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link checkers in mail systems open links); POST unsubscribes."""
    found = unsubscribe_read(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    user_id, kind = found
    label = _("daily summary") if kind == DIGEST_KIND else str(KINDS[kind].label)
    if request.method == "POST":
        try:
            services.unsubscribe(user_id=user_id, kind=kind)
        except User.DoesNotExist:
            return render(request, "notifications/unsubscribe_invalid.html", status=404)
        return render(request, "notifications/unsubscribe_done.html", {"label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label, "token": token})

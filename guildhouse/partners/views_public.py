"""The public "Partner with us" page and its interest form (no login), and the staff
pages behind it: the offer, success stories and the enquiries received."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors_public, services_public
from guildhouse.partners.access import PARTNER_RUNNERS, PARTNER_WORKERS, access_story
from guildhouse.partners.forms_public import InterestForm, OfferForm, StoryForm
from guildhouse.partners.models import ValueProposition

# Interest forms one address may send in an hour (every institution's page together).
INTEREST_POSTS_PER_HOUR = 5


def _client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is typed by the client unless a known proxy
    # rewrites it, and a spammer would simply rotate it.
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _over_limit(request: HttpRequest) -> bool:
    """Count this POST against its address's hourly budget (the cache, as the calendar
    feeds do); True once the budget is spent."""
    window = int(time.time()) // 3600
    key = f"partners:interest:{_client_ip(request)}:{window}"
    cache.add(key, 0, timeout=3600)
    try:
        posts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        posts = 1
    return posts > INTEREST_POSTS_PER_HOUR


@login_not_required
@require_http_methods(["GET", "POST"])
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors_public.public_page(slug=slug)
    if page is None:
        raise Http404("No published page.")
    form = InterestForm(posted(request))
    status = 200
    if request.method == "POST":
        if _over_limit(request):
            form.add_error(
                None,
                _(
                    "We have received several forms from your address in the last hour. "
                    "Please try again in an hour, or email us."
                ),
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            thanks = reverse("partners:public_thanks", args=[slug])
            if data["homepage"]:
                # A bot: it sees the same thanks, and nothing is saved.
                return redirect(thanks)
            try:
                services_public.interest_submit(
                    institution=page.institution,
                    organisation_name=data["organisation_name"],
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    website=data["website"],
                    interests=data["interests"],
                    message=data["message"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(thanks)
        else:
            status = 400
    context = {"page": page, "form": form, "topics": services_public.INTEREST_TOPICS}
    return render(request, "partners/public/page.html", context, status=status)


@login_not_required
@require_GET
def public_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors_public.public_page(slug=slug)
    if page is None:
        raise Http404("No published page.")
    return render(request, "partners/public/thanks.html", {"page": page})


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_RUNNERS)
def offer_edit(request: AuthedRequest) -> HttpResponse:
    offer = ValueProposition.objects.filter(institution=request.institution).first()
    initial = (
        {
            name: getattr(offer, name)
            for name in (
                "headline",
                "introduction",
                "talent_pool",
                "customised_training",
                "facilities",
                "expertise",
                "is_published",
            )
        }
        if offer
        else {}
    )
    form = OfferForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_public.offer_save(
                actor=request.user, institution=request.institution, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your offer to businesses is saved."))
            return redirect("partners:offer_edit")
    public_url = reverse("partners:public_page", args=[request.institution.slug])
    context = {"form": form, "offer": offer, "public_url": public_url}
    return render(request, "partners/public/offer_form.html", context)


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_RUNNERS)
def story_list(request: AuthedRequest) -> HttpResponse:
    form = StoryForm(posted(request), institution=request.institution)
    if request.method == "POST" and form.is_valid():
        try:
            services_public.story_save(
                actor=request.user, institution=request.institution, story=None, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Story saved. Publish it when it is ready."))
            return redirect("partners:story_list")
    stories = selectors_public.story_list(institution=request.institution)
    public_url = reverse("partners:public_page", args=[request.institution.slug])
    context = {"form": form, "stories": stories, "public_url": public_url}
    return render(request, "partners/public/story_list.html", context)


@require_http_methods(["GET", "POST"])
@member_required()
def story_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    story = access_story(request.membership, pk)
    form = StoryForm(
        posted(request),
        institution=request.institution,
        initial={"title": story.title, "body": story.body, "organisation": story.organisation},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_public.story_save(
                actor=request.user,
                institution=request.institution,
                story=story,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Story saved."))
            return redirect("partners:story_list")
    return render(request, "partners/public/story_form.html", {"form": form, "story": story})


@require_POST
@member_required()
def story_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    story = access_story(request.membership, pk)
    publish = request.POST.get("publish") == "1"
    services_public.story_publish(actor=request.user, story=story, publish=publish)
    messages.success(
        request,
        _("Published on the public page.") if publish else _("Taken off the public page."),
    )
    return redirect("partners:story_list")


@require_GET
@member_required(*PARTNER_WORKERS)
def enquiry_list(request: AuthedRequest) -> HttpResponse:
    enquiries = selectors_public.enquiry_list(institution=request.institution)
    public_url = reverse("partners:public_page", args=[request.institution.slug])
    context = {"enquiries": enquiries, "public_url": public_url}
    return render(request, "partners/public/enquiry_list.html", context)

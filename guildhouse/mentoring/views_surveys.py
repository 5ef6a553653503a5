"""Surveys: a participant answers what is due; a coordinator reads answers and edits questions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import PAGE_SIZE, posted
from guildhouse.mentoring import selectors, services_surveys
from guildhouse.mentoring.access import (
    PARTICIPANT_ROLES,
    access_meeting,
    access_mentoring_programme,
    access_relationship,
    in_pair,
)
from guildhouse.mentoring.forms_lifecycle import SurveyForm, SurveyQuestionForm
from guildhouse.mentoring.models import (
    Side,
    SkillRating,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
)
from guildhouse.mentoring.surveys import due_surveys, question_text, surveys_ensure


@require_GET
@member_required(*PARTICIPANT_ROLES)
def my_surveys(request: AuthedRequest) -> HttpResponse:
    """Every survey due for the viewer, across their pairs (a handful at most)."""
    membership = request.membership
    due = []
    today = timezone.localdate()
    for relationship in selectors.my_relationships(membership=membership)[:20]:
        side = Side.MENTEE if relationship.mentee.membership_id == membership.pk else Side.MENTOR
        due.extend(
            due_surveys(
                relationship=relationship, side=side, respondent_id=membership.pk, today=today
            )
        )
    return render(request, "mentoring/my_surveys.html", {"due": due})


@require_http_methods(["GET", "POST"])
@member_required()
def survey_answer(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    relationship = access_relationship(request.membership, pk)
    if kind not in SurveyKind.values or kind == SurveyKind.MEETING:
        raise Http404("No such survey.")
    if not in_pair(request.membership, relationship):
        raise PermissionDenied("Only the pair answers its surveys.")
    side = (
        Side.MENTEE if relationship.mentee.membership_id == request.membership.pk else Side.MENTOR
    )
    due = [
        d
        for d in due_surveys(
            relationship=relationship,
            side=side,
            respondent_id=request.membership.pk,
            today=timezone.localdate(),
        )
        if d.kind == kind
    ]
    if not due:
        messages.info(request, _("This survey is not open for you now, or you have answered it."))
        return redirect("mentoring:relationship_detail", pk=pk)
    survey = due[0].survey
    questions = list(SurveyQuestion.objects.filter(survey=survey))
    form = SurveyForm(
        posted(request),
        survey=survey,
        questions=questions,
        skills=list(relationship.programme.skills),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_surveys.survey_submit(
                actor=request.user, relationship=relationship, kind=kind, answers=form.answers()
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Thank you. Your answers were saved."))
            return redirect("mentoring:relationship_detail", pk=pk)
    return render(
        request,
        "mentoring/survey_form.html",
        {"relationship": relationship, "survey": survey, "due": due[0], "form": form},
    )


@require_POST
@member_required()
def meeting_rate(request: AuthedRequest, pk: int) -> HttpResponse:
    """The one-tap rating of a held meeting (1-5)."""
    meeting = access_meeting(request.membership, pk, for_change=True)
    rating = request.POST.get("rating", "")
    if rating not in {"1", "2", "3", "4", "5"}:
        messages.error(request, _("Choose a number from 1 to 5."))
    else:
        try:
            services_surveys.survey_submit(
                actor=request.user,
                relationship=meeting.relationship,
                kind=SurveyKind.MEETING,
                answers={"rating": rating},
                meeting=meeting,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thanks for rating the meeting."))
    return redirect("mentoring:relationship_detail", pk=meeting.relationship_id)


@require_http_methods(["GET", "POST"])
@member_required()
def programme_surveys(request: AuthedRequest, pk: int) -> HttpResponse:
    """The programme's surveys (questions as data), figures, and the latest answers."""
    programme = access_mentoring_programme(request.membership, pk, for_change=True)
    surveys = surveys_ensure(programme)
    form = SurveyQuestionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        survey = next((s for s in surveys.values() if s.pk == form.cleaned_data["survey"]), None)
        if survey is None:
            raise Http404("No such survey in this programme.")
        try:
            services_surveys.survey_question_add(
                actor=request.user,
                survey=survey,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                required=form.cleaned_data["required"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Question added."))
            return redirect("mentoring:programme_surveys", pk=pk)
    questions: dict[int, list[tuple[str, str]]] = {}
    for q in SurveyQuestion.objects.filter(survey__programme=programme).select_related("survey"):
        questions.setdefault(q.survey_id, []).append(
            (question_text(q, q.survey.side, q.survey.kind), q.get_kind_display())
        )
    figures: dict[tuple[str, str], dict[str, Any]] = {
        (row["kind"], row["side"]): dict(row)
        for row in SurveyResponse.objects.filter(programme=programme)
        .order_by()
        .values("kind", "side")
        .annotate(n=Count("pk"), mean=Avg("score"))
    }
    rows = [
        {
            "survey": s,
            "questions": questions.get(s.pk, []),
            "n": figures.get(key, {}).get("n", 0),
            "mean": figures.get(key, {}).get("mean"),
        }
        for key, s in sorted(surveys.items())
    ]
    skills: list[dict[str, Any]] = [
        dict(row)
        for row in SkillRating.objects.filter(programme=programme)
        .order_by()
        .values("skill")
        .annotate(n=Count("pk"), before=Avg("before"), after=Avg("after"))
        .order_by("skill")
    ]
    for s in skills:
        s["gain"] = s["after"] - s["before"]
    page = Paginator(
        SurveyResponse.objects.filter(programme=programme)
        .exclude(kind=SurveyKind.MEETING)
        .select_related("respondent__user", "relationship")
        .order_by("-submitted_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "mentoring/programme_surveys.html",
        {
            "programme": programme,
            "rows": rows,
            "skills": skills,
            "page": page,
            "form": form,
        },
    )

"""Forms for agreements, goals, closure and surveys. They validate; services change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guildhouse.mentoring.models import (
    MAX_MEETING_MINUTES,
    MIN_MEETING_MINUTES,
    Agreement,
    Cadence,
    FutureContact,
    GoalStatus,
    Survey,
    SurveyQuestion,
    SurveyQuestionKind,
)
from guildhouse.mentoring.surveys import question_text

SCALE = [(str(n), str(n)) for n in range(1, 6)]
DATE = forms.DateInput(attrs={"type": "date"})


class AgreementForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Agreement
        fields = (
            "cadence",
            "cadence_days",
            "meeting_minutes",
            "ends_on",
            "focus",
            "mentor_commitment",
            "mentee_commitment",
        )
        widgets = {
            "ends_on": DATE,
            "focus": forms.Textarea(attrs={"rows": 3}),
            "mentor_commitment": forms.Textarea(attrs={"rows": 2}),
            "mentee_commitment": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadence"].choices = Cadence.choices  # type: ignore[attr-defined]
        minutes = self.fields["meeting_minutes"]
        assert isinstance(minutes, forms.IntegerField)
        minutes.min_value, minutes.max_value = MIN_MEETING_MINUTES, MAX_MEETING_MINUTES

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cadence") == Cadence.CUSTOM and not data.get("cadence_days"):
            self.add_error("cadence_days", _("Give the days between meetings (1 to 90)."))
        return data


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)
    description = forms.CharField(
        label=_("What success looks like"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    note = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChecklistForm(forms.Form):
    final_meeting = forms.BooleanField(label=_("We held a closing meeting"), required=False)
    goals_reviewed = forms.BooleanField(
        label=_("We went through the goals and progress"), required=False
    )
    achievements_recognised = forms.BooleanField(
        label=_("We recognised what the mentee achieved"), required=False
    )
    next_steps = forms.BooleanField(
        label=_("The mentee knows where to get support next"), required=False
    )


class ContactForm(forms.Form):
    contact = forms.ChoiceField(
        label=_("Would you like to stay in touch after the programme?"),
        choices=FutureContact.choices,
        widget=forms.RadioSelect,
        help_text=_("Your contact details are shared only if you both say yes."),
    )


class SurveyForm(forms.Form):
    """The questions of one survey (rows), asked of one side; skills from the programme."""

    def __init__(
        self,
        *args: Any,
        survey: Survey,
        questions: list[SurveyQuestion],
        skills: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.survey, self.questions, self.skills = survey, questions, skills
        for question in questions:
            text = question_text(question, survey.side, survey.kind)
            if question.kind == SurveyQuestionKind.SCALE:
                self.fields[question.key] = forms.ChoiceField(
                    label=text,
                    choices=SCALE,
                    widget=forms.RadioSelect,
                    required=question.required,
                    help_text=_("1 = not at all, 5 = completely"),
                )
            elif question.kind == SurveyQuestionKind.TEXT:
                self.fields[question.key] = forms.CharField(
                    label=text,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                for n, skill in enumerate(skills):
                    for when, label in (
                        ("before", _("%(skill)s: before the programme")),
                        ("after", _("%(skill)s: now")),
                    ):
                        self.fields[f"{question.key}-{n}-{when}"] = forms.ChoiceField(
                            label=label % {"skill": skill},
                            choices=SCALE,
                            widget=forms.RadioSelect,
                            help_text=_("1 = beginner, 5 = confident"),
                        )

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for question in self.questions:
            if question.kind == SurveyQuestionKind.SKILLS:
                answers[question.key] = {
                    skill: [
                        data.get(f"{question.key}-{n}-before"),
                        data.get(f"{question.key}-{n}-after"),
                    ]
                    for n, skill in enumerate(self.skills)
                }
            else:
                answers[question.key] = data.get(question.key)
        return answers


class SurveyQuestionForm(forms.Form):
    survey = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind of answer"),
        choices=[
            (SurveyQuestionKind.SCALE, _("Scale from 1 to 5")),
            (SurveyQuestionKind.TEXT, _("Free text")),
        ],
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

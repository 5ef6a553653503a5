"""Forms for the mentoring pages. They validate input; services make the change."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Institution, Programme, SpecialCategoryData
from guildhouse.mentoring.intake import BUILTINS, DAY_NAMES, PART_NAMES, slot_label
from guildhouse.mentoring.models import (
    MAX_CAPACITY,
    ApplicationStatus,
    CloseReason,
    MatchingMode,
    MeetingMode,
    MeetingStatus,
    MentoringProgramme,
    Question,
    QuestionKind,
    QuestionSide,
)
from guildhouse.mentoring.services import PreferenceInput
from guildhouse.mentoring.training import Module, ModuleKey


class SkillsField(forms.CharField):
    """One skill per line; stored as a list of strings."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class MentoringProgrammeForm(forms.ModelForm[MentoringProgramme]):
    required_modules = forms.MultipleChoiceField(
        label=_("Training required before matching"),
        choices=ModuleKey.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mentors who have not completed these are never proposed."),
    )
    skills = SkillsField(
        label=_("Skills the programme develops"),
        required=False,
        help_text=_("One per line, for example: giving feedback."),
    )

    class Meta:
        model = MentoringProgramme
        fields: ClassVar = [
            "name",
            "goals",
            "cohort_start",
            "cohort_end",
            "cadence",
            "cadence_days",
            "meeting_minutes",
            "format",
            "default_capacity",
            "peer_mentors",
            "alumni_mentors",
            "industry_mentors",
            "eligible_programmes",
            "min_year",
            "max_year",
            "skills",
            "matching_mode",
            "same_study_programme",
            "required_modules",
            "weight_interests",
            "weight_goals",
            "weight_style",
            "weight_experience",
            "weight_language",
        ]
        widgets: ClassVar = {
            "cohort_start": forms.DateInput(attrs={"type": "date"}),
            "cohort_end": forms.DateInput(attrs={"type": "date"}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "eligible_programmes": forms.CheckboxSelectMultiple,
            "matching_mode": forms.RadioSelect,
        }
        help_texts: ClassVar = {
            "meeting_minutes": _("In minutes, 15 to 120; 30 to 60 suits most pairs."),
            "default_capacity": _("How many mentees a mentor takes unless you change it."),
        }

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        field = self.fields["eligible_programmes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Programme.objects.filter(institution=institution, active=True)

    def service_fields(self) -> dict[str, Any]:
        """Cleaned values for the service, without the many-to-many field."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "eligible_programmes"
        }


class AvailabilityWidget(forms.CheckboxSelectMultiple):
    """The 21 weekly slots as a days-by-parts grid of checkboxes."""

    template_name = "mentoring/widgets/availability.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = {str(v) for v in (value or [])}
        widget_id = context["widget"]["attrs"].get("id", name)
        context["parts"] = [str(p) for p in PART_NAMES]
        context["rows"] = [
            (
                str(day_name),
                [
                    {
                        "value": str(slot),
                        "id": f"{widget_id}_{slot}",
                        "checked": str(slot) in chosen,
                        "label": slot_label(slot),
                    }
                    for slot in range(d * len(PART_NAMES), (d + 1) * len(PART_NAMES))
                ],
            )
            for d, day_name in enumerate(DAY_NAMES)
        ]
        return context


def _question_field(question: Question) -> forms.Field:
    builtin = BUILTINS.get(question.key) if question.builtin else None
    label = builtin.label if builtin else question.label
    help_text = builtin.help_text if builtin else question.help_text
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": question.required}
    if builtin and builtin.choices is not None:
        choices: list[tuple[str, Any]] = list(builtin.choices.choices)
    else:
        choices = [(o, o) for o in question.options]
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        if not question.required:
            choices = [("", _("Not given")), *choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.SCALE:
        steps = [(str(n), str(n)) for n in range(question.scale_min, question.scale_max + 1)]
        return forms.TypedChoiceField(
            choices=steps, coerce=int, widget=forms.RadioSelect, empty_value=None, **common
        )
    if kind == QuestionKind.AVAILABILITY:
        slots = [(str(s), slot_label(s)) for s in range(len(DAY_NAMES) * len(PART_NAMES))]
        return forms.TypedMultipleChoiceField(
            choices=slots, coerce=int, widget=AvailabilityWidget, **common
        )
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=200, **common)
    return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)


class ApplicationForm(forms.Form):
    """The enrolment form: the programme's questions, then the optional sections."""

    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Anything that helps you take part, such as step-free meeting places or "
            "written notes. Only the coordinator and support staff see this; your mentor "
            "or mentee does not."
        ),
    )
    same_gender = forms.BooleanField(
        label=_("I would like to be paired with someone of my own gender"), required=False
    )
    shared_background = forms.BooleanField(
        label=_("I would like to be paired with someone who shares my background"),
        required=False,
    )
    shared_language = forms.BooleanField(
        label=_("I would like to be paired with someone who speaks the language I grew up with"),
        required=False,
    )
    preference_consent = forms.BooleanField(
        label=_(
            "I agree that Guildhouse uses my gender and background from my support "
            "information to honour these preferences, mine and other people's"
        ),
        required=False,
    )

    PREFERENCES = ("same_gender", "shared_background", "shared_language")

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        special: SpecialCategoryData | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.special = special
        question_fields = {f"q_{q.key}": _question_field(q) for q in questions}
        self.fields = {**question_fields, **self.fields}

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{q.key}"] for q in self.questions]

    def answers(self) -> dict[str, Any]:
        return {
            q.key: self.cleaned_data[f"q_{q.key}"]
            for q in self.questions
            if self.cleaned_data.get(f"q_{q.key}") not in (None, "", [])
        }

    def preference(self) -> PreferenceInput | None:
        if not self.cleaned_data.get("preference_consent"):
            return None
        return PreferenceInput(**{name: self.cleaned_data[name] for name in self.PREFERENCES})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wanted = [name for name in self.PREFERENCES if data.get(name)]
        if wanted and not data.get("preference_consent"):
            self.add_error(
                "preference_consent",
                _("Tick the box to agree, or untick the preferences: they are optional."),
            )
        special = self.special
        if data.get("same_gender") and not (special and special.gender):
            self.add_error(
                "same_gender",
                _("Add your gender under Support information in My profile first."),
            )
        if data.get("shared_background") and not (special and special.background):
            self.add_error(
                "shared_background",
                _("Add your background under Support information in My profile first."),
            )
        if (
            data.get("shared_language")
            and "q_home_language" in self.fields
            and not data.get("q_home_language")
        ):
            self.add_error("shared_language", _("Choose the language you grew up with above."))
        return data


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ApplicationStatus.ACCEPTED, _("Accept")),
            (ApplicationStatus.WAITLISTED, _("Put on the waiting list")),
            (ApplicationStatus.DECLINED, _("Do not accept")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you do not accept someone; the applicant sees it."),
    )
    capacity = forms.IntegerField(
        label=_("Mentees this mentor takes"), min_value=1, max_value=MAX_CAPACITY, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("decision") == ApplicationStatus.DECLINED
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give a reason when you do not accept someone."))
        return data


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Type of answer"), choices=QuestionKind.choices)
    side = forms.ChoiceField(label=_("Asked of"), choices=QuestionSide.choices)
    options = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For one or several choices: one per line."),
    )
    scale_min = forms.IntegerField(label=_("Scale from"), initial=1, required=False)
    scale_max = forms.IntegerField(label=_("Scale to"), initial=5, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class TrainingCheckForm(forms.Form):
    """One radio group per check question of a module."""

    def __init__(self, *args: Any, module: Module, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.module = module
        for n, question in enumerate(module.check):
            self.fields[f"q{n}"] = forms.TypedChoiceField(
                label=str(question.text),
                choices=[(str(i), option) for i, option in enumerate(question.options)],
                coerce=int,
                widget=forms.RadioSelect,
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{n}"] for n in range(len(self.module.check))]


class RunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How to match"), choices=MatchingMode.choices, widget=forms.RadioSelect
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does this match not suit you?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the coordinator sees this. You can decline one match."),
    )


class MeetingForm(forms.Form):
    suggested = forms.ChoiceField(
        label=_("Times when you are both usually free"),
        required=False,
        widget=forms.RadioSelect,
    )
    starts_at = forms.DateTimeField(
        label=_("Or another time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label=_("Length in minutes"), min_value=15, max_value=180)
    mode = forms.ChoiceField(
        label=_("Where"), choices=MeetingMode.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label=_("Place"), required=False, max_length=200, help_text=_("For a meeting in person.")
    )
    link = forms.URLField(
        label=_("Meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("For an online meeting."),
    )

    def __init__(self, *args: Any, suggestions: list[datetime.datetime], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["suggested"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (moment.isoformat(), date_format(timezone.localtime(moment), "DATETIME_FORMAT"))
            for moment in suggestions
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") is None and not data.get("suggested"):
            self.add_error("starts_at", _("Pick one of the times, or give another."))
        if data.get("mode") == MeetingMode.IN_PERSON and not data.get("place", "").strip():
            self.add_error("place", _("Give the place for a meeting in person."))
        if data.get("mode") == MeetingMode.ONLINE and not data.get("link"):
            self.add_error("link", _("Give the link for an online meeting."))
        return data

    def start(self) -> datetime.datetime:
        chosen = self.cleaned_data.get("starts_at")
        if chosen is not None:
            return chosen  # type: ignore[no-any-return]
        return datetime.datetime.fromisoformat(self.cleaned_data["suggested"])


class MeetingLogForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[
            (MeetingStatus.HELD, _("We met")),
            (MeetingStatus.MISSED, _("It did not happen")),
            (MeetingStatus.CANCELLED, _("It was cancelled")),
        ],
        widget=forms.RadioSelect,
    )
    held_minutes = forms.IntegerField(
        label=_("How long did you meet, in minutes?"), min_value=1, max_value=480, required=False
    )
    topics = forms.CharField(label=_("Topics"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the two of you see these notes, unless you share them below."),
    )
    notes_shared = forms.BooleanField(
        label=_("Share these notes with the coordinator"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == MeetingStatus.HELD and not data.get("held_minutes"):
            self.add_error("held_minutes", _("Say how long you met."))
        return data


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why does the pair end?"),
        choices=[(c.value, c.label) for c in CloseReason if not c.value.startswith("declined")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("In your own words"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

"""Forms for the mentoring pages. They validate input; services make the change."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Institution, Programme
from guildhouse.mentoring.models import MentoringProgramme


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

"""Forms for goals and programme alignment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import FieldOfEducation, Institution, Level, Programme
from guildhouse.partners.forms import DateInput
from guildhouse.partners.models import GoalKpi, OpportunityKind
from guildhouse.partners.selectors_goals import PERCENT_KPIS


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"),
        max_length=200,
        help_text=_("In your words, e.g. “four in five level-3 learners complete a placement”."),
    )
    kpi = forms.ChoiceField(label=_("Measured by"), choices=GoalKpi.choices)
    target = forms.IntegerField(
        label=_("Target"),
        min_value=0,
        max_value=100000,
        help_text=_("A percentage for the share measures, otherwise a number."),
    )
    starts_on = forms.DateField(label=_("Period starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Period ends"), widget=DateInput)
    level = forms.ChoiceField(
        label=_("Learners of level"),
        choices=[("", _("Any level")), *Level.choices],
        required=False,
        help_text=_("For the placement share only."),
    )
    opportunity_kind = forms.ChoiceField(
        label=_("Type of opportunity"),
        choices=[("", "—"), *OpportunityKind.choices],
        required=False,
        help_text=_("For the number of opportunities only."),
    )
    min_partners = forms.IntegerField(
        label=_("N: active partners each programme needs"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("For the programme coverage only."),
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"] = forms.ModelChoiceField(
            label=_("Programme"),
            queryset=Programme.objects.filter(institution=institution, active=True),
            required=False,
            empty_label=_("All programmes"),
            help_text=_("Limits the placement share, coverage or opportunity count."),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kpi, target = data.get("kpi"), data.get("target")
        if kpi in PERCENT_KPIS and target is not None and target > 100:
            self.add_error("target", _("A share cannot be more than 100 %."))
        if kpi == GoalKpi.OPPORTUNITY_COUNT and not data.get("opportunity_kind"):
            self.add_error("opportunity_kind", _("Choose the type of opportunity to count."))
        if kpi == GoalKpi.PROGRAMME_COVERAGE and not data.get("min_partners"):
            self.add_error("min_partners", _("Give N, the active partners each programme needs."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The period cannot end before it starts."))
        return data


class AlignmentForm(forms.Form):
    sectors = forms.MultipleChoiceField(
        label=_("Sectors this programme prepares for"),
        choices=FieldOfEducation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    placement_year = forms.IntegerField(
        label=_("Placement in year of study"),
        min_value=1,
        max_value=6,
        required=False,
        help_text=_("Learners in this year of study need a placement this academic year."),
    )


class ReviewForm(forms.Form):
    prefix = "review"
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    participants = forms.CharField(
        label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    skill_needs = forms.CharField(
        label=_("Skill needs considered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    decisions = forms.CharField(
        label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

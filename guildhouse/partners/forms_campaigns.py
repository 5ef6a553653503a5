"""Forms of check-in campaigns, the answer page, imports and reminder settings."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Institution, Membership
from guildhouse.partners import selectors
from guildhouse.partners.forms import DateInput, OrganisationFilterForm
from guildhouse.partners.models import ReminderSettings
from guildhouse.partners.services_campaigns import MAX_ANSWER_LENGTH, MAX_QUESTIONS


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Message to partners"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown at the top of the email and of the answer page."),
    )
    questions = forms.CharField(
        label=_("Questions"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One question per line, at most %(n)d.") % {"n": MAX_QUESTIONS},
    )
    closes_on = forms.DateField(
        label=_("Answers accepted until"),
        widget=DateInput,
        help_text=_("The links stop working after this day."),
    )

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines()]


class AnswerForm(forms.Form):
    """One text field per question of the campaign, in order."""

    respondent_name = forms.CharField(label=_("Your name"), max_length=200, required=False)

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, question in enumerate(questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question,
                required=False,
                max_length=MAX_ANSWER_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.count = len(questions)

    def answers(self) -> list[str]:
        return [self.cleaned_data[f"answer_{i}"] for i in range(self.count)]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("A .csv (UTF-8, comma or semicolon) or .xlsx file, at most 5 MB."),
    )


class ReminderSettingsForm(forms.ModelForm[ReminderSettings]):
    class Meta:
        model = ReminderSettings
        fields: ClassVar = ["renewal_days", "review_days", "compliance_days", "campaign_days"]


def organisation_filters(
    data: Any, *, institution: Institution, viewer: Membership
) -> tuple[OrganisationFilterForm, selectors.OrganisationFilters]:
    """The organisation list's filter form for ``data`` (a query string or a POST) and
    the filters it means; no filter where the form is not valid. Used by the campaign
    audience and the export, so both match what the list page shows."""
    stages = selectors.stage_list(institution=institution)
    tags = list(selectors.tag_list(institution=institution).values_list("pk", "name"))
    form = OrganisationFilterForm(data, stages=stages, tags=tags)
    if not form.is_valid():
        return form, selectors.OrganisationFilters()
    clean = form.cleaned_data
    return form, selectors.OrganisationFilters(
        query=clean["q"].strip(),
        kind=clean["kind"],
        sector=clean["sector"],
        stage_id=clean["stage"],
        tag_id=clean["tag"],
        owner_id=viewer.pk if clean["mine"] else None,
    )

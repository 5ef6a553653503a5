"""Forms of learner voice (learner side, moderation and the coordinator's settings)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Programme
from guildhouse.voice.anonymity import RECEIPT_GROUP_LENGTH, RECEIPT_GROUPS, receipt_code_normalise
from guildhouse.voice.models import (
    Audience,
    Category,
    Consultation,
    ReportReason,
    SupportCaseStatus,
    VoiceSettings,
)

TEXT_LIMIT = 5000


class SubmitForm(forms.Form):
    text = forms.CharField(
        label=_("What do you want to say?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 7, "data-safeguarding-text": ""}),
        help_text=_(
            "Describe the situation, not the people: leave out names and details only you know."
        ),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=None
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("Do not say"),
        help_text=_("Only programmes with enough learners to stay anonymous are listed."),
    )
    named = forms.BooleanField(
        label=_("I want a personal reply: show my name to staff"),
        required=False,
        help_text=_("Leave this unticked to stay anonymous."),
    )
    contact = forms.CharField(
        label=_("How to reach you (named replies only)"),
        max_length=200,
        required=False,
        help_text=_("Optional: a phone number or a time that suits you. Your email is known."),
    )
    # Ticked by the learner after the safeguarding notice was shown (no-JS path, or JS).
    safeguarding_seen = forms.BooleanField(
        label=_("I have read how to get support now, and I still want to send this"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        categories: list[Category],
        programmes: list[Programme],
        named_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ModelChoiceField)
        category_field.queryset = Category.objects.filter(pk__in=[c.pk for c in categories])
        category_field.choices = [(c.pk, c.label) for c in categories]
        programme_field = self.fields["programme"]
        assert isinstance(programme_field, forms.ModelChoiceField)
        programme_field.queryset = Programme.objects.filter(pk__in=[p.pk for p in programmes])
        programme_field.choices = [("", _("Do not say")), *((p.pk, p.name) for p in programmes)]
        self.named_only = named_only
        if named_only:
            self.fields["named"].initial = True
            self.fields["named"].disabled = True
            self.fields["named"].help_text = _(
                "This consultation reaches too few learners for anonymous answers."
            )

    def clean_named(self) -> bool:
        return True if self.named_only else bool(self.cleaned_data.get("named"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("named") and data.get("contact"):
            self.add_error(
                "contact",
                _(
                    "An anonymous message cannot carry contact details: tick the personal "
                    "reply box, or empty this field."
                ),
            )
        return data


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("The code you were shown after sending, e.g. ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = receipt_code_normalise(self.cleaned_data["code"])
        if len(code) != RECEIPT_GROUPS * (RECEIPT_GROUP_LENGTH + 1) - 1:
            raise ValidationError(_("A receipt code has 16 letters and digits in four groups."))
        return code


class ReceiptAddForm(ReceiptForm):
    text = forms.CharField(
        label=_("Add information"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this?"), choices=ReportReason
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit log. The learner's words are never changed."),
    )


class SupportCaseForm(forms.Form):
    message = forms.CharField(
        label=_("What would you like support staff to know?"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.CharField(label=_("How and when to reach you"), max_length=200, required=False)
    consent = forms.BooleanField(
        label=_("I understand that support staff will see my name and contact me."),
        error_messages={"required": _("Tick this box to ask support staff to contact you.")},
    )


class SupportCaseStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=SupportCaseStatus.choices,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )


class VoiceSettingsForm(forms.ModelForm[VoiceSettings]):
    class Meta:
        model = VoiceSettings
        fields = (
            "min_group_size",
            "release_rule",
            "max_wait_days",
            "auto_hide_reports",
            "keywords_en",
            "keywords_fi",
            "support_now",
        )
        widgets = {
            "keywords_en": forms.Textarea(attrs={"rows": 6}),
            "keywords_fi": forms.Textarea(attrs={"rows": 6}),
            "support_now": forms.Textarea(attrs={"rows": 4}),
        }


class CategoryForm(forms.ModelForm[Category]):
    class Meta:
        model = Category
        fields = ("name", "response_days", "position", "active")

    def __init__(self, *args: Any, institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution_id = institution_id
        if self.instance.pk and self.instance.builtin:
            # A built-in category keeps its translated name.
            del self.fields["name"]
        else:
            self.fields["name"].required = True

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Category.objects.filter(institution_id=self.institution_id, builtin="", name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("A category with this name exists already."))
        return name


class ConsultationForm(forms.ModelForm[Consultation]):
    cohorts_text = forms.CharField(
        label=_("Cohorts"),
        required=False,
        help_text=_(
            "For the cohorts audience: cohort labels as on learner profiles, separated by commas."
        ),
    )

    class Meta:
        model = Consultation
        fields = (
            "question",
            "description",
            "audience",
            "programmes",
            "opens_on",
            "closes_on",
            "anonymous_allowed",
        )
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "programmes": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = self.fields["programmes"]
        assert isinstance(programmes, forms.ModelMultipleChoiceField)
        programmes.queryset = Programme.objects.filter(institution_id=institution_id).order_by(
            "name"
        )
        if self.instance.pk:
            self.fields["cohorts_text"].initial = ", ".join(self.instance.cohorts)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("A consultation closes on or after the day it opens."))
        cohorts = [c.strip() for c in (data.get("cohorts_text") or "").split(",") if c.strip()]
        data["cohorts"] = cohorts
        audience = data.get("audience")
        if audience == Audience.PROGRAMMES and not data.get("programmes"):
            self.add_error("programmes", _("Choose at least one programme for this audience."))
        if audience == Audience.COHORTS and not cohorts:
            self.add_error("cohorts_text", _("Name at least one cohort for this audience."))
        return data

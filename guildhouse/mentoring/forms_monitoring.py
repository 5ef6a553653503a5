"""Forms of monitoring and KPIs: a flag, a coordinator's action, a resolution, evidence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.mentoring.models import ActionKind, EvidenceKind, FlagTopic, RiskAlert


class FlagForm(forms.Form):
    topic = forms.ChoiceField(label=_("What is it about?"), choices=FlagTopic.choices)
    urgent = forms.BooleanField(
        label=_("It is urgent: someone should contact me today"), required=False
    )
    message = forms.CharField(
        label=_("What is happening?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Your coordinator reads this; for wellbeing and safety, support staff too. "
            "The other person of your pair does not see it."
        ),
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What did you do?"), choices=ActionKind.choices)
    taken_on = forms.DateField(
        label=_("When"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    note = forms.CharField(
        label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    alert = forms.TypedChoiceField(
        label=_("This deals with"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, alerts: list[RiskAlert], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from guildhouse.mentoring.selectors_monitoring import reason

        self.alerts = {a.pk: a for a in alerts if a.closed_at is None}
        field = self.fields["alert"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("No alert (a routine contact or a note)"))] + [
            (pk, reason(alert)) for pk, alert in self.alerts.items()
        ]
        self.fields["taken_on"].initial = timezone.localdate()

    def chosen_alert(self) -> RiskAlert | None:
        pk = self.cleaned_data.get("alert")
        return self.alerts.get(pk) if pk else None


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Notes"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("No names: write what was said, not who said it."),
    )
    tags = forms.CharField(
        label=_("Themes"),
        max_length=300,
        required=False,
        help_text=_("Separated by commas, e.g. confidence, belonging, work placement."),
    )

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "")
        tags = []
        for part in raw.split(","):
            tag = " ".join(part.split()).lower()
            if tag and tag not in tags:
                tags.append(tag[:40])
        return tags[:10]

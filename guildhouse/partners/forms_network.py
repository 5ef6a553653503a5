"""Forms for CPD records and events."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Institution
from guildhouse.partners.forms import DateInput
from guildhouse.partners.lookup import LookupField
from guildhouse.partners.models import CpdKind, EventKind


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CpdForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=CpdKind.choices)
    title = forms.CharField(
        label=_("What"),
        max_length=200,
        help_text=_("The event, the professional body, the workplace or the course."),
    )
    starts_on = forms.DateField(label=_("Date or start"), widget=DateInput)
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput)
    hours = forms.DecimalField(
        label=_("CPD hours"),
        min_value=Decimal(0),
        max_value=Decimal(2000),
        decimal_places=1,
        initial=0,
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = LookupField(
            kind="organisation",
            institution=institution,
            label=_("Partner organisation"),
            required=False,
            help_text=_("If it was with one of our partners: type part of its name."),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, institution: Institution, creating: bool = True, **kwargs: Any
    ) -> None:
        """A new event may name one partner organisation; more, and changes, are made on
        the event's page (a select of a thousand partners is no way to choose several)."""
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["organisation"] = LookupField(
                kind="organisation",
                institution=institution,
                label=_("Partner organisation"),
                required=False,
                help_text=_(
                    "Hosting or taking part: type part of its name. Add more on the event's page."
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        return data


def default_event_start() -> datetime.datetime:
    return timezone.localtime().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(
        days=7
    )


class EventOrganisationForm(forms.Form):
    prefix = "partner"

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = LookupField(
            kind="organisation", institution=institution, label=_("Partner organisation")
        )


class AttendeeForm(forms.Form):
    prefix = "attendee"

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"] = LookupField(
            kind="member",
            institution=institution,
            label=_("Staff member or learner"),
            required=False,
        )
        self.fields["contact"] = LookupField(
            kind="contact", institution=institution, label=_("Partner contact"), required=False
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "membership" in self.errors or "contact" in self.errors:
            return data  # the lookup already said what it could not find
        if bool(data.get("membership")) == bool(data.get("contact")):
            raise forms.ValidationError(
                _("Choose either a staff member or learner, or a partner contact.")
            )
        return data

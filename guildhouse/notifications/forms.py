"""The preferences form: one choice per registered kind, and the email language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guildhouse.notifications.api import KINDS
from guildhouse.notifications.models import Delivery


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of emails"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, current: dict[str, Delivery], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, kind in sorted(KINDS.items(), key=lambda item: str(item[1].label)):
            self.fields[f"kind:{key}"] = forms.ChoiceField(
                label=str(kind.label),
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current.get(key, kind.default),
            )

    def deliveries(self) -> dict[str, str]:
        return {
            name.removeprefix("kind:"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("kind:")
        }

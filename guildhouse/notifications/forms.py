"""The preferences form: one choice per registered kind, and the email language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guildhouse.notifications.api import Kind
from guildhouse.notifications.models import Delivery


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of emails"), choices=settings.LANGUAGES)

    def __init__(
        self, *args: Any, kinds: dict[str, Kind], current: dict[str, Delivery], **kwargs: Any
    ) -> None:
        """``kinds``: those the person can receive (``api.kinds_for`` their roles); the
        others keep whatever they were."""
        super().__init__(*args, **kwargs)
        for key, kind in sorted(kinds.items(), key=lambda item: str(item[1].label)):
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

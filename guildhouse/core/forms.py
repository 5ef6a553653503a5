"""Forms for the core pages. They validate input; services make the change."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Gender, Institution, Programme, Role


class ProgrammeForm(forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields: ClassVar = ["name", "code", "field", "level", "description", "active"]

    def __init__(self, *args: object, institution: Institution, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.instance.institution = institution


# Figures about fewer people than this are hidden. Below 3 someone could be singled
# out (the database refuses it too); above 50 nearly every programme's figures vanish.
MIN_GROUP_SIZE_RANGE = (3, 50)
_GROUP_SIZE_ERROR = _("Enter a whole number from 3 to 50.")


class InstitutionForm(forms.ModelForm[Institution]):
    min_group_size = forms.IntegerField(
        label=_("Smallest reported group"),
        min_value=MIN_GROUP_SIZE_RANGE[0],
        max_value=MIN_GROUP_SIZE_RANGE[1],
        help_text=_(
            "Reports hide any figure about fewer people than this, so that nobody can be "
            "recognised. From 3 to 50; 5 suits most schools."
        ),
        error_messages={
            "required": _GROUP_SIZE_ERROR,
            "invalid": _GROUP_SIZE_ERROR,
            "min_value": _("Enter 3 or more: a smaller group could reveal who someone is."),
            "max_value": _("Enter 50 or less: a larger number would hide almost every figure."),
        },
    )

    class Meta:
        model = Institution
        fields: ClassVar = ["name", "short_name", "consortium", "city", "min_group_size"]


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    # No default: a pre-selected role (once the most powerful) is too easily sent unread.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Choose a role")), *Role.choices],
        error_messages={"required": _("Choose the role this person will have.")},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, current: str, own: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["role"] = current
        self.current = current
        if own:
            # Changing one's own role can lock oneself out: ask before doing it.
            self.fields["confirm"] = forms.BooleanField(
                label=_("Yes, change my own role. I may lose access to this page."),
                required=False,
            )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        changes = data.get("role") not in (None, self.current)
        if "confirm" in self.fields and changes and not data.get("confirm"):
            self.add_error(
                "confirm", _("This is your own role: tick the box to confirm the change.")
            )
        return data


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Type it again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        password = data.get("password1")
        if password and password != data.get("password2"):
            self.add_error("password2", _("The two passwords are different."))
        elif isinstance(password, str):
            try:
                validate_password(password)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class SpecialCategoryForm(forms.Form):
    # The agreement comes after the fields it covers, as people read top to bottom.
    field_order = ["gender", "background", "support_needs", "consent"]

    consent = forms.BooleanField(
        label=_("I agree that my school stores this information and shows it to support staff."),
        required=False,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("Prefer not to say")), *Gender.choices], required=False
    )
    background = forms.CharField(label=_("Background"), max_length=200, required=False)
    support_needs = forms.CharField(
        label=_("Disability or support needs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, on_file: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Whether consented data is stored now: then an unticked box withdraws consent,
        # even though the browser still sends the values shown in the fields.
        self.on_file = on_file

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        has_values = any(data.get(name) for name in ("gender", "background", "support_needs"))
        if has_values and not data.get("consent") and not self.on_file:
            self.add_error(
                "consent",
                _(
                    "Tick the box to agree, or clear the fields: "
                    "we store this only with your agreement."
                ),
            )
        return data

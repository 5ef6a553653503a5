"""Forms for the partnership pages. They validate input; services make the change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from guildhouse.core.models import FieldOfEducation, Institution, Membership, Programme
from guildhouse.partners import selectors
from guildhouse.partners.lookup import LookupField
from guildhouse.partners.models import (
    AgreementKind,
    CommitmentStatus,
    ContributionKind,
    InteractionKind,
    OpportunityKind,
    OpportunityPeriod,
    Organisation,
    OrganisationKind,
    Party,
    Requirement,
    Side,
    Stage,
)
from guildhouse.partners.widgets import StaffChoiceField


class DateInput(forms.DateInput):
    input_type = "date"


def _staff_choices(institution: Institution) -> forms.ModelMultipleChoiceField[Membership]:
    field = forms.ModelMultipleChoiceField(
        label=_("Relationship owners"),
        queryset=selectors.staff_list(institution=institution),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff who look after this relationship."),
    )
    field.label_from_instance = lambda m: m.user.full_name  # type: ignore[method-assign,assignment]
    return field


class OrganisationForm(forms.ModelForm[Organisation]):
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separate tags with commas, e.g. green energy, summer jobs."),
    )

    class Meta:
        model = Organisation
        fields: ClassVar = [
            "name",
            "kind",
            "sector",
            "size",
            "website",
            "street_address",
            "postcode",
            "city",
            "region",
            "skill_needs",
            "source",
            "check_in_every_days",
        ]
        widgets: ClassVar = {"skill_needs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        self.fields["owners"] = _staff_choices(institution)
        if self.instance.pk:
            self.fields["owners"].initial = list(self.instance.owners.all())
            self.fields["tags"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def tag_names(self) -> list[str]:
        return [t for t in (p.strip() for p in self.cleaned_data["tags"].split(",")) if t]


class OrganisationCreateForm(OrganisationForm):
    contact_name = forms.CharField(label=_("Contact's full name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact's email address"), required=False)
    contact_phone = forms.CharField(label=_("Contact's phone"), max_length=40, required=False)
    contact_role = forms.CharField(label=_("Contact's job title"), max_length=120, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("contact_email") or data.get("contact_phone")) and not data.get(
            "contact_name"
        ):
            self.add_error(
                "contact_name", _("Give the contact's name, or leave the contact empty.")
            )
        return data


class ContactForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_(
            "If we already know this address, the person is linked instead of added twice."
        ),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    role = forms.CharField(label=_("Role or job title"), max_length=120, required=False)
    start_date = forms.DateField(label=_("Works here since"), required=False, widget=DateInput)


class EndAffiliationForm(forms.Form):
    end_date = forms.DateField(label=_("Left on"), widget=DateInput)


class MoveForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("Stage"), queryset=Stage.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.of(institution)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Research note"), widget=forms.Textarea(attrs={"rows": 3}))


class StageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=1000, help_text=_("Lower numbers come first.")
    )
    stale_after_days = forms.IntegerField(
        label=_("Stale after (days)"), min_value=1, max_value=3650, required=False
    )
    is_closed = forms.BooleanField(
        label=_("Closed stage (paused or ended; never stale)"), required=False
    )


class LinkAccountForm(forms.Form):
    membership = forms.ModelChoiceField(
        label=_("Partner account"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("No account"),
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = selectors.partner_accounts(institution=institution)  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"{m.user.full_name} ({m.user.email})"  # type: ignore[attr-defined]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    stage = forms.TypedChoiceField(label=_("Stage"), required=False, coerce=int, empty_value=None)
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)
    mine = forms.BooleanField(label=_("Only relationships I own"), required=False)

    def __init__(
        self, *args: Any, stages: list[Stage], tags: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["kind"].choices = every + list(OrganisationKind.choices)  # type: ignore[attr-defined]
        self.fields["sector"].choices = every + list(FieldOfEducation.choices)  # type: ignore[attr-defined]
        self.fields["stage"].choices = every + [(s.pk, s.name) for s in stages]  # type: ignore[attr-defined]
        self.fields["tag"].choices = every + tags  # type: ignore[attr-defined]


def _staff_choice(
    institution: Institution,
    label: StrOrPromise,
    required: bool,
    staff: list[tuple[int, str]] | None = None,
) -> forms.ModelChoiceField[Membership]:
    """Hundreds of staff at a large school: no template per option, no model instances.
    ``staff``: the options already read for another select of the page."""
    field = StaffChoiceField(
        label=label,
        queryset=selectors.staff_list(institution=institution),
        required=required,
        options=staff,
    )
    field.label_from_instance = lambda m: m.user.full_name  # type: ignore[method-assign,assignment]
    return field


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=InteractionKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was discussed and agreed."),
    )
    follow_up = forms.CharField(
        label=_("Follow-up action"),
        max_length=300,
        required=False,
        help_text=_("Something someone agreed to do next."),
    )
    follow_up_due_on = forms.DateField(label=_("Follow-up due"), required=False, widget=DateInput)

    def __init__(
        self, *args: Any, institution: Institution, organisation: Organisation, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        staff = forms.ModelMultipleChoiceField(
            label=_("Our staff"),
            queryset=selectors.staff_list(institution=institution),
            required=False,
        )
        staff.label_from_instance = lambda m: m.user.full_name  # type: ignore[method-assign,assignment]
        self.fields["staff"] = staff
        self.fields["contacts"] = forms.ModelMultipleChoiceField(
            label=_("Their people"),
            queryset=selectors.organisation_contacts(organisation=organisation),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["follow_up_owner"] = _staff_choice(institution, _("Follow-up owner"), False)
        # Keep the follow-up fields together, last.
        self.order_fields(
            [
                "kind",
                "occurred_on",
                "summary",
                "staff",
                "contacts",
                "follow_up",
                "follow_up_owner",
                "follow_up_due_on",
            ]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("follow_up"):
            if not data.get("follow_up_owner"):
                self.add_error("follow_up_owner", _("Who will do it?"))
            if not data.get("follow_up_due_on"):
                self.add_error("follow_up_due_on", _("By when?"))
        return data


class FollowUpForm(forms.Form):
    prefix = "follow_up"  # shares the partner page with the promise form
    description = forms.CharField(label=_("Follow-up action"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)

    def __init__(
        self,
        *args: Any,
        institution: Institution,
        staff: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _staff_choice(institution, _("Owner"), True, staff)
        self.order_fields(["description", "owner", "due_on"])


class CommitmentForm(forms.Form):
    prefix = "commitment"
    side = forms.ChoiceField(label=_("Who promised"), choices=Side.choices)
    description = forms.CharField(label=_("Promise"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)

    def __init__(
        self,
        *args: Any,
        institution: Institution,
        staff: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _staff_choice(institution, _("Owner on our side"), True, staff)
        self.order_fields(["side", "description", "owner", "due_on"])


class CommitmentCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (CommitmentStatus.DELIVERED, _("Delivered")),
            (CommitmentStatus.CANCELLED, _("Cancelled")),
        ],
    )
    delivered_on = forms.DateField(label=_("Delivered on"), required=False, widget=DateInput)


class OpportunityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=OpportunityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DateInput)
    requirements = forms.MultipleChoiceField(
        label=_("Documents each placement needs"),
        choices=Requirement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programmes"] = forms.ModelMultipleChoiceField(
            label=_("Programmes"),
            queryset=Programme.objects.filter(institution=institution, active=True),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class PeriodForm(forms.Form):
    prefix = "period"
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)


class PlacementForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput)
    hours = forms.IntegerField(label=_("Planned hours"), min_value=1, max_value=2000)
    supervisor_name = forms.CharField(
        label=_("Workplace supervisor"), max_length=200, required=False
    )
    supervisor_email = forms.EmailField(label=_("Supervisor's email"), required=False)
    supervisor_phone = forms.CharField(label=_("Supervisor's phone"), max_length=40, required=False)

    def __init__(self, *args: Any, period: OpportunityPeriod, learners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A programme has hundreds of learners: the learner is typed, not picked from a
        # select (guildhouse/partners/lookup.py).
        self.fields["learner"] = LookupField(
            kind="member",
            institution=period.opportunity.organisation.institution,
            within=learners,
            scope={"period": str(period.pk)},
            not_found=_(
                "No learner who may take this opportunity is called “%(text)s”. It takes"
                " learners of its programmes only."
            ),
            label=_("Learner"),
            help_text=_("Type part of their name, then choose from the suggestions."),
        )
        self.order_fields(["learner"])


class ComplianceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=Requirement.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        help_text=_("Certificate number, issuer or who ran it."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=AgreementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DateInput)
    review_on = forms.DateField(label=_("Review date"), required=False, widget=DateInput)
    our_responsibilities = forms.CharField(
        label=_("Our responsibilities"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    their_responsibilities = forms.CharField(
        label=_("Their responsibilities"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class SignatoryForm(forms.Form):
    prefix = "signatory"
    side = forms.ChoiceField(label=_("Party"), choices=Party.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)


class ContributionForm(forms.Form):
    prefix = "contribution"
    side = forms.ChoiceField(label=_("Party"), choices=Party.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    value = forms.DecimalField(
        label=_("Value (EUR)"), min_value=Decimal(0), max_digits=12, decimal_places=2
    )


class SignForm(forms.Form):
    prefix = "sign"
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    document = forms.FileField(
        label=_("Signed copy"),
        help_text=_("A PDF, PNG or JPEG file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

"""Forms of the staff side of learner voice. They validate input; services make the change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import STAFF_ROLES, Institution, Membership, Role
from guildhouse.voice.models import (
    Action,
    Assembly,
    Category,
    Involvement,
    Item,
    ResourceKind,
    ResponsibilityKind,
    Stakeholder,
    Status,
    TrainingSession,
)


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def staff_members(institution: Institution) -> Any:
    return (
        Membership.objects.active()
        .filter(institution=institution, role__in=STAFF_ROLES)
        .select_related("user")
        .order_by("sort_name", "pk")
    )


def _name(member: Membership) -> str:
    return member.user.full_name


OPEN = [Status.NEW, Status.UNDER_REVIEW, Status.ACTION_PLANNED]
PICK_LIMIT = 200  # items offered in a checkbox list; a region school has thousands


def open_items(institution: Institution, also: Any = None) -> Any:
    """Open released items to link (at most PICK_LIMIT), plus those already linked."""
    first = (
        Item.objects.visible()
        .filter(institution=institution, status__in=OPEN)
        .values("pk")[:PICK_LIMIT]
    )
    chosen = Q(pk__in=first)
    if also is not None:
        chosen |= Q(pk__in=also.values("pk"))
    return Item.objects.filter(chosen).select_related("category")


def _item_label(item: Item) -> str:
    return f"{item.category.label}: {item.text[:80]}"


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Membership.objects.none(), required=False
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the status is Declined; the author reads it."),
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = staff_members(institution)
        owner.label_from_instance = _name  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.DECLINED and not data.get("decline_reason", "").strip():
            self.add_error("decline_reason", _("Say why the item is declined."))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff read notes."),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the author"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The author reads this with their receipt code. Do not guess who they are."),
    )


class PublicResponseForm(forms.Form):
    you_said = forms.CharField(
        label=_("You said"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Summarise in your own words, without details that could identify anyone."),
    )
    we_did = forms.CharField(
        label=_("We did"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.ModelForm[Action]):
    items = forms.ModelMultipleChoiceField(
        label=_("Items it answers"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Action
        fields: ClassVar = [
            "title",
            "description",
            "category",
            "owner",
            "due_on",
            "status",
            "assembly",
        ]
        widgets: ClassVar = {
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        category = fields["category"]
        owner = fields["owner"]
        assembly = fields["assembly"]
        items = fields["items"]
        assert isinstance(category, forms.ModelChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(assembly, forms.ModelChoiceField)
        assert isinstance(items, forms.ModelMultipleChoiceField)
        category.queryset = Category.objects.filter(institution=institution)
        owner.queryset = staff_members(institution)
        owner.label_from_instance = _name  # type: ignore[method-assign,assignment]
        assembly.queryset = Assembly.objects.filter(institution=institution)
        items.queryset = open_items(
            institution, also=self.instance.items.all() if self.instance.pk else None
        )
        items.label_from_instance = _item_label  # type: ignore[method-assign,assignment]


class AllocationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Resource"), choices=ResourceKind.choices)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AssemblyForm(forms.ModelForm[Assembly]):
    class Meta:
        model = Assembly
        fields: ClassVar = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "agenda",
            "invite_learners",
            "invite_staff",
            "invite_stakeholders",
            "learners_attended",
            "staff_attended",
            "stakeholders_attended",
            "minutes",
        ]
        widgets: ClassVar = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end must not be before the start."))
        if not any(data.get(f) for f in ("invite_learners", "invite_staff", "invite_stakeholders")):
            self.add_error(None, _("Invite at least one group."))
        return data


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Items it answers"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = self.fields["items"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        items.queryset = open_items(institution)
        items.label_from_instance = _item_label  # type: ignore[method-assign,assignment]


class ResponsibilityForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Person"), queryset=Membership.objects.none())
    kind = forms.ChoiceField(label=_("Responsibility"), choices=ResponsibilityKind.choices)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Membership.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["membership"]
        programme = self.fields["programme"]
        assert isinstance(person, forms.ModelChoiceField)
        assert isinstance(programme, forms.ModelChoiceField)
        person.queryset = staff_members(institution)
        person.label_from_instance = _name  # type: ignore[method-assign,assignment]
        programme.queryset = institution.programmes.order_by("name")


class TrainingForm(forms.ModelForm[TrainingSession]):
    class Meta:
        model = TrainingSession
        fields: ClassVar = ["title", "held_on", "hours", "provider", "attendees"]
        widgets: ClassVar = {"held_on": DateInput(), "attendees": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attendees = self.fields["attendees"]
        assert isinstance(attendees, forms.ModelMultipleChoiceField)
        attendees.queryset = staff_members(institution)
        attendees.label_from_instance = _name  # type: ignore[method-assign,assignment]


class StakeholderForm(forms.ModelForm[Stakeholder]):
    class Meta:
        model = Stakeholder
        fields: ClassVar = ["name", "kind", "contact_name", "email", "account"]

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution = institution
        account = self.fields["account"]
        assert isinstance(account, forms.ModelChoiceField)
        account.queryset = (
            Membership.objects.active()
            .filter(institution=institution, role=Role.STAKEHOLDER)
            .select_related("user")
        )
        account.label_from_instance = _name  # type: ignore[method-assign,assignment]
        account.help_text = _("A stakeholder account that reads the aggregated reports.")

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Stakeholder.objects.filter(institution=self.institution, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This stakeholder is already in the register."))
        return name


class InvolvementForm(forms.Form):
    level = forms.ChoiceField(label=_("Involvement"), choices=Involvement.choices)
    assembly = forms.ModelChoiceField(
        label=_("Assembly or workshop"), queryset=Assembly.objects.none(), required=False
    )
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assembly = self.fields["assembly"]
        assert isinstance(assembly, forms.ModelChoiceField)
        assembly.queryset = Assembly.objects.filter(institution=institution)


class ReportFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Reporting year"), coerce=int, choices=())
    programme = forms.ChoiceField(label=_("Programme"), required=False, choices=())

    def __init__(
        self,
        *args: Any,
        years: list[int],
        programmes: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        programme = self.fields["programme"]
        assert isinstance(year, forms.TypedChoiceField)
        assert isinstance(programme, forms.ChoiceField)
        year.choices = [(y, f"{y}\u2013{y + 1}") for y in years]
        programme.choices = [("", _("All programmes")), *programmes]

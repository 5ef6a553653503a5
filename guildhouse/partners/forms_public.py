"""Forms for the offer, the public interest form, stories, testimonials, the survey,
evaluations and placement requests. They validate input; services make the change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Institution, Programme
from guildhouse.partners.forms import DateInput
from guildhouse.partners.lookup import LookupField
from guildhouse.partners.models import (
    Contact,
    EvaluationBy,
    Opportunity,
    OpportunityPeriod,
    Organisation,
    RequestStatus,
)
from guildhouse.partners.services_public import INTEREST_TOPICS

TEXT = {"rows": 4}


class OfferForm(forms.Form):
    headline = forms.CharField(
        label=_("Headline"),
        max_length=200,
        help_text=_(
            "One sentence a business owner reads first, e.g. 'Skilled hands for your team'."
        ),
    )
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    talent_pool = forms.CharField(
        label=_("Talent pool"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("The learners and graduates a business can meet: programmes, numbers, when."),
    )
    customised_training = forms.CharField(
        label=_("Customised training"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    facilities = forms.CharField(
        label=_("Facilities"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    expertise = forms.CharField(
        label=_("Expertise"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    is_published = forms.BooleanField(
        label=_("Show it on the public 'Partner with us' page"), required=False
    )


class InterestForm(forms.Form):
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    interests = forms.MultipleChoiceField(
        label=_("What interests you?"),
        choices=list(INTEREST_TOPICS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("Anything you want to tell us"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
    )
    # The honeypot: hidden from people (and screen readers); bots fill in every field.
    homepage = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = LookupField(
            kind="organisation",
            institution=institution,
            label=_("Partner"),
            required=False,
        )


class TestimonialForm(forms.Form):
    quote = forms.CharField(label=_("Testimonial"), widget=forms.Textarea(attrs=TEXT))
    author_name = forms.CharField(label=_("Author's name as shown"), max_length=200)
    author_title = forms.CharField(
        label=_("Author's job title as shown"), max_length=200, required=False
    )
    consent_note = forms.CharField(
        label=_("Consent already given in writing"),
        max_length=300,
        required=False,
        help_text=_(
            "Only if the author agreed in writing: say how and when (e.g. 'email of 3 March'). "
            "Otherwise leave empty: an author with an account agrees in the partner portal."
        ),
    )

    def __init__(self, *args: Any, contacts: QuerySet[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"] = forms.ModelChoiceField(
            label=_("Author"), queryset=contacts, required=False
        )
        self.order_fields(["contact"])


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How likely are you to recommend working with us to another business?"),
        help_text=_("0 = not at all likely, 10 = extremely likely"),
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("What should we keep doing, or do differently?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=TEXT),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("Organisation"), queryset=organisations, empty_label=None
        )
        self.order_fields(["organisation"])


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall, how did it go? (1 = poorly, 5 = very well)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    again = forms.TypedChoiceField(
        label="",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs=TEXT)
    )

    def __init__(self, *args: Any, by: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["again"].label = (
            _("Would you host a learner again?")
            if by == EvaluationBy.EMPLOYER
            else _("Would you recommend this workplace to other learners?")
        )


class RequestForm(forms.Form):
    places = forms.IntegerField(label=_("Places asked for"), min_value=1, max_value=200)
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput)
    answer_by = forms.DateField(label=_("Answer by"), widget=DateInput)
    message = forms.CharField(
        label=_("Message"), required=False, max_length=4000, widget=forms.Textarea(attrs=TEXT)
    )

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"] = forms.ModelChoiceField(
            label=_("Period"),
            queryset=OpportunityPeriod.objects.filter(opportunity=opportunity),
            required=False,
        )
        self.fields["programme"] = forms.ModelChoiceField(
            label=_("Programme"),
            queryset=Programme.objects.filter(
                institution_id=opportunity.organisation.institution_id, active=True
            ),
            required=False,
        )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (RequestStatus.OFFERED, _("We can offer places")),
            (RequestStatus.DECLINED, _("We cannot take learners this time")),
        ],
        widget=forms.RadioSelect,
    )
    places_offered = forms.IntegerField(
        label=_("Places we offer"), min_value=1, max_value=200, required=False
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
    )

    def __init__(self, *args: Any, by_staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if by_staff:  # a member of staff records what the employer said
            status = self.fields["status"]
            assert isinstance(status, forms.ChoiceField)
            status.label = _("Their answer")
            status.choices = [
                (RequestStatus.OFFERED, _("They can offer places")),
                (RequestStatus.DECLINED, _("They cannot take learners this time")),
            ]
            self.fields["places_offered"].label = _("Places they offer")
            self.fields["note"].help_text = _("e.g. who answered, and how (phone, email).")

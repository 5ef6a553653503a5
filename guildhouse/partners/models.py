"""Industry partnerships: organisations, their contacts, the pipeline and interactions.

Every row belongs to one institution (directly or through its organisation), so two
schools of a consortium never see each other's relationships.
"""

from __future__ import annotations

import datetime
import uuid
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import (
    FieldOfEducation,
    Institution,
    Level,
    Membership,
    Programme,
    User,
)
from guildhouse.partners.storage import private_storage

# How often a partner should hear from us when its own cadence is empty (decisions.md).
DEFAULT_CHECK_IN_DAYS = 60


class OrganisationKind(models.TextChoices):
    BUSINESS = "business", _("Business")
    ASSOCIATION = "association", _("Industry association")
    CHAMBER = "chamber", _("Chamber of commerce")
    PUBLIC_BODY = "public_body", _("Public body")
    DEVELOPMENT_AGENCY = "development_agency", _("Economic development agency")
    NGO = "ngo", _("Non-profit organisation")


class OrganisationSize(models.TextChoices):
    # EU size classes by headcount.
    MICRO = "micro", _("Micro (fewer than 10 people)")
    SMALL = "small", _("Small (10 to 49 people)")
    MEDIUM = "medium", _("Medium (50 to 249 people)")
    LARGE = "large", _("Large (250 people or more)")


class Source(models.TextChoices):
    RESEARCH = "research", _("Our own research")
    REFERRAL = "referral", _("Referral")
    EVENT = "event", _("Met at an event")
    WEB_FORM = "web_form", _("Web form")
    IMPORT = "import", _("Import")
    EXISTING = "existing", _("Existing contact")


class StageQuerySet(models.QuerySet["Stage"]):
    def of(self, institution: Institution) -> StageQuerySet:
        return self.filter(institution=institution).order_by("position", "pk")


class Stage(models.Model):
    """A step of an institution's pipeline; the institution renames and reorders them."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="partner_stages"
    )
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"))
    stale_after_days = models.PositiveSmallIntegerField(
        _("stale after (days)"),
        null=True,
        blank=True,
        help_text=_("A partner left in this stage longer than this appears on the stale list."),
    )
    # Paused and ended partners are not worked on; they are never stale.
    is_closed = models.BooleanField(_("closed stage"), default=False)

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["position", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="partners_stage_name_unique_per_institution"
            ),
            models.CheckConstraint(
                condition=Q(stale_after_days__isnull=True) | Q(stale_after_days__gte=1),
                name="partners_stage_stale_after_at_least_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="partner_tags"
    )
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="partners_tag_unique_per_institution"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A business or other body the institution works with, or hopes to."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="partner_organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    # Lower case, no punctuation or legal form ("Oy", "Ltd"): for duplicate detection.
    name_key = models.CharField(max_length=200, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind)
    sector = models.CharField(_("sector"), max_length=2, choices=FieldOfEducation, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=OrganisationSize, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Host name of the website without "www.": for duplicate detection.
    website_domain = models.CharField(max_length=200, blank=True, editable=False)
    skill_needs = models.TextField(
        _("skill shortages and training needs"),
        blank=True,
        help_text=_("What they told us they lack or want to train, in their words."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="organisations")
    source = models.CharField(_("source"), max_length=20, choices=Source, default=Source.RESEARCH)
    owners = models.ManyToManyField(
        Membership,
        blank=True,
        related_name="partner_organisations_owned",
        verbose_name=_("relationship owners"),
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="organisations")
    stage_entered_at = models.DateTimeField(default=timezone.now)
    # Maintained by the interaction services in the same transaction; never typed.
    last_contact_on = models.DateField(null=True, blank=True, editable=False)
    # Empty: the institution default, DEFAULT_CHECK_IN_DAYS.
    check_in_every_days = models.PositiveSmallIntegerField(
        _("check in every (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("How often someone should be in touch. Leave empty for every 60 days."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )

    class Meta:
        ordering: ClassVar = ["name", "pk"]
        indexes: ClassVar = [
            # Serves the list's order and its keyset pagination.
            models.Index(fields=["institution", "name", "id"], name="partners_org_inst_name"),
            models.Index(fields=["institution", "name_key"], name="partners_org_inst_namekey"),
            models.Index(fields=["institution", "website_domain"], name="partners_org_inst_domain"),
            models.Index(
                fields=["institution", "stage", "stage_entered_at"], name="partners_org_stage"
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(name=""), name="partners_organisation_has_name"),
            models.CheckConstraint(
                condition=Q(check_in_every_days__isnull=True) | Q(check_in_every_days__gte=1),
                name="partners_org_check_in_at_least_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person at one or more organisations. People move between companies, so their
    employment is in ``Affiliation`` rows with dates, not a field here."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="partner_contacts"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The contact's own Guildhouse account (role "partner"), if they have one: it lets
    # them see their organisations' opportunities, agreements and placements.
    membership = models.OneToOneField(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_contact",
        verbose_name=_("Guildhouse account"),
    )
    organisations = models.ManyToManyField(
        Organisation, through="Affiliation", related_name="contacts"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["full_name", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["institution", "email"], name="partners_contact_inst_email")
        ]

    def __str__(self) -> str:
        return self.full_name


class AffiliationQuerySet(models.QuerySet["Affiliation"]):
    def current(self, today: datetime.date | None = None) -> AffiliationQuerySet:
        today = today or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today)
        )


class Affiliation(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations"
    )
    role = models.CharField(_("role or job title"), max_length=120, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-start_date", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partners_affiliation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} at {self.organisation}"

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        started = self.start_date is None or self.start_date <= today
        return started and (self.end_date is None or self.end_date >= today)


class StageChange(models.Model):
    """One move of an organisation through the pipeline: who, when, from where to where."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, null=True, related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.from_stage} → {self.to_stage}"


class ResearchNote(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="research_notes"
    )
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(body=""), name="partners_note_has_body")
        ]

    def __str__(self) -> str:
        return f"Note on {self.organisation}"


class InteractionKind(models.TextChoices):
    CALL = "call", _("Phone call")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    EVENT = "event", _("Event")
    VIDEO_CALL = "video_call", _("Video call")


class Interaction(models.Model):
    """A contact with an organisation. The organisation's last-contact date is derived
    from these rows by the services, in the same transaction."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interactions"
    )
    kind = models.CharField(_("type"), max_length=20, choices=InteractionKind)
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    staff = models.ManyToManyField(
        Membership, blank=True, related_name="partner_interactions", verbose_name=_("our staff")
    )
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="interactions", verbose_name=_("their people")
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-occurred_on", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["organisation", "-occurred_on"], name="partners_interaction_org")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(summary=""), name="partners_interaction_summary")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.organisation} on {self.occurred_on}"


class FollowUp(models.Model):
    """An action agreed in an interaction: who does it, by when, and whether it is done."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    interaction = models.ForeignKey(
        Interaction, on_delete=models.CASCADE, related_name="follow_ups", null=True, blank=True
    )
    description = models.CharField(_("what to do"), max_length=300)
    owner = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="partner_follow_ups"
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["due_on", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["owner", "done_at", "due_on"], name="partners_followup_owner")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(description=""), name="partners_followup_has_description"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.done_at is None and self.due_on < (today or timezone.localdate())


class Side(models.TextChoices):
    INSTITUTION = "institution", _("We promised")
    PARTNER = "partner", _("They promised")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Commitment(models.Model):
    """A promise made by either side ("deliver on promises", seed 000)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="commitments"
    )
    side = models.CharField(_("who promised"), max_length=12, choices=Side)
    description = models.CharField(_("promise"), max_length=300)
    # Who on our side sees it through (for their promises too: who chases it).
    owner = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="partner_commitments",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=CommitmentStatus, default=CommitmentStatus.OPEN
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["due_on", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["organisation", "status", "due_on"], name="partners_commit_org"),
            models.Index(fields=["owner", "status", "due_on"], name="partners_commit_owner"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(status="delivered", delivered_on__isnull=False)
                | (~Q(status="delivered") & Q(delivered_on__isnull=True)),
                name="partners_commitment_delivered_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="partners_commitment_has_description"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class OpportunityKind(models.TextChoices):
    WORK_PLACEMENT = "work_placement", _("Work placement")
    INTERNSHIP = "internship", _("Internship")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    JOB_SHADOWING = "job_shadowing", _("Job shadowing")
    GUEST_LECTURE = "guest_lecture", _("Guest lecture")
    SITE_VISIT = "site_visit", _("Site visit")
    ADVISORY_BOARD = "advisory_board", _("Advisory board seat")
    INDUSTRY_PROJECT = "industry_project", _("Industry project")
    PILOT = "pilot", _("Pilot")
    SHOWCASE = "showcase", _("Showcase")
    CUSTOMISED_TRAINING = "customised_training", _("Customised training we deliver")


class Requirement(models.TextChoices):
    INSURANCE = "insurance", _("Insurance certificate")
    INDUCTION = "induction", _("Health and safety induction")
    BACKGROUND_CHECK = "background_check", _("Safeguarding or background check")


class Opportunity(models.Model):
    """Something a partner offers (or we offer them): places come in periods."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="opportunities"
    )
    kind = models.CharField(_("type"), max_length=20, choices=OpportunityKind)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="partner_opportunities", verbose_name=_("programmes")
    )
    # Which compliance documents each placement needs; stored as Requirement values.
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    is_open = models.BooleanField(_("open for placements"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-starts_on", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["organisation", "-starts_on"], name="partners_opp_org")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="partners_opportunity_ends_after_start",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="partners_opportunity_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def requirement_labels(self) -> list[str]:
        return [str(Requirement(r).label) for r in self.requirements if r in Requirement.values]


class OpportunityPeriod(models.Model):
    """A period of an opportunity with its own capacity. ``confirmed`` counts confirmed
    placements; the database refuses more than ``capacity``."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="periods")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    confirmed = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering: ClassVar = ["starts_on", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="partners_period_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="partners_period_capacity"),
            models.CheckConstraint(
                condition=Q(confirmed__gte=0) & Q(confirmed__lte=models.F("capacity")),
                name="partners_period_confirmed_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity}: {self.starts_on} to {self.ends_on}"

    @property
    def places_left(self) -> int:
        return self.capacity - self.confirmed


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Placement(models.Model):
    """A learner on an opportunity period, with dates, a workplace supervisor and hours."""

    period = models.ForeignKey(
        OpportunityPeriod, on_delete=models.PROTECT, related_name="placements"
    )
    learner = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="partner_placements"
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    supervisor_name = models.CharField(_("workplace supervisor"), max_length=200, blank=True)
    supervisor_email = models.EmailField(_("supervisor's email"), blank=True)
    supervisor_phone = models.CharField(_("supervisor's phone"), max_length=40, blank=True)
    hours = models.PositiveSmallIntegerField(_("planned hours"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlacementStatus, default=PlacementStatus.PROPOSED
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-starts_on", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["period", "status"], name="partners_placement_period"),
            models.Index(fields=["learner", "-starts_on"], name="partners_placement_learner"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="partners_placement_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(hours__gte=1), name="partners_placement_hours"),
            models.UniqueConstraint(
                fields=["period", "learner"],
                condition=~Q(status="cancelled"),
                name="partners_placement_one_per_learner_and_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} at {self.period.opportunity}"


class ComplianceItem(models.Model):
    """A document a placement needs, valid from and until given dates."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="compliance_items"
    )
    kind = models.CharField(_("document"), max_length=20, choices=Requirement)
    reference = models.CharField(
        _("reference"), max_length=200, help_text=_("Certificate number, issuer or who ran it.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["kind"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["placement", "kind"], name="partners_compliance_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="partners_compliance_valid_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.placement}"


class Party(models.TextChoices):
    INSTITUTION = "institution", _("Our institution")
    PARTNER = "partner", _("The partner")


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    COOPERATION = "cooperation", _("Cooperation agreement")
    PLACEMENT = "placement", _("Placement agreement")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship agreement")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


def agreement_upload_to(instance: Agreement, filename: str) -> str:
    # Never the uploader's file name in the path: it is kept in document_name instead.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"agreements/{instance.organisation.institution_id}/{uuid.uuid4().hex}.{extension}"


class Agreement(models.Model):
    """A written agreement with a partner (roadmap step 7); an amendment links to the
    agreement it changes."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("type"), max_length=20, choices=AgreementKind)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    our_responsibilities = models.TextField(_("our responsibilities"), blank=True)
    their_responsibilities = models.TextField(_("their responsibilities"), blank=True)
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amends"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    document = models.FileField(
        _("signed document"), storage=private_storage, upload_to=agreement_upload_to, blank=True
    )
    document_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-starts_on", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["organisation", "-starts_on"], name="partners_agreement_org"),
            models.Index(fields=["ends_on"], name="partners_agreement_ends"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="partners_agreement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="partners_agreement_signed_has_date",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="partners_agreement_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Signatory(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    side = models.CharField(_("party"), max_length=12, choices=Party)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["side", "pk"]

    def __str__(self) -> str:
        return self.name


class ContributionKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    IN_KIND = "in_kind", _("In kind")


class Contribution(models.Model):
    """What a party brings: money, or equipment, time or space valued in euros."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="contributions")
    side = models.CharField(_("party"), max_length=12, choices=Party)
    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind)
    description = models.CharField(_("description"), max_length=300)
    value = models.DecimalField(_("value (EUR)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering: ClassVar = ["side", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(value__gte=0), name="partners_contribution_value")
        ]

    def __str__(self) -> str:
        return self.description


class ReminderSent(models.Model):
    """One reminder already sent by the daily job, so that it is sent once per overdue
    episode: ``key`` names the thing and the date that made it due (a new contact or a
    new due date makes a new key)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    sent_on = models.DateField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["institution", "key"], name="partners_reminder_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.key


# --- Institutional goals (roadmap step 1) -----------------------------------------------


class GoalKpi(models.TextChoices):
    """What a goal measures. Every value is computed from the data (selectors_goals)."""

    PLACEMENT_SHARE = "placement_share", _("Share of learners who completed a placement (%)")
    PROGRAMME_COVERAGE = (
        "programme_coverage",
        _("Share of programmes with at least N active partners (%)"),
    )
    OPPORTUNITY_COUNT = "opportunity_count", _("Number of opportunities of a type")
    ACTIVE_AGREEMENTS = "active_agreements", _("Number of signed agreements in force")
    CHECK_INS_ON_TIME = "check_ins_on_time", _("Share of partners checked in on time (%)")


class Goal(models.Model):
    """A goal the partnership work serves, with a target for a period. Its progress is
    never typed in: ``selectors_goals.goal_progress`` measures it from the records."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="partner_goals"
    )
    title = models.CharField(_("goal"), max_length=200)
    kpi = models.CharField(_("measured by"), max_length=30, choices=GoalKpi)
    target = models.PositiveIntegerField(_("target"))
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    # Filters some KPIs take: the learners' level or programme, the opportunity type, N.
    level = models.CharField(_("level"), max_length=1, choices=Level, blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    opportunity_kind = models.CharField(
        _("opportunity type"), max_length=20, choices=OpportunityKind, blank=True
    )
    min_partners = models.PositiveSmallIntegerField(
        _("N: active partners each programme needs"), null=True, blank=True
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["ends_on", "title", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["institution", "ends_on"], name="partners_goal_inst_ends")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(title=""), name="partners_goal_has_title"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="partners_goal_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kpi__in=["placement_share", "programme_coverage", "check_ins_on_time"])
                | Q(target__lte=100),
                name="partners_goal_percent_at_most_100",
            ),
            models.CheckConstraint(
                condition=~Q(kpi="opportunity_count") | ~Q(opportunity_kind=""),
                name="partners_goal_count_has_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kpi="programme_coverage") | Q(min_partners__gte=1),
                name="partners_goal_coverage_has_n",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- Programme alignment ----------------------------------------------------------------


class ProgrammeAlignment(models.Model):
    """How partnerships serve one programme: which learners need a placement."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="partner_alignment"
    )
    # Learners of the programme in this year of study need a placement in the current
    # academic year (decisions.md). Empty: the programme has no placement requirement.
    placement_year = models.PositiveSmallIntegerField(
        _("placement in year of study"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("Learners in this year of study need a placement this academic year."),
    )

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(placement_year__isnull=True)
                | (Q(placement_year__gte=1) & Q(placement_year__lte=6)),
                name="partners_alignment_year_1_to_6",
            )
        ]

    def __str__(self) -> str:
        return f"Alignment of {self.programme}"


class ProgrammeSector(models.Model):
    """A sector (ISCED-F field of the partners) that a programme prepares learners for."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="partner_sectors"
    )
    sector = models.CharField(_("sector"), max_length=2, choices=FieldOfEducation)

    class Meta:
        ordering: ClassVar = ["sector"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["programme", "sector"], name="partners_programme_sector_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.get_sector_display()}"


class CurriculumReview(models.Model):
    """A curriculum review meeting of a programme, fed by the partners' skill needs."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="partner_curriculum_reviews"
    )
    held_on = models.DateField(_("held on"))
    participants = models.TextField(_("participants"))
    skill_needs = models.TextField(_("skill needs considered"), blank=True)
    decisions = models.TextField(_("decisions"))
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-held_on", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(participants="") & ~Q(decisions=""),
                name="partners_review_has_participants_and_decisions",
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.programme} on {self.held_on}"


# --- Educators' professional network and CPD --------------------------------------------


class CpdKind(models.TextChoices):
    INDUSTRY_EVENT = "industry_event", _("Industry event attended")
    PROFESSIONAL_BODY = "professional_body", _("Professional body membership")
    RETURN_TO_INDUSTRY = "return_to_industry", _("Return-to-industry placement")
    TRAINING = "training", _("Course or training")


# Kinds that are contact with industry (decisions.md); a course is CPD but not contact.
INDUSTRY_CONTACT_CPD = (CpdKind.INDUSTRY_EVENT, CpdKind.RETURN_TO_INDUSTRY)


class CpdActivity(models.Model):
    """A staff member's own record of professional development or industry contact."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="partner_cpd_activities"
    )
    kind = models.CharField(_("type"), max_length=20, choices=CpdKind)
    title = models.CharField(_("what"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cpd_activities",
        verbose_name=_("partner organisation"),
    )
    starts_on = models.DateField(_("date or start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    hours = models.DecimalField(
        _("CPD hours"), max_digits=6, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-starts_on", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["membership", "-starts_on"], name="partners_cpd_member")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(title=""), name="partners_cpd_has_title"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="partners_cpd_hours"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="partners_cpd_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- Events -----------------------------------------------------------------------------


class EventKind(models.TextChoices):
    INDUSTRY_EVENT = "industry_event", _("Industry event")
    SHOWCASE = "showcase", _("Showcase")
    OPEN_HOUSE = "open_house", _("Open house")
    WORKSHOP = "workshop", _("Workshop")


class PartnerEvent(models.Model):
    """An event with partners: who comes from our staff, their people and our learners."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="partner_events"
    )
    kind = models.CharField(_("type"), max_length=20, choices=EventKind)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="events", verbose_name=_("partner organisations")
    )
    # Raised on every change, so calendar apps update their copy (CalendarEvent.sequence).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["starts_at", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["institution", "starts_at"], name="partners_event_inst_start")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(title=""), name="partners_event_has_title"),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="partners_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventAttendee(models.Model):
    """One attendee: a member of the institution (staff or learner) or a partner contact."""

    event = models.ForeignKey(PartnerEvent, on_delete=models.CASCADE, related_name="attendees")
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_event_attendance",
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_attendance",
    )

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(membership__isnull=False, contact__isnull=True)
                | Q(membership__isnull=True, contact__isnull=False),
                name="partners_attendee_member_or_contact",
            ),
            models.UniqueConstraint(
                fields=["event", "membership"], name="partners_attendee_member_once"
            ),
            models.UniqueConstraint(
                fields=["event", "contact"], name="partners_attendee_contact_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Attendee of {self.event}"


# --- Value proposition, public page, feedback (issue 9, items 4, 9, 10, 12) ------------


class ValueProposition(models.Model):
    """What the institution offers businesses (roadmap step 3), shown on its public
    "Partner with us" page at ``/partners/with-us/<institution slug>/``."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="partner_offer"
    )
    headline = models.CharField(_("headline"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    talent_pool = models.TextField(_("talent pool"), blank=True)
    customised_training = models.TextField(_("customised training"), blank=True)
    facilities = models.TextField(_("facilities"), blank=True)
    expertise = models.TextField(_("expertise"), blank=True)
    is_published = models.BooleanField(_("published on the public page"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(headline=""), name="partners_offer_has_headline")
        ]

    def __str__(self) -> str:
        return self.headline


class InterestSubmission(models.Model):
    """One "Partner with us" form sent by a visitor; it created or joined ``organisation``."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interest_submissions"
    )
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation_name = models.CharField(_("organisation"), max_length=200)
    full_name = models.CharField(_("your name"), max_length=200)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    interests = models.JSONField(_("interested in"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    # True when duplicate detection found the organisation already recorded.
    matched_existing = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["institution", "-created_at"], name="partners_interest_inst")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.full_name})"


class SuccessStory(models.Model):
    """A story of a partnership that worked, written by a coordinator; published ones
    appear on the public page."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="partner_success_stories"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="success_stories",
        verbose_name=_("partner"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("story"))
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(title=""), name="partners_story_has_title"),
            models.CheckConstraint(condition=~Q(body=""), name="partners_story_has_body"),
        ]

    def __str__(self) -> str:
        return self.title


class Testimonial(models.Model):
    """A partner's words about working with us. Published only with the author's
    explicit consent; withdrawing consent unpublishes at once (a constraint holds it)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="testimonials"
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonials",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author's name as shown"), max_length=200)
    author_title = models.CharField(_("author's job title as shown"), max_length=200, blank=True)
    quote = models.TextField(_("testimonial"))
    consent_at = models.DateTimeField(null=True, blank=True)
    # How consent was given: "portal" (by the author themself) or what staff recorded.
    consent_note = models.CharField(_("how consent was given"), max_length=300, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(quote=""), name="partners_testimonial_has_quote"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(consent_at__isnull=False, consent_withdrawn_at__isnull=True),
                name="partners_testimonial_published_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.quote[:40]}"

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None and self.consent_withdrawn_at is None


class SatisfactionResponse(models.Model):
    """A partner contact's answer to the satisfaction survey: 0-10 "would you recommend
    working with us?" and comments. One per contact, organisation and year; answering
    again in the same year updates it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="satisfaction_responses"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(
        _("how likely are you to recommend working with us?"),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    comments = models.TextField(_("comments"), blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-answered_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=10), name="partners_satisfaction_0_10"
            ),
            models.UniqueConstraint(
                fields=["organisation", "contact", "year"], name="partners_satisfaction_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.score}/10"


class EvaluationBy(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    LEARNER = "learner", _("Learner")


class PlacementEvaluation(models.Model):
    """The end-of-placement evaluation by the employer or by the learner (the learner's
    is their feedback on the partner). One of each per placement; sending again updates."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evaluations")
    by = models.CharField(_("by"), max_length=10, choices=EvaluationBy)
    rating = models.PositiveSmallIntegerField(
        _("overall rating (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Employer: would host again; learner: would recommend this workplace to others.
    again = models.BooleanField(_("again"))
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["by"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["placement", "by"], name="partners_evaluation_one_each"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="partners_evaluation_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_by_display()} on {self.placement_id}"


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Waiting for an answer")
    OFFERED = "offered", _("Offered")
    DECLINED = "declined", _("Declined")


class PlacementRequest(models.Model):
    """We ask an employer for N places on an opportunity for given dates and programme.
    The partner contact answers in the portal; past ``answer_by`` without an answer it
    counts as "no answer"."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="placement_requests"
    )
    period = models.ForeignKey(
        OpportunityPeriod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placement_requests",
        verbose_name=_("period"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    places = models.PositiveSmallIntegerField(_("places asked for"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    answer_by = models.DateField(_("answer by"))
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus, default=RequestStatus.SENT
    )
    places_offered = models.PositiveSmallIntegerField(_("places offered"), null=True, blank=True)
    answer_note = models.TextField(_("their note"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # True when a member of staff recorded the answer the employer gave by phone or
    # email (their contacts need no account); ``answered_by`` is then that staff member.
    answer_recorded_by_staff = models.BooleanField(default=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["opportunity", "status"], name="partners_request_opp")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(places__gte=1), name="partners_request_places"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="partners_request_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="offered", places_offered__gte=1)
                | (~Q(status="offered") & Q(places_offered__isnull=True)),
                name="partners_request_offered_has_places",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.places} places at {self.opportunity}"

    def status_label(self, today: datetime.date | None = None) -> str:
        if self.status == RequestStatus.SENT and self.answer_by < (today or timezone.localdate()):
            return str(_("No answer"))
        return str(self.get_status_display())


# --- Check-in campaigns (issue 9, item 7) ---------------------------------------------


class Campaign(models.Model):
    """A short questionnaire sent to a chosen set of partners (seed 002). Partner
    contacts answer through a link made for their organisation, without an account;
    links stop working after ``closes_on``."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="partner_campaigns"
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("message to partners"),
        blank=True,
        help_text=_("Shown at the top of the email and of the answer page."),
    )
    # The questions, in order: a list of strings. Answers are stored in the same order.
    questions = models.JSONField(_("questions"), default=list)
    closes_on = models.DateField(
        _("answers accepted until"), help_text=_("The links stop working after this day.")
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The language the coordinator wrote it in: its emails and answer page use it.
    language = models.CharField(max_length=10, default="en")

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["institution", "-created_at"], name="partners_campaign_inst")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(title=""), name="partners_campaign_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: datetime.date | None = None) -> bool:
        return self.sent_at is not None and self.closes_on >= (today or timezone.localdate())


class CampaignRecipient(models.Model):
    """One organisation a campaign was sent to. Its answer links are ``CampaignToken``
    rows; its answer, if any, is its one ``CampaignResponse``."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="campaign_recipients"
    )
    # The addresses the last email went to (empty: nobody there has an email address).
    emailed_to = models.JSONField(default=list, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["organisation__name", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="partners_recipient_once_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.organisation}"


class CampaignToken(models.Model):
    """An answer link: only the SHA-256 of the secret is kept. Each email (the first and
    every reminder) makes a new one; earlier links keep working until the campaign
    closes."""

    recipient = models.ForeignKey(
        CampaignRecipient, on_delete=models.CASCADE, related_name="tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"link for {self.recipient_id}"


class CampaignResponse(models.Model):
    """An organisation's answer to a campaign; answering again updates it (one per
    recipient, enforced by the database)."""

    recipient = models.ForeignKey(
        CampaignRecipient, on_delete=models.CASCADE, related_name="responses"
    )
    respondent_name = models.CharField(_("your name"), max_length=200, blank=True)
    # The answers in the order of the campaign's questions.
    answers = models.JSONField(default=list)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-updated_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["recipient"], name="partners_response_one_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"answer of {self.recipient}"


# --- Import of organisations and contacts (issue 9, item 16) -------------------------


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportBatch(models.Model):
    """An uploaded CSV or XLSX file of organisations and contacts: first checked (the
    dry run), then imported whole or not at all."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="partner_imports"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200)
    # The file itself (at most IMPORT_MAX_BYTES): kept until it is imported.
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=ImportStatus, default=ImportStatus.CHECKING)
    # What the check found: {"errors": [...], "creates": [...], "duplicates": [...], ...}.
    report = models.JSONField(default=dict, blank=True)
    organisations_created = models.PositiveIntegerField(default=0)
    contacts_created = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)
    check_job = models.ForeignKey(
        "jobs.TrackedJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_job = models.ForeignKey(
        "jobs.TrackedJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


# --- Reminder settings (issue 9, item 17) ---------------------------------------------


class ReminderSettings(models.Model):
    """How far ahead the daily job warns, per institution (defaults when absent)."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="partner_reminder_settings"
    )
    renewal_days = models.PositiveSmallIntegerField(
        _("agreement renewals: days before the end"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    review_days = models.PositiveSmallIntegerField(
        _("agreement reviews: days before the review date"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    compliance_days = models.PositiveSmallIntegerField(
        _("placement documents: days before the start"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    campaign_days = models.PositiveSmallIntegerField(
        _("unanswered check-ins: days before they close"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(renewal_days__gte=1)
                & Q(review_days__gte=1)
                & Q(compliance_days__gte=1)
                & Q(campaign_days__gte=1),
                name="partners_reminder_settings_at_least_1",
            )
        ]

    def __str__(self) -> str:
        return f"reminders of {self.institution_id}"

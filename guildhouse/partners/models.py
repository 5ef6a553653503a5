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

from guildhouse.core.models import FieldOfEducation, Institution, Membership, Programme, User
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

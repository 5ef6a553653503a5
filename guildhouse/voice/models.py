"""Learner voice: channels, consultations, anonymous items, receipts, supports, moderation.

Anonymity is a property of the schema, not of the views: an ``Item`` has no field
that could hold who wrote it, when exactly, from where or with which browser. Its
primary key is a random UUID (an auto-increment key would tell the order of
submissions inside a release batch), its only date is the Monday of the week it was
written, and it reaches staff only when a batch is released (``Batch``). A "me too"
(``Support``) is stored as a keyed HMAC of (learner, item) whose key is not in the
database (``GUILDHOUSE_VOICE_KEY``), so one learner supports an item once and nobody
with the database alone can tell who. See docs/voice.md for what this does and does
not protect against.
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

from guildhouse.core.models import Institution, Membership, Programme


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week: the only date an anonymous row carries."""
    return day - datetime.timedelta(days=day.weekday())


def this_week() -> datetime.date:
    return week_of(timezone.localdate())


# --- Settings -----------------------------------------------------------------------


class ReleaseRule(models.TextChoices):
    DAILY = "daily", _("Once a day, everything waiting")
    WHEN_K_WAITING = "k_waiting", _("When at least the smallest group of new items wait")


DEFAULT_KEYWORDS_EN = "\n".join(
    [
        "abuse",
        "assault",
        "bullied",
        "harassed",
        "hurt myself",
        "kill myself",
        "self-harm",
        "suicide",
        "threatened",
        "unsafe at home",
    ]
)
DEFAULT_KEYWORDS_FI = "\n".join(
    [
        "ahdistellaan",
        "häiritsee",
        "hyväksikäyt",
        "itsemurha",
        "kiusataan",
        "lyö",
        "pahoinpitel",
        "satuttaa itseäni",
        "uhkailtu",
        "viiltel",
    ]
)


class VoiceSettings(models.Model):
    """One per institution; made with defaults on first use (``selectors.voice_settings``)."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="voice_settings"
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest reportable group"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_(
            "No figure, filter or consultation audience smaller than this is shown, and "
            "anonymous mode needs at least this many people."
        ),
    )
    release_rule = models.CharField(
        _("release new items to staff"),
        max_length=20,
        choices=ReleaseRule,
        default=ReleaseRule.DAILY,
    )
    max_wait_days = models.PositiveSmallIntegerField(
        _("longest wait before release (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("With the 'at least k waiting' rule, items never wait longer than this."),
    )
    auto_hide_reports = models.PositiveSmallIntegerField(
        _("hide for review after this many reports"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    keywords_en = models.TextField(
        _("safeguarding keywords (English)"),
        default=DEFAULT_KEYWORDS_EN,
        blank=True,
        help_text=_("One word or phrase a line; a word start matches (bull matches bullied)."),
    )
    keywords_fi = models.TextField(
        _("safeguarding keywords (Finnish)"),
        default=DEFAULT_KEYWORDS_FI,
        blank=True,
        help_text=_("One word or phrase a line; a word start matches (bull matches bullied)."),
    )
    support_now = models.TextField(
        _("how to reach support now"),
        blank=True,
        help_text=_(
            "Shown at once when a safeguarding keyword is written: who to talk to today, "
            "phone numbers, the emergency number."
        ),
    )

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(min_group_size__gte=3), name="voice_settings_k_at_least_3"
            ),
            models.CheckConstraint(
                condition=Q(auto_hide_reports__gte=1), name="voice_settings_auto_hide_at_least_1"
            ),
            models.CheckConstraint(
                condition=Q(max_wait_days__gte=1), name="voice_settings_max_wait_at_least_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Voice settings of {self.institution}"

    def keywords(self) -> list[str]:
        lines = f"{self.keywords_en}\n{self.keywords_fi}".splitlines()
        return sorted({line.strip().lower() for line in lines if line.strip()})


# --- Categories and channels -----------------------------------------------------------


class BuiltinCategory(models.TextChoices):
    LEARNING = "learning", _("Learning and teaching")
    WELLBEING = "wellbeing", _("Wellbeing")
    FACILITIES = "facilities", _("Facilities")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    DISCRIMINATION = "discrimination", _("Discrimination or bullying")
    PLACEMENTS = "placements", _("Placements and workplace learning")
    OTHER = "other", _("Other")


class Category(models.Model):
    """What an item is about: the built-in ones for every institution, and any it adds."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_categories"
    )
    # Empty for a category the institution added; then ``name`` is its label.
    builtin = models.CharField(max_length=20, choices=BuiltinCategory, blank=True)
    name = models.CharField(_("name"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    response_days = models.PositiveSmallIntegerField(
        _("response target (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Staff should answer an item of this category within this many days."),
    )
    active = models.BooleanField(_("open for new items"), default=True)

    class Meta:
        ordering: ClassVar = ["position", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["institution", "builtin"],
                condition=~Q(builtin=""),
                name="voice_category_builtin_once",
            ),
            models.UniqueConstraint(
                fields=["institution", "name"],
                condition=Q(builtin=""),
                name="voice_category_name_unique",
            ),
            models.CheckConstraint(
                condition=~Q(builtin="") | ~Q(name=""), name="voice_category_has_a_label"
            ),
            models.CheckConstraint(
                condition=Q(response_days__gte=1), name="voice_category_response_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.builtin:
            return str(BuiltinCategory(self.builtin).label)
        return self.name


class Channel(models.Model):
    """The always-open "speak up" box: one per institution."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="voice_channel"
    )
    intro = models.TextField(_("introduction"), blank=True)

    def __str__(self) -> str:
        return f"Speak up at {self.institution}"


class Audience(models.TextChoices):
    INSTITUTION = "institution", _("The whole institution")
    PROGRAMMES = "programmes", _("Learners of some programmes")
    COHORTS = "cohorts", _("Learners of some cohorts")


class Consultation(models.Model):
    """A question put to learners for a time."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_consultations"
    )
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience, default=Audience.INSTITUTION
    )
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="voice_consultations", verbose_name=_("programmes")
    )
    # Cohort labels as on learner profiles ("2025"), for the cohorts audience.
    cohorts = models.JSONField(_("cohorts"), default=list, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    anonymous_allowed = models.BooleanField(_("anonymous answers allowed"), default=True)
    # The audience size when last saved: anonymous mode is refused below k.
    audience_size = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-opens_on", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="voice_consultation_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def is_open(self, today: datetime.date) -> bool:
        return self.opens_on <= today <= self.closes_on


# --- Items ---------------------------------------------------------------------------


class Batch(models.Model):
    """A release of waiting items to staff. Its time is the release's, not any submission's."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_batches"
    )
    released_at = models.DateTimeField(default=timezone.now)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["-released_at", "id"]

    def __str__(self) -> str:
        return f"Batch of {self.size} at {self.released_at:%Y-%m-%d %H:%M}"


class Status(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    ACTION_PLANNED = "action_planned", _("Action planned")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


class ItemQuerySet(models.QuerySet["Item"]):
    def visible(self) -> ItemQuerySet:
        """Released and not hidden: what every staff list, count, search and export reads."""
        return self.filter(batch__isnull=False, hidden=False)

    def waiting(self) -> ItemQuerySet:
        return self.filter(batch__isnull=True)


class Item(models.Model):
    """One submission. No field holds, or can be joined to, its author or its exact time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    text = models.TextField(_("what you want to say"), max_length=5000)
    # The Monday of the week it was written: never a time of day.
    week = models.DateField(_("week"), default=this_week)
    # Null while waiting for release; staff see only released items.
    batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    # A keyed hash of the id: the order of staff lists inside a category, so that the
    # list says nothing about which item of a batch came first.
    shuffle = models.CharField(max_length=64, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voice_items_owned",
        verbose_name=_("owner"),
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    # Hidden automatically after N reports, until a moderator decides.
    pending_review = models.BooleanField(_("waiting for moderation"), default=False)
    support_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        # Never by pk or insertion: by category, then the keyed hash.
        ordering: ClassVar = ["category_id", "shuffle"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(channel__isnull=False) & Q(consultation__isnull=True))
                | (Q(channel__isnull=True) & Q(consultation__isnull=False)),
                name="voice_item_one_channel_or_consultation",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="voice_item_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""),
                name="voice_item_hidden_has_reason",
            ),
        ]
        indexes: ClassVar = [
            models.Index(
                fields=["institution", "category", "shuffle"],
                condition=Q(batch__isnull=False, hidden=False),
                name="voice_item_inbox",
            ),
            models.Index(
                fields=["institution"], condition=Q(batch__isnull=True), name="voice_item_waiting"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def released(self) -> bool:
        return self.batch_id is not None


class Receipt(models.Model):
    """The author's way back to an item: only the SHA-256 of a random code is kept."""

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="receipt"
    )
    code_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Receipt of {self.item_id}"


class ReceiptMessage(models.Model):
    """The thread read through a receipt: more information from the author, replies from staff.

    An author's message carries only its week and waits for the next batch, like an
    item; a staff reply names its author and time (staff are not anonymous).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="messages")
    position = models.PositiveIntegerField()
    from_staff = models.BooleanField(default=False)
    text = models.TextField(_("message"), max_length=5000)
    week = models.DateField(default=this_week)
    batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    author = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message in a receipt thread")
        verbose_name_plural = _("messages in receipt threads")
        ordering: ClassVar = ["item", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["item", "position"], name="voice_receipt_message_position_unique"
            ),
            # The learner's messages hold neither an author nor a time.
            models.CheckConstraint(
                condition=Q(from_staff=True) | (Q(author__isnull=True) & Q(sent_at__isnull=True)),
                name="voice_receipt_message_author_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Support(models.Model):
    """One "me too". ``digest`` = HMAC(GUILDHOUSE_VOICE_KEY, learner id, item id); nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="supports")
    digest = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Support of {self.item_id}"


class NamedContact(models.Model):
    """The learner asked for a personal reply: the item is not anonymous, and staff see it."""

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="named_contact"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="voice_named_items"
    )
    contact = models.CharField(
        _("how to reach you"),
        max_length=200,
        blank=True,
        help_text=_("Optional: a phone number or a time that suits you. Your email is known."),
    )

    def __str__(self) -> str:
        return f"Named contact for {self.item_id}"


class SupportCaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTACTED = "contacted", _("Learner contacted")
    CLOSED = "closed", _("Closed")


class SupportCase(models.Model):
    """An identified request for help, seen only by support staff; never linked to an item."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_support_cases"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="voice_support_cases"
    )
    message = models.TextField(_("what you want support staff to know"), blank=True)
    contact = models.CharField(_("how to reach you"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=SupportCaseStatus, default=SupportCaseStatus.OPEN
    )
    handled_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"Support case {self.pk}"


class ReportReason(models.TextChoices):
    PERSONAL = "personal", _("Names or describes a person")
    ABUSIVE = "abusive", _("Abusive or hateful")
    SPAM = "spam", _("Spam or off topic")
    OTHER = "other", _("Other")


class Report(models.Model):
    """Someone reported an item. One per person per item, kept as a keyed hash like a support."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reports")
    digest = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason)
    week = models.DateField(default=this_week)

    def __str__(self) -> str:
        return f"Report on {self.item_id}"


# --- Staff side: triage, responses, actions, assemblies, people (voice-staff) ---------
#
# Everything below is written by staff about released items, or about the engagement
# process itself. None of it holds anything about an anonymous author.


class ItemTriage(models.Model):
    """Staff's working record of a released item: when it was first answered, and notes.

    Made on the first triage action. ``first_response_at`` is the first time staff
    changed the status, replied through the receipt or published a response: the start
    of the response-time figures (measured from the batch's release, never from the
    unknown moment of writing).
    """

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="triage"
    )
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Triage of {self.item_id}"


class ItemNote(models.Model):
    """An internal note on an item: staff only, never shown to the author or in reports."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("internal note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class PublicResponse(models.Model):
    """A "You said, we did" entry: staff's summary of what learners said, and the answer.

    The summary is staff's own words, never an edit of the learner's: an item's text
    is shown to learners only through the item list the author chose to post to.
    """

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="public_response"
    )
    you_said = models.TextField(_("you said (a summary)"), max_length=1000)
    we_did = models.TextField(_("we did"), max_length=3000)
    published_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering: ClassVar = ["-published_at", "item_id"]
        indexes: ClassVar = [models.Index(fields=["-published_at"], name="voice_public_newest")]

    def __str__(self) -> str:
        return self.you_said[:60]


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class AssemblyKind(models.TextChoices):
    ASSEMBLY = "assembly", _("Assembly")
    WORKSHOP = "workshop", _("Workshop")
    GOOD_PRACTICE = "good_practice", _("Exchange of good practice")


class Assembly(models.Model):
    """An assembly, workshop or exchange of good practice, with its agenda and minutes."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_assemblies"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AssemblyKind, default=AssemblyKind.ASSEMBLY
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    invite_learners = models.BooleanField(_("learners invited"), default=True)
    invite_staff = models.BooleanField(_("staff invited"), default=True)
    invite_stakeholders = models.BooleanField(_("stakeholders invited"), default=False)
    learners_attended = models.PositiveIntegerField(_("learners attended"), null=True, blank=True)
    staff_attended = models.PositiveIntegerField(_("staff attended"), null=True, blank=True)
    stakeholders_attended = models.PositiveIntegerField(
        _("stakeholders attended"), null=True, blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # .ics updates
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-starts_at", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="voice_assembly_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(invite_learners=True)
                | Q(invite_staff=True)
                | Q(invite_stakeholders=True),
                name="voice_assembly_invites_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """A decision taken at an assembly, linked to the items it answers."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"), max_length=2000)
    items = models.ManyToManyField(Item, blank=True, related_name="decisions")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["assembly", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Action(models.Model):
    """Something the institution does in answer to one or more items."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_actions"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="actions", verbose_name=_("category")
    )
    items = models.ManyToManyField(Item, blank=True, related_name="actions")
    assembly = models.ForeignKey(
        Assembly,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("decided at"),
    )
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voice_actions_owned",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus, default=ActionStatus.PLANNED
    )
    created_on = models.DateField(_("created on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-created_on", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["institution", "-created_on", "-id"], name="voice_action_newest")
        ]

    def __str__(self) -> str:
        return self.title


class ResourceKind(models.TextChoices):
    MONEY = "money", _("Money (EUR)")
    STAFF_HOURS = "staff_hours", _("Staff hours")
    CURRICULUM_HOURS = "curriculum_hours", _("Curriculum time (hours)")
    SPACE_HOURS = "space_hours", _("Space (room hours)")


class ResourceAllocation(models.Model):
    """Resources management allocates to an action: one row per kind and decision."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="allocations")
    kind = models.CharField(_("resource"), max_length=20, choices=ResourceKind)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    allocated_on = models.DateField(_("allocated on"), default=timezone.localdate)
    allocated_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["allocated_on", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="voice_allocation_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.kind}"


class ResponsibilityKind(models.TextChoices):
    ENGAGEMENT_LEAD = "engagement_lead", _("Engagement lead")
    FIRST_CONTACT = "first_contact", _("First contact (teaching staff)")
    SUPPORT = "support", _("Learner support")


class Responsibility(models.Model):
    """Who is responsible for the engagement process, and for which programme."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_responsibilities"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="voice_responsibilities"
    )
    kind = models.CharField(_("responsibility"), max_length=20, choices=ResponsibilityKind)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["kind", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["membership", "kind", "programme"],
                condition=Q(programme__isnull=False),
                name="voice_responsibility_once_per_programme",
            ),
            models.UniqueConstraint(
                fields=["membership", "kind"],
                condition=Q(programme__isnull=True),
                name="voice_responsibility_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.kind}"


class TrainingSession(models.Model):
    """A staff training session on inclusive engagement, with who took part."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_trainings"
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=2)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        Membership, blank=True, related_name="voice_trainings", verbose_name=_("attendees")
    )

    class Meta:
        ordering: ClassVar = ["-held_on", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="voice_training_hours_positive")
        ]

    def __str__(self) -> str:
        return self.title


class StakeholderKind(models.TextChoices):
    QUALITY_AGENCY = "quality_agency", _("Quality agency")
    GOVERNMENT = "government", _("Government body")
    NGO = "ngo", _("NGO")
    FAMILY_ORGANISATION = "family_organisation", _("Family organisation")
    PARENT = "parent", _("Parent or carer")
    LEARNERS_ASSOCIATION = "learners_association", _("Learners' association")
    COMPANY = "company", _("Company")


class Stakeholder(models.Model):
    """An external stakeholder of the engagement process."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_stakeholders"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=StakeholderKind)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # A stakeholder-role account of the institution, when they read reports here.
    account = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )

    class Meta:
        ordering: ClassVar = ["name", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="voice_stakeholder_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Involvement(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    CONTRIBUTED = "contributed", _("Contributed")


class StakeholderInvolvement(models.Model):
    """A stakeholder's part in an assembly or the process: invited, attended, contributed."""

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="involvements"
    )
    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, null=True, blank=True, related_name="involvements"
    )
    level = models.CharField(_("involvement"), max_length=20, choices=Involvement)
    on = models.DateField(_("date"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["-on", "id"]

    def __str__(self) -> str:
        return f"{self.stakeholder_id} {self.level}"


class ReportSnapshot(models.Model):
    """The published reports of one reporting year, as the disclosure engine left them.

    Pages and exports read the snapshot, so every reader sees the same figures and a
    report is computed once (by a job), not on every request.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="voice_report_snapshots"
    )
    year = models.PositiveSmallIntegerField(_("reporting year"))  # starts 1 August
    computed_at = models.DateTimeField(default=timezone.now)
    k = models.PositiveSmallIntegerField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["-year"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["institution", "year"], name="voice_report_snapshot_once"
            )
        ]

    def __str__(self) -> str:
        return f"Voice report {self.year} of {self.institution_id}"

"""Institutions, programmes, people and their roles, and the audit log."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Institution admin")
    COORDINATOR = "coordinator", _("Coordinator")
    STAFF = "staff", _("Staff")
    SUPPORT = "support", _("Support staff")
    LEARNER = "learner", _("Learner")
    PARTNER = "partner", _("Partner contact")
    STAKEHOLDER = "stakeholder", _("Stakeholder")


# Roles that see personal data of others; they must use multi-factor authentication.
STAFF_ROLES: frozenset[str] = frozenset({Role.ADMIN, Role.COORDINATOR, Role.STAFF, Role.SUPPORT})


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    slug = models.SlugField(_("web address name"), unique=True)
    consortium = models.CharField(
        _("consortium"), max_length=200, blank=True, help_text=_("Regional consortium, if any.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Small groups are never shown in reports; each institution may raise the floor.
    min_group_size = models.PositiveSmallIntegerField(_("smallest reported group"), default=5)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(min_group_size__gte=3), name="institution_min_group_size_at_least_3"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FieldOfEducation(models.TextChoices):
    # ISCED-F 2013 broad fields most common in VET.
    BUSINESS = "04", _("Business, administration and law")
    ICT = "06", _("Information and communication technologies")
    ENGINEERING = "07", _("Engineering, manufacturing and construction")
    AGRICULTURE = "08", _("Agriculture, forestry and fisheries")
    HEALTH = "09", _("Health and welfare")
    SERVICES = "10", _("Services")
    ARTS = "02", _("Arts and humanities")
    EDUCATION = "01", _("Education")


class Level(models.TextChoices):
    # European Qualifications Framework levels relevant to VET.
    EQF2 = "2", _("EQF 2")
    EQF3 = "3", _("EQF 3")
    EQF4 = "4", _("EQF 4")
    EQF5 = "5", _("EQF 5")


class Programme(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40)
    field = models.CharField(_("field of education"), max_length=2, choices=FieldOfEducation)
    level = models.CharField(_("level"), max_length=1, choices=Level, default=Level.EQF4)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["institution", "code"], name="programme_code_unique_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who can sign in. What they may see depends on their memberships."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    # Django admin access (platform operators), unrelated to institution roles.
    is_staff = models.BooleanField(_("can use the operators' admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering: ClassVar = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or "full_name" in update_fields):
            # Keep the memberships' copy of the name (their sort and search key) in step.
            Membership.objects.filter(user=self).exclude(sort_name=self.full_name).update(
                sort_name=self.full_name
            )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)

    def in_institution(self, institution: Institution) -> MembershipQuerySet:
        return self.filter(institution=institution)


class Membership(models.Model):
    """A user's role in one institution. A user may hold one role per institution."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # A copy of ``user.full_name`` (``save`` here and ``User.save`` keep it in step), so
    # that an index of this table serves the people list's order and its name search
    # within one institution, instead of a join and sort of every member.
    sort_name = models.CharField(max_length=200, blank=True, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["institution__name", "user__full_name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="membership_one_per_user_and_institution"
            )
        ]
        indexes: ClassVar = [
            # The people list: active members of one institution by name (all roles, or one).
            models.Index(
                fields=["institution", "sort_name", "id"],
                condition=Q(is_active=True),
                name="membership_people_by_name",
            ),
            models.Index(
                fields=["institution", "role", "sort_name", "id"],
                condition=Q(is_active=True),
                name="membership_people_by_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.institution}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "sort_name" in update_fields:
            self.sort_name = self.user.full_name
        super().save(*args, **kwargs)

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


class LearnerProfile(models.Model):
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="learner_profile"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="learners", null=True, blank=True
    )
    student_number = models.CharField(_("student number"), max_length=40, blank=True)
    cohort = models.CharField(_("cohort"), max_length=20, help_text=_("e.g. 2025 intake"))
    year_of_study = models.PositiveSmallIntegerField(_("year of study"), default=1)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(year_of_study__gte=1) & Q(year_of_study__lte=6),
                name="learner_year_of_study_1_to_6",
            )
        ]

    def __str__(self) -> str:
        return f"Learner profile of {self.membership.user}"

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class StaffProfile(models.Model):
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="staff_profile"
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="staff", verbose_name=_("programmes taught")
    )

    def __str__(self) -> str:
        return f"Staff profile of {self.membership.user}"


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    SELF_DESCRIBED = "self_described", _("I describe it another way")


class SpecialCategoryData(models.Model):
    """Sensitive personal data, kept apart so that only roles that need it can read it.

    Stored only with the person's recorded consent; withdrawing consent erases it.
    Readable by the person and by support staff of the same institution (see
    ``access.special_category_readable``), never listed or exported elsewhere.
    """

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="special_category"
    )
    consent_given_at = models.DateTimeField(_("consent given at"))
    gender = models.CharField(_("gender"), max_length=20, choices=Gender, blank=True)
    background = models.CharField(
        _("background"),
        max_length=200,
        blank=True,
        help_text=_("For example first in family at college, or a migrant background."),
    )
    support_needs = models.TextField(
        _("disability or support needs"),
        blank=True,
        help_text=_("What helps you learn, e.g. extra time, step-free access."),
    )

    def __str__(self) -> str:
        return f"Special-category data of membership {self.membership_id}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Not accepted, not revoked, not expired: the database form of ``is_open``."""
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role)
    # Only a hash is stored: a leaked database does not reveal usable links.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} as {self.role}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class AuditEvent(models.Model):
    """Who did what to which object, when, in which institution. Append-only."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, null=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40, blank=True)
    object_label = models.CharField(max_length=254, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        # Serves the audit page's whole order, so a deep page skips index entries
        # instead of sorting every event of the institution.
        indexes: ClassVar = [
            models.Index(
                fields=["institution", "-created_at", "-id"], name="audit_by_institution_newest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type} {self.object_id}"

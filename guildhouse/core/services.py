"""Writes for institutions, programmes, people and invitations.

Every function here is the only way its change is made: it validates, saves inside
one durable transaction, writes the audit row, and sends mail after commit.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import (
    Institution,
    Invitation,
    LearnerProfile,
    Membership,
    Programme,
    Role,
    SpecialCategoryData,
    StaffProfile,
    User,
)
from guildhouse.notifications import kinds
from guildhouse.notifications.api import notify

INVITATION_LIFETIME = datetime.timedelta(days=14)
# An admin invitation hands over the whole institution: its link lives three days.
ADMIN_INVITATION_LIFETIME = datetime.timedelta(days=3)


def invitation_lifetime(role: str) -> datetime.timedelta:
    return ADMIN_INVITATION_LIFETIME if role == Role.ADMIN else INVITATION_LIFETIME


SPECIAL_CATEGORY_FIELDS = ("gender", "background", "support_needs")


def _changed(instance: Any, fields: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in fields.items():
        if getattr(instance, name) != value:
            changes[name] = value
            setattr(instance, name, value)
    return changes


def institution_create(
    *,
    actor: User | None,
    name: str,
    short_name: str,
    city: str = "",
    consortium: str = "",
    slug: str = "",
) -> Institution:
    """Create an institution with a unique web-address name derived from ``short_name``.

    Not durable on its own: ``createadmin`` and the demo create the institution and its
    first admin in one transaction.
    """
    base = slug or slugify(short_name) or "institution"
    slug, n = base, 1
    while Institution.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    institution = Institution(
        name=name.strip(),
        short_name=short_name.strip(),
        slug=slug,
        city=city,
        consortium=consortium,
    )
    institution.full_clean()
    with transaction.atomic():
        institution.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="create",
            obj=institution,
            changes={"name": institution.name},
        )
    return institution


def user_create(
    *,
    actor: User | None,
    institution: Institution | None,
    email: str,
    full_name: str,
    password: str | None = None,
    password_hash: str = "",
) -> User:
    """Create an account whose email address is already proven (by an invitation, or by
    the operator who runs ``createadmin``), so it is stored as verified.

    Give ``password`` in clear, or a ``password_hash`` computed once for many demo users.
    Not durable on its own: callers add the membership in the same transaction.
    """
    from allauth.account.models import EmailAddress

    user = User(email=User.objects.normalize_email(email).lower(), full_name=full_name.strip())
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        audit_record(actor=actor, institution=institution, action="create", obj=user)
    return user


def institution_update(*, actor: User, institution: Institution, **fields: Any) -> Institution:
    with transaction.atomic(durable=True):
        changes = _changed(institution, fields)
        if changes:
            institution.full_clean()
            institution.save()
            audit_record(
                actor=actor,
                institution=institution,
                action="update",
                obj=institution,
                changes=changes,
            )
    return institution


def _programme_code_taken(programme: Programme) -> ValidationError | None:
    """The error for a code already used in the programme's institution, if it is."""
    taken = (
        Programme.objects.filter(institution_id=programme.institution_id, code=programme.code)
        .exclude(pk=programme.pk)
        .first()
    )
    if taken is None:
        return None
    message = _(
        "%(institution)s already has a programme with code %(code)s (%(name)s). "
        "Choose another code."
    ) % {"institution": programme.institution.short_name, "code": taken.code, "name": taken.name}
    return ValidationError({"code": message}, code="unique")


def _programme_save(programme: Programme) -> None:
    """Validate and save; a taken code is an error on the code field, even under a race."""
    if (error := _programme_code_taken(programme)) is not None:
        raise error
    programme.full_clean()
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError:
        # Another request took the code between our check and the insert.
        raise _programme_code_taken(programme) or ValidationError(
            _("The programme could not be saved; try again.")
        ) from None


def programme_create(
    *,
    actor: User | None,
    institution: Institution,
    name: str,
    code: str,
    field: str,
    level: str,
    description: str = "",
) -> Programme:
    """Add a programme. Raises ``ValidationError`` (on ``code``) if the code is taken."""
    programme = Programme(
        institution=institution,
        name=name,
        code=code,
        field=field,
        level=level,
        description=description,
    )
    with transaction.atomic(durable=True):
        _programme_save(programme)
        audit_record(
            actor=actor,
            institution=institution,
            action="create",
            obj=programme,
            changes={"name": name, "code": code},
        )
    return programme


def programme_update(*, actor: User, programme: Programme, **fields: Any) -> Programme:
    """Change the given fields. Raises ``ValidationError`` (on ``code``) if the code is taken."""
    with transaction.atomic(durable=True):
        changes = _changed(programme, fields)
        if changes:
            _programme_save(programme)
            audit_record(
                actor=actor,
                institution=programme.institution,
                action="update",
                obj=programme,
                changes=changes,
            )
    return programme


def membership_create(
    *,
    actor: User | None,
    institution: Institution,
    user: User,
    role: str,
    programme: Programme | None = None,
    cohort: str = "",
    year_of_study: int = 1,
    date_of_birth: datetime.date | None = None,
    job_title: str = "",
) -> Membership:
    """Give ``user`` a role in ``institution``, with the matching profile.

    Raises ``ValidationError`` if the user already belongs to the institution.
    Not durable on its own: invitations and imports call it inside their transaction.
    """
    if Membership.objects.filter(user=user, institution=institution).exists():
        raise ValidationError(
            _("%(email)s is already a member of %(institution)s.")
            % {"email": user.email, "institution": institution}
        )
    if programme is not None and programme.institution_id != institution.pk:
        raise ValidationError(_("The programme belongs to another institution."))
    with transaction.atomic():
        membership = Membership.objects.create(user=user, institution=institution, role=role)
        if role == Role.LEARNER:
            LearnerProfile.objects.create(
                membership=membership,
                programme=programme,
                cohort=cohort,
                year_of_study=year_of_study,
                date_of_birth=date_of_birth,
            )
        elif membership.is_staff_role:
            StaffProfile.objects.create(membership=membership, job_title=job_title)
        audit_record(
            actor=actor,
            institution=institution,
            action="create",
            obj=membership,
            changes={"user": user.email, "role": role},
        )
    return membership


def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    with transaction.atomic(durable=True):
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        old = membership.role
        if old == role:
            return membership
        if old == Role.ADMIN and not _other_admin_exists(membership):
            raise ValidationError(_("An institution needs at least one admin."))
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
        if membership.is_staff_role:
            StaffProfile.objects.get_or_create(membership=membership)
        audit_record(
            actor=actor,
            institution=membership.institution,
            action="change_role",
            obj=membership,
            changes={"role": [old, role]},
        )
    return membership


def membership_deactivate(*, actor: User, membership: Membership) -> Membership:
    with transaction.atomic(durable=True):
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.ADMIN and not _other_admin_exists(membership):
            raise ValidationError(_("An institution needs at least one admin."))
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(
            actor=actor, institution=membership.institution, action="deactivate", obj=membership
        )
    return membership


def _other_admin_exists(membership: Membership) -> bool:
    return (
        Membership.objects.active()
        .filter(institution_id=membership.institution_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


def special_category_save(
    *,
    actor: User,
    membership: Membership,
    consent: bool,
    gender: str = "",
    background: str = "",
    support_needs: str = "",
) -> SpecialCategoryData | None:
    """Store the person's special-category data with their consent, or erase it.

    Without consent nothing is stored and any earlier record is deleted. The audit
    row names the fields that changed, never their values.
    """
    with transaction.atomic(durable=True):
        existing = SpecialCategoryData.objects.filter(membership=membership).first()
        if not consent:
            if existing is not None:
                existing.delete()
                audit_record(
                    actor=actor,
                    institution=membership.institution,
                    action="special_category_erase",
                    obj=membership,
                )
            return None
        data = existing or SpecialCategoryData(
            membership=membership, consent_given_at=timezone.now()
        )
        values = {"gender": gender, "background": background, "support_needs": support_needs}
        changed = [name for name, value in values.items() if getattr(data, name) != value]
        for name, value in values.items():
            setattr(data, name, value)
        data.full_clean()
        data.save()
        if changed or existing is None:
            audit_record(
                actor=actor,
                institution=membership.institution,
                action="special_category_save",
                obj=membership,
                changes={"fields": changed},
            )
    return data


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *,
    actor: User,
    institution: Institution,
    email: str,
    full_name: str,
    role: str,
    accept_url_for: Any,
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``role`` and email them a link; returns the invitation and token.

    ``accept_url_for(token)`` builds the absolute link (the view knows the host).
    Refuses an address that already belongs to the institution or has an open invitation.
    """
    email = email.strip().lower()
    if Membership.objects.filter(institution=institution, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a member of %(institution)s.")
            % {"email": email, "institution": institution.short_name}
        )
    if Invitation.objects.filter(institution=institution, email=email).open().exists():
        raise ValidationError(_("%(email)s already has an open invitation.") % {"email": email})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation(
        institution=institution,
        email=email,
        full_name=full_name.strip(),
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + invitation_lifetime(role),
    )
    invitation.full_clean()
    with transaction.atomic(durable=True):
        invitation.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="invite",
            obj=invitation,
            changes={"email": email, "role": role},
        )
        context = {
            "invitation": invitation,
            "url": accept_url_for(token),
            "inviter": actor,
            "lifetime_days": invitation_lifetime(role).days,
        }
        transaction.on_commit(
            partial(
                send_mail,
                subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
                + _("You are invited to %(institution)s") % {"institution": institution.name},
                message=render_to_string("core/email/invitation.txt", context),
                from_email=None,
                recipient_list=[email],
            )
        )
    return invitation, token


def invitation_find(token: str) -> Invitation | None:
    """The open invitation for ``token``, or ``None`` (unknown, expired, used or revoked)."""
    invitation = (
        Invitation.objects.select_related("institution")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


def invitation_accept(
    *, invitation: Invitation, user: User | None, password: str = ""
) -> Membership:
    """Turn an open invitation into a membership.

    ``user`` is the signed-in user accepting (their email must match); with no user, a
    new account is created with ``password`` and its email marked verified, since the
    link proved the address.
    """
    from allauth.account.models import EmailAddress

    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError(_("This invitation has expired or was already used."))
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(
                    _("An account with this email already exists: sign in to accept.")
                )
            user = User.objects.create_user(
                invitation.email, password, full_name=invitation.full_name
            )
            audit_record(actor=user, institution=invitation.institution, action="create", obj=user)
        elif user.email.lower() != invitation.email:
            raise ValidationError(
                _("This invitation is for %(invited)s; you are signed in as %(email)s.")
                % {"invited": invitation.email, "email": user.email}
            )
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        membership = membership_create(
            actor=user, institution=invitation.institution, user=user, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            actor=user, institution=invitation.institution, action="accept", obj=invitation
        )
        if invitation.invited_by is not None:
            notify(
                recipients=[invitation.invited_by],
                kind=kinds.INVITATION_ACCEPTED,
                institution=invitation.institution,
                subject=kinds.INVITATION_ACCEPTED_SUBJECT,
                body=kinds.INVITATION_ACCEPTED_BODY,
                context={"name": user.full_name, "institution": invitation.institution.name},
                url=reverse("person_detail", args=[membership.pk]),
            )
    return membership


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation was already accepted."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, institution=invitation.institution, action="revoke", obj=invitation
        )
    return invitation

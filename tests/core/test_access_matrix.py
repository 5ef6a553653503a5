"""Every core page against every role, the outsider and an anonymous visitor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guildhouse.core import services
from guildhouse.core.audit import audit_record
from guildhouse.core.models import AuditEvent, Institution, Invitation, Membership, Programme, Role
from tests.access_matrix import ADMIN, EVERYONE, STAFF, Page, check_page
from tests.conftest import World
from tests.factories import member_make, user_make


def _other_learner(world: World) -> Membership:
    """A second learner of the institution, made on first use."""
    found = Membership.objects.filter(
        institution=world.institution, user__email="lee.second@example.org"
    ).first()
    if found is not None:
        return found
    user = user_make(email="lee.second@example.org", full_name="Lee Second")
    return member_make(
        institution=world.institution, role=Role.LEARNER, user=user, programme=world.programme
    )


def _audit_event(world: World) -> AuditEvent:
    """An audit event of the institution, made on first use."""
    found = AuditEvent.objects.filter(institution=world.institution, action="invite").first()
    return found or audit_record(
        actor=world.admin.user,
        institution=world.institution,
        action="invite",
        obj=world.programme,
        changes={"email": "audited.person@example.org"},
    )


# Public by design, covered by tests/core/test_invitations.py rather than by the matrix:
# matrix-exempt: invitation_link (anonymous by design: the token is the key)
# matrix-exempt: invitation_accept (anonymous by design: the token is in the session)
# matrix-exempt: healthz (no session by design: the load balancer's probe)
CORE_PAGES = [
    Page(
        "home",
        lambda w: reverse("home"),
        EVERYONE,
        outsider_status=200,
        shows=lambda w, viewer: f"Welcome, {viewer.user.display_name}",
    ),
    Page(
        "profile",
        lambda w: reverse("profile"),
        EVERYONE,
        outsider_status=200,
        shows=lambda w, viewer: "<h1>My profile</h1>",
    ),
    Page(
        "programme list",
        lambda w: reverse("programme_list"),
        STAFF,
        outsider_status=200,
        secret=lambda w: w.programme.name,
        shows=lambda w, viewer: f">{w.programme.name}</a>",
    ),
    Page(
        "programme detail",
        lambda w: reverse("programme_detail", args=[w.programme.pk]),
        STAFF,
        secret=lambda w: w.programme.name,
        shows=lambda w, viewer: f">{w.learner.user.full_name}</a>",
    ),
    Page(
        "programme edit",
        lambda w: reverse("programme_edit", args=[w.programme.pk]),
        ADMIN,
        secret=lambda w: w.programme.name,
        shows=lambda w, viewer: f'value="{w.programme.name}"',
    ),
    Page(
        "programme create",
        lambda w: reverse("programme_create"),
        ADMIN,
        outsider_status=200,
        shows=lambda w, viewer: 'name="code"',
    ),
    Page(
        "people list",
        lambda w: reverse("people_list"),
        STAFF,
        outsider_status=200,
        secret=lambda w: w.coordinator.user.email,
        shows=lambda w, viewer: f">{w.coordinator.user.full_name}</a>",
    ),
    # A learner's page: the learner themselves and staff; partners and stakeholders not.
    Page(
        "person detail",
        lambda w: reverse("person_detail", args=[w.learner.pk]),
        STAFF | {"learner"},
        secret=lambda w: w.learner.user.email,
        shows=lambda w, viewer: f">{w.learner.user.email}</a>",
    ),
    # Another learner's page: staff only; a learner, a partner, a stakeholder get 403.
    Page(
        "person detail of another learner",
        lambda w: reverse("person_detail", args=[_other_learner(w).pk]),
        STAFF,
        secret=lambda w: "lee.second@example.org",
        shows=lambda w, viewer: "<h1>Lee Second</h1>",
    ),
    Page(
        "person remove (confirmation)",
        lambda w: reverse("person_deactivate", args=[_other_learner(w).pk]),
        ADMIN,
        secret=lambda w: "Lee Second",
        shows=lambda w, viewer: "<h1>Remove Lee Second?</h1>",
    ),
    Page(
        "invitation list",
        lambda w: reverse("invitation_list"),
        ADMIN,
        outsider_status=200,
        shows=lambda w, viewer: 'name="email"',
    ),
    Page(
        "audit log",
        lambda w: reverse("audit_list"),
        ADMIN,
        outsider_status=200,
        shows=lambda w, viewer: "<h1>Audit log</h1>",
    ),
    Page(
        "audit event",
        lambda w: reverse("audit_detail", args=[_audit_event(w).pk]),
        ADMIN,
        secret=lambda w: "audited.person@example.org",
        shows=lambda w, viewer: "audited.person@example.org",
    ),
    # The institution's name is in every member's header; the settings form is what is guarded.
    Page(
        "institution settings",
        lambda w: reverse("institution_settings"),
        ADMIN,
        outsider_status=200,
        secret=lambda w: 'name="min_group_size"',
        shows=lambda w, viewer: 'name="min_group_size"',
    ),
]


def _open_invitation(world: World) -> Invitation:
    invitation = Invitation.objects.filter(institution=world.institution).first()
    if invitation is None:
        invitation, _token = services.invitation_create(
            actor=world.admin.user,
            institution=world.institution,
            email="invited@example.org",
            full_name="Ines Invited",
            role=Role.LEARNER,
            accept_url_for=lambda token: f"http://testserver/invite/{token}/",
        )
    return invitation


def _programmes(world: World) -> object:
    return list(Programme.objects.filter(institution=world.institution).values())


def _memberships(world: World) -> object:
    return list(Membership.objects.filter(institution=world.institution).values())


def _invitations(world: World) -> object:
    return list(Invitation.objects.filter(institution=world.institution).values())


def _institution(world: World) -> object:
    return list(Institution.objects.filter(pk=world.institution.pk).values())


PROGRAMME = {"name": "Renamed", "code": "EL", "field": "07", "level": "4", "active": "on"}

# Writes: a denied POST changes nothing in the institution (``state``), and the
# outsider gets 404 for objects of another institution.
CORE_POSTS = [
    Page(
        "programme edit (POST)",
        lambda w: reverse("programme_edit", args=[w.programme.pk]),
        ADMIN,
        ok_status=302,
        method="post",
        data=PROGRAMME,
        state=_programmes,
        secret=lambda w: w.programme.name,
    ),
    Page(
        "programme create (POST)",
        lambda w: reverse("programme_create"),
        ADMIN,
        ok_status=302,
        method="post",
        data=PROGRAMME | {"code": "NEW"},
        outsider_status=302,  # creates it in the outsider's own institution
        state=_programmes,
    ),
    Page(
        "role change (POST)",
        lambda w: reverse("person_detail", args=[w.learner.pk]),
        ADMIN,
        ok_status=302,
        method="post",
        data={"role": "learner"},  # the admin's POST is a no-op: later rows stay valid
        state=_memberships,
        secret=lambda w: w.learner.user.email,
    ),
    Page(
        "role change of a staff member (POST)",
        lambda w: reverse("person_detail", args=[w.staff.pk]),
        ADMIN,
        ok_status=302,
        method="post",
        data={"role": "staff"},
        state=_memberships,
        secret=lambda w: w.staff.user.email,
    ),
    Page(
        "person remove (POST)",
        lambda w: reverse("person_deactivate", args=[_other_learner(w).pk]),
        ADMIN,
        ok_status=302,
        method="post",
        state=_memberships,
        secret=lambda w: "lee.second@example.org",
    ),
    Page(
        "invite (POST)",
        lambda w: reverse("invitation_list"),
        ADMIN,
        ok_status=302,
        method="post",
        data={"full_name": "Nea New", "email": "nea@example.org", "role": "learner"},
        outsider_status=302,  # invites to the outsider's own institution
        state=_invitations,
    ),
    Page(
        "invitation revoke (POST)",
        lambda w: reverse("invitation_revoke", args=[_open_invitation(w).pk]),
        ADMIN,
        ok_status=302,
        method="post",
        state=_invitations,
        secret=lambda w: "invited@example.org",
    ),
    Page(
        "institution settings (POST)",
        lambda w: reverse("institution_settings"),
        ADMIN,
        ok_status=302,
        method="post",
        data={"name": "Renamed", "short_name": "Ren", "min_group_size": "5"},
        outsider_status=302,  # renames the outsider's own institution
        state=_institution,
    ),
]


@pytest.mark.parametrize("page", CORE_PAGES + CORE_POSTS, ids=lambda p: p.name)
def test_core_page_access(world: World, page: Page) -> None:
    assert check_page(world, page) == []


def test_the_outsider_changed_only_their_own_institution(world: World) -> None:
    """The outsider's allowed POSTs above land in their institution, never in this one."""
    for page in CORE_POSTS:
        assert check_page(world, page) == []
    assert Programme.objects.get(institution=world.other_institution, code="NEW").name == (
        "Renamed"
    )
    assert Invitation.objects.filter(institution=world.other_institution).count() == 1
    world.other_institution.refresh_from_db()
    assert world.other_institution.name == "Renamed"
    world.institution.refresh_from_db()
    assert world.institution.name == "Renamed"  # by its own admin
    world.programme.refresh_from_db()
    assert world.programme.name == "Renamed"  # by its own admin

"""What an admin does to people: invite with a chosen role, change a role (their own only
after confirming), remove someone from the institution (after a confirmation page)."""

from __future__ import annotations

from django.urls import reverse

from guildhouse.core.models import AuditEvent, Invitation, Membership, Role
from tests.conftest import World
from tests.factories import member_make

CONFIRM_OWN = "This is your own role: tick the box to confirm the change."


def memberships(world: World) -> object:
    return list(Membership.objects.filter(institution=world.institution).order_by("pk").values())


# --- Item 9: no default role on the invitation form --------------------------------------


def test_the_invitation_form_has_no_role_chosen(world: World) -> None:
    body = world.client_for(world.admin).get(reverse("invitation_list")).content.decode()
    assert '<option value="" selected>Choose a role</option>' in body
    assert body.count(" selected>") == 2  # the empty role and the language switcher
    assert '<option value="admin" selected>' not in body


def test_an_invitation_without_a_role_is_refused(world: World) -> None:
    response = world.client_for(world.admin).post(
        reverse("invitation_list"), {"full_name": "Nea New", "email": "nea@example.org"}
    )
    assert response.status_code == 200
    assert "Choose the role this person will have." in response.content.decode()
    assert Invitation.objects.count() == 0


# --- Item 10: changing one's own role asks first -----------------------------------------


def test_an_admin_changing_their_own_role_must_confirm(world: World) -> None:
    member_make(institution=world.institution, role=Role.ADMIN)  # not the last admin
    client = world.client_for(world.admin)
    url = reverse("person_detail", args=[world.admin.pk])
    before, events = memberships(world), AuditEvent.objects.count()

    page = client.get(url).content.decode()
    assert "Yes, change my own role. I may lose access to this page." in page

    response = client.post(url, {"role": Role.STAFF})
    assert response.status_code == 200
    assert CONFIRM_OWN in response.content.decode()
    assert memberships(world) == before
    assert AuditEvent.objects.count() == events

    response = client.post(url, {"role": Role.STAFF, "confirm": "on"})
    assert (response.status_code, response["Location"]) == (302, url)
    assert Membership.objects.get(pk=world.admin.pk).role == Role.STAFF
    assert AuditEvent.objects.filter(action="change_role").get().changes == {
        "role": ["admin", "staff"]
    }


def test_keeping_ones_own_role_needs_no_confirmation(world: World) -> None:
    url = reverse("person_detail", args=[world.admin.pk])
    response = world.client_for(world.admin).post(url, {"role": Role.ADMIN})
    assert (response.status_code, response["Location"]) == (302, url)


def test_changing_someone_elses_role_needs_no_confirmation(world: World) -> None:
    url = reverse("person_detail", args=[world.staff.pk])
    client = world.client_for(world.admin)
    assert "change my own role" not in client.get(url).content.decode()
    response = client.post(url, {"role": Role.COORDINATOR})
    assert (response.status_code, response["Location"]) == (302, url)
    assert Membership.objects.get(pk=world.staff.pk).role == Role.COORDINATOR


# --- Item 19: removing someone (membership_deactivate) ------------------------------------


def test_an_admin_removes_a_person_after_confirming(world: World) -> None:
    client = world.client_for(world.admin)
    person_url = reverse("person_detail", args=[world.learner.pk])
    remove_url = reverse("person_deactivate", args=[world.learner.pk])
    name = world.learner.user.full_name
    assert f'href="{remove_url}">Remove {name}…</a>' in client.get(person_url).content.decode()

    confirm = client.get(remove_url)
    assert confirm.status_code == 200
    assert (
        f"{name} (Learner) will no longer be able to sign in to Riverside Vocational College."
        in confirm.content.decode()
    )
    assert Membership.objects.get(pk=world.learner.pk).is_active  # asking changed nothing

    response = client.post(remove_url, follow=True)
    assert response.redirect_chain == [(reverse("people_list"), 302)]
    body = response.content.decode()
    assert f"{name} was removed from Riverside Vocational College." in body
    assert f">{name}</a>" not in body  # gone from the list
    assert not Membership.objects.get(pk=world.learner.pk).is_active
    event = AuditEvent.objects.get(action="deactivate")
    assert (event.actor_id, event.object_id, event.institution_id) == (
        world.admin.user.pk,
        str(world.learner.pk),
        world.institution.pk,
    )
    # The removed learner reaches no page of the institution any more.
    assert world.client_for(world.learner).get(reverse("home")).status_code == 403
    # The page says so, and offers neither a role change nor another removal.
    after = client.get(person_url).content.decode()
    assert "No longer a member of this institution." in after
    assert "Change role" not in after
    assert remove_url not in after


def test_an_admin_cannot_remove_themselves(world: World) -> None:
    member_make(institution=world.institution, role=Role.ADMIN)
    client = world.client_for(world.admin)
    own = reverse("person_detail", args=[world.admin.pk])
    assert "Remove from this institution" not in client.get(own).content.decode()
    before = memberships(world)

    response = client.post(reverse("person_deactivate", args=[world.admin.pk]))

    assert (response.status_code, response["Location"]) == (302, own)
    assert memberships(world) == before
    assert not AuditEvent.objects.filter(action="deactivate").exists()

"""The audit log: each write through the pages leaves exactly one row per change."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from guildhouse.core import services
from guildhouse.core.models import AuditEvent, Invitation, Membership, Programme, Role, User
from tests.conftest import World

FIELDS = ("institution_id", "actor_id", "actor_label", "action", "object_type", "object_id")


def rows(**filters: Any) -> list[tuple[Any, ...]]:
    """Audit rows, oldest first, without the time stamp."""
    return [
        (*row, event.object_label, event.changes)
        for event, row in (
            (event, tuple(getattr(event, name) for name in FIELDS))
            for event in AuditEvent.objects.filter(**filters).order_by("id")
        )
    ]


def test_programme_create_and_update(world: World) -> None:
    admin = world.admin.user
    client = world.client_for(world.admin)
    data = {"name": "Welding", "code": "WE", "field": "07", "level": "3", "active": "on"}
    client.post(reverse("programme_create"), data)
    programme = Programme.objects.get(code="WE")
    client.post(reverse("programme_edit", args=[programme.pk]), data | {"name": "Welding II"})

    assert rows(object_type="core.programme") == [
        (
            world.institution.pk,
            admin.pk,
            admin.email,
            "create",
            "core.programme",
            str(programme.pk),
            "Welding (WE)",
            {"name": "Welding", "code": "WE"},
        ),
        (
            world.institution.pk,
            admin.pk,
            admin.email,
            "update",
            "core.programme",
            str(programme.pk),
            "Welding II (WE)",
            {"name": "Welding II"},
        ),
    ]


def test_an_unchanged_save_records_nothing(world: World) -> None:
    client = world.client_for(world.admin)
    data = {"name": "Electrical installation", "code": "EL", "field": "07", "level": "4"}
    response = client.post(
        reverse("programme_edit", args=[world.programme.pk]), data | {"active": "on"}
    )
    assert response.status_code == 302
    assert rows() == []


def test_invitation_create_accept_and_revoke(world: World) -> None:
    admin = world.admin.user
    client = world.client_for(world.admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("invitation_list"),
            {"full_name": "Ada Apprentice", "email": "ada@example.org", "role": Role.LEARNER},
        )
        client.post(
            reverse("invitation_list"),
            {"full_name": "Bo Builder", "email": "bo@example.org", "role": Role.STAFF},
        )
    ada_invitation = Invitation.objects.get(email="ada@example.org")
    bo_invitation = Invitation.objects.get(email="bo@example.org")
    match = re.search(r"/invite/[\w-]+/", str(mail.outbox[0].body))
    assert match is not None
    invitee = Client()
    invitee.get(match.group(0))  # the link moves its token into the session
    invitee.post(
        reverse("invitation_accept"),
        {"password1": "a-long-secret-99", "password2": "a-long-secret-99"},
    )
    client.post(reverse("invitation_revoke", args=[bo_invitation.pk]))

    ada = User.objects.get(email="ada@example.org")
    membership = Membership.objects.get(user=ada)
    inst = world.institution.pk
    assert rows() == [
        (inst, admin.pk, admin.email, "invite", "core.invitation", str(ada_invitation.pk),
         "Invitation for ada@example.org as learner",
         {"email": "ada@example.org", "role": "learner"}),
        (inst, admin.pk, admin.email, "invite", "core.invitation", str(bo_invitation.pk),
         "Invitation for bo@example.org as staff", {"email": "bo@example.org", "role": "staff"}),
        (inst, ada.pk, ada.email, "create", "core.user", str(ada.pk), "Ada Apprentice", {}),
        (inst, ada.pk, ada.email, "create", "core.membership", str(membership.pk),
         f"Ada Apprentice — Learner at {world.institution.name}",
         {"user": "ada@example.org", "role": "learner"}),
        (inst, ada.pk, ada.email, "accept", "core.invitation", str(ada_invitation.pk),
         "Invitation for ada@example.org as learner", {}),
        (inst, admin.pk, admin.email, "revoke", "core.invitation", str(bo_invitation.pk),
         "Invitation for bo@example.org as staff", {}),
    ]  # fmt: skip


def test_role_change(world: World) -> None:
    admin = world.admin.user
    client = world.client_for(world.admin)
    response = client.post(
        reverse("person_detail", args=[world.partner.pk]), {"role": "stakeholder"}
    )

    assert response.status_code == 302
    assert Membership.objects.get(pk=world.partner.pk).role == Role.STAKEHOLDER
    assert rows() == [
        (
            world.institution.pk,
            admin.pk,
            admin.email,
            "change_role",
            "core.membership",
            str(world.partner.pk),
            f"{world.partner.user.full_name} — Stakeholder at {world.institution.name}",
            {"role": ["partner", "stakeholder"]},
        )
    ]


def test_the_last_admin_cannot_step_down(world: World) -> None:
    client = world.client_for(world.admin)
    url = reverse("person_detail", args=[world.admin.pk])
    response = client.post(url, {"role": "staff", "confirm": "on"})
    assert response.status_code == 200
    assert response.context["role_form"].errors == {
        "__all__": ["An institution needs at least one admin."]
    }
    assert Membership.objects.get(pk=world.admin.pk).role == Role.ADMIN
    assert rows() == []


def test_special_category_save_names_fields_and_never_values(world: World) -> None:
    learner = world.learner.user
    client = world.client_for(world.learner)
    secret_values = {
        "background": "Refugee background",
        "support_needs": "Dyslexia: coloured paper",
    }
    client.post(reverse("profile"), {"consent": "on", "gender": "", **secret_values})
    client.post(reverse("profile"), {"consent": "on", "gender": "woman", **secret_values})
    client.post(reverse("profile"), {"gender": "woman", **secret_values})

    label = f"{learner.full_name} — Learner at {world.institution.name}"
    head = (world.institution.pk, learner.pk, learner.email)
    obj = ("core.membership", str(world.learner.pk), label)
    assert rows() == [
        (*head, "special_category_save", *obj, {"fields": ["background", "support_needs"]}),
        (*head, "special_category_save", *obj, {"fields": ["gender"]}),
        (*head, "special_category_erase", *obj, {}),
    ]
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    for value in (*secret_values.values(), "woman"):
        assert value not in stored


def test_admin_sees_the_audit_log_of_their_own_institution_only(world: World) -> None:
    data = {"field": "07", "level": "4", "active": "on"}
    world.client_for(world.admin).post(
        reverse("programme_create"), data | {"name": "Riverside Roofing", "code": "RR"}
    )
    world.client_for(world.outsider).post(
        reverse("programme_create"), data | {"name": "Hilltop Horticulture", "code": "HH"}
    )

    own = world.client_for(world.admin).get(reverse("audit_list"))
    body = own.content.decode()
    assert own.status_code == 200
    assert "Riverside Roofing (RR)" in body
    assert world.admin.user.email in body
    assert "Hilltop Horticulture" not in body
    assert world.outsider.user.email not in body
    assert [event.object_label for event in own.context["page"].object_list] == [
        "Riverside Roofing (RR)"
    ]

    # Filtering by the other admin's email does not reach across institutions either.
    filtered = world.client_for(world.admin).get(
        reverse("audit_list"), {"actor": world.outsider.user.email}
    )
    assert "Hilltop Horticulture" not in filtered.content.decode()
    assert "Nothing recorded matches." in filtered.content.decode()

    other = world.client_for(world.outsider).get(reverse("audit_list")).content.decode()
    assert "Hilltop Horticulture (HH)" in other
    assert "Riverside Roofing" not in other


def test_denied_writes_leave_no_audit_rows(world: World) -> None:
    data = {"name": "Sneaky", "code": "SN", "field": "07", "level": "4", "active": "on"}
    world.client_for(world.coordinator).post(reverse("programme_create"), data)
    world.client_for(world.outsider).post(
        reverse("programme_edit", args=[world.programme.pk]), data
    )
    world.client_for(world.staff).post(
        reverse("person_detail", args=[world.learner.pk]), {"role": "admin"}
    )
    assert rows() == []
    assert Membership.objects.get(pk=world.learner.pk).role == Role.LEARNER
    assert Programme.objects.get(pk=world.programme.pk).name == "Electrical installation"


def test_audit_page_names_actions_in_words_and_filters_by_action(world: World) -> None:
    services.programme_update(
        actor=world.admin.user, programme=world.programme, name="Electrical installation II"
    )
    client = world.client_for(world.admin)

    page = client.get(reverse("audit_list"), {"action": "update"}).content.decode()

    assert "<td>changed</td>" in page
    assert "<strong>Name</strong>: Electrical installation II" in page
    assert '<option value="update" selected>changed</option>' in page
    assert "<td>created</td>" not in page


def finnish_admin(world: World) -> Client:
    client = world.client_for(world.admin)
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    return client


def test_the_finnish_audit_log_has_no_english_target_or_raw_keys(world: World) -> None:
    services.membership_change_role(actor=world.admin.user, membership=world.staff, role="support")
    services.special_category_save(
        actor=world.learner.user,
        membership=world.learner,
        consent=True,
        gender="woman",
        background="",
        support_needs="Extra time",
    )
    services.programme_update(actor=world.admin.user, programme=world.programme, active=False)

    page = finnish_admin(world).get(reverse("audit_list")).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    cells = [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in row]
        for row in (re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows)
    ]

    # (did, to what, details), newest first.
    assert [row[2:] for row in cells] == [
        ["muutti", "Koulutus Electrical installation (EL)", "Käytössä : ei"],
        [
            "tallensi henkilön tukitiedot",
            f"Jäsenyys {world.learner.user.full_name}",
            "Tiedot : sukupuoli, vamma tai tuen tarpeet",
        ],
        [
            "muutti henkilön roolin",
            f"Jäsenyys {world.staff.user.full_name}",
            "Rooli : Henkilöstö → Tukihenkilöstö",
        ],
    ]
    assert " at Riverside" not in page
    assert "role:" not in page
    assert "support_needs" not in page


def test_an_audit_event_page_shows_the_details_in_full(world: World) -> None:
    description = "Wiring and inspection. " * 20  # longer than the list shows
    services.programme_update(
        actor=world.admin.user, programme=world.programme, description=description
    )
    event = AuditEvent.objects.get(action="update")
    client = world.client_for(world.admin)
    listed = client.get(reverse("audit_list")).content.decode()
    assert f'<a href="{reverse("audit_detail", args=[event.pk])}">' in listed
    assert description.strip() not in listed  # cut in the list

    page = client.get(reverse("audit_detail", args=[event.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert f"<h1>{world.admin.user.email} changed Electrical installation (EL)</h1>" in body
    assert '<dt>To what</dt><dd class="breakable">Programme: Electrical installation (EL)' in body
    assert f'<dt>Description</dt><dd class="breakable">{description}</dd>' in body


def test_an_audit_event_of_another_institution_is_404(world: World) -> None:
    services.programme_update(
        actor=world.outsider.user, programme=world.other_programme, name="Secret rename"
    )
    event = AuditEvent.objects.get(action="update")
    page = world.client_for(world.admin).get(reverse("audit_detail", args=[event.pk]))
    assert page.status_code == 404
    assert "Secret rename" not in page.content.decode()


def test_a_server_error_page_speaks_both_languages_and_shows_no_internals(
    world: World, monkeypatch: Any
) -> None:
    """The error page is static (nothing that could fail again): English and Finnish."""

    def broken(events: object) -> object:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("guildhouse.core.views.audit_rows", broken)
    client = world.client_for(world.admin)
    client.raise_request_exception = False
    response = client.get(reverse("audit_list"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in page
    assert "<h2>Jokin meni vikaan meidän päässämme</h2>" in page
    assert "secret internals" not in page

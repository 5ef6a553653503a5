"""The demo's two schools and its printed accounts: what a person trying Guildhouse reads."""

from __future__ import annotations

from dataclasses import dataclass

from guildhouse.core.models import Role

# Printed on screen for anyone trying the demo; never a real account's password.
DEMO_PASSWORD = "guildhouse-demo"  # noqa: S105
CONSORTIUM = "North Coast VET Consortium"
DEMO_URL = "http://127.0.0.1:{port}/"
# Short name -> full name of the two demo schools; logins refer to them by short name.
# Other apps' demos find the schools by these names.
DEMO_INSTITUTIONS = {
    "Riverside": "Riverside Vocational College",
    "Hilltop": "Hilltop Skills Centre",
}


@dataclass(frozen=True)
class DemoLogin:
    """A printed demo account. ``memberships`` are (institution short name, role) pairs."""

    email: str
    full_name: str
    memberships: tuple[tuple[str, str], ...]


# The printed accounts: every role once at Riverside, Hilltop's admin, and one
# person in both schools to show the institution switcher.
DEMO_LOGINS = (
    DemoLogin("admin@riverside.demo", "Helena Lindqvist", (("Riverside", Role.ADMIN),)),
    DemoLogin("coordinator@riverside.demo", "Omar Haddad", (("Riverside", Role.COORDINATOR),)),
    DemoLogin("staff@riverside.demo", "Mikko Laine", (("Riverside", Role.STAFF),)),
    DemoLogin("support@riverside.demo", "Grace Mensah", (("Riverside", Role.SUPPORT),)),
    DemoLogin("learner@riverside.demo", "Aino Korhonen", (("Riverside", Role.LEARNER),)),
    DemoLogin("partner@riverside.demo", "Jonas Berg", (("Riverside", Role.PARTNER),)),
    DemoLogin("stakeholder@riverside.demo", "Priya Natarajan", (("Riverside", Role.STAKEHOLDER),)),
    DemoLogin("admin@hilltop.demo", "Ewan Campbell", (("Hilltop", Role.ADMIN),)),
    DemoLogin(
        "coordinator@consortium.demo",
        "Sofia Moreno",
        (("Riverside", Role.COORDINATOR), ("Hilltop", Role.STAFF)),
    ),
)

# Job titles of the printed accounts, by (email, institution short name).
LOGIN_TITLES = {
    ("admin@riverside.demo", "Riverside"): "Principal",
    ("coordinator@riverside.demo", "Riverside"): "Industry partnerships coordinator",
    ("staff@riverside.demo", "Riverside"): "Electrical installation teacher",
    ("support@riverside.demo", "Riverside"): "Study counsellor",
    ("admin@hilltop.demo", "Hilltop"): "Director",
    ("coordinator@consortium.demo", "Riverside"): "Consortium mentoring coordinator",
    ("coordinator@consortium.demo", "Hilltop"): "Peer mentoring trainer",
}

"""Template filters shared by Guildhouse pages."""

from __future__ import annotations

from django import template

from guildhouse.core.audit import action_label, audit_details, audit_target
from guildhouse.core.models import AuditEvent

register = template.Library()


@register.filter
def audit_action(action: str) -> str:
    """The readable name of an audit action ("change_role" → "changed the role of")."""
    return action_label(action)


@register.filter
def audit_kind_and_name(event: AuditEvent) -> tuple[str, str]:
    """What an audit event changed: (kind, name), translated ("Membership", "Ann Lee")."""
    return audit_target(event)


@register.filter
def audit_lines_in_full(event: AuditEvent) -> list[tuple[str, str]]:
    """An audit event's changes as translated (label, value) lines, nothing cut."""
    return audit_details(event, cut=False)

"""Monitoring of open pairs: the daily at-risk check, flags, coordinators' actions.

The rules, in the words the board shows (``RULE_TEXT``):

- no meeting held for twice the programme's cadence (since the pair started, if none);
- the last two logged meetings were both missed;
- a low (2 or less of 5) or falling (down 1 or more) relationship-quality score;
- a participant inactive for ``INACTIVE_DAYS`` days (no sign-in, no meeting planned or
  logged, no flag);
- a flag raised by the mentor or mentee (until a coordinator resolves it).

MENTOR's monitoring standard: the coordinator contacts each pair at least twice in
the first month (by day 15 and day 30) and monthly after (day 60, 90, ...).
``next_contact_due`` on the pair's ``PairWatch`` is the next such date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guildhouse.core.audit import audit_record
from guildhouse.core.models import STAFF_ROLES, Institution, Membership, Role, User
from guildhouse.core.selectors import role_users
from guildhouse.mentoring.models import (
    CONTACT_KINDS,
    ActionKind,
    Flag,
    FlagTopic,
    Meeting,
    MeetingStatus,
    MonitoringAction,
    PairWatch,
    Relationship,
    RelationshipStatus,
    RiskAlert,
    RiskRule,
    State,
)
from guildhouse.notifications.api import notify, register_kind

INACTIVE_DAYS = 30
LOW_QUALITY = 2.0  # of 5
FALLING_BY = 1.0

PAIRS_AT_RISK = "mentoring.pairs_at_risk"
FLAG_RAISED = "mentoring.flag_raised"
WELLBEING_FLAG = "mentoring.wellbeing_flag"
register_kind(PAIRS_AT_RISK, label=gettext_lazy("Mentoring pairs newly at risk"), roles=STAFF_ROLES)
register_kind(
    FLAG_RAISED, label=gettext_lazy("A mentor or mentee raised a flag"), roles=STAFF_ROLES
)
register_kind(
    WELLBEING_FLAG,
    label=gettext_lazy("A mentoring flag about wellbeing or safety"),
    roles=STAFF_ROLES,
)


def contact_due(started_on: datetime.date, contacts: int) -> datetime.date:
    """The date by which the coordinator's next contact is due, after ``contacts`` contacts."""
    return started_on + datetime.timedelta(days=15 if contacts == 0 else 30 * contacts)


def quality_scores(relationship_ids: Iterable[int]) -> dict[int, list[float]]:
    """Each pair's relationship-quality scores (1-5) of its two latest check-in rounds,
    newest first: the mean of the mentor's and the mentee's answers in each round.
    One grouped query."""
    from django.db.models import Avg

    from guildhouse.mentoring.models import SurveyKind, SurveyResponse

    scores: dict[int, list[float]] = {}
    rows = (
        SurveyResponse.objects.filter(
            relationship_id__in=list(relationship_ids), kind=SurveyKind.QUALITY, score__isnull=False
        )
        .order_by()
        .values("relationship_id", "round")
        .annotate(score=Avg("score"))
        .order_by("relationship_id", "-round")
    )
    for row in rows:
        kept = scores.setdefault(row["relationship_id"], [])
        if len(kept) < 2:
            kept.append(round(row["score"], 1))
    return scores


@dataclass(frozen=True)
class CheckSummary:
    pairs: int
    opened: int
    closed: int


def _active_pairs(institution: Institution) -> QuerySet[Relationship]:
    held = Meeting.objects.filter(relationship=OuterRef("pk"), status=MeetingStatus.HELD)
    logged = Meeting.objects.filter(
        relationship=OuterRef("pk"), status__in=[MeetingStatus.HELD, MeetingStatus.MISSED]
    ).order_by("-starts_at", "-pk")

    def activity(side: str) -> Subquery:
        person = OuterRef(f"{side}__membership_id")
        return Subquery(
            Meeting.objects.filter(relationship=OuterRef("pk"))
            .filter(Q(proposed_by=person) | Q(logged_by=person))
            .order_by("-created_at")
            .values("created_at")[:1]
        )

    def flagged(side: str) -> Subquery:
        return Subquery(
            Flag.objects.filter(
                relationship=OuterRef("pk"), raised_by=OuterRef(f"{side}__membership_id")
            )
            .order_by("-created_at")
            .values("created_at")[:1]
        )

    contacts = MonitoringAction.objects.filter(
        relationship=OuterRef("pk"), kind__in=CONTACT_KINDS
    ).order_by()
    return (
        Relationship.objects.filter(
            programme__institution=institution,
            status=RelationshipStatus.ACTIVE,
        )
        .exclude(programme__state=State.CLOSED)
        .select_related("programme", "mentee__membership__user", "mentor__membership__user")
        .annotate(
            last_held=Subquery(held.order_by("-starts_at").values("starts_at")[:1]),
            last_logged=Subquery(logged.values("status")[:1]),
            before_logged=Subquery(logged.values("status")[1:2]),
            mentee_meeting=activity("mentee"),
            mentor_meeting=activity("mentor"),
            mentee_flag=flagged("mentee"),
            mentor_flag=flagged("mentor"),
            contact_count=Subquery(
                contacts.values("relationship").annotate(n=Count("pk")).values("n")[:1]
            ),
            last_contact=Subquery(
                contacts.values("relationship").annotate(d=Max("taken_on")).values("d")[:1]
            ),
        )
        .order_by("pk")
    )


def _started_on(pair: Relationship) -> datetime.date:
    moments = [m for m in (pair.mentee_accepted_at, pair.mentor_accepted_at) if m]
    return timezone.localdate(max(moments) if moments else pair.published_at)


def _latest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def rules_for(
    pair: Relationship, *, now: datetime.datetime, scores: list[float]
) -> dict[str, dict[str, object]]:
    """The rules that hold for an annotated active pair, each with its numbers."""
    today = timezone.localdate(now)
    started = _started_on(pair)
    found: dict[str, dict[str, object]] = {}
    limit = 2 * pair.programme.cadence_in_days
    since = timezone.localdate(pair.last_held) if pair.last_held else started  # type: ignore[attr-defined]
    days = (today - since).days
    if days > limit:
        found[RiskRule.NO_MEETING] = {"days": days, "limit": limit}
    if pair.last_logged == MeetingStatus.MISSED == pair.before_logged:  # type: ignore[attr-defined]
        found[RiskRule.MISSED_TWICE] = {}
    if scores and (
        scores[0] <= LOW_QUALITY or (len(scores) > 1 and scores[0] <= scores[1] - FALLING_BY)
    ):
        found[RiskRule.LOW_QUALITY] = {"score": scores[0], "before": scores[1:2]}
    for side in ("mentee", "mentor"):
        application = getattr(pair, side)
        accepted = getattr(pair, f"{side}_accepted_at")
        last = _latest(
            application.membership.user.last_login,
            accepted,
            getattr(pair, f"{side}_meeting"),
            getattr(pair, f"{side}_flag"),
        )
        quiet = (now - last).days if last else (today - started).days
        if quiet > INACTIVE_DAYS:
            found[RiskRule.INACTIVE] = {"side": side, "days": quiet, "limit": INACTIVE_DAYS}
            break
    return found


def monitoring_check(*, institution: Institution, now: datetime.datetime) -> CheckSummary:
    """Run every rule over the institution's active pairs: open alerts for rules that now
    hold, close those that no longer do, refresh each pair's ``PairWatch``, and tell the
    coordinators about pairs newly at risk (once per new alert). Flags stay open until
    resolved. A bounded number of queries, whatever the number of pairs."""
    with transaction.atomic():
        pairs = list(_active_pairs(institution))
        scores = quality_scores(p.pk for p in pairs)
        open_alerts = RiskAlert.objects.filter(
            relationship__programme__institution=institution, closed_at=None, flag=None
        ).order_by()
        existing = {(a.relationship_id, a.rule): a for a in open_alerts}
        holding: dict[tuple[int, str], dict[str, object]] = {}
        for pair in pairs:
            for rule, detail in rules_for(pair, now=now, scores=scores.get(pair.pk, [])).items():
                holding[(pair.pk, rule)] = detail
        new = [
            RiskAlert(relationship_id=pk, rule=rule, detail=detail, opened_at=now)
            for (pk, rule), detail in holding.items()
            if (pk, rule) not in existing
        ]
        RiskAlert.objects.bulk_create(new, batch_size=1000)
        stale = [a.pk for key, a in existing.items() if key not in holding]
        RiskAlert.objects.filter(pk__in=stale).update(closed_at=now)
        for key, alert in existing.items():
            if key in holding and alert.detail != holding[key]:
                alert.detail = holding[key]
        RiskAlert.objects.bulk_update(
            [a for k, a in existing.items() if k in holding], ["detail"], batch_size=1000
        )
        watches = [
            PairWatch(
                relationship=pair,
                programme_id=pair.programme_id,
                institution=institution,
                started_on=_started_on(pair),
                contacts=pair.contact_count or 0,  # type: ignore[attr-defined]
                last_contact_on=pair.last_contact,  # type: ignore[attr-defined]
                next_contact_due=contact_due(_started_on(pair), pair.contact_count or 0),  # type: ignore[attr-defined]
                checked_at=now,
            )
            for pair in pairs
        ]
        PairWatch.objects.bulk_create(
            watches,
            update_conflicts=True,
            unique_fields=["relationship"],
            update_fields=[
                "started_on",
                "contacts",
                "last_contact_on",
                "next_contact_due",
                "checked_at",
            ],
            batch_size=1000,
        )
        # Pairs no longer active keep their watch (open flags), with no contact due.
        PairWatch.objects.filter(institution=institution).exclude(
            relationship__in=[p.pk for p in pairs]
        ).exclude(next_contact_due=None).update(next_contact_due=None)
        _refresh_alert_counts(institution=institution)
        if new:
            _tell_coordinators(institution, len({a.relationship_id for a in new}))
    return CheckSummary(pairs=len(pairs), opened=len(new), closed=len(stale))


def _refresh_alert_counts(*, institution: Institution, relationship_id: int | None = None) -> None:
    """Set ``open_alerts`` and ``urgent`` of the institution's watches (or one pair's)."""
    watches = PairWatch.objects.filter(institution=institution)
    alerts = RiskAlert.objects.filter(
        relationship__programme__institution=institution, closed_at=None
    )
    if relationship_id is not None:
        watches = watches.filter(relationship_id=relationship_id)
        alerts = alerts.filter(relationship_id=relationship_id)
    counts = {
        row["relationship_id"]: (row["n"], row["urgent"] > 0)
        for row in alerts.order_by()
        .values("relationship_id")
        .annotate(n=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)))
    }
    changed = []
    for watch in watches.only("relationship_id", "open_alerts", "urgent"):
        n, urgent = counts.get(watch.relationship_id, (0, False))
        if (watch.open_alerts, watch.urgent) != (n, urgent):
            watch.open_alerts, watch.urgent = n, urgent
            changed.append(watch)
    PairWatch.objects.bulk_update(changed, ["open_alerts", "urgent"], batch_size=1000)


def _tell_coordinators(institution: Institution, pairs: int) -> None:
    notify(
        recipients=role_users(institution_id=institution.pk, role=Role.COORDINATOR),
        kind=PAIRS_AT_RISK,
        institution=institution,
        subject=gettext_lazy("Mentoring: %(count)s pairs newly at risk"),
        body=gettext_lazy("The monitoring board lists each pair with the reason and what to do."),
        context={"count": pairs},
        url=reverse("mentoring:monitoring_board"),
    )


def _watch_for(relationship: Relationship) -> PairWatch:
    started = _started_on(relationship)
    watch, _created = PairWatch.objects.get_or_create(
        relationship=relationship,
        defaults={
            "programme_id": relationship.programme_id,
            "institution_id": relationship.programme.institution_id,
            "started_on": started,
            "next_contact_due": (
                contact_due(started, 0)
                if relationship.status == RelationshipStatus.ACTIVE
                else None
            ),
        },
    )
    return watch


def _pair_member(actor: User, relationship: Relationship) -> Membership:
    for application in (relationship.mentee, relationship.mentor):
        if application.membership.user_id == actor.pk:
            return application.membership
    raise ValidationError(_("Only the two people in a pair can do this."))


def flag_raise(
    *, actor: User, relationship: Relationship, topic: str, urgent: bool, message: str
) -> Flag:
    """A mentor or mentee raises a concern about their pair. It opens an alert on the
    board and reaches every coordinator and, for wellbeing and safety, support staff.
    The other person of the pair is not told."""
    member = _pair_member(actor, relationship)
    if relationship.status == RelationshipStatus.CLOSED:
        raise ValidationError(_("This pair has ended; talk to your coordinator directly."))
    flag = Flag(
        relationship=relationship,
        raised_by=member,
        topic=topic,
        urgent=urgent,
        message=message.strip(),
    )
    flag.full_clean()
    institution = relationship.programme.institution
    with transaction.atomic(durable=True):
        flag.save()
        RiskAlert.objects.create(
            relationship=relationship,
            rule=RiskRule.FLAG,
            flag=flag,
            urgent=urgent,
            detail={"topic": topic},
        )
        _watch_for(relationship)
        _refresh_alert_counts(institution=institution, relationship_id=relationship.pk)
        audit_record(
            actor=actor,
            institution=institution,
            action="mentoring_flag_raise",
            obj=flag,
            changes={"topic": topic, "urgent": urgent},  # never the message
        )
        url = reverse("mentoring:flag_detail", args=[flag.pk])
        context = {"topic": FlagTopic(topic).label, "programme": relationship.programme.name}
        subject = (
            gettext_lazy("Urgent mentoring flag: %(topic)s (%(programme)s)")
            if urgent
            else gettext_lazy("Mentoring flag: %(topic)s (%(programme)s)")
        )
        notify(
            recipients=role_users(institution_id=institution.pk, role=Role.COORDINATOR),
            kind=FLAG_RAISED,
            institution=institution,
            subject=subject,
            body=gettext_lazy("Open the flag to read it and say what was done."),
            context=context,
            url=url,
        )
        if flag.reaches_support:
            notify(
                recipients=role_users(institution_id=institution.pk, role=Role.SUPPORT),
                kind=WELLBEING_FLAG,
                institution=institution,
                subject=subject,
                body=gettext_lazy("Open the flag to read it and say what was done."),
                context=context,
                url=url,
            )
    return flag


def flag_resolve(*, actor: User, flag: Flag, resolution: str) -> Flag:
    """Close a flag with what was done; its alert leaves the board."""
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError(_("Say what was done."))
    with transaction.atomic(durable=True):
        locked = (
            Flag.objects.select_for_update()
            .select_related("relationship__programme__institution")
            .get(pk=flag.pk)
        )
        if locked.resolved_at is not None:
            raise ValidationError(_("This flag has already been resolved."))
        now = timezone.now()
        locked.resolved_at, locked.resolved_by, locked.resolution = now, actor, resolution
        locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        RiskAlert.objects.filter(flag=locked, closed_at=None).update(closed_at=now)
        institution = locked.relationship.programme.institution
        _refresh_alert_counts(institution=institution, relationship_id=locked.relationship_id)
        audit_record(
            actor=actor,
            institution=institution,
            action="mentoring_flag_resolve",
            obj=locked,
            changes={"resolved": True},
        )
    return locked


def monitoring_action_log(
    *,
    actor: User,
    relationship: Relationship,
    kind: str,
    note: str = "",
    taken_on: datetime.date | None = None,
    alert: RiskAlert | None = None,
) -> MonitoringAction:
    """Log what a coordinator did about a pair. A contact counts towards the monitoring
    standard (the next contact date moves on); naming an alert closes it (a flag's
    alert closes the flag, with the note as what was done)."""
    today = timezone.localdate()
    taken_on = taken_on or today
    if taken_on > today:
        raise ValidationError(_("Log what has been done: the date cannot be in the future."))
    if alert is not None and alert.relationship_id != relationship.pk:
        raise ValidationError(_("That alert belongs to another pair."))
    if alert is not None and alert.rule == RiskRule.FLAG and not note.strip():
        raise ValidationError(_("Say what was done about the flag."))
    action = MonitoringAction(
        relationship=relationship,
        kind=kind,
        note=note.strip(),
        alert=alert,
        actor=actor,
        taken_on=taken_on,
    )
    action.full_clean()
    institution = relationship.programme.institution
    with transaction.atomic(durable=True):
        action.save()
        now = timezone.now()
        if alert is not None:
            RiskAlert.objects.filter(pk=alert.pk, closed_at=None).update(closed_at=now)
            if alert.flag_id is not None:
                Flag.objects.filter(pk=alert.flag_id, resolved_at=None).update(
                    resolved_at=now, resolved_by=actor, resolution=note.strip()
                )
        watch = _watch_for(relationship)
        if kind in CONTACT_KINDS:
            contacts = MonitoringAction.objects.filter(
                relationship=relationship, kind__in=CONTACT_KINDS
            ).aggregate(n=Count("pk"), last=Max("taken_on"))
            watch.contacts = contacts["n"]
            watch.last_contact_on = contacts["last"]
            if relationship.status == RelationshipStatus.ACTIVE:
                watch.next_contact_due = contact_due(watch.started_on, watch.contacts)
            watch.save(update_fields=["contacts", "last_contact_on", "next_contact_due"])
        _refresh_alert_counts(institution=institution, relationship_id=relationship.pk)
        audit_record(
            actor=actor,
            institution=institution,
            action="mentoring_monitoring_action",
            obj=action,
            changes={"kind": kind, "alert": alert.pk if alert else None},
        )
    return action


__all__ = [
    "ActionKind",
    "CheckSummary",
    "contact_due",
    "flag_raise",
    "flag_resolve",
    "monitoring_action_log",
    "monitoring_check",
    "rules_for",
]

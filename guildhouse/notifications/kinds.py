"""The notification kinds of core and the job runner (other apps register their own)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import STAFF_ROLES
from guildhouse.notifications.api import register_kind

INVITATION_ACCEPTED = "core.invitation_accepted"
JOB_FINISHED = "jobs.finished"

register_kind(INVITATION_ACCEPTED, label=_("Someone accepted my invitation"), roles=STAFF_ROLES)
register_kind(JOB_FINISHED, label=_("A job I started has finished"), default="in_app")

INVITATION_ACCEPTED_SUBJECT = _("%(name)s accepted your invitation")
INVITATION_ACCEPTED_BODY = _("%(name)s has joined %(institution)s.")
JOB_DONE_SUBJECT = _("Finished: %(title)s")
JOB_FAILED_SUBJECT = _("Did not finish: %(title)s")

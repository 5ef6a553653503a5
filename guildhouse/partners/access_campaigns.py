"""Who may reach check-in campaigns and imports: staff read campaigns; coordinators
and admins create, send and remind, and import partners. Outside the institution: 404."""

from __future__ import annotations

from django.http import Http404

from guildhouse.core.access import require_role
from guildhouse.core.models import Membership
from guildhouse.partners.access import PARTNER_RUNNERS, PARTNER_WORKERS
from guildhouse.partners.models import Campaign, ImportBatch


def access_campaign(viewer: Membership, pk: int, *, for_change: bool = False) -> Campaign:
    try:
        campaign = Campaign.objects.select_related("created_by", "sent_by").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except Campaign.DoesNotExist:
        raise Http404("No such campaign.") from None
    require_role(viewer, PARTNER_RUNNERS if for_change else PARTNER_WORKERS)
    return campaign


def access_import(viewer: Membership, pk: int) -> ImportBatch:
    try:
        batch = ImportBatch.objects.select_related("check_job", "import_job").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except ImportBatch.DoesNotExist:
        raise Http404("No such import.") from None
    require_role(viewer, PARTNER_RUNNERS)
    return batch

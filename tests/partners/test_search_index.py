"""The organisation search is served by a trigram index on PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from guildhouse.partners import selectors
from guildhouse.partners.models import Organisation
from tests.partners.conftest import PartnerWorld

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm indexes exist on PostgreSQL only"
)


def test_name_search_uses_the_trigram_index(pw: PartnerWorld) -> None:
    w = pw.world
    # Enough rows that a scan of the institution costs more than the index.
    Organisation.objects.bulk_create(
        Organisation(
            institution=w.institution,
            name=f"Firm {hashlib.md5(str(i).encode()).hexdigest()}",  # noqa: S324 -- names
            name_key="firm",
            kind="business",
            stage=pw.organisation.stage,
        )
        for i in range(20_000)
    )
    orgs = selectors.organisation_list(
        institution=w.institution, filters=selectors.OrganisationFilters(query="motor")
    )
    assert [o.name for o in orgs] == ["Coastal Motors Ltd"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'partners_org_name_trgm'")
        assert cursor.fetchall() == [
            (
                "CREATE INDEX partners_org_name_trgm ON public.partners_organisation "
                "USING gin (upper((name)::text) gin_trgm_ops)",
            )
        ]
        # Fresh rows wait in the GIN index's pending list; flush it as autovacuum would.
        cursor.execute("SELECT gin_clean_pending_list('partners_org_name_trgm'::regclass)")
        cursor.execute("ANALYZE partners_organisation")
        sql, params = orgs.all()[:51].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on partners_org_name_trgm" in plan, plan

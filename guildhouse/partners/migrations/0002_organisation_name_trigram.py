"""A trigram index for the organisation search, on PostgreSQL only.

Django's ``name__icontains`` becomes ``UPPER("name"::text) LIKE UPPER('%q%')`` on
PostgreSQL; a GIN trigram index on that exact expression serves it. SQLite has no
such index and scans the institution's rows instead.
"""

from django.db import migrations

INDEX = "partners_org_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS {INDEX} ON partners_organisation '
        'USING gin ((UPPER("name"::text)) gin_trgm_ops)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

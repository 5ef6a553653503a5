"""Indexes for the institution-wide lists at region scale (issue 9, docs/benchmarks.md).

The open follow-ups and open promises lists read the open rows of one institution in
due-date order, and the placements list reads placements newest first: each index
below serves that order, so a page reads its 50 rows in order instead of sorting every
open row of the institution. Partial indexes keep them small (most follow-ups are
done). Written as SQL, as 0002 is, so that both databases get the same indexes.
"""

from django.db import migrations

INDEXES = {
    "partners_followup_open_due": ("ON partners_followup (due_on, id) WHERE done_at IS NULL"),
    "partners_commit_open_due": ("ON partners_commitment (due_on, id) WHERE status = 'open'"),
    "partners_placement_starts": "ON partners_placement (starts_on DESC, id)",
}


def create(apps, schema_editor):
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partners", "0008_reminders_sent")]

    operations = [migrations.RunPython(create, drop)]

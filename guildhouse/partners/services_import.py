"""Import of organisations and contacts from CSV or XLSX (issue 9, item 16).

Two jobs with a progress bar: the *check* (dry run) reads every row and reports what
would be created, every row-level error (row, column, reason, in the language of the
person who started it) and the rows that match an organisation already recorded
(skipped, never imported twice); the *import* checks again and, only if no row has an
error, creates everything in one transaction: all rows or none.

One row is one organisation, optionally with one contact. A later row with the same
organisation name adds its contact to that organisation.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guildhouse.core.audit import audit_record
from guildhouse.core.models import FieldOfEducation, Institution, User
from guildhouse.jobs.api import job_progress, tracked_job_start
from guildhouse.partners.models import (
    Affiliation,
    Contact,
    ImportBatch,
    ImportStatus,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    Source,
    StageChange,
    Tag,
)
from guildhouse.partners.services import name_key, stages_ensure, website_domain

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000
PROGRESS_EVERY = 250
SHOWN = 200  # rows of each list kept in the report


@dataclass(frozen=True)
class ImportColumn:
    key: str
    label: str | Promise
    max_length: int
    required: bool = False


COLUMNS = [
    ImportColumn("name", gettext_lazy("Name"), 200, required=True),
    ImportColumn("type", gettext_lazy("Type"), 40, required=True),
    ImportColumn("sector", gettext_lazy("Sector"), 100),
    ImportColumn("size", gettext_lazy("Size"), 60),
    ImportColumn("website", gettext_lazy("Website"), 200),
    ImportColumn("street_address", gettext_lazy("Street address"), 200),
    ImportColumn("postcode", gettext_lazy("Postcode"), 20),
    ImportColumn("city", gettext_lazy("Town or city"), 100),
    ImportColumn("region", gettext_lazy("Region"), 100),
    ImportColumn("skill_needs", gettext_lazy("Skill shortages and training needs"), 5000),
    ImportColumn("tags", gettext_lazy("Tags"), 400),
    ImportColumn("contact_name", gettext_lazy("Contact name"), 200),
    ImportColumn("contact_email", gettext_lazy("Contact email"), 254),
    ImportColumn("contact_phone", gettext_lazy("Contact phone"), 40),
    ImportColumn("contact_role", gettext_lazy("Contact role"), 120),
]
BY_KEY = {c.key: c for c in COLUMNS}


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def _header_names() -> dict[str, str]:
    """Every accepted spelling of a column (its key, its English or Finnish label)."""
    names: dict[str, str] = {}
    for column in COLUMNS:
        names[_norm(column.key)] = column.key
        for language in ("en", "fi"):
            with translation.override(language):
                names[_norm(str(column.label))] = column.key
    return names


def _choice_names(choices: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for value, label in choices.choices:
        names[_norm(value)] = value
        for language in ("en", "fi"):
            with translation.override(language):
                names[_norm(str(label))] = value
    return names


class FileUnreadable(Exception):
    pass


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_rows(filename: str, content: bytes) -> list[list[str]]:
    """The file's rows as lists of text (the header first); ``FileUnreadable``."""
    if filename.lower().endswith(".xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            raise FileUnreadable(_("This is not an Excel .xlsx file."))
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise FileUnreadable(_("The Excel file could not be read.")) from error
        sheet = book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileUnreadable(
                _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
            ) from error
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = [[c.strip() for c in row] for row in reader]
    else:
        raise FileUnreadable(_("Upload a .csv or .xlsx file."))
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise FileUnreadable(_("The file is empty."))
    return rows


@dataclass
class PlannedOrganisation:
    row: int
    values: dict[str, str]
    contacts: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass
class CheckResult:
    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    planned: list[PlannedOrganisation] = field(default_factory=list)

    @property
    def contacts(self) -> int:
        return sum(len(p.contacts) for p in self.planned)

    def report(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "error_count": len(self.errors),
            "errors": self.errors[:SHOWN],
            "duplicate_count": len(self.duplicates),
            "duplicates": self.duplicates[:SHOWN],
            "organisations": len(self.planned),
            "contacts": self.contacts,
            "creates": [
                {"row": p.row, "name": p.values["name"], "contacts": len(p.contacts)}
                for p in self.planned[:SHOWN]
            ],
        }


def _error(result: CheckResult, row: int, column: str, reason: str) -> None:
    label = str(BY_KEY[column].label) if column in BY_KEY else column
    result.errors.append({"row": row, "column": label, "reason": reason})


def _existing(institution: Institution) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The institution's organisations by name key, website domain and contact email
    (three queries, whatever the file's size)."""
    orgs = Organisation.objects.filter(institution=institution).order_by("pk")
    by_name = {k: (pk, n) for pk, n, k in orgs.values_list("pk", "name", "name_key")}
    by_domain = {
        d: (pk, n)
        for pk, n, d in orgs.exclude(website_domain="").values_list("pk", "name", "website_domain")
    }
    by_email = {
        e.lower(): (pk, n)
        for pk, n, e in Affiliation.objects.filter(
            organisation__institution=institution, contact__institution=institution
        )
        .exclude(contact__email="")
        .values_list("organisation_id", "organisation__name", "contact__email")
    }
    return by_name, by_domain, by_email


def check_rows(
    *,
    institution: Institution,
    rows: list[list[str]],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> CheckResult:
    """Validate every row; nothing is written."""
    result = CheckResult(rows=max(len(rows) - 1, 0))
    headers = _header_names()
    keys: list[str | None] = []
    for index, raw in enumerate(rows[0], start=1):
        if not raw:
            keys.append(None)
            continue
        key = headers.get(_norm(raw))
        if key is None:
            _error(result, 1, raw, _("Unknown column (column %(n)d).") % {"n": index})
        elif key in keys:
            _error(result, 1, key, _("This column appears twice."))
        keys.append(key)
    for column in COLUMNS:
        if column.required and column.key not in keys:
            _error(result, 1, column.key, _("This column is missing."))
    if result.errors:
        return result
    if result.rows > IMPORT_MAX_ROWS:
        _error(result, 1, "name", _("At most %(n)d rows at a time.") % {"n": IMPORT_MAX_ROWS})
        return result
    kinds, sectors = _choice_names(OrganisationKind), _choice_names(FieldOfEducation)
    sizes = _choice_names(OrganisationSize)
    by_name, by_domain, by_email = _existing(institution)
    in_file: dict[str, PlannedOrganisation] = {}
    url_ok, email_ok = URLValidator(), EmailValidator()
    total = len(rows) - 1
    for number, raw_row in enumerate(rows[1:], start=2):
        if number % PROGRESS_EVERY == 0:
            progress(number - 1, total)
        if not any(raw_row):
            continue
        values = {k: (raw_row[i] if i < len(raw_row) else "") for i, k in enumerate(keys) if k}
        for key in BY_KEY:
            values.setdefault(key, "")
        before = len(result.errors)
        # A later row of an organisation already in the file only adds a contact.
        repeat = bool(values["name"]) and name_key(values["name"]) in in_file
        for key, text in values.items():
            column = BY_KEY[key]
            if column.required and not text and not (repeat and key == "type"):
                _error(result, number, key, _("This field is required."))
            elif len(text) > column.max_length:
                _error(
                    result,
                    number,
                    key,
                    _("At most %(n)d characters (this has %(has)d).")
                    % {"n": column.max_length, "has": len(text)},
                )
        for key, names in (("type", kinds), ("sector", sectors), ("size", sizes)):
            text = values[key]
            if text and _norm(text) not in names:
                _error(
                    result,
                    number,
                    key,
                    _("“%(value)s” is not one of the choices.") % {"value": text},
                )
            elif text:
                values[key] = names[_norm(text)]
        if values["website"]:
            website = values["website"]
            values["website"] = website if "//" in website else f"https://{website}"
            try:
                url_ok(values["website"])
            except ValidationError:
                _error(
                    result,
                    number,
                    "website",
                    _("“%(value)s” is not a web address.") % {"value": website},
                )
        if values["contact_email"]:
            try:
                email_ok(values["contact_email"])
            except ValidationError:
                _error(
                    result,
                    number,
                    "contact_email",
                    _("“%(value)s” is not an email address.") % {"value": values["contact_email"]},
                )
        has_contact = any(values[k] for k in ("contact_email", "contact_phone", "contact_role"))
        if has_contact and not values["contact_name"]:
            _error(result, number, "contact_name", _("A contact needs a name."))
        if len(result.errors) > before or not values["name"]:
            continue
        key = name_key(values["name"])
        domain = website_domain(values["website"]) if values["website"] else ""
        contact = (
            {
                k: values[k]
                for k in ("contact_name", "contact_email", "contact_phone", "contact_role")
            }
            if values["contact_name"]
            else None
        )
        earlier = in_file.get(key)
        if earlier is not None:
            if contact is None:
                _error(
                    result,
                    number,
                    "name",
                    _("The same organisation as row %(row)d.") % {"row": earlier.row},
                )
            else:
                earlier.contacts.append((number, contact))
            continue
        found: tuple[int, str] | None = None
        reason = ""
        email = values["contact_email"].lower()
        if key in by_name:
            found, reason = by_name[key], _("same name")
        elif domain and domain in by_domain:
            found, reason = by_domain[domain], _("same website (%(domain)s)") % {"domain": domain}
        elif email and email in by_email:
            found = by_email[email]
            reason = _("a contact has the email %(email)s") % {"email": values["contact_email"]}
        if found is not None:
            result.duplicates.append(
                {
                    "row": number,
                    "name": values["name"],
                    "existing_id": found[0],
                    "existing": found[1],
                    "reason": reason,
                }
            )
            continue
        planned = PlannedOrganisation(number, values)
        if contact is not None:
            planned.contacts.append((number, contact))
        in_file[key] = planned
        result.planned.append(planned)
    progress(total, total)
    return result


def _write(
    *, actor: User, institution: Institution, planned: list[PlannedOrganisation]
) -> tuple[int, int]:
    """Create the planned organisations and contacts (inside the caller's transaction)."""
    stage = stages_ensure(institution=institution)[0]
    now, today = timezone.now(), timezone.localdate()
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                institution=institution,
                name=p.values["name"],
                name_key=name_key(p.values["name"]),
                kind=p.values["type"],
                sector=p.values["sector"],
                size=p.values["size"],
                website=p.values["website"],
                website_domain=website_domain(p.values["website"]) if p.values["website"] else "",
                street_address=p.values["street_address"],
                postcode=p.values["postcode"],
                city=p.values["city"],
                region=p.values["region"],
                skill_needs=p.values["skill_needs"],
                source=Source.IMPORT,
                stage=stage,
                stage_entered_at=now,
                created_at=now,
                created_by=actor,
            )
            for p in planned
        ],
        batch_size=500,
    )
    StageChange.objects.bulk_create(
        [StageChange(organisation=o, to_stage=stage, actor=actor, at=now) for o in orgs],
        batch_size=500,
    )
    tag_names = {
        t.strip()[:40]
        for p in planned
        for t in p.values["tags"].replace(";", ",").split(",")
        if t.strip()
    }
    tags = {}
    for tag_name in sorted(tag_names):
        tags[tag_name], _created = Tag.objects.get_or_create(institution=institution, name=tag_name)
    Through = Organisation.tags.through
    Through.objects.bulk_create(
        [
            Through(organisation_id=o.pk, tag_id=tags[t.strip()[:40]].pk)
            for o, p in zip(orgs, planned, strict=True)
            for t in dict.fromkeys(p.values["tags"].replace(";", ",").split(","))
            if t.strip()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    pairs = [(o, c) for o, p in zip(orgs, planned, strict=True) for _row, c in p.contacts]
    # One person with one email address, at two organisations of the file: one contact
    # with two affiliations, as contact_create does.
    by_email: dict[str, Contact] = {}
    new: list[Contact] = []
    contact_of_pair: list[Contact] = []
    for _o, c in pairs:
        email = c["contact_email"].strip().lower()
        contact = by_email.get(email) if email else None
        if contact is None:
            contact = Contact(
                institution=institution,
                full_name=c["contact_name"],
                email=email,
                phone=c["contact_phone"],
                created_at=now,
            )
            new.append(contact)
            if email:
                by_email[email] = contact
        contact_of_pair.append(contact)
    Contact.objects.bulk_create(new, batch_size=500)
    Affiliation.objects.bulk_create(
        [
            Affiliation(contact=contact, organisation=o, role=c["contact_role"], start_date=today)
            for contact, (o, c) in zip(contact_of_pair, pairs, strict=True)
        ],
        batch_size=500,
    )
    return len(orgs), len(new)


def import_start(
    *, actor: User, institution: Institution, filename: str, content: bytes
) -> ImportBatch:
    """Keep the upload and start its check (the dry run) as a job."""
    from guildhouse.partners.tasks_campaigns import partners_import_check

    if len(content) > IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    with transaction.atomic(durable=True):
        batch = ImportBatch.objects.create(
            institution=institution,
            created_by=actor,
            filename=filename[-200:],
            content=content,
        )
        batch.check_job = tracked_job_start(
            actor=actor,
            institution=institution,
            task=partners_import_check,
            title=_("Check %(file)s") % {"file": batch.filename},
            kwargs={"batch_id": batch.pk, "language": translation.get_language() or "en"},
        )
        batch.save(update_fields=["check_job"])
        audit_record(
            actor=actor,
            institution=institution,
            action="partners_import_upload",
            obj=batch,
            changes={"filename": batch.filename, "bytes": len(content)},
        )
    return batch


def import_commit(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Start the import of a checked file without errors, as a job."""
    from guildhouse.partners.tasks_campaigns import partners_import_run

    with transaction.atomic(durable=True):
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.CHECKED:
            raise ValidationError(_("This file is not ready to import."))
        if locked.report.get("error_count"):
            raise ValidationError(_("Correct the errors in the file and upload it again."))
        if not locked.report.get("organisations"):
            raise ValidationError(_("There is nothing new to import in this file."))
        locked.status = ImportStatus.IMPORTING
        locked.import_job = tracked_job_start(
            actor=actor,
            institution=locked.institution,
            task=partners_import_run,
            title=_("Import %(file)s") % {"file": locked.filename},
            kwargs={"batch_id": locked.pk, "language": translation.get_language() or "en"},
        )
        locked.save(update_fields=["status", "import_job"])
    return locked


def _rows_or_report(batch: ImportBatch) -> list[list[str]] | None:
    try:
        return read_rows(batch.filename, bytes(batch.content))
    except FileUnreadable as error:
        batch.report = {
            "rows": 0,
            "error_count": 1,
            "errors": [{"row": 1, "column": "", "reason": str(error)}],
        }
        batch.status = ImportStatus.FAILED
        batch.save(update_fields=["report", "status"])
        return None


def mark_failed(batch_id: int) -> None:
    """After an unexpected error in a job: the batch is not importable."""
    ImportBatch.objects.filter(pk=batch_id).exclude(status=ImportStatus.IMPORTED).update(
        status=ImportStatus.FAILED
    )


def run_check(*, batch_id: int, job_id: int) -> None:
    batch = ImportBatch.objects.select_related("institution").get(pk=batch_id)
    if batch.status != ImportStatus.CHECKING:
        return  # checked already (a job run twice)
    result_url = reverse("partners:import_detail", args=[batch.pk])
    rows = _rows_or_report(batch)
    if rows is None:
        job_progress(
            job_id, done=0, total=0, message=_("The file could not be read."), result_url=result_url
        )
        return
    total = max(len(rows) - 1, 0)

    def progress(done: int, of: int) -> None:
        job_progress(job_id, done=done, total=of, message=_("Checking rows…"))

    result = check_rows(institution=batch.institution, rows=rows, progress=progress)
    batch.report = result.report()
    batch.status = ImportStatus.FAILED if result.errors else ImportStatus.CHECKED
    batch.save(update_fields=["report", "status"])
    message = (
        _("%(n)d errors found: nothing can be imported yet.") % {"n": len(result.errors)}
        if result.errors
        else _("Checked: %(orgs)d organisations and %(contacts)d contacts can be imported.")
        % {"orgs": len(result.planned), "contacts": result.contacts}
    )
    job_progress(job_id, done=total, total=total, message=message, result_url=result_url)


def run_import(*, batch_id: int, job_id: int) -> None:
    """Check again (the data may have changed since the dry run), then write every row
    in one transaction, or none if any row has an error."""
    batch = ImportBatch.objects.select_related("institution", "created_by").get(pk=batch_id)
    if batch.status != ImportStatus.IMPORTING:
        return  # imported already (a job run twice), or never confirmed
    result_url = reverse("partners:import_detail", args=[batch.pk])
    rows = _rows_or_report(batch)
    if rows is None or batch.created_by is None:
        job_progress(
            job_id, done=0, total=0, message=_("Nothing was imported."), result_url=result_url
        )
        return
    # The bar has two halves: checking every row again, then writing them. The writing
    # is one transaction (all or nothing), so the bar cannot move inside it; its
    # message says what is being written.
    total = 2 * max(len(rows) - 1, 0)

    def progress(done: int, of: int) -> None:
        message = _("Step 1 of 2: checking every row again…")
        job_progress(job_id, done=done, total=2 * of, message=message)

    result = check_rows(institution=batch.institution, rows=rows, progress=progress)
    if result.errors:
        batch.report, batch.status = result.report(), ImportStatus.FAILED
        batch.save(update_fields=["report", "status"])
        job_progress(
            job_id,
            done=total,
            total=total,
            message=_("Some rows have errors now: nothing was imported."),
            result_url=result_url,
        )
        return
    planned = result.report()
    job_progress(
        job_id,
        done=total // 2,
        total=total,
        message=_("Step 2 of 2: writing %(orgs)d organisations and %(contacts)d contacts…")
        % {"orgs": planned["organisations"], "contacts": planned["contacts"]},
    )
    with transaction.atomic(durable=True):
        created, contacts = _write(
            actor=batch.created_by, institution=batch.institution, planned=result.planned
        )
        batch.report = result.report()
        batch.status = ImportStatus.IMPORTED
        batch.organisations_created, batch.contacts_created = created, contacts
        batch.imported_at = timezone.now()
        batch.content = b""  # the data now lives in the organisations; keep no copy
        batch.save()
        audit_record(
            actor=batch.created_by,
            institution=batch.institution,
            action="partners_import",
            obj=batch,
            changes={"organisations": created, "contacts": contacts},
        )
    job_progress(
        job_id,
        done=total,
        total=total,
        message=_("Imported %(orgs)d organisations and %(contacts)d contacts.")
        % {"orgs": created, "contacts": contacts},
        result_url=result_url,
    )

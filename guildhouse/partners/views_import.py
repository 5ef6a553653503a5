"""Import pages (coordinators and admins): upload, the dry run's report, the import;
and the reminder settings page."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import services_import, services_reminders
from guildhouse.partners.access import PARTNER_RUNNERS
from guildhouse.partners.access_campaigns import access_import
from guildhouse.partners.forms_campaigns import ImportForm, ReminderSettingsForm
from guildhouse.partners.models import ImportBatch, ImportStatus
from guildhouse.partners.tasks_reminders import reminder_settings


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_RUNNERS)
def import_start(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services_import.IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            try:
                batch = services_import.import_start(
                    actor=request.user,
                    institution=request.institution,
                    filename=upload.name or "",
                    content=upload.read(),
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("partners:import_detail", pk=batch.pk)
    context = {
        "form": form,
        "columns": services_import.COLUMNS,
        "recent": ImportBatch.objects.filter(institution=request.institution)
        .select_related("created_by")
        .defer("content")[:10],
    }
    return render(request, "partners/import_start.html", context)


@require_GET
@member_required()
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = access_import(request.membership, pk)
    job = batch.import_job or batch.check_job
    context = {
        "batch": batch,
        "job": job,
        "report": batch.report,
        "can_import": batch.status == ImportStatus.CHECKED
        and not batch.report.get("error_count")
        and batch.report.get("organisations"),
    }
    return render(request, "partners/import_detail.html", context)


@require_POST
@member_required()
def import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = access_import(request.membership, pk)
    try:
        services_import.import_commit(actor=request.user, batch=batch)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("partners:import_detail", pk=batch.pk)


@require_GET
@member_required(*PARTNER_RUNNERS)
def import_template(request: AuthedRequest) -> HttpResponse:
    """A CSV with the column headings in the person's language and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.label) for c in services_import.COLUMNS])
    writer.writerow(
        [
            "Nordic Bakery Oy",
            "business",
            "",
            "small",
            "https://bakery.example",
            "Harbour Street 1",
            "00100",
            "Helsinki",
            "Uusimaa",
            "Bakers for early shifts",
            "food; summer jobs",
            "Maria Virtanen",
            "maria@bakery.example",
            "+358 40 123 4567",
            "Owner",
        ]
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partners-import-template.csv"'
    return response


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_RUNNERS)
def reminder_settings_edit(request: AuthedRequest) -> HttpResponse:
    current = reminder_settings(request.institution)
    form = ReminderSettingsForm(posted(request), instance=current)
    if request.method == "POST" and form.is_valid():
        services_reminders.reminder_settings_save(
            actor=request.user, institution=request.institution, values=form.cleaned_data
        )
        messages.success(request, _("Reminder settings saved."))
        return redirect("partners:reminder_settings")
    return render(request, "partners/reminder_settings.html", {"form": form})

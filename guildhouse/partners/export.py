"""One export helper for every partnership list: columns as data, rows from the list's
own selector with its filters, written as CSV or XLSX.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) get a leading apostrophe (OWASP's advice against CSV
injection), in CSV and in XLSX alike.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[Any], object]


def safe_cell(value: object) -> object:
    """The value as a spreadsheet cell: text that would be a formula is quoted; dates
    and numbers stay themselves; None is empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(value: object) -> str:
    cell = safe_cell(value)
    if isinstance(cell, datetime.datetime):
        return cell.isoformat(timespec="minutes")
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel reads UTF-8
    yield writer.writerow([str(c.label) for c in columns])
    for row in rows:
        yield writer.writerow([_csv_value(c.value(row)) for c in columns])


def export_response(
    *, columns: list[Column], rows: Iterable[Any], filename: str, fmt: str
) -> HttpResponse:
    """The rows as a download named ``filename.csv`` or ``filename.xlsx`` (rows are read
    in chunks; XLSX is built with openpyxl's write-only workbook)."""
    if fmt == "csv":
        response = HttpResponse(
            "".join(_csv_lines(columns, rows)), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=filename[:31])
        sheet.append([str(c.label) for c in columns])
        for row in rows:
            cells = []
            for column in columns:
                cell = safe_cell(column.value(row))
                cells.append(cell)
            sheet.append(cells)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response

"""Page-numbered partnership lists: 50 rows a page, so that a page costs the same at a
school of 1,000 partners as at one of 10 (issue 9, speed at region scale)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode

PAGE_SIZE = 50


def page_of(request: HttpRequest, items: QuerySet[Any] | Sequence[Any]) -> Page[Any]:
    """The page asked for in ``?page=`` (the first for a missing or bad number, the
    last for one past the end): one count query and one query for the rows."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def query_string(request: HttpRequest) -> str:
    """The request's filters without ``page``, for the pagination links."""
    return urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page" and v])

"""Page-numbered lists whose deep pages cost about what the first page costs."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class KeysFirstPaginator(Paginator[Any]):
    """A ``Paginator`` over a queryset that finds the page's primary keys first.

    The keys come from the list's own filter and order without its ``select_related``
    joins, so an index that serves that order (for example membership
    ``(institution, sort_name, id)``) answers even the last page by skipping index
    entries; only the page's own rows are then loaded by primary key, with the list's
    ``select_related`` and order (not its ``only``/``defer``). This stays one query per
    page (the keys are a subquery), plus the count, as with ``Paginator``.
    """

    object_list: QuerySet[Any]

    def page(self, number: int | str) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        listing = self.object_list
        keys = listing.values("pk")[bottom:top]
        # The rows by key alone: repeating the list's filters here would make the
        # database check them on every row of the list again.
        rows = listing.model._default_manager.filter(pk__in=keys).order_by(*listing.query.order_by)
        rows.query.select_related = listing.query.select_related
        return Page(rows, number, self)

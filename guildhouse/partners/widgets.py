"""A select that renders its options in Python.

Django renders every ``<option>`` through a template include: on a school of 5,000
learners the staff lists (360 people) cost tens of milliseconds per select, and the
partner page has two. This widget writes the same HTML directly (issue 9, speed at
region scale, docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """``forms.Select`` without a template per option (flat choices only)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        parts = [f"<select{flatatt(final)}>"]
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            parts.append(f'<option value="{escape(text)}"{selected}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every value and label is escaped)


class StaffChoiceIterator(ModelChoiceIterator):  # type: ignore[type-arg]
    """The staff choices as (id, full name) pairs from one ``values_list`` query:
    no model instances for the hundreds of staff of a large school. Only for fields
    rendered by ``QuickSelect`` (which needs the value as text, not the instance)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        options = cast("StaffChoiceField", self.field).options
        yield from (
            self.queryset.values_list("pk", "user__full_name") if options is None else options
        )


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """One member of staff, offered through ``QuickSelect`` and ``StaffChoiceIterator``;
    the cleaned value is still the ``Membership``.

    ``options`` ((id, name) pairs read once, ``selectors.staff_choices``) lets several
    selects of one page share one query; the choice is still checked against the
    queryset."""

    iterator = StaffChoiceIterator
    widget = QuickSelect

    def __init__(
        self, *args: Any, options: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        self.options = options
        super().__init__(*args, **kwargs)

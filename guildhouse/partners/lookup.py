"""Choosing one organisation, contact or person of a large school by typing a name.

A school of the region has 1,050 organisations, 1,800 contacts and 5,400 people: a
``<select>`` of all of them is unusable on a phone and costs a page 100 ms to render
(issue 9, docs/benchmarks.md). A lookup field is a text box instead. While the user
types, htmx fills the box's ``<datalist>`` with up to ten matches from
``partners:lookup`` (the browser shows them as suggestions); without JavaScript the
typed text is resolved on submit. The field accepts a suggestion as offered, an exact
name, or any part of a name that matches one record only; otherwise it says what it
found and asks for more of the name, keeping what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from guildhouse.core.models import STAFF_ROLES, Institution, Membership, Role
from guildhouse.partners.models import Contact, Organisation

SHOWN = 10  # suggestions offered while typing, and names listed in an error
SEPARATOR = " · "  # between the name and what tells two of the same name apart


@dataclass(frozen=True)
class Kind:
    """What a lookup searches: the records, the name field, and each record's label."""

    key: str
    name_field: str

    def records(self, institution: Institution) -> QuerySet[Any]:
        if self.key == "organisation":
            return Organisation.objects.filter(institution=institution).order_by("name", "pk")
        if self.key == "contact":
            return Contact.objects.filter(institution=institution).order_by("full_name", "pk")
        return (
            Membership.objects.active()
            .filter(institution=institution, role__in=[*STAFF_ROLES, Role.LEARNER])
            .select_related("user")
            .order_by("sort_name", "pk")
        )

    def name(self, record: Any) -> str:
        return str(getattr(record, self.name_field))

    def label(self, record: Any) -> str:
        """The name, then what tells two records of the same name apart."""
        if self.key == "organisation":
            extras = [record.city or record.region]
        elif self.key == "contact":
            extras = [record.email or record.phone]
        else:
            extras = [str(record.get_role_display()), record.user.email]
        return SEPARATOR.join([self.name(record), *(e for e in extras if e)])

    def matching(
        self, institution: Institution, text: str, within: QuerySet[Any] | None = None
    ) -> QuerySet[Any]:
        return self._named(institution, within, "icontains", text)

    def exactly(
        self, institution: Institution, text: str, within: QuerySet[Any] | None = None
    ) -> QuerySet[Any]:
        return self._named(institution, within, "iexact", text)

    def _named(
        self, institution: Institution, within: QuerySet[Any] | None, how: str, text: str
    ) -> QuerySet[Any]:
        """The school's records (only those in ``within``, if given) whose name matches
        ``text`` by the lookup ``how``."""
        records = self.records(institution)
        if within is not None:
            records = records.filter(pk__in=within.values("pk"))
        return records.filter(**{f"{self.name_field}__{how}": text})


KINDS = {
    "organisation": Kind("organisation", "name"),
    "contact": Kind("contact", "full_name"),
    "member": Kind("member", "sort_name"),
}


def suggestions(
    *, institution: Institution, kind: str, text: str, within: QuerySet[Any] | None = None
) -> list[str]:
    """Up to ten labels matching ``text`` (at least two characters), by name; only
    among ``within`` when given (e.g. the learners an opportunity may take)."""
    text = text.strip()
    if kind not in KINDS or len(text) < 2:
        return []
    found = KINDS[kind]
    name = text.split(SEPARATOR)[0].strip()
    return [found.label(r) for r in found.matching(institution, name, within)[:SHOWN]]


class LookupInput(forms.TextInput):
    """A text box with a ``<datalist>`` that htmx fills from ``partners:lookup``."""

    def __init__(
        self,
        kind: str,
        attrs: dict[str, Any] | None = None,
        scope: dict[str, str] | None = None,
    ) -> None:
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.kind = kind
        self.scope = scope or {}  # extra query parameters that narrow the suggestions

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        list_id = f"{final.get('id') or name}-suggestions"
        url = reverse("partners:lookup", args=[self.kind])
        final.update(
            {
                "type": "text",
                "name": name,
                "list": list_id,
                "hx-get": f"{url}?{urlencode({'field': name, **self.scope})}",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        if value not in (None, ""):
            final["value"] = self.format_value(value)
        return format_html(
            '<input{}><datalist id="{}"></datalist>', flatatt(final), list_id
        )  # flatatt escapes every attribute


class LookupField(forms.Field):
    """One record of the school, chosen by typing its name (see the module's docstring).

    The cleaned value is the record, or ``None`` when the field is optional and empty.
    """

    def __init__(
        self,
        *,
        kind: str,
        institution: Institution,
        within: QuerySet[Any] | None = None,
        scope: dict[str, str] | None = None,
        not_found: StrOrPromise | None = None,
        **kwargs: Any,
    ) -> None:
        """``within`` narrows the records that may be chosen, ``scope`` tells the
        suggestions view the same (it checks access itself), ``not_found`` replaces the
        message for a name that matches nothing chosen."""
        self.kind = KINDS[kind]
        self.institution = institution
        self.within = within
        self.not_found = not_found
        kwargs.setdefault("widget", LookupInput(kind, scope=scope))
        kwargs.setdefault(
            "help_text", _("Type part of the name, then choose from the suggestions.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Model):
            return self.kind.label(value)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, Model):
            return value
        text = re.sub(r"\s+", " ", str(value or "")).strip()
        if not text:
            return None
        name = text.split(SEPARATOR)[0].strip()
        candidates = list(self.kind.matching(self.institution, name, self.within)[: SHOWN + 1])
        chosen = [r for r in candidates if self.kind.label(r).casefold() == text.casefold()]
        if len(chosen) != 1:
            chosen = list(self.kind.exactly(self.institution, name, self.within)[:2])
        if len(chosen) != 1 and len(candidates) == 1:
            chosen = candidates
        if len(chosen) == 1:
            return chosen[0]
        if not candidates:
            raise forms.ValidationError(
                self.not_found or _("Nothing here is called “%(text)s”. Check the spelling."),
                code="not_found",
                params={"text": text},
            )
        names = ", ".join(self.kind.label(r) for r in candidates[:SHOWN])
        if len(candidates) > SHOWN:
            names += ", …"
        raise forms.ValidationError(
            _("“%(text)s” matches more than one: %(names)s. Type more of the name."),
            code="ambiguous",
            params={"text": text, "names": names},
        )


def options_html(labels: list[str]) -> SafeString:
    """The ``<option>`` elements of a lookup's datalist."""
    return mark_safe(  # noqa: S308 (every label is escaped)
        "".join(f'<option value="{escape(label)}"></option>' for label in labels)
    )

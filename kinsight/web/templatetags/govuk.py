"""Small template helpers for GOV.UK Frontend markup."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

SEVERITY_TAGS = {"urgent": "govuk-tag--red", "warning": "govuk-tag--orange"}
STATUS_TAGS = {
    "open": "govuk-tag--blue",
    "acknowledged": "govuk-tag--purple",
    "actioned": "govuk-tag--green",
    "closed": "govuk-tag--grey",
}


@register.filter
def severity_class(severity: str) -> str:
    return SEVERITY_TAGS.get(severity, "govuk-tag--grey")


@register.filter
def status_class(status: str) -> str:
    return STATUS_TAGS.get(status, "govuk-tag--grey")


@register.filter
def moment(value: datetime | None) -> str:
    """UK local time, as a person reads it: "2 March 2018, 09:00"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y, %H:%M}"


@register.filter
def day(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%b %Y}"


@register.filter
def words(value: str) -> str:
    """An identifier as words: "domestic_abuse_incident" -> "domestic abuse incident"."""
    return str(value).replace("_", " ")


@register.inclusion_tag("web/includes/date_input.html")
def date_input(form: Any, prefix: str, legend: str, hint: str = "") -> dict[str, Any]:
    data = form.data if form is not None else {}
    return {
        "prefix": prefix,
        "legend": legend,
        "hint": hint,
        "day": data.get(f"{prefix}-day", ""),
        "month": data.get(f"{prefix}-month", ""),
        "year": data.get(f"{prefix}-year", ""),
    }


@register.simple_tag
def table_head(*headers: str) -> SafeString:
    """A GOV.UK table's head row: one column header per argument."""
    cells = format_html_join(
        "", '<th scope="col" class="govuk-table__header">{}</th>', ((h,) for h in headers)
    )
    return format_html(
        '<thead class="govuk-table__head"><tr class="govuk-table__row">{}</tr></thead>', cells
    )

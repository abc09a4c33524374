"""The pages' forms: they check what was typed and say what is wrong in plain words."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from kinsight.lib.nhs import is_valid_nhs_number, normalise_nhs_number
from kinsight.people.search import Criteria


class DateParts(forms.Form):
    """A GOV.UK date input: day, month and year typed separately."""

    def clean_date(self, prefix: str, label: str, *, required: bool = False) -> date | None:
        day = (self.data.get(f"{prefix}-day") or "").strip()
        month = (self.data.get(f"{prefix}-month") or "").strip()
        year = (self.data.get(f"{prefix}-year") or "").strip()
        if not (day or month or year):
            if required:
                self.add_error(None, f"Enter {label}")
            return None
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            self.add_error(None, f"{label[0].upper()}{label[1:]} must be a real date")
            return None


class SearchForm(DateParts):
    name = forms.CharField(required=False, max_length=200, strip=True)
    nhs_number = forms.CharField(required=False, max_length=20, strip=True)
    agency_id = forms.CharField(required=False, max_length=200, strip=True)

    def clean_nhs_number(self) -> str:
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if value and not is_valid_nhs_number(value):
            raise forms.ValidationError("Enter an NHS number of 10 digits, like 943 476 5919")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["birth_date"] = self.clean_date("birth_date", "a date of birth")
        return cleaned

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        return Criteria(
            name=data.get("name", ""),
            birth_date=data.get("birth_date"),
            nhs_number=data.get("nhs_number", ""),
            agency_id=data.get("agency_id", ""),
        )


class ChronologyFilter(DateParts):
    """Which events of a chronology to show: agencies, types and a period."""

    agency = forms.MultipleChoiceField(required=False)
    type = forms.MultipleChoiceField(required=False)

    def __init__(self, data: Any, *, agencies: list[str], types: list[str]) -> None:
        super().__init__(data)
        self.fields["agency"].choices = [(a, a) for a in agencies]  # type: ignore[attr-defined]
        self.fields["type"].choices = [(t, t.replace("_", " ")) for t in types]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["since"] = self.clean_date("since", "the start of the period")
        cleaned["until"] = self.clean_date("until", "the end of the period")
        if cleaned["since"] and cleaned["until"] and cleaned["since"] > cleaned["until"]:
            self.add_error(None, "The start of the period must be before its end")
        return cleaned


class AlertNoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=5000, strip=True)


class AlertActionForm(forms.Form):
    note = forms.CharField(
        max_length=5000, strip=True, error_messages={"required": "Say what action was taken"}
    )


class AlertCloseForm(forms.Form):
    reason = forms.CharField(
        max_length=5000, strip=True, error_messages={"required": "Give a reason for closing it"}
    )


class ReviewPackForm(forms.Form):
    """What a reviewer asks of a pack: its format, whether it is anonymised, and why it is made."""

    format = forms.ChoiceField(
        choices=[
            ("docx", "Word (.docx), to edit"),
            ("pdf", "PDF, tagged for screen readers"),
            ("json", "JSON, the pack's data"),
        ],
        initial="docx",
        error_messages={"required": "Choose a format", "invalid_choice": "Choose a format"},
    )
    anonymise = forms.ChoiceField(
        choices=[("yes", "Yes, anonymised for publication"), ("no", "No, with names")],
        initial="yes",
        error_messages={
            "required": "Say whether to anonymise the pack",
            "invalid_choice": "Say whether to anonymise the pack",
        },
    )
    reason = forms.CharField(
        max_length=500,
        strip=True,
        error_messages={"required": "Say why the pack is being made"},
    )


class ThemesForm(DateParts):
    """The period whose alerts are counted across children."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["since"] = self.clean_date("since", "the start of the period", required=True)
        cleaned["until"] = self.clean_date("until", "the end of the period", required=True)
        if cleaned["since"] and cleaned["until"] and cleaned["since"] > cleaned["until"]:
            self.add_error(None, "The start of the period must be before its end")
        return cleaned


class BreakGlassForm(forms.Form):
    record = forms.CharField(
        max_length=200, strip=True,
        error_messages={"required": "Enter the agency's id of the record, like csc-lancs:C-10"},
    )  # fmt: skip
    reason = forms.CharField(
        max_length=2000, strip=True,
        error_messages={"required": "Say why you need to open this record now"},
    )  # fmt: skip

    def clean_record(self) -> tuple[str, str]:
        agency, sep, record_id = self.cleaned_data["record"].partition(":")
        if not sep or not agency.strip() or not record_id.strip():
            raise forms.ValidationError("Enter the agency and its id, like csc-lancs:C-10")
        return agency.strip(), record_id.strip()

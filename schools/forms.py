from django import forms

from schools.models import RosterImport
from schools.roster.spreadsheet import TARGETS


class RosterUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you importing?",
        choices=RosterImport.Kind.choices,
        widget=forms.RadioSelect,
        initial=RosterImport.Kind.ONEROSTER,
    )
    file = forms.FileField(
        label="File",
        help_text="A OneRoster 1.1 or 1.2 CSV bundle (.zip, bulk or delta), or a students "
        ".csv/.xlsx file.",
    )


class ColumnMappingForm(forms.Form):
    """For each thing crsys needs, which column of the file holds it."""

    full_sync = forms.BooleanField(
        required=False,
        label="This file lists every student of the district",
        help_text="Students missing from it are withdrawn (never deleted).",
    )

    date_order = forms.ChoiceField(
        label="How does this file write dates?",
        choices=[("iso", "2026-09-01 (year-month-day)"), ("us", "09/01/2026 (month/day/year, US)"),
                 ("day_first", "01/09/2026 (day/month/year)")],
        initial="iso",
        required=False,
        help_text="A date that does not fit is named by row, never guessed.",
    )  # fmt: skip

    def __init__(self, *args, headers: list[str], sheets: list[str], flags, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file —"), *[(h, h) for h in headers]]
        if sheets:
            self.fields["sheet"] = forms.ChoiceField(
                label="Sheet", choices=[(s, s) for s in sheets],
                help_text="The workbook has several sheets: choose the one with the students.",
            )  # fmt: skip
            self.order_fields(["sheet"])
        for target, (label, required) in TARGETS.items():
            self.fields[target] = forms.ChoiceField(
                label=label + ("" if required else " (optional)"), choices=choices,
                required=required,
            )  # fmt: skip
        # Dates are asked about beside the columns that hold them, after the mapping.
        self.order_fields([f for f in self.fields if f != "date_order"] + ["date_order"])
        for flag in flags:
            self.fields[f"flag:{flag.code}"] = forms.ChoiceField(
                label=f"Flag: {flag.label} (optional; Y/Yes/1/X mean yes)", choices=choices,
                required=False,
            )  # fmt: skip

    def mapping(self) -> dict[str, str]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"sheet", "full_sync", "date_order"} and value
        }


class StudentSearchForm(forms.Form):
    q = forms.CharField(label="Find a student", max_length=100, required=False)


class ImportConfirmForm(forms.Form):
    allow_mass_withdrawal = forms.BooleanField(
        required=False,
        label="Yes, withdraw them: the file is complete and this is intended",
    )
    allow_relink = forms.BooleanField(
        required=False,
        label="Yes, re-link these records: they are the same students under new sourcedIds",
    )


class ImportPeopleFilterForm(forms.Form):
    q = forms.CharField(label="Find a person", max_length=100, required=False,
                        help_text="Name, student number, e-mail or sourcedId")  # fmt: skip
    change = forms.ChoiceField(
        label="Change", required=False,
        choices=[("", "All changes"), ("create", "New"), ("update", "Changed"),
                 ("withdraw", "Withdrawn"), ("relink", "Re-linked")],
    )  # fmt: skip

    def matches(self, person: dict) -> bool:
        data = self.cleaned_data if self.is_valid() else {}
        change = data.get("change") or ""
        query = (data.get("q") or "").strip().casefold()
        if change and person["change"] != change:
            return False
        if not query:
            return True
        return any(query in person[k].casefold() for k in ("name", "key", "sourced_id"))

from __future__ import annotations

from django import forms

from crsys.audit.models import Action
from crsys.audit.services import SUPPORT_GRANT_MAX_HOURS


class EventFilterForm(forms.Form):
    """The audit log's search (GET): by user, student, dates and action."""

    user = forms.CharField(
        label="User e-mail", required=False, max_length=254,
        widget=forms.TextInput(attrs={"type": "search"}),
    )  # fmt: skip
    student = forms.IntegerField(label="Student id", required=False, min_value=1)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Action.choices]
    )

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.event_search`` (student as an id); none when
        the form is invalid."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class SupportGrantForm(forms.Form):
    staff_email = forms.EmailField(label="Platform staff member's e-mail", max_length=254)
    hours = forms.IntegerField(
        label="For how many hours", min_value=1, max_value=SUPPORT_GRANT_MAX_HOURS, initial=4
    )
    reason = forms.CharField(
        label="Why (the support request)", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

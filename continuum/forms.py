"""Input shape for the continuum's pages; the rules are the models' (services full_clean)."""

from __future__ import annotations

from django import forms

from continuum.models import FocusArea, Tier
from continuum.selectors import ALL
from screeners.forms import ModelErrorsMixin


class GridFilterForm(forms.Form):
    scope = forms.ChoiceField(required=False, label="Continuum")
    q = forms.CharField(required=False, max_length=100, label="Search")
    focus_area = forms.ChoiceField(required=False, label="Focus area")
    tier = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Tier")
    archived = forms.BooleanField(required=False, label="Show archived")

    def __init__(self, *args, schools, areas, levels, may_see_all: bool, **kwargs):
        super().__init__(*args, **kwargs)
        scopes = [("", "Divisional continuum")]
        scopes += [(str(s.pk), f"{s.name} (its own and the divisional)") for s in schools]
        if may_see_all:
            scopes.append((ALL, "Every school's supports"))
        self.fields["scope"].choices = scopes
        self.fields["focus_area"].choices = [("", "All focus areas")] + [
            (a.key, a.name) for a in areas
        ]
        self.fields["tier"].choices = [("", "All tiers")] + [
            (str(t.number), f"Tier {t.number}: {t.name}") for t in levels
        ]


class SupportForm(ModelErrorsMixin, forms.Form):
    name = forms.CharField(max_length=160)
    focus_area = forms.ModelChoiceField(queryset=FocusArea.objects.none(), label="Focus area")
    tier = forms.ModelChoiceField(queryset=Tier.objects.none())
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    provider = forms.CharField(required=False, max_length=160, label="Who provides it")
    frequency = forms.CharField(
        required=False,
        max_length=120,
        label="Typical frequency",
        help_text="e.g. 3 × 20 min a week",
    )
    duration_weeks = forms.IntegerField(
        required=False, min_value=1, max_value=52, label="Typical duration (weeks)"
    )
    resources = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Links and materials, one per line.",
    )
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Evidence notes",
        help_text="Why we think it works, and what we have seen.",
    )

    def __init__(self, *args, district_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.for_district(district_id).filter(
            is_archived=False
        )
        self.fields["tier"].queryset = Tier.objects.for_district(district_id)

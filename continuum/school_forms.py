"""Input shape for the district's continuum of supports for schools (rules: the services')."""

from __future__ import annotations

from django import forms

from continuum.school_models import DistrictSupport, DistrictSupportArea, SchoolSupportLevel
from continuum.school_selectors import district_staff
from screeners.forms import ModelErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"})


class DistrictSupportForm(ModelErrorsMixin, forms.Form):
    name = forms.CharField(max_length=160)
    area = forms.ChoiceField(choices=DistrictSupportArea.choices, label="Area")
    level = forms.ChoiceField(choices=SchoolSupportLevel.choices, label="Tier")
    description = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    frequency = forms.CharField(required=False, max_length=120, label="How often")
    providers = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="District staff who provide it",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].queryset = district_staff()


class SchoolTierForm(ModelErrorsMixin, forms.Form):
    level = forms.ChoiceField(choices=SchoolSupportLevel.choices, label="Tier of district support")
    note = forms.CharField(required=False, max_length=500, label="Why (optional)")


class AssignForm(ModelErrorsMixin, forms.Form):
    support = forms.ModelChoiceField(queryset=None, label="District support")
    start_date = forms.DateField(widget=DATE, label="From")
    note = forms.CharField(required=False, max_length=500, label="Note (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support"].queryset = DistrictSupport.objects.filter(is_archived=False)


class EndForm(ModelErrorsMixin, forms.Form):
    end_date = forms.DateField(widget=DATE, label="Ended on")

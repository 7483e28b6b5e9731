"""Input shape for the leadership pages; the rules are the models' and services'."""

from __future__ import annotations

from django import forms

from districts.models import User
from leadership.models import (
    AssuranceArea,
    CheckInStatus,
    MeasureKind,
    MeasureSource,
    Phase,
    PlanCommitment,
    Priority,
)
from leadership.selectors import GRADE_BANDS
from schools.grades import GRADE_CHOICES
from schools.models import School, SchoolYear
from screeners.forms import ModelErrorsMixin
from screeners.models import Screener

DATE = forms.DateInput(attrs={"type": "date"})
NUMBER = {"max_digits": 9, "decimal_places": 2, "min_value": -9_999_999, "max_value": 9_999_999}


class DashboardFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search schools")
    area = forms.ChoiceField(required=False, label="Assurance area")
    band = forms.ChoiceField(
        required=False, label="Grade band", choices=[("", "All grade bands"), *GRADE_BANDS]
    )
    # name, concerns, overdue, or m<measure id>: the select is drawn from the board's columns.
    sort = forms.RegexField(regex=r"^(name|concerns|overdue|m\d{1,12})$", required=False,
                            max_length=20)  # fmt: skip

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["area"].choices = [("", "All areas")] + [(a.key, a.name) for a in areas]


class PriorityForm(ModelErrorsMixin, forms.Form):
    title = forms.CharField(max_length=200)
    area = forms.ModelChoiceField(queryset=AssuranceArea.objects.all(), label="Assurance area")
    school_year = forms.ModelChoiceField(queryset=SchoolYear.objects.all(), label="School year")
    description = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    position = forms.IntegerField(min_value=0, max_value=999, initial=0, label="Order")


class MeasureForm(ModelErrorsMixin, forms.Form):
    name = forms.CharField(
        max_length=200, help_text="e.g. % at or above benchmark, grade 3 reading"
    )
    kind = forms.ChoiceField(choices=MeasureKind.choices, label="Lead or lag")
    source = forms.ChoiceField(choices=MeasureSource.choices)
    screener = forms.ModelChoiceField(
        queryset=Screener.objects.filter(is_archived=False), required=False
    )
    grade = forms.ChoiceField(choices=[("", "Every grade"), *GRADE_CHOICES], required=False)
    season = forms.ChoiceField(
        choices=[("", "—"), ("fall", "Fall"), ("winter", "Winter"), ("spring", "Spring")],
        required=False,
        label="Window",
    )
    unit = forms.CharField(max_length=12, required=False, initial="%")
    range_min = forms.DecimalField(initial=0, label="Lowest possible", **NUMBER)
    range_max = forms.DecimalField(initial=100, label="Highest possible", **NUMBER)
    target = forms.DecimalField(required=False, **NUMBER)
    very_low_below = forms.DecimalField(initial=40, label="Very low below", **NUMBER)
    low_below = forms.DecimalField(initial=55, label="Low below", **NUMBER)
    intermediate_below = forms.DecimalField(initial=70, label="Intermediate below", **NUMBER)
    high_below = forms.DecimalField(initial=85, label="High below (very high from)", **NUMBER)
    improved_by = forms.DecimalField(
        initial=2, min_value=0, max_value=9999, max_digits=6, decimal_places=2,
        label="Improved/declined: a change of at least",
    )  # fmt: skip
    significant_by = forms.DecimalField(
        initial=5, min_value=0, max_value=9999, max_digits=6, decimal_places=2,
        label="Significantly: a change of at least",
    )  # fmt: skip
    position = forms.IntegerField(min_value=0, max_value=999, initial=0, label="Order")


class FigureForm(ModelErrorsMixin, forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.filter(is_active=True))
    value = forms.DecimalField(label="This year's result", **NUMBER)
    previous = forms.DecimalField(required=False, label="Previous result", **NUMBER)


class NewPlanForm(ModelErrorsMixin, forms.Form):
    school_year = forms.ModelChoiceField(queryset=SchoolYear.objects.all(), label="School year")


class GoalForm(ModelErrorsMixin, forms.Form):
    title = forms.CharField(max_length=300, label="Goal")
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.select_related("school_year"), label="District priority"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].label_from_instance = lambda p: f"{p.title} ({p.school_year.name})"


class StrategyForm(ModelErrorsMixin, forms.Form):
    text = forms.CharField(max_length=500, label="Strategy")


class CommitmentForm(ModelErrorsMixin, forms.Form):
    text = forms.CharField(max_length=500, label="Commitment")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label="Who")
    due_on = forms.DateField(widget=DATE, label="By")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.full_name or u.email


class CommitmentDoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class EvidenceForm(ModelErrorsMixin, forms.Form):
    title = forms.CharField(max_length=200, label="Evidence")
    url = forms.URLField(max_length=500, required=False, label="Link", assume_scheme="https")
    note = forms.CharField(max_length=500, required=False)


class CheckInForm(ModelErrorsMixin, forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices)
    status = forms.ChoiceField(choices=CheckInStatus.choices)
    narrative = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(ModelErrorsMixin, forms.Form):
    text = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Comment"
    )
    commitment = forms.ModelChoiceField(
        queryset=PlanCommitment.objects.none(), required=False, label="About the commitment"
    )

    def __init__(self, *args, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if goal is not None:
            self.fields["commitment"].queryset = PlanCommitment.objects.filter(goal=goal)


class AnswerForm(ModelErrorsMixin, forms.Form):
    answer = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("active", "Active"), ("closed", "Closed")])

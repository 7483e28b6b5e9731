"""Input shape for the continuum's pages; the rules are the models' (services full_clean)."""

from __future__ import annotations

from django import forms

from continuum.models import FocusArea, PlanStatus, Support, Tier
from continuum.selectors import ALL
from districts.models import User
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
    description = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
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
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Links and materials, one per line.",
    )
    evidence = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Evidence notes",
        help_text="Why we think it works, and what we have seen.",
    )

    def __init__(self, *args, district_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(is_archived=False)
        self.fields["tier"].queryset = Tier.objects


class PlanForm(ModelErrorsMixin, forms.Form):
    support = forms.ModelChoiceField(queryset=Support.objects.none())
    goal = forms.CharField(max_length=300, help_text="What success looks like by the end date.")
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    duration_weeks = forms.IntegerField(min_value=1, max_value=52, initial=6, label="Weeks")
    sessions_per_week = forms.IntegerField(
        required=False, min_value=1, max_value=20, label="Sessions a week"
    )
    minutes_per_session = forms.IntegerField(
        required=False, min_value=1, max_value=480, label="Minutes a session"
    )
    monitor_every_weeks = forms.IntegerField(
        min_value=1, max_value=12, initial=1, label="Check progress every (weeks)"
    )
    responsible = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Who provides it"
    )
    measure = forms.CharField(
        required=False, max_length=120, help_text="What the scores count, e.g. words per minute"
    )
    baseline = forms.DecimalField(required=False, max_digits=9, decimal_places=2)
    target = forms.DecimalField(required=False, max_digits=9, decimal_places=2, label="Aim")
    student_goal = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="In the student's words: what I want to get better at",
    )
    student_helps = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="In the student's words: what helps me",
    )
    family = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="How the family was told or involved",
    )

    def __init__(self, *args, supports, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support"].queryset = supports
        self.fields["support"].label_from_instance = lambda s: (
            f"{s.focus_area.name} · Tier {s.tier.number} · {s.name}"
        )
        self.fields["responsible"].queryset = staff
        self.fields["responsible"].label_from_instance = lambda u: u.full_name or u.email


class PlanChangeForm(ModelErrorsMixin, forms.Form):
    """How the plan is given, changed once it has started (each change a phase line)."""

    goal = PlanForm.base_fields["goal"]
    target = PlanForm.base_fields["target"]
    duration_weeks = PlanForm.base_fields["duration_weeks"]
    sessions_per_week = PlanForm.base_fields["sessions_per_week"]
    minutes_per_session = PlanForm.base_fields["minutes_per_session"]
    monitor_every_weeks = PlanForm.base_fields["monitor_every_weeks"]
    responsible = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Who provides it"
    )
    reason = forms.CharField(
        required=False,
        max_length=300,
        label="Why (shown beside the phase line)",
        help_text="e.g. not on track after six scores: more time, smaller group",
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff
        self.fields["responsible"].label_from_instance = lambda u: u.full_name or u.email


class PlanStatusForm(ModelErrorsMixin, forms.Form):
    status = forms.ChoiceField(choices=PlanStatus.choices)
    outcome = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProgressPointForm(ModelErrorsMixin, forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    score = forms.DecimalField(max_digits=9, decimal_places=2)
    note = forms.CharField(required=False, max_length=300)


class FocusAreaForm(ModelErrorsMixin, forms.Form):
    name = forms.CharField(max_length=80)
    position = forms.IntegerField(min_value=0, max_value=999, initial=0, label="Order")
    is_archived = forms.BooleanField(required=False, label="Archived")


class NewFocusAreaForm(FocusAreaForm):
    key = forms.SlugField(
        max_length=40, help_text="A short stable name: letters, digits, _ (e.g. oral_language)"
    )
    field_order = ["name", "key", "position"]


class TierForm(ModelErrorsMixin, forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(max_length=300, required=False)


class WorkingFilterForm(forms.Form):
    window = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Between windows"
    )

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].choices = [
            (str(w.pk), f"{w.school_year.name}: up to {w.name or w.get_season_display()}")
            for w in windows
        ]

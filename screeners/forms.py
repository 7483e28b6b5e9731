from django import forms

from schools.grades import GRADE_CHOICES
from screeners.models import Screener, Season


class ScreenerForm(forms.ModelForm):
    grades = forms.MultipleChoiceField(choices=GRADE_CHOICES, widget=forms.CheckboxSelectMultiple)
    levels_text = forms.CharField(
        label="Levels (ordinal screeners)",
        required=False,
        help_text="Lowest first, one per line; scored 1, 2, 3…",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Screener
        fields = [
            "name",
            "domain",
            "grades",
            "score_type",
            "min_score",
            "max_score",
            "score_step",
            "higher_is_better",
        ]

    def clean(self):
        data = super().clean()
        levels = [line.strip() for line in data.get("levels_text", "").splitlines() if line.strip()]
        if data.get("score_type") == Screener.ScoreType.ORDINAL:
            if len(levels) < 2:
                self.add_error("levels_text", "an ordinal screener needs at least two levels")
            data["min_score"], data["max_score"], data["score_step"] = 1, len(levels), 1
        elif (
            data.get("min_score") is not None
            and data.get("max_score") is not None
            and data["min_score"] >= data["max_score"]
        ):
            self.add_error("max_score", "must be above the lowest score")
        self.instance.levels = levels
        return data


class WindowForm(forms.Form):
    school_year = forms.ModelChoiceField(queryset=None, label="School year")
    season = forms.ChoiceField(choices=Season.choices)
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    screeners = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    grades = forms.MultipleChoiceField(
        choices=GRADE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave empty to screen every grade.",
    )

    def __init__(self, *args, school_years, screeners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = school_years
        self.fields["screeners"].queryset = screeners


class BandRowForm(forms.Form):
    name = forms.CharField(max_length=60)
    label = forms.CharField(max_length=120, help_text="Shown and read beside the colour.")
    colour = forms.RegexField(
        regex=r"^#[0-9a-fA-F]{6}$",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": "a colour as #rrggbb"},
    )
    min_score = forms.DecimalField(max_digits=9, decimal_places=2, label="From")
    max_score = forms.DecimalField(max_digits=9, decimal_places=2, label="To")
    meets_benchmark = forms.BooleanField(required=False, label="At or above benchmark")


BandFormSet = forms.formset_factory(BandRowForm, extra=1, can_delete=True, max_num=8)

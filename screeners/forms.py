from django import forms

from continuum.models import FocusArea
from schools.grades import GRADE_CHOICES
from screeners.models import Screener, Season


class ModelErrorsMixin:
    """Puts a model's ValidationError (from a service's full_clean) on the form's fields."""

    FIELD_OF: dict[str, str] = {}

    def add_model_errors(self, error) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for field, messages in error.message_dict.items():
            target = self.FIELD_OF.get(field, field)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class ScreenerForm(ModelErrorsMixin, forms.Form):
    """Input shape only: the rules (an ordinal screener's scale, grades, a unique name) are
    the model's, checked by ``services.screener_save`` for the page and the API alike."""

    name = forms.CharField(max_length=120)
    focus_area = forms.ModelChoiceField(
        queryset=FocusArea.objects.filter(is_archived=False),
        to_field_name="key",
        label="Focus area",
    )
    grades = forms.MultipleChoiceField(choices=GRADE_CHOICES, widget=forms.CheckboxSelectMultiple)
    score_type = forms.ChoiceField(choices=Screener.ScoreType.choices, label="Score type")
    levels_text = forms.CharField(
        label="Levels (ordinal screeners)",
        required=False,
        help_text="Lowest first, one per line; scored 1, 2, 3…",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    min_score = forms.DecimalField(
        max_digits=9, decimal_places=2, required=False, label="Lowest score"
    )
    max_score = forms.DecimalField(
        max_digits=9, decimal_places=2, required=False, label="Highest score"
    )
    score_step = forms.DecimalField(
        max_digits=9,
        decimal_places=2,
        required=False,
        label="Step",
        help_text="Numeric screeners; blank: 0 to 100 in steps of 1. Ordinal: leave blank.",
    )
    higher_is_better = forms.BooleanField(required=False, initial=True)

    #: Model errors are reported on these form fields.
    FIELD_OF = {"levels": "levels_text"}

    def values(self) -> dict:
        """What the admin gave, as model fields (blank scale fields are left to the model)."""
        data = dict(self.cleaned_data)
        text = data.pop("levels_text")
        data["levels"] = [line.strip() for line in text.splitlines() if line.strip()]
        for field in ("min_score", "max_score", "score_step"):
            if data[field] is None:
                del data[field]
        return data


class WindowForm(ModelErrorsMixin, forms.Form):
    school_year = forms.ModelChoiceField(queryset=None, label="School year")
    season = forms.ChoiceField(choices=Season.choices)
    name = forms.CharField(
        max_length=60,
        required=False,
        label="Name (optional)",
        help_text="To tell two windows of a season apart, e.g. Fall re-screen.",
    )
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Opens on")
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Closes on")
    screeners = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    grades = forms.MultipleChoiceField(
        choices=GRADE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: every grade.",
    )

    def __init__(self, *args, school_years, screeners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = school_years
        self.fields["screeners"].queryset = screeners

    @classmethod
    def initial_of(cls, window) -> dict:
        return {
            "school_year": window.school_year_id,
            "season": window.season,
            "name": window.name,
            "opens_on": window.opens_on,
            "closes_on": window.closes_on,
            "screeners": [s.pk for s in window.screeners.all()],
            "grades": window.grades,
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["screeners"] = list(data["screeners"])
        return data


class SchoolYearForm(ModelErrorsMixin, forms.Form):
    name = forms.CharField(max_length=40, help_text="e.g. 2027–2028")
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Starts on")
    end_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Ends on")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "must be after the day it starts")
        return data


class CopyScheduleForm(ModelErrorsMixin, forms.Form):
    school_year = forms.ModelChoiceField(
        queryset=None, label="Copy last year's windows into", empty_label=None
    )

    def __init__(self, *args, school_years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = school_years


class ResultCellForm(forms.Form):
    """One cell of the grid (its student and screener are looked up by the view)."""

    score = forms.CharField(
        max_length=20,
        required=False,
        error_messages={"max_length": "a score has at most %(limit_value)d characters"},
    )


class ResultUploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        max_length=255,
        error_messages={"required": "choose a CSV or XLSX file to upload"},
    )
    sheet = forms.CharField(label="Sheet", max_length=120, required=False)


class ColumnMapForm(forms.Form):
    """The mapping step of a wide results file: for each of its columns, the screener whose
    score it holds, or none; left as "decide from its name", the importer guesses."""

    GUESS, NONE = "", "0"

    def __init__(self, data=None, *, result_import, screeners):
        super().__init__(data)
        choices = [(self.GUESS, "Decide from its name"), (self.NONE, "Not a score: ignore")]
        choices += [(str(s.pk), s.name) for s in screeners]
        self.columns = list(result_import.columns)
        for index, column in enumerate(self.columns):
            chosen = result_import.column_map.get(column)
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column,
                choices=choices,
                required=False,
                initial="" if chosen is None else str(chosen),
            )

    def column_map(self) -> dict[str, int]:
        return {
            column: int(self.cleaned_data[f"column_{index}"])
            for index, column in enumerate(self.columns)
            if self.cleaned_data.get(f"column_{index}") not in (None, self.GUESS)
        }


#: What a colour input submits when nobody touched it (it cannot be empty).
UNTOUCHED_COLOUR = "#000000"


class BandRowForm(forms.Form):
    name = forms.CharField(max_length=60)
    label = forms.CharField(max_length=120, help_text="Shown and read beside the colour.")
    # Its initial value is what the browser submits untouched, so a spare row whose only
    # values are these defaults has not changed, and the formset leaves it out.
    colour = forms.RegexField(
        regex=r"^#[0-9a-fA-F]{6}$",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": "a colour as #rrggbb"},
        initial=UNTOUCHED_COLOUR,
    )
    min_score = forms.DecimalField(max_digits=9, decimal_places=2, label="From")
    max_score = forms.DecimalField(max_digits=9, decimal_places=2, label="To")
    meets_benchmark = forms.BooleanField(required=False, label="At or above benchmark")


BandFormSet = forms.formset_factory(BandRowForm, extra=1, can_delete=True, max_num=8)


class BandKeyForm(forms.Form):
    """Which grade and season's bands a page shows, copies or saves."""

    grade = forms.ChoiceField(choices=GRADE_CHOICES)
    season = forms.ChoiceField(choices=Season.choices)

    def __init__(self, *args, screener: Screener, **kwargs):
        super().__init__(*args, **kwargs)
        if screener.grades:
            self.fields["grade"].choices = [c for c in GRADE_CHOICES if c[0] in screener.grades]

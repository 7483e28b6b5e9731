"""The shape of what the teams pages post (STYLE 9): numbers, dates and ids parsed here, with a
clear refusal naming the field. The rules (who may, what is allowed) stay in the services and
on the models, so the API and the pages refuse alike."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from teams.models import OrganizerPick
from teams.picker import StudentPickForm


def _messages(form: forms.BaseForm | forms.BaseFormSet) -> list[str]:
    if isinstance(form, forms.BaseFormSet):
        return [m for f in form.forms for m in _messages(f)] + list(form.non_form_errors())
    return [message for errors in form.errors.values() for message in errors]


def refusal(form: forms.BaseForm | forms.BaseFormSet) -> ValidationError:
    """A form's errors as the one ValidationError the views report like a service's."""
    return ValidationError(_messages(form))


def _text(**kwargs) -> forms.CharField:
    """Text as typed: the service strips it and the model holds its length rule, so a limit
    is never typed twice (and never cut)."""
    return forms.CharField(required=False, strip=False, **kwargs)


def _id(message: str, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        required=required,
        min_value=1,
        error_messages={"required": message, "invalid": message, "min_value": message},
    )


class MeetingDateForm(forms.Form):
    date = forms.DateField(
        error_messages={
            "required": "Choose the meeting's date.",
            "invalid": "Choose the meeting's date.",
        }
    )


class MemberForm(forms.Form):
    user = _id("Choose a member of staff.")
    meeting_role = forms.CharField(required=False, initial="member")
    strengths = _text()
    remove = forms.BooleanField(required=False)

    def clean_meeting_role(self) -> str:
        return self.cleaned_data["meeting_role"] or "member"


class TeamForm(forms.Form):
    layer = forms.CharField(required=False)  # looked up in the district by selectors.layer_for
    name = _text()
    cycle_weeks = forms.IntegerField(
        required=False,
        error_messages={"invalid": "Meet every 1 to 52 weeks (a number)."},
    )

    def clean_cycle_weeks(self) -> int:
        weeks = self.cleaned_data["cycle_weeks"]
        return 6 if weeks is None else weeks


class _IdsField(forms.Field):
    """Ids posted under one name (checkboxes): each a whole number, or a clear refusal."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, message: str, **kwargs):
        super().__init__(required=False, **kwargs)
        self.message = message

    def to_python(self, value) -> list[int]:
        try:
            return [int(str(v).strip()) for v in value or []]
        except ValueError:
            raise ValidationError(self.message) from None


class AttendeesForm(forms.Form):
    attendee = _IdsField(message="Tick the members who attended.")


class VersionField(forms.IntegerField):
    """The version an autosave started from: nonsense counts as 0, never as the newest (a
    save against 0 is kept beside the text, so nothing is written over)."""

    def to_python(self, value) -> int:
        try:
            number = super().to_python(value)
        except ValidationError:
            return 0
        return 0 if number is None else number


class AutosaveForm(forms.Form):
    """One field of a discussion, or a section's notes, as typed."""

    field = forms.CharField(required=False)
    value = _text()
    version = VersionField(required=False)  # out of range: the service refuses it

    def clean_version(self) -> int:
        return self.cleaned_data["version"]


class CommitmentForm(forms.Form):
    owner = _id("Choose who will do it.")
    text = _text()
    student = forms.IntegerField(required=False, min_value=1)
    due_date = forms.DateField(
        required=False,
        error_messages={"invalid": "give a date by which it will be done"},
    )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due is None:
            raise ValidationError("give a date by which it will be done")
        return due


class ReviewForm(forms.Form):
    status = forms.CharField(required=False)
    comment = _text()


class CelebrationForm(StudentPickForm):
    """What worked, and (through the picker, ``teams.picker``) for whom."""

    text = _text()


class ReferralForm(StudentPickForm):
    context = _text()


class DecideForm(forms.Form):
    decision = _text()


class DismissForm(forms.Form):
    seen = forms.CharField(required=False, strip=False)


class LayerWordsForm(forms.Form):
    name = _text()
    purpose = _text()
    attendees = _text()
    frequency = _text()


class AgendaRowForm(forms.Form):
    """One row of the agenda editor: a section kept, renamed, moved or removed."""

    key = forms.CharField(required=False)
    title = forms.CharField(required=False)
    minutes = forms.CharField(required=False)  # agenda.clean names a bad number by section
    order = forms.CharField(required=False)
    remove = forms.BooleanField(required=False)

    def clean_order(self) -> float | None:
        """A row whose order is not a number keeps its place."""
        try:
            return float(self.cleaned_data["order"])
        except ValueError:
            return None


class BaseAgendaFormSet(forms.BaseFormSet):
    def sections(self) -> list[dict]:
        """The rows in the order asked for: removed and blank new rows dropped. No row is
        refused here (agenda.clean names what is wrong, by section); a post without the
        management form has no rows."""
        self.is_valid()
        rows = []
        for i, form in enumerate(self.forms):
            data = form.cleaned_data
            key, title = data.get("key", ""), data.get("title", "").strip()
            minutes = data.get("minutes", "").strip()
            if data.get("remove") or not (key or title or minutes):
                continue
            order = data.get("order")
            rows.append(
                (
                    i + 1 if order is None else order,
                    i,
                    {"key": key, "title": title, "minutes": minutes},
                )
            )
        return [row for _, _, row in sorted(rows, key=lambda r: r[:2])]


AgendaFormSet = forms.formset_factory(
    AgendaRowForm, formset=BaseAgendaFormSet, extra=0, max_num=100, absolute_max=100
)


def agenda_formset(*, data=None, sections: list[dict] | None = None) -> BaseAgendaFormSet:
    """The editor of one layer's agenda: bound to what was posted, or its sections and two
    blank rows for new ones."""
    if data is not None:
        return AgendaFormSet(data, prefix="agenda")
    initial = [{**s, "order": i + 1} for i, s in enumerate(sections or [])]
    initial += [{"key": "", "title": "", "minutes": ""}] * 2
    return AgendaFormSet(initial=initial, prefix="agenda")


class PicksForm(forms.Form):
    """A teacher's three picks for the meeting, each a student of their class (or none)."""

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(s.pk), s.display_name) for s in students]
        for kind, label in OrganizerPick.Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                required=False,
                choices=choices,
                label=label,
                error_messages={
                    "invalid_choice": f"{label}: pick a student of your class. Nothing was changed."
                },
            )
            self.fields[f"{kind}_note"] = _text()

"""The meeting page's student picker: what it asks the server, and what a form posts with it.

One picker replaces the page's student dropdowns (a class of 30 repeated in every section and
in every discussion). It posts ``student`` (the id chosen from the list) and ``q`` (what was
typed): without script, or when nobody chose from the list, a query that matches exactly one
student picks that student.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from districts.permissions import Actor
from schools.models import Student
from schools.selectors import get_student
from teams.meeting_page import PICKER_LIMIT, pickable_students
from teams.models import Meeting


class StudentQueryForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    skip = forms.ChoiceField(
        required=False, choices=[("", "nobody"), ("discussed", "students already discussed")]
    )


class StudentPickForm(forms.Form):
    student = forms.IntegerField(required=False, min_value=1)
    q = forms.CharField(required=False, max_length=100)


def picked_student(*, actor: Actor, meeting: Meeting, data, required: bool) -> Student | None:
    """The student a picker chose (looked up in the actor's visible set: another district's,
    or one they may not see, is a 404 like a missing one), else the one student its typed
    query matches; None when nothing was typed and none is ``required``. Raises
    ValidationError naming the field otherwise."""
    form = StudentPickForm(data)
    if not form.is_valid():
        raise ValidationError({"student": "type part of a name or a student number"})
    pk, query = form.cleaned_data["student"], form.cleaned_data["q"].strip()
    if pk:
        return get_student(actor=actor, student_pk=pk)
    if not query:
        if required:
            raise ValidationError({"student": "choose a student"})
        return None
    found = list(pickable_students(actor=actor, meeting=meeting, query=query)[:PICKER_LIMIT])
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError({"student": f"no student of this team matches “{query}”"})
    more = "or more " if len(found) == PICKER_LIMIT else ""
    raise ValidationError(
        {"student": f"{len(found)} {more}students match “{query}”: choose one from the list"}
    )

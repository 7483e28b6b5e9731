"""What a meeting leads to, recorded from its page: commitments and their review,
celebrations, referrals and the school support team's decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from schools import selectors as school_selectors
from teams import forms, selectors, services
from teams.views.meeting import back, picked, refused, say


@require_POST
def commitment_add(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    form = forms.CommitmentForm(request.POST)
    valid = form.is_valid()
    student = None
    if form.cleaned_data.get("student"):
        student = school_selectors.get_student(
            actor=request.actor, student_pk=form.cleaned_data["student"]
        )
    try:
        if not valid:
            raise forms.refusal(form)
        services.commitment_add(
            actor=request.actor,
            meeting=meeting,
            owner_id=form.cleaned_data["owner"],
            text=form.cleaned_data["text"],
            due_date=form.cleaned_data["due_date"],
            student=student,
        )
        messages.success(request, "Commitment recorded.")
    except ValidationError as error:
        return refused(request, meeting, "commitment", "Commitment not saved", form, error)
    return back(meeting, "#commitments")


@require_POST
def commitment_review(request, meeting_pk: int, commitment_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    commitment = selectors.get_carried_commitment(meeting=meeting, commitment_pk=commitment_pk)
    form = forms.ReviewForm(request.POST)
    form.is_valid()  # both fields are text: the service says what is wrong with them
    try:
        services.commitment_review(
            actor=request.actor,
            commitment=commitment,
            meeting=meeting,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, f"“{commitment.text}”: {commitment.get_status_display()}.")
    except ValidationError as error:
        say(request, error)
    return back(meeting, "#last-commitments")


@require_POST
def celebration_add(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    form = forms.CelebrationForm(request.POST)
    form.is_valid()
    try:
        student = picked(request, meeting, required=False)
        services.celebration_add(
            actor=request.actor,
            meeting=meeting,
            student=student,
            text=form.cleaned_data["text"],
            user=request.user,
        )
        messages.success(request, "Celebration recorded.")
    except ValidationError as error:
        return refused(request, meeting, "celebration", "Celebration not saved", form, error)
    return back(meeting, "#celebrations")


@require_POST
def referral_add(request, meeting_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    form = forms.ReferralForm(request.POST)
    form.is_valid()
    try:
        student = picked(request, meeting, required=True)
        services.referral_create(
            actor=request.actor,
            meeting=meeting,
            student=student,
            context=form.cleaned_data["context"],
            user=request.user,
        )
        messages.success(request, f"{student.display_name} is referred.")
    except ValidationError as error:
        return refused(request, meeting, "referral", "Referral not saved", form, error)
    return back(meeting, "#referrals")


@require_POST
def referral_decide(request, meeting_pk: int, referral_pk: int):
    meeting = selectors.get_meeting(actor=request.actor, meeting_pk=meeting_pk)
    referral = selectors.get_referral_to_review(meeting=meeting, referral_pk=referral_pk)
    form = forms.DecideForm(request.POST)
    form.is_valid()
    try:
        services.referral_decide(
            actor=request.actor,
            referral=referral,
            meeting=meeting,
            decision=form.cleaned_data["decision"],
        )
        messages.success(request, f"Decision recorded for {referral.student.display_name}.")
    except ValidationError as error:
        say(request, error, "Decision not saved: ")
    return back(meeting, "#referrals")

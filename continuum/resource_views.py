"""A support's resource files: upload (its keepers), download (whoever sees the support,
checked on every request: files are never served from MEDIA directly), remove."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from continuum import permissions, resources, selectors


class SupportFileForm(forms.Form):
    file = forms.FileField(max_length=200)


@require_POST
def file_add(request, support_pk: int):
    support = selectors.get_support(actor=request.actor, support_pk=support_pk)
    permissions.require(permissions.can_keep_supports(request.actor, support.school_id))
    form = SupportFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file to add: " + " ".join(form.errors.get("file", [])))
        return redirect(support.get_absolute_url())
    try:
        stored = resources.support_file_add(
            actor=request.actor, support=support, upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{stored.original_name} is added.")
    return redirect(support.get_absolute_url())


@require_GET
def file_download(request, support_pk: int, supportfile_pk: int):
    support = selectors.get_support(actor=request.actor, support_pk=support_pk)
    stored = selectors.get_support_file(
        actor=request.actor, support=support, file_pk=supportfile_pk
    )
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=resources.content_type(stored.original_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def file_remove(request, support_pk: int, supportfile_pk: int):
    support = selectors.get_support(actor=request.actor, support_pk=support_pk)
    stored = selectors.get_support_file(
        actor=request.actor, support=support, file_pk=supportfile_pk
    )
    resources.support_file_remove(actor=request.actor, stored=stored)
    messages.success(request, f"{stored.original_name} is removed.")
    return redirect(support.get_absolute_url())

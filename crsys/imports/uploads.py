"""The size limit every upload meets before anything reads it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from crsys.imports.problems import InputRejected, Problem


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB"


def check_upload_size(name: str, size: int) -> None:
    """Refuse (``InputRejected``) a file past ``ROSTER_MAX_UPLOAD_BYTES``, for both imports."""
    limit = settings.ROSTER_MAX_UPLOAD_BYTES
    if size > limit:
        raise InputRejected(
            [
                Problem(
                    name,
                    None,
                    None,
                    f"the file is {megabytes(size)}; the limit is {megabytes(limit)}",
                )
            ]
        )


def refuse_unstorable(name: str, size: int, *, job) -> None:
    """An upload an import job (``job``: its model) cannot take, refused as a service
    refuses (ValidationError): a name longer than the job stores (never cut short), or a
    file past the size limit."""
    limit = job._meta.get_field("original_name").max_length
    if len(name) > limit:
        raise ValidationError(f"the file's name is longer than {limit} characters; rename it")
    try:
        check_upload_size(name, size)
    except InputRejected as rejected:
        raise ValidationError(str(rejected.problems[0])) from None

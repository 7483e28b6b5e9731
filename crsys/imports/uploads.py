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


def refuse_oversized(name: str, size: int) -> None:
    """``check_upload_size`` as a service's refusal: a ValidationError naming the file."""
    try:
        check_upload_size(name, size)
    except InputRejected as rejected:
        raise ValidationError(str(rejected.problems[0])) from None

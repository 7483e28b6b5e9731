"""Resource files of supports: what may be uploaded, and the writes (size and kind checked
before anything is stored; removed files leave MEDIA once the transaction commits)."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from continuum import permissions
from continuum.models import Support, SupportFile
from crsys.imports.uploads import megabytes
from districts.permissions import Actor

#: The kinds of file a support's resources may be, by extension -> the type it is served as.
KINDS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_BYTES = getattr(settings, "SUPPORT_FILE_MAX_BYTES", 20 * 1024 * 1024)
MAX_FILES = 20


def content_type(name: str) -> str:
    return KINDS.get(PurePath(name).suffix.lower(), "application/octet-stream")


@transaction.atomic
def support_file_add(*, actor: Actor, support: Support, upload) -> SupportFile:
    """Attach ``upload`` (an UploadedFile) to ``support``: its keepers only; a known kind,
    at most MAX_BYTES, a name that fits, at most MAX_FILES a support."""
    permissions.require(permissions.can_keep_supports(actor, support.school_id))
    name = PurePath(upload.name or "").name
    limit = SupportFile._meta.get_field("original_name").max_length
    if not name or "\x00" in name or len(name) > limit:
        raise ValidationError({"file": f"Give the file a name of at most {limit} characters."})
    if PurePath(name).suffix.lower() not in KINDS:
        kinds = ", ".join(sorted(KINDS))
        raise ValidationError({"file": f"This kind of file is not accepted; use one of {kinds}."})
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {"file": f"The file is {megabytes(upload.size)}; the limit is {megabytes(MAX_BYTES)}."}
        )
    if SupportFile.objects.filter(support=support).count() >= MAX_FILES:
        raise ValidationError({"file": f"A support keeps at most {MAX_FILES} files."})
    stored = SupportFile(
        district_id=support.district_id, support=support, original_name=name,
        size=upload.size, uploaded_by_id=actor.user_id,
    )  # fmt: skip
    stored.file.save(name, upload, save=False)
    try:
        stored.save()
    except Exception:
        stored.file.delete(save=False)
        raise
    return stored


@transaction.atomic
def support_file_remove(*, actor: Actor, stored: SupportFile) -> None:
    permissions.require(permissions.can_keep_supports(actor, stored.support.school_id))
    storage, path = stored.file.storage, stored.file.name
    stored.delete()
    transaction.on_commit(lambda: storage.delete(path))

"""Opening uploaded files safely: size limits, zip bombs, folder layout, encodings."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings

from crsys.imports.problems import InputRejected, Problem
from crsys.imports.uploads import check_upload_size, megabytes


def read_zip(name: str, data: bytes, *, allowed: set[str]) -> dict[str, bytes]:
    """The CSV files at the top of a zip, by lower-case name.

    Refuses archives that expand past the limit or by a suspicious ratio (zip bombs), and
    files in folders (a OneRoster bundle keeps its CSVs at the top), except one folder that
    holds everything: many exports zip the folder they wrote, not its files."""
    check_upload_size(name, len(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputRejected([Problem(name, None, None, "this is not a zip file")]) from None
    check_expansion(name, archive)
    problems: list[Problem] = []
    members = [
        i
        for i in archive.infolist()
        if not i.is_dir()
        and not i.filename.startswith("__MACOSX/")
        and not i.filename.rsplit("/", 1)[-1].startswith(".")
    ]
    folder = _single_folder(members)
    files: dict[str, bytes] = {}
    for info in members:
        base = info.filename.rsplit("/", 1)[-1]
        if "/" in info.filename.strip("/").removeprefix(folder):
            problems.append(
                Problem(
                    info.filename,
                    None,
                    None,
                    "is inside a folder; put the CSV files at the top of the zip, not in a folder",
                )
            )
            continue
        if base.lower() not in allowed:
            continue
        # Read at most the declared size plus one byte: a lying header cannot inflate us.
        with archive.open(info) as handle:
            content = handle.read(info.file_size + 1)
        if len(content) > info.file_size:
            problems.append(Problem(base, None, None, "its size does not match the zip header"))
            continue
        files[base.lower()] = content
    if problems:
        raise InputRejected(problems)
    return files


def _single_folder(members: list[zipfile.ZipInfo]) -> str:
    """'export/' when every file sits directly in that one top-level folder, else ''."""
    tops = {i.filename.split("/", 1)[0] + "/" if "/" in i.filename else "" for i in members}
    if len(tops) != 1 or "" in tops:
        return ""
    folder = tops.pop()
    nested = any("/" in i.filename.removeprefix(folder) for i in members)
    return "" if nested else folder


def check_expansion(name: str, archive: zipfile.ZipFile) -> None:
    """Refuse an archive (a zip, or an XLSX, which is one) that would expand past the limit
    or by a suspicious ratio: a zip bomb is refused before it is expanded."""
    problems: list[Problem] = []
    members = [i for i in archive.infolist() if not i.is_dir()]
    total = sum(i.file_size for i in members)
    limit = settings.ROSTER_MAX_UNZIPPED_BYTES
    if total > limit:
        problems.append(
            Problem(
                name,
                None,
                None,
                f"it expands to {megabytes(total)}; the limit is {megabytes(limit)}",
            )
        )
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > settings.ROSTER_MAX_ZIP_RATIO:
            problems.append(
                Problem(
                    info.filename,
                    None,
                    None,
                    f"compressed {ratio:.0f}:1, which looks like a zip bomb; refused",
                )
            )
    if problems:
        raise InputRejected(problems)


def decode_text(name: str, data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else is refused by name."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        raise InputRejected(
            [
                Problem(
                    name,
                    line,
                    None,
                    f"is not UTF-8 (byte 0x{byte}); it looks like Latin-1/Windows-1252. "
                    "Save it as 'CSV UTF-8' and upload it again",
                )
            ]
        ) from None

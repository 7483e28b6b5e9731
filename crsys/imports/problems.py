"""Problems found in an uploaded file, the refusal that carries them, and their CSV."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass

from django.http import HttpResponse


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, named down to the row and column.

    ``row`` is the line number a person sees in a spreadsheet (the header is row 1).
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


class InputRejected(Exception):
    """An uploaded file cannot be imported; ``problems`` says every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems[:20]))


def csv_safe(value) -> str:
    """A cell for a CSV that people open in a spreadsheet: text that a spreadsheet would run
    as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def problems_csv_response(problems: list[dict], filename: str):
    """Every problem of an import as a CSV download, formula-like cells escaped."""

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["file", "row", "column", "message"])
    for p in problems:
        writer.writerow([csv_safe(p["file"]), p["row"] or "", csv_safe(p["column"] or ""),
                         csv_safe(p["message"])])  # fmt: skip
    return response

"""manifest.csv: which OneRoster version a bundle is, and how each file is to be read.

Per the OneRoster 1.1 and 1.2 CSV bindings, ``file.<name>`` is ``bulk`` (the file is complete:
what it leaves out is gone), ``delta`` (only changed rows; ``tobedeleted`` ones are removals) or
``absent`` (not in the zip, nothing to change). Only manifest.csv is required; a delta export
carries just the files that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from schools.roster.problems import Problem
from schools.roster.tables import row_numbers

MODES = {"bulk", "delta", "absent"}
#: The files crsys takes data from (lower-cased). A manifest line for any other file (1.2's
#: gradebook and resources files, userProfiles) cannot change what is imported, so a value
#: there that is not a mode is said and the file left unread, never a refusal.
READ_FILES = {"orgs.csv", "academicsessions.csv", "classes.csv", "users.csv", "enrollments.csv",
              "roles.csv", "demographics.csv", "courses.csv"}  # fmt: skip
#: The versions crsys reads; a patch level (1.2.1) reads as its minor version.
VERSIONS = {"1.0": "1.1", "1.1": "1.1", "1.2": "1.2"}
DEFAULT_VERSION = "1.1"


@dataclass
class Manifest:
    #: "1.1" or "1.2": the binding the files are read with
    version: str = DEFAULT_VERSION
    #: what the manifest itself says, e.g. "1.2.1" ("" when it says nothing)
    declared: str = ""
    #: file name as the manifest spells it, lower-cased, with .csv -> mode
    modes: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def mode(self, file_name: str) -> str | None:
        return self.modes.get(file_name.lower())

    @property
    def label(self) -> str:
        return f"OneRoster {self.declared or self.version}"


def read_manifest(frame: pd.DataFrame) -> Manifest:
    name = "manifest.csv"
    manifest = Manifest()
    if frame.empty or "propertyName" not in frame or "value" not in frame:
        return manifest  # the column check names what is missing
    rows = row_numbers(frame, slice(None))
    for row, prop, value in zip(rows, frame["propertyName"], frame["value"], strict=True):
        prop, value = prop.strip(), value.strip()
        if prop == "oneroster.version":
            manifest.declared = value
            minor = ".".join(value.split(".")[:2])
            if minor not in VERSIONS:
                manifest.problems.append(
                    Problem(
                        name,
                        row,
                        "value",
                        f"OneRoster version '{value}' is not one crsys reads (1.0, 1.1 or 1.2)",
                    )  # fmt: skip
                )
            else:
                manifest.version = VERSIONS[minor]
        elif prop.startswith("file."):
            mode, file_name = value.lower(), prop.removeprefix("file.").lower() + ".csv"
            if mode not in MODES:
                said = f"'{value}' is not" if value else "no value is"
                words = (f"{said} a mode for {prop}: write bulk (the file is complete), delta "
                         "(changed rows only) or absent (not sent)")  # fmt: skip
                if file_name in READ_FILES:
                    manifest.problems.append(Problem(name, row, "value", words))
                    continue
                manifest.warnings.append(f"{name} row {row}: {words}; crsys does not import "
                                         "that file, so it was not read")  # fmt: skip
                mode = "absent"
            manifest.modes[file_name] = mode
    if not manifest.declared:
        manifest.warnings.append(
            "manifest.csv names no oneroster.version; the files were read as OneRoster 1.1"
        )
    return manifest

"""manifest.csv: which OneRoster version a bundle is, and how each file is to be read.

Per the OneRoster 1.1 and 1.2 CSV bindings, ``file.<name>`` is ``bulk`` (the file is complete:
what it leaves out is gone), ``delta`` (only changed rows; ``tobedeleted`` ones are removals) or
``absent`` (not in the zip, nothing to change). Only manifest.csv is required; a delta export
carries just the files that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from crsys.imports.problems import Problem
from schools.roster.tables import row_numbers

MODES = {"bulk", "delta", "absent"}
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
            mode = value.lower()
            if mode not in MODES:
                manifest.problems.append(
                    Problem(
                        name, row, "value", f"'{value}' for {prop} is not bulk, delta or absent"
                    )  # fmt: skip
                )
                continue
            manifest.modes[prop.removeprefix("file.").lower() + ".csv"] = mode
    if not manifest.declared:
        manifest.warnings.append(
            "manifest.csv names no oneroster.version; the files were read as OneRoster 1.1"
        )
    return manifest

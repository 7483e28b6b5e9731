"""Re-linking: a file whose student keeps their number but not their record's sourcedId.

Systems re-key their sourcedIds (a new SIS, a vendor change), and a district that began with
spreadsheet imports holds students keyed ``student:<number>``. A OneRoster file then names the
same student, by the same number, under another sourcedId. Rather than refuse it, the dry run
proposes to re-link each such stored record to the file's sourcedId, lists every match by name,
and the commit applies them only on the admin's confirmation (``--relink`` on the command
line). Both run the re-link inside their transaction, so the rest of the dry run is planned on
the re-linked records exactly as the commit will be; the dry run's is rolled back.
"""

from __future__ import annotations

import pandas as pd

from crsys.bulk import update_rows
from crsys.imports.problems import Problem
from schools.models import Student


def student_relinks(
    district_id: int, students_in: pd.DataFrame
) -> tuple[list[dict], list[Problem]]:
    """(re-links to make, problems): a live row whose student number a stored record holds
    under another sourcedId is a re-link, unless the file also keeps that record's own
    sourcedId, or another record already has the file's (two people, not one re-keyed)."""
    columns = ["id", "student_number", "sourced_id", "given_name", "family_name"]
    stored = pd.DataFrame.from_records(list(Student.objects.values_list(*columns)), columns=columns)
    live = students_in[students_in["active"].astype(bool)]
    merged = live.merge(stored, on="student_number", how="inner", suffixes=("", "__db"))
    clash = merged[merged["sourced_id"] != merged["sourced_id__db"]]
    if clash.empty:
        return [], []
    taken = set(stored["sourced_id"].dropna())
    kept = set(live["sourced_id"])
    can = ~clash["sourced_id"].isin(taken) & ~clash["sourced_id__db"].isin(kept)
    problems = [
        Problem(
            "users.csv", None, "identifier",
            f"student number '{r.student_number}' (sourcedId '{r.sourced_id}') already belongs "
            f"to another student record (sourcedId '{r.sourced_id__db}'), and both sourcedIds "
            "are in use, so it cannot be re-linked: two students seem to share the number",
        )
        for r in clash[~can].itertuples()
    ][:500]  # fmt: skip
    relinks = [
        {
            "id": int(r.id),
            "old": r.sourced_id__db or "",
            "new": r.sourced_id,
            "number": r.student_number,
            "name": f"{r.given_name__db} {r.family_name__db}",
        }
        for r in clash[can].itertuples()
    ]
    return relinks, problems


def apply_relinks(relinks: list[dict]) -> None:
    update_rows(Student, ["sourced_id"], ((r["id"], r["new"]) for r in relinks))


def relink_people(relinks: list[dict], school_names: dict, school_of: dict) -> list[dict]:
    return [
        {
            "change": "relink", "kind": "student", "name": r["name"], "key": r["number"],
            "school": school_names.get(school_of.get(r["id"]), ""),
            "details": f"record re-linked by student number: sourcedId "
            f"'{r['old'] or '(none)'}' → '{r['new']}'",
            "sourced_id": r["new"],
        }
        for r in relinks
    ]  # fmt: skip


def relink_words(count: int) -> str:
    return (
        f"{count} student record{'s' if count != 1 else ''} in this district "
        f"{'have' if count != 1 else 'has'} the file's student numbers under other sourcedIds "
        "(a re-keyed SIS, or students first imported from a spreadsheet). This import re-links "
        "them to the file's sourcedIds, keeping their history; check the matches in the list of "
        "people, then confirm the re-link."
    )

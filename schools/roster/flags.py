"""A roster's student flags (an IEP, English language learner...): which to set and which
to clear, counted for the dry run and written on commit."""

from __future__ import annotations

import pandas as pd

from schools.models import StudentFlag, StudentFlagValue


def apply_flags(district_id, flags: pd.DataFrame, students, *, commit: bool) -> dict:
    """Set and clear the flags the file gives (``students``: sourced id -> id); the counts."""
    flag_ids = dict(StudentFlag.objects.values_list("code", "id"))
    # A student the dry run has not created yet gets a distinct stand-in id per row.
    stand_ins = pd.Series(-1 - pd.RangeIndex(len(flags)), index=flags.index)
    frame = flags.assign(
        student_id=flags["student_sid"].map(students).fillna(stand_ins).astype("int64"),
        flag_id=flags["flag"].map(flag_ids),
    ).dropna(subset=["flag_id"])
    on = {(s, int(f)) for s, f in frame.loc[frame["on"], ["student_id", "flag_id"]].itertuples(
        index=False, name=None)}  # fmt: skip
    off = {(s, int(f)) for s, f in frame.loc[~frame["on"], ["student_id", "flag_id"]].itertuples(
        index=False, name=None)}  # fmt: skip
    values = StudentFlagValue.objects.all()
    stored = set(values.filter(student_id__in={s for s, _ in on | off}).values_list(
        "student_id", "flag_id"))  # fmt: skip
    create, remove = on - stored, off & stored
    if commit:
        values.model.objects.bulk_create(
            [StudentFlagValue(district_id=district_id, student_id=s, flag_id=f)
             for s, f in create],
            batch_size=2_000,
        )  # fmt: skip
        for flag_id in {f for _, f in remove}:
            values.filter(
                flag_id=flag_id, student_id__in=[s for s, f in remove if f == flag_id]
            ).delete()
    return {"create": len(create), "update": 0, "withdraw": len(remove)}

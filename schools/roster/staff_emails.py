"""Staff e-mail addresses in a roster file: the address is the sign-in, so it is read in the
one normal form (``districts.emails``), a look-alike is refused, and a missing or shared one
costs only that person's sign-in, not the whole import."""

from __future__ import annotations

import pandas as pd
from django.core.exceptions import ValidationError

from crsys.imports.problems import Problem
from districts.emails import normalize_email
from schools.roster.tables import row_numbers

# normalize_email's codes for an address that imitates another: never folded, always refused.
LOOK_ALIKE_CODES = {"not_plain", "nul"}


def staff_emails(
    name: str, users: pd.DataFrame, *, is_staff: pd.Series, active: pd.Series
) -> tuple[pd.Series, list[Problem], list[str]]:
    """(normal form per row, "" where the person gets no sign-in; problems; warnings).

    Refused, naming the row: an address with look-alike characters (``admın@``, ``ſ``), which
    could otherwise impersonate an existing account. Warned, and imported without a sign-in:
    a live staff row with no address, an unusable one, or one that another live staff row
    shares (a front-office mailbox is nobody's sign-in)."""
    raw = users.get("email", pd.Series("", index=users.index)).astype(str)
    given = users["givenName"].str.strip() + " " + users["familyName"].str.strip()
    normal = pd.Series("", index=users.index, dtype=object)
    problems: list[Problem] = []
    warnings: list[str] = []
    rows = dict(zip(users.index, row_numbers(users, slice(None)), strict=True))
    for index in users.index[is_staff]:
        value = raw[index].strip()
        if not value:
            if active[index]:
                warnings.append(
                    f"{name}, row {rows[index]}: {given[index].strip()} has no e-mail; "
                    "imported without a sign-in"
                )
            continue
        try:
            normal[index] = normalize_email(value)
        except ValidationError as error:
            if error.code in LOOK_ALIKE_CODES:
                problems.append(Problem(name, rows[index], "email", error.messages[0]))
            elif active[index]:
                warnings.append(
                    f"{name}, row {rows[index]}: '{value}' is not an e-mail address; "
                    f"{given[index].strip()} is imported without a sign-in"
                )
    live = normal[is_staff & active & (normal != "")]
    shared = live[live.duplicated(keep=False)]
    for address, group in shared.groupby(shared):
        where = ", ".join(str(rows[i]) for i in group.index)
        people = ", ".join(given[i].strip() for i in group.index)
        warnings.append(
            f"{name}, rows {where}: {people} share the address {address}; an address is one "
            "person's sign-in, so each is imported without one"
        )
    normal[shared.index] = ""
    return normal, problems, warnings

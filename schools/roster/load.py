"""From a stored upload to roster tables, with what the district already has."""

from __future__ import annotations

from districts.models import District
from schools.models import RosterImport, School, Student
from schools.roster.oneroster import RosterTables, parse_bundle, read_bundle
from schools.roster.spreadsheet import parse_students, read_table
from schools.roster.stored import existing_ids
from schools.selectors import district_today


def load_tables(*, district_id: int, kind: str, name: str, data: bytes, options: dict
                ) -> RosterTables:  # fmt: skip
    if kind == RosterImport.Kind.ONEROSTER:
        today = district_today(District.objects.get(pk=district_id))
        return parse_bundle(read_bundle(name, data), existing_ids(district_id), today)
    frame = read_table(name, data, sheet=options.get("sheet") or None)
    return parse_students(
        name,
        frame,
        options.get("mapping", {}),
        school_codes=school_keys(district_id),
        number_to_sourced_id=dict(
            Student.objects.all()
            .filter(sourced_id__isnull=False)
            .values_list("student_number", "sourced_id")
        ),
        full_sync=bool(options.get("full_sync")),
        date_order=options.get("date_order") or "iso",
    )


def school_keys(district_id: int) -> dict[str, str]:
    """A school's code or its name, case-folded -> "pk:<id>". A name two schools share is
    left out (the code tells them apart); a code wins over another school's name."""
    rows = list(School.objects.values_list("pk", "code", "name"))
    names: dict[str, set[int]] = {}
    for pk, _, school_name in rows:
        names.setdefault(school_name.strip().casefold(), set()).add(pk)
    keys = {n: f"pk:{next(iter(pks))}" for n, pks in names.items() if len(pks) == 1}
    return keys | {code.strip().casefold(): f"pk:{pk}" for pk, code, _ in rows if code.strip()}

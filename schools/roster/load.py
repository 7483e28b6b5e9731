"""From a stored upload to roster tables, with what the district already has."""

from __future__ import annotations

from schools.models import RosterImport, School, Student
from schools.roster.apply import existing_ids
from schools.roster.oneroster import RosterTables, parse_bundle, read_bundle
from schools.roster.spreadsheet import parse_students, read_table


def load_tables(*, district_id: int, kind: str, name: str, data: bytes, options: dict
                ) -> RosterTables:  # fmt: skip
    if kind == RosterImport.Kind.ONEROSTER:
        return parse_bundle(read_bundle(name, data), existing_ids(district_id))
    frame = read_table(name, data, sheet=options.get("sheet") or None)
    schools = School.objects.for_district(district_id)
    return parse_students(
        name,
        frame,
        options.get("mapping", {}),
        school_codes={code: f"pk:{pk}" for pk, code in schools.values_list("pk", "code")},
        number_to_sourced_id=dict(
            Student.objects.for_district(district_id)
            .filter(sourced_id__isnull=False)
            .values_list("student_number", "sourced_id")
        ),
        full_sync=bool(options.get("full_sync")),
    )

"""Benchmark: import a generated OneRoster bundle into PostgreSQL through the real import path,
and load the same rows with raw COPY into the same tables (the lower bound), in one run.

    .venv/bin/python bench/import_roster.py                 # 140,000 students
    .venv/bin/python bench/import_roster.py --students 1000000

Targets (issue: rostering): 140,000 students with enrolments in under 60 s on 2 cores, within
5x of the raw COPY, peak memory under 1.5 GB; re-importing unchanged data under 30 s; a delta
bundle of 5,000 changes (manifest.csv and users.csv only) under 10 s (issue 9).
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import sys
import time
import zipfile
from pathlib import Path

from districts.permissions import SYSTEM

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_URL, peak_rss_mb, recreate_database, setup_django, timed


def run_import(database_url: str, bundle_path: str, slug: str, queue) -> None:
    """In a child process, so its peak memory is the import's own."""
    setup_django(database_url)
    from crsys.tenancy.context import district_context
    from districts.models import District
    from schools import services
    from schools.models import RosterImport

    district = District.objects.get(slug=slug)
    data = Path(bundle_path).read_bytes()
    results: dict = {}
    with district_context(district):
        roster_import = services.roster_import_upload(
            district=district, actor=SYSTEM, name="bench.zip", data=data,
            kind=RosterImport.Kind.ONEROSTER, source="bench", check=False,
        )  # fmt: skip
    with district_context(district), timed(results, "dry_run_s"):
        roster_import = services.roster_import_check(roster_import=roster_import)
    assert roster_import.status == "ready", roster_import.problems[:5]
    with district_context(district), timed(results, "commit_s"):
        roster_import = services.roster_import_commit(roster_import=roster_import)
    assert roster_import.status == "committed", roster_import.problems[:5]
    results["counts"] = roster_import.counts
    results["peak_rss_mb"] = peak_rss_mb()
    queue.put(results)


def run_reimport(database_url: str, bundle_path: str, slug: str, queue) -> None:
    setup_django(database_url)
    from crsys.tenancy.context import district_context
    from districts.models import District
    from schools import services
    from schools.models import RosterImport
    from schools.roster.apply import is_empty

    district = District.objects.get(slug=slug)
    data = Path(bundle_path).read_bytes()
    results: dict = {}
    with district_context(district):
        roster_import = services.roster_import_upload(
            district=district, actor=SYSTEM, name="bench.zip", data=data,
            kind=RosterImport.Kind.ONEROSTER, source="bench", check=False,
        )  # fmt: skip
        roster_import.status = RosterImport.Status.READY
        with timed(results, "reimport_s"):
            roster_import = services.roster_import_commit(roster_import=roster_import)
    results["unchanged"] = is_empty(roster_import.counts)
    results["peak_rss_mb"] = peak_rss_mb()
    queue.put(results)


DELTA_CHANGES = 5_000


def delta_bundle(bundle: bytes, changes: int = DELTA_CHANGES) -> bytes:
    """What a nightly delta export sends: manifest.csv and users.csv with ``changes`` students,
    four in five renamed, one in five tobedeleted (their enrolments end with them)."""
    import csv

    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        users = list(csv.DictReader(io.StringIO(archive.read("users.csv").decode())))
    students = [r for r in users if r["role"] == "student"][:changes]
    for n, row in enumerate(students):
        row["dateLastModified"] = "2026-10-01T02:00:00Z"
        if n % 5 == 4:
            row["status"] = "tobedeleted"
        else:
            row["familyName"] += "-Delta"
    out_users = io.StringIO()
    writer = csv.DictWriter(out_users, fieldnames=list(users[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(students)
    names = ["academicSessions", "classes", "courses", "demographics", "enrollments", "orgs"]
    manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
    manifest += "file.users,delta\n" + "".join(f"file.{n},absent\n" for n in names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", manifest)
        archive.writestr("users.csv", out_users.getvalue())
    return out.getvalue()


def run_delta(database_url: str, bundle_path: str, slug: str, queue) -> None:
    setup_django(database_url)
    from crsys.tenancy.context import district_context
    from districts.models import District
    from schools import services
    from schools.models import RosterImport

    district = District.objects.get(slug=slug)
    data = delta_bundle(Path(bundle_path).read_bytes())
    results: dict = {}
    with district_context(district):
        roster_import = services.roster_import_upload(
            district=district, actor=SYSTEM, name="delta.zip", data=data,
            kind=RosterImport.Kind.ONEROSTER, source="bench", check=False,
        )  # fmt: skip
    with district_context(district), timed(results, "delta_dry_run_s"):
        roster_import = services.roster_import_check(roster_import=roster_import)
    assert roster_import.status == "ready", roster_import.problems[:5]
    with district_context(district), timed(results, "delta_commit_s"):
        roster_import = services.roster_import_commit(roster_import=roster_import)
    assert roster_import.status == "committed", roster_import.problems[:5]
    results["delta_counts"] = {k: v for k, v in roster_import.counts.items() if any(v.values())}
    queue.put(results)


def raw_copy(bundle: bytes, slug: str) -> tuple[float, dict[str, int]]:
    """The lower bound: the same rows, COPY'd straight into the same tables as the owner."""
    import csv

    from django.db import connection

    from districts.models import District

    district = District.objects.get(slug=slug)
    d = district.pk
    files = {}
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        for name in archive.namelist():
            files[name] = list(csv.DictReader(io.StringIO(archive.read(name).decode())))
    base = 10**9  # ids far above anything the real import used
    now = "2026-09-01 00:00:00+00"
    ids: dict[str, int] = {}

    def next_id(key: str) -> int:
        ids[key] = ids.get(key, base) + 1
        return ids[key]

    school = {r["sourcedId"]: next_id("school") for r in files["orgs.csv"] if r["type"] == "school"}
    years = {r["sourcedId"]: next_id("year") for r in files["academicSessions.csv"]
             if r["type"] == "schoolYear"}  # fmt: skip
    year_id = next(iter(years.values()))
    klass = {r["sourcedId"]: next_id("class") for r in files["classes.csv"]}
    students = {r["sourcedId"]: next_id("student") for r in files["users.csv"]
                if r["role"] == "student"}  # fmt: skip
    staff = {r["sourcedId"]: next_id("user") for r in files["users.csv"] if r["role"] != "student"}
    births = {r["sourcedId"]: r["birthDate"] for r in files["demographics.csv"]}
    tables = {
        "schools_school": (
            ["id", "district_id", "sourced_id", "is_active", "name", "code", "grades",
             "implementation_stage", "created_at", "updated_at"],
            [[school[r["sourcedId"]], d, r["sourcedId"], True, r["name"], r["identifier"] + "-raw",
              "[]", "exploring", now, now] for r in files["orgs.csv"] if r["type"] == "school"],
        ),
        "schools_schoolyear": (
            ["id", "district_id", "sourced_id", "is_active", "name", "start_date", "end_date",
             "created_at", "updated_at"],
            [[years[r["sourcedId"]], d, r["sourcedId"], True, r["title"] + " raw", r["startDate"],
              r["endDate"], now, now] for r in files["academicSessions.csv"]
             if r["type"] == "schoolYear"],
        ),
        "schools_classroom": (
            ["id", "district_id", "sourced_id", "is_active", "name", "grades", "school_id",
             "school_year_id", "created_at", "updated_at"],
            [[klass[r["sourcedId"]], d, r["sourcedId"], True, r["title"], json.dumps([r["grades"]]),
              school[r["schoolSourcedId"]], year_id, now, now] for r in files["classes.csv"]],
        ),
        "schools_student": (
            ["id", "district_id", "sourced_id", "is_active", "school_id", "student_number",
             "given_name", "family_name", "preferred_name", "grade", "birth_date", "created_at",
             "updated_at"],
            [[students[r["sourcedId"]], d, r["sourcedId"], True, school[r["orgSourcedIds"]],
              r["identifier"] + "r", r["givenName"], r["familyName"], "", r["grades"],
              births.get(r["sourcedId"]) or None, now, now]
             for r in files["users.csv"] if r["role"] == "student"],
        ),
        "districts_user": (
            ["id", "password", "is_superuser", "email", "full_name", "is_active", "is_staff",
             "session_version", "created_at", "updated_at"],
            [[staff[r["sourcedId"]], "!", False, "raw." + r["email"],
              f"{r['givenName']} {r['familyName']}", True, False, 0, now, now]
             for r in files["users.csv"] if r["role"] != "student"],
        ),
        "districts_membership": (
            ["district_id", "user_id", "role", "school_id", "is_active", "created_at",
             "updated_at"],
            [[d, staff[r["sourcedId"]], "teacher" if r["role"] == "teacher" else "principal",
              school[r["orgSourcedIds"]], True, now, now]
             for r in files["users.csv"] if r["role"] != "student"],
        ),
        "schools_staffassignment": (
            ["district_id", "sourced_id", "is_active", "user_id", "school_id", "classroom_id",
             "role", "user_sourced_id", "created_at", "updated_at"],
            [[d, "raw-" + r["sourcedId"] + "@" + r["orgSourcedIds"], True, staff[r["sourcedId"]],
              school[r["orgSourcedIds"]], None, "teacher", r["sourcedId"], now, now]
             for r in files["users.csv"] if r["role"] != "student"]
            + [[d, "raw-" + r["sourcedId"], True, staff[r["userSourcedId"]],
                school[r["schoolSourcedId"]], klass[r["classSourcedId"]], "teacher",
                r["userSourcedId"], now, now]
               for r in files["enrollments.csv"] if r["role"] != "student"],
        ),
        "schools_enrolment": (
            ["district_id", "sourced_id", "is_active", "student_id", "classroom_id", "start_date",
             "end_date", "created_at", "updated_at"],
            [[d, "raw-" + r["sourcedId"], True, students[r["userSourcedId"]],
              klass[r["classSourcedId"]], r["beginDate"] or None, r["endDate"] or None, now, now]
             for r in files["enrollments.csv"] if r["role"] == "student"],
        ),
    }  # fmt: skip
    counts = {table: len(rows) for table, (_, rows) in tables.items()}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for table, (columns, rows) in tables.items():
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    connection.commit() if not connection.get_autocommit() else None
    return time.perf_counter() - start, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=140_000)
    parser.add_argument("--schools", type=int, default=None, help="default: students / 560")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    schools = args.schools or max(3, args.students // 560)

    recreate_database(args.database_url)
    setup_django(args.database_url)
    from bench.common import migrate
    from districts.models import District
    from schools.roster.generate import generate_bundle

    migrate()
    District.objects.create(name="Bench", slug="bench")
    District.objects.create(name="Bench raw COPY", slug="bench-raw")
    started = time.perf_counter()
    bundle = generate_bundle(slug="bench", schools=schools, students=args.students)
    bundle_path = Path("/tmp/crsys-bench-roster.zip")
    bundle_path.write_bytes(bundle)
    generated_s = time.perf_counter() - started

    ctx = multiprocessing.get_context("spawn")
    results = {}
    for target in (run_import, run_reimport, run_delta):
        queue = ctx.Queue()
        process = ctx.Process(target=target, args=(args.database_url, str(bundle_path), "bench",
                                                   queue))  # fmt: skip
        process.start()
        phase = queue.get()
        process.join()
        if target is run_reimport:
            phase["reimport_peak_rss_mb"] = phase.pop("peak_rss_mb")
        results.update(phase)

    from django.db import connection

    connection.close()
    copy_s, copy_counts = raw_copy(bundle, "bench-raw")
    rows = sum(copy_counts.values())
    print(f"crsys roster import benchmark: {args.students:,} students, {schools} schools")
    print(f"  bundle generated: {len(bundle) / 1e6:.1f} MB zip in {generated_s:.1f} s (not timed)")
    per_table = ", ".join(f"{t.split('_', 1)[1]} {n:,}" for t, n in copy_counts.items())
    print(f"  rows written: {rows:,} ({per_table})")
    print(f"  dry run (parse + diff):       {results['dry_run_s']:7.2f} s")
    print(f"  import (parse + diff + write): {results['commit_s']:6.2f} s  "
          f"{rows / results['commit_s']:,.0f} rows/s  peak memory {results['peak_rss_mb']:,.0f} MB")  # fmt: skip # noqa: E501
    print(f"  re-import, unchanged:          {results['reimport_s']:6.2f} s  "
          f"'0 changes': {results['unchanged']}  peak memory {results['reimport_peak_rss_mb']:,.0f} MB")  # fmt: skip # noqa: E501
    delta = f"dry run {results['delta_dry_run_s']:.2f} s, commit {results['delta_commit_s']:.2f} s"
    print(f"  delta of {DELTA_CHANGES:,} changes:   {delta}  {results['delta_counts']}")
    print(f"  raw COPY lower bound:          {copy_s:6.2f} s  {rows / copy_s:,.0f} rows/s")
    print(f"  ratio import / raw COPY:       {results['commit_s'] / copy_s:6.2f}x")
    targets = {
        "import < 60 s": results["commit_s"] < 60,
        "within 5x of COPY": results["commit_s"] / copy_s <= 5,
        "peak memory < 1.5 GB": results["peak_rss_mb"] < 1536,
        "re-import < 30 s": results["reimport_s"] < 30,
        "delta commit < 10 s": results["delta_commit_s"] < 10,
    }
    verdicts = ", ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in targets.items())
    print(f"  targets (at 140,000 students): {verdicts}")


if __name__ == "__main__":
    main()

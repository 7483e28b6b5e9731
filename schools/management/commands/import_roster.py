"""Nightly sync from a SIS drop folder: the same import as the browser, from a file."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crsys.tenancy.context import district_context
from districts.models import District
from districts.permissions import SYSTEM
from schools import services
from schools.models import RosterImport
from schools.roster.people import describe_person, read_people


class Command(BaseCommand):
    help = (
        "Import a OneRoster 1.1 or 1.2 CSV bundle (zip, bulk or delta) into a district. Prints "
        "the changes, or every problem with file, row and column, and exits non-zero when the "
        "file is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="the district's slug")
        parser.add_argument("path", help="the OneRoster zip")
        parser.add_argument("--dry-run", action="store_true", help="check and count only")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="name every person created, changed (field: before -> after) or withdrawn",
        )
        parser.add_argument(
            "--allow-mass-withdrawal",
            action="store_true",
            help="commit even though the file withdraws more than the allowed share of the "
            "district's students or staff (a complete file meant to do so)",
        )
        parser.add_argument(
            "--relink",
            action="store_true",
            help="re-link stored students to the file's sourcedIds by student number (a "
            "re-keyed SIS, or students first imported from a spreadsheet); the dry run lists "
            "the matches",
        )
        parser.add_argument(
            "--send-invitations",
            action="store_true",
            help="e-mail the people this import invites (existing accounts new to this district); "
            "without it nobody is mailed",
        )

    def handle(self, *args, district, path, dry_run, json: bool, allow_mass_withdrawal: bool,
               send_invitations: bool, verbose: bool = False, relink: bool = False,
               **options):  # fmt: skip
        target = District.objects.filter(slug=district).first()
        if target is None:
            raise CommandError(f"--district: no district has the slug '{district}'")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        data = file.read_bytes()
        with district_context(target):
            roster_import = services.roster_import_upload(
                district=target, actor=SYSTEM, name=file.name, data=data,
                kind=RosterImport.Kind.ONEROSTER, source="command line", check=False,
            )  # fmt: skip
            roster_import = services.roster_import_check(roster_import=roster_import)
            refused = ""
            if roster_import.status == RosterImport.Status.READY and not dry_run:
                try:
                    services.roster_import_allow(
                        actor=SYSTEM,
                        roster_import=roster_import,
                        mass_withdrawal=allow_mass_withdrawal,
                        relink=relink,
                    )
                except ValidationError as error:
                    refused = error.messages[0]
                else:
                    roster_import = services.roster_import_commit(roster_import=roster_import)
            invited = []
            if send_invitations and roster_import.status == RosterImport.Status.COMMITTED:
                invited = services.roster_import_send_invitations(
                    district=target, actor=SYSTEM, roster_import=roster_import
                )
        self._report(roster_import, dry_run=dry_run or bool(refused), as_json=json,
                     verbose=verbose)  # fmt: skip
        for email in invited:
            self.stdout.write(f"invitation sent to {email}")
        if refused:
            flag = "--relink" if "re-link" in refused else "--allow-mass-withdrawal"
            raise CommandError(f"import #{roster_import.pk} not committed: {refused} ({flag})")
        if roster_import.status not in {RosterImport.Status.READY, RosterImport.Status.COMMITTED}:
            count = roster_import.problem_count
            raise CommandError(f"import #{roster_import.pk}: {count} problems, nothing written")

    def _report(self, roster_import: RosterImport, *, dry_run: bool, as_json: bool,
                verbose: bool) -> None:  # fmt: skip
        counts = roster_import.counts if roster_import.counts else roster_import.preview
        people = []
        if verbose and roster_import.people_file:
            with roster_import.people_file.open("rb") as handle:
                people = read_people(handle.read())
        if as_json:
            self.stdout.write(json.dumps({
                "import": roster_import.pk, "status": roster_import.status, "counts": counts,
                "problems": roster_import.problems, "warnings": roster_import.warnings,
                "role_changes": roster_import.role_changes,
                "mass_withdrawal": roster_import.mass_withdrawal,
                "source_version": roster_import.source_version,
                "relink": roster_import.relink,
                **({"people": people} if verbose else {}),
            }, default=str))  # fmt: skip
            return
        for warning in roster_import.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        if roster_import.relink:
            self.stdout.write(self.style.WARNING(f"re-link: {roster_import.relink}"))
        for problem in roster_import.problems:
            where = problem["file"]
            if problem["row"] is not None:
                where += f", row {problem['row']}"
            if problem["column"]:
                where += f", column {problem['column']}"
            self.stderr.write(f"{where}: {problem['message']}")
        if roster_import.problem_count > len(roster_import.problems):
            self.stderr.write(f"… and {roster_import.problem_count - len(roster_import.problems)}"
                              " more")  # fmt: skip
        done = roster_import.status == RosterImport.Status.COMMITTED
        if roster_import.source_version:
            self.stdout.write(f"read as {roster_import.source_version}")
        for person in people:
            self.stdout.write(("" if done else "would: ") + describe_person(person))
        for change in roster_import.role_changes:
            self.stdout.write(describe_role_change(change, done=done))
        if roster_import.status in {RosterImport.Status.READY, RosterImport.Status.COMMITTED}:
            summary = describe_counts(counts)
            verb = "would change" if dry_run else "changed"
            self.stdout.write(summary if summary == "0 changes" else f"{verb}: {summary}")


def describe_counts(counts: dict) -> str:
    parts = []
    for entity, c in counts.items():
        bits = [f"{n} {k}" for k, n in c.items() if n]
        if bits:
            parts.append(f"{entity.replace('_', ' ')} ({', '.join(bits)})")
    return "; ".join(parts) if parts else "0 changes"


def describe_role_change(change: dict, *, done: bool) -> str:
    """ "Jane Doe <jane@…> (users.csv row 7): becomes principal of Birch Middle"."""
    who = change["name"]
    if change["email"] and change["email"] != who:
        who += f" <{change['email']}>"
    where = f" (users.csv row {change['row']})" if change["row"] else ""
    prefix = "" if done else "would: "
    return f"{prefix}{who}{where}: {change['words']}"

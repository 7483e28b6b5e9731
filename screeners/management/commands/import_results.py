"""Screener results from a file (columns: student number, screener, score) into a window."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from crsys.tenancy.context import district_context
from districts.models import District
from districts.permissions import SYSTEM
from schools.selectors import district_today
from screeners import selectors, services
from screeners.models import ResultImport


class Command(BaseCommand):
    help = (
        "Import screener results (CSV or XLSX with columns student number, screener, score) "
        "into a window. All or nothing; exits non-zero with every row's problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="the district's slug")
        parser.add_argument("--window", required=True, type=int, help="the window's id")
        parser.add_argument("path")
        parser.add_argument("--sheet", default="", help="the XLSX sheet to read")
        parser.add_argument("--dry-run", action="store_true", help="check and count only")

    def handle(self, *args, district, window, path, sheet, dry_run, **options):
        target = District.objects.filter(slug=district).first()
        if target is None:
            raise CommandError(f"--district: no district has the slug '{district}'")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        today = district_today(target)
        with district_context(target):
            try:
                found = selectors.get_window(district_id=target.pk, window_pk=window)
            except Http404:
                raise CommandError(
                    f"--window: district '{district}' has no window {window}"
                ) from None
            result_import = services.result_import_upload(
                actor=SYSTEM,
                window=found,
                name=file.name,
                data=file.read_bytes(),
                sheet=sheet,
                check=False,
            )
            result_import = services.result_import_check(result_import=result_import, today=today)
            if result_import.status == ResultImport.Status.READY and not dry_run:
                result_import = services.result_import_commit(
                    result_import=result_import, today=today
                )
        for warning in result_import.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        for p in result_import.problems:
            where = p["file"] + (f", row {p['row']}" if p["row"] is not None else "")
            where += f", column {p['column']}" if p["column"] else ""
            self.stderr.write(f"{where}: {p['message']}")
        if result_import.status not in {ResultImport.Status.READY, ResultImport.Status.COMMITTED}:
            raise CommandError(f"{result_import.problem_count} problems, nothing written")
        counts = result_import.counts or result_import.preview
        verb = "would save" if dry_run else "saved"
        self.stdout.write(
            f"{verb}: {counts['create']} new, {counts['update']} changed, "
            f"{counts['unchanged']} unchanged"
        )

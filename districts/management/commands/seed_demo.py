import base64
import binascii
import datetime
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from districts.demo import seed_demo_district


class Command(BaseCommand):
    help = "Create (or refresh) a demo district with a user per role, and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="demo", help="District slug (default: demo).")
        parser.add_argument("--password", default="demo-pass-2026", help="Password for all users.")
        parser.add_argument("--name", help="District name (default: from the slug).")
        parser.add_argument(
            "--size", choices=["small", "large"], default="small",
            help="small: ~6 schools, 1,500 students; large: ~250 schools, 140,000 students",
        )  # fmt: skip
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (demo accounts!)."
        )
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD",
            help="Build the demo as of this day (default: the district's local date).",
        )  # fmt: skip

        parser.add_argument(
            "--totp-secret", metavar="BASE32",
            help="Authenticator secret every demo account is enrolled with (default: a new "
            "random one, printed).",
        )  # fmt: skip

    def handle(self, *args, slug, password, name, size, force, today=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password; with DEBUG off it needs --force."
            )
        try:
            validate_slug(slug)
        except Exception as error:
            raise CommandError(f"--slug: {error.messages[0]}") from None
        secret = (options.get("totp_secret") or "").strip().upper().replace(" ", "")
        if secret:
            try:
                base64.b32decode(secret + "=" * (-len(secret) % 8))
            except (binascii.Error, ValueError):
                raise CommandError(
                    "--totp-secret: not base 32 (letters A-Z, digits 2-7)."
                ) from None
        else:
            secret = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
        logins = seed_demo_district(
            slug=slug, password=password, name=name, size=size, today=today, totp_secret=secret
        )
        self.stdout.write(self.style.SUCCESS(f"Demo district '{slug}' is ready."))
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/accounts/login/ with password {password}:"
        )
        for login in logins:
            self.stdout.write(f"  {login.role:<16} {login.email}")
        self.stdout.write(
            f"then the one-time code of the authenticator secret {secret} (add it to an "
            "authenticator app as a time-based key), or print the current code with: "
            "python manage.py totp_code EMAIL"
        )

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from districts import mfa
from districts.models import User


class Command(BaseCommand):
    help = "Print an account's current authenticator code (DEBUG only: for the demo and checks)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("totp_code only runs with DEBUG on: it stands in for a phone.")
        user = User.objects.find_by_email(email)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        if device is None:
            raise CommandError(f"{email} has no authenticator enrolled.")
        self.stdout.write(mfa.current_code(device))

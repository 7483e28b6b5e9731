from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from districts import services
from districts.invitations import set_password_url
from districts.models import District

OPTION_OF_FIELD = {"slug": "SLUG", "name": "--name", "time_zone": "--time-zone"}


class Command(BaseCommand):
    help = (
        "Create a district with its defaults and its first district admin, and print a link "
        "that lets that admin set a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The district's part of every URL: /d/SLUG/.")
        parser.add_argument("--name", required=True, help="e.g. 'Prairie Rose School Division'")
        parser.add_argument("--admin", required=True, metavar="EMAIL", help="First admin.")
        parser.add_argument(
            "--time-zone",
            default=District._meta.get_field("time_zone").default,
            help="IANA time zone (default: %(default)s).",
        )

    def handle(self, *args, slug, name, admin, time_zone, **options):
        district = District(slug=slug, name=name, time_zone=time_zone)
        try:
            created = services.district_create(district=district, admin_email=admin)
        except ValidationError as error:
            lines = [
                f"{OPTION_OF_FIELD.get(field, '--admin')}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("Nothing was created.\n" + "\n".join(lines)) from None
        user = created.admin
        self.stdout.write(self.style.SUCCESS(f"District '{district.name}' is ready at /d/{slug}/."))
        who = "new account" if created.admin_is_new else "existing account"
        self.stdout.write(f"District admin: {user.email} ({who}).")
        if user.has_usable_password():
            # Never print a working reset link for an account someone already signs in with.
            self.stdout.write("They already have a password and sign in as usual.")
            return
        self.stdout.write(
            "Link to set a password (works once, expires in "
            f"{max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400)} days; sending it is up to you):"
        )
        self.stdout.write(f"  {set_password_url(user)}")

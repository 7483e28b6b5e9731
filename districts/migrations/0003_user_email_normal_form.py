"""Every stored address in its normal form (districts.emails), then the database guards it.

Existing rows are normalised. Two rows whose addresses share a normal form, or a row whose
address has no normal form (a look-alike such as ``admın@`` with a dotless ı), stop the
migration with their ids and addresses: which account is the real one is a person's decision
(merge memberships, or rename or delete the look-alike), never the migration's.
"""

from collections import defaultdict

import django.db.models.functions.text
from django.core.exceptions import ValidationError
from django.db import migrations, models

import districts.models
from districts.emails import normalize_email


def plan(rows):
    """({user id: normal address} for rows to change, [problems naming ids and addresses])."""
    by_normal = defaultdict(list)
    unusable = []
    for pk, email in rows:
        try:
            by_normal[normalize_email(email)].append((pk, email))
        except ValidationError as error:
            unusable.append(f"  user id {pk}: {email!r} ({' '.join(error.messages)})")
    collisions = [
        f"  {normal!r} is held by " + ", ".join(f"user id {pk} ({email!r})" for pk, email in same)
        for normal, same in by_normal.items()
        if len(same) > 1
    ]
    problems = []
    if unusable:
        problems += ["Addresses with look-alike or invalid characters:", *unusable]
    if collisions:
        problems += ["Addresses that are one account:", *collisions]
    updates = {
        same[0][0]: normal
        for normal, same in by_normal.items()
        if len(same) == 1 and same[0][1] != normal
    }
    return updates, problems


def normalise_addresses(apps, schema_editor):
    User = apps.get_model("districts", "User")
    rows = list(User.objects.order_by("pk").values_list("pk", "email"))
    updates, problems = plan(rows)
    if problems:
        raise RuntimeError(
            "Cannot store every e-mail address in its normal form. Decide which account is "
            "the real one (move its memberships, then rename or delete the other) and migrate "
            "again; nothing was changed.\n" + "\n".join(problems)
        )
    for pk, normal in updates.items():
        User.objects.filter(pk=pk).update(email=normal)
    assert User.objects.count() == len(rows), "users were lost while normalising addresses"


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("districts", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(normalise_addresses, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="user",
            name="user_email_ci_unique",
        ),
        migrations.AlterField(
            model_name="user",
            name="email",
            field=districts.models.NormalEmailField(max_length=254, unique=True),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("email", django.db.models.functions.text.Lower("email")),
                    ("email__regex", "^[!-~]+$"),
                ),
                name="user_email_is_normal",
                violation_error_message="The e-mail address is not in its normal form.",
            ),
        ),
    ]

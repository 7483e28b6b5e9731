"""Agenda keys are in URLs now (a section's notes are saved at .../sections/<key>/), so a
custom section's key is custom-<lowercase letters, digits, dashes>. Keys stored before that
rule (any "custom-..." the API took) are renamed, in layers' templates and in meetings'
agendas, with the notes filed under them."""

import re

from django.db import migrations

BUILT_IN = {"celebrations", "commitments", "key_issues", "referrals"}
CUSTOM_KEY = re.compile(r"custom-[a-z0-9-]{1,17}")


def _renamed(agenda) -> dict[str, str]:
    """Old key -> new key for the sections whose key breaks the rule."""
    if not isinstance(agenda, list):
        return {}
    keys = [str(s.get("key") or "") for s in agenda if isinstance(s, dict)]
    used, renames, number = set(keys), {}, 1
    for key in keys:
        if key in BUILT_IN or CUSTOM_KEY.fullmatch(key):
            continue
        while f"custom-{number}" in used:
            number += 1
        renames[key] = f"custom-{number}"
        used.add(renames[key])
    return renames


def _apply(agenda, renames):
    return [
        {**s, "key": renames.get(str(s.get("key") or ""), s.get("key"))}
        if isinstance(s, dict)
        else s
        for s in agenda
    ]


def rename(apps, schema_editor):
    TeamLayer = apps.get_model("teams", "TeamLayer")
    Meeting = apps.get_model("teams", "Meeting")
    SectionNote = apps.get_model("teams", "SectionNote")
    for layer in TeamLayer._base_manager.all().only("pk", "agenda_template"):
        renames = _renamed(layer.agenda_template)
        if renames:
            layer.agenda_template = _apply(layer.agenda_template, renames)
            layer.save(update_fields=["agenda_template"])
    for meeting in Meeting._base_manager.exclude(agenda=[]).only("pk", "agenda").iterator():
        renames = _renamed(meeting.agenda)
        if renames:
            meeting.agenda = _apply(meeting.agenda, renames)
            meeting.save(update_fields=["agenda"])
            for old, new in renames.items():
                SectionNote._base_manager.filter(meeting_id=meeting.pk, key=old).update(key=new)


class Migration(migrations.Migration):
    dependencies = [("teams", "0005_discussion_domain_choices")]
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]

"""Layers made before every layer had a default agenda get one (nobody could edit an agenda
then, so an empty one is always the old default)."""

from django.db import migrations

AGENDAS = {
    "collaborative_planning": [
        {"key": "custom-1", "title": "Learning outcomes and evidence", "minutes": 20},
        {"key": "custom-2", "title": "Plan instruction and assessment together", "minutes": 30},
        {"key": "commitments", "title": "Last week's commitments", "minutes": 10},
    ],
    "school_support": [
        {"key": "celebrations", "title": "Celebrations", "minutes": 5},
        {"key": "commitments", "title": "Last meeting's commitments", "minutes": 10},
        {"key": "referrals", "title": "Referrals to review", "minutes": 40},
        {"key": "key_issues", "title": "Students we follow", "minutes": 20},
    ],
    "district": [
        {"key": "celebrations", "title": "Celebrations", "minutes": 5},
        {"key": "commitments", "title": "Last meeting's commitments", "minutes": 10},
        {"key": "custom-1", "title": "Schools' data and action plans", "minutes": 45},
    ],
}


def fill(apps, schema_editor):
    TeamLayer = apps.get_model("teams", "TeamLayer")
    for kind, agenda in AGENDAS.items():
        TeamLayer._base_manager.filter(kind=kind, agenda_template=[]).update(
            agenda_template=agenda
        )


class Migration(migrations.Migration):
    dependencies = [("teams", "0002_same_issue_students")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

"""Every district has its four team layers. They used to be made the first time a page asked
for them; now the district is born with them (``districts.services.district_create``) and
pages only read them, so a district made before then gets any it lacks, under the default
names and agendas of the time (frozen here: later changes to the defaults must not reach
back)."""

from django.db import migrations

PLANNING = [
    {"key": "custom-1", "title": "Learning outcomes and evidence", "minutes": 20},
    {"key": "custom-2", "title": "Plan instruction and assessment together", "minutes": 30},
    {"key": "commitments", "title": "Last week's commitments", "minutes": 10},
]
CTM = [
    {"key": "celebrations", "title": "Norms and celebrations", "minutes": 10},
    {"key": "commitments", "title": "Last meeting's commitments", "minutes": 5},
    {"key": "key_issues", "title": "Key issues", "minutes": 45},
    {"key": "referrals", "title": "Students to refer to the school support team", "minutes": 5},
]
SUPPORT = [
    {"key": "celebrations", "title": "Celebrations", "minutes": 5},
    {"key": "commitments", "title": "Last meeting's commitments", "minutes": 10},
    {"key": "referrals", "title": "Referrals to review", "minutes": 40},
    {"key": "key_issues", "title": "Students we follow", "minutes": 20},
]
DISTRICT = [
    {"key": "celebrations", "title": "Celebrations", "minutes": 5},
    {"key": "commitments", "title": "Last meeting's commitments", "minutes": 10},
    {"key": "custom-1", "title": "Schools' data and action plans", "minutes": 45},
]
LAYERS = [
    (
        "collaborative_planning",
        "Collaborative planning",
        "Plan instruction together.",
        "Grade or subject teachers",
        "Weekly",
        PLANNING,
    ),
    (
        "ctm",
        "Collaborative team meeting",
        "Every student's needs, discussed by the teachers who know them.",
        "Teachers of a grade or division, with a facilitator",
        "Every six weeks",
        CTM,
    ),
    (
        "school_support",
        "School support team",
        "Students referred by collaborative teams; supports beyond the classroom.",
        "Principal, learning support, counsellor",
        "Every two weeks",
        SUPPORT,
    ),
    (
        "district",
        "District team",
        "Tiers of district support to schools, from their data and action plans.",
        "District leaders",
        "Monthly",
        DISTRICT,
    ),
]


def add_missing_layers(apps, schema_editor):
    District = apps.get_model("districts", "District")
    TeamLayer = apps.get_model("teams", "TeamLayer")
    had = set(TeamLayer._base_manager.values_list("district_id", "kind"))
    missing = [
        TeamLayer(
            district_id=district_id,
            kind=kind,
            name=name,
            purpose=purpose,
            attendees=attendees,
            frequency=frequency,
            agenda_template=agenda,
            order=order,
        )
        for district_id in District._base_manager.values_list("pk", flat=True)
        for order, (kind, name, purpose, attendees, frequency, agenda) in enumerate(LAYERS)
        if (district_id, kind) not in had
    ]
    TeamLayer._base_manager.bulk_create(missing)
    # Row-level security must not have hidden rows from this migration (ADR 2).
    districts = District._base_manager.count()
    assert TeamLayer._base_manager.count() >= 4 * districts, "some district still lacks layers"


class Migration(migrations.Migration):
    dependencies = [
        ("districts", "0001_initial"),
        ("teams", "0006_agenda_keys_in_urls"),
    ]
    operations = [migrations.RunPython(add_missing_layers, migrations.RunPython.noop)]

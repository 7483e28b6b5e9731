"""A discussion's area of concern is one of its district's focus areas (the continuum's
list, shared with screeners) instead of a key from a fixed list: the field, then each
discussion's focus area from its old key (a key its district lacks is made, as in
screeners 0005); no key, no focus area."""

import django.db.models.deletion
from django.db import migrations, models

#: The fixed list's names, as they were (screeners.models.Domain, now gone).
NAMES = {
    "literacy": "Literacy",
    "numeracy": "Numeracy",
    "well_being": "Well-being",
    "attendance": "Attendance",
    "other": "Other",
}


def focus_area(FocusArea, district_id: int, key: str):
    """The district's focus area with ``key``, made when it has none."""
    area = FocusArea.objects.filter(district_id=district_id, key=key).first()
    if area is not None:
        return area
    areas = FocusArea.objects.filter(district_id=district_id)
    taken = set(areas.values_list("name", flat=True))
    name = NAMES.get(key, key.replace("_", " ").capitalize())
    if name in taken:
        name = f"{name} ({key})"
    return FocusArea.objects.create(
        district_id=district_id, key=key, name=name, position=areas.count()
    )


def forwards(apps, schema_editor):
    Discussion = apps.get_model("teams", "Discussion")
    FocusArea = apps.get_model("continuum", "FocusArea")
    with_key = Discussion.objects.exclude(domain="").order_by()
    for district_id, key in list(with_key.values_list("district_id", "domain").distinct()):
        area = focus_area(FocusArea, district_id, key)
        Discussion.objects.filter(district_id=district_id, domain=key).update(focus_area=area)
    assert not Discussion.objects.exclude(domain="").filter(focus_area__isnull=True).exists()


def backwards(apps, schema_editor):
    Discussion = apps.get_model("teams", "Discussion")
    for discussion in Discussion.objects.filter(focus_area__isnull=False).select_related(
        "focus_area"
    ):
        discussion.domain = discussion.focus_area.key[:16]
        discussion.save(update_fields=["domain"])


class Migration(migrations.Migration):
    dependencies = [
        ("continuum", "0004_focus_area_messages"),
        ("teams", "0008_text_length_validators"),
    ]

    operations = [
        migrations.AddField(
            model_name="discussion",
            name="focus_area",
            field=models.ForeignKey(
                blank=True,
                help_text="Area of concern.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="continuum.focusarea",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]

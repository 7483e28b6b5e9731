"""Screeners name one of their district's focus areas (the continuum's list) instead of a key
from a fixed list: the field, then each screener's focus area from its old key. The focus
areas with the old keys were made for every district by continuum's defaults (0002); a key
a district lacks (a renamed one, "other" in an older district) is made here."""

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
    Screener = apps.get_model("screeners", "Screener")
    FocusArea = apps.get_model("continuum", "FocusArea")
    pairs = Screener.objects.order_by().values_list("district_id", "domain").distinct()
    for district_id, key in list(pairs):
        area = focus_area(FocusArea, district_id, key or "other")
        Screener.objects.filter(district_id=district_id, domain=key).update(focus_area=area)
    assert not Screener.objects.filter(focus_area__isnull=True).exists()


def backwards(apps, schema_editor):
    Screener = apps.get_model("screeners", "Screener")
    for screener in Screener.objects.select_related("focus_area"):
        screener.domain = screener.focus_area.key[:16] if screener.focus_area_id else "other"
        screener.save(update_fields=["domain"])


class Migration(migrations.Migration):
    dependencies = [
        ("continuum", "0004_focus_area_messages"),
        ("screeners", "0004_result_import_column_mapping"),
    ]

    operations = [
        migrations.AddField(
            model_name="screener",
            name="focus_area",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="continuum.focusarea",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]

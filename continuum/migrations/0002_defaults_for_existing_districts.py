"""Districts made before the continuum get its starting focus areas and tiers (new districts
get them from ``districts.services.district_create``)."""

from django.db import migrations

from continuum import defaults


def forwards(apps, schema_editor):
    District = apps.get_model("districts", "District")
    FocusArea = apps.get_model("continuum", "FocusArea")
    Tier = apps.get_model("continuum", "Tier")
    for district_id in District.objects.values_list("pk", flat=True):
        keys = set(FocusArea.objects.filter(district_id=district_id).values_list("key", flat=True))
        FocusArea.objects.bulk_create(
            FocusArea(district_id=district_id, key=key, name=name, position=i)
            for i, (key, name) in enumerate(defaults.FOCUS_AREAS)
            if key not in keys
        )
        numbers = set(Tier.objects.filter(district_id=district_id).values_list("number", flat=True))
        Tier.objects.bulk_create(
            Tier(district_id=district_id, number=n, name=name, description=text)
            for n, name, text in defaults.TIERS
            if n not in numbers
        )


class Migration(migrations.Migration):
    dependencies = [("continuum", "0001_initial"), ("districts", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Districts made before the leadership app get its five assurance areas and Alberta's
evaluation matrix (new districts get them from ``districts.services.district_create``)."""

from django.db import migrations

from leadership import defaults


def forwards(apps, schema_editor):
    District = apps.get_model("districts", "District")
    AssuranceArea = apps.get_model("leadership", "AssuranceArea")
    EvaluationMatrix = apps.get_model("leadership", "EvaluationMatrix")
    for district_id in District.objects.values_list("pk", flat=True):
        keys = set(
            AssuranceArea.objects.filter(district_id=district_id).values_list("key", flat=True)
        )
        AssuranceArea.objects.bulk_create(
            AssuranceArea(district_id=district_id, key=key, name=name, position=i)
            for i, (key, name) in enumerate(defaults.ASSURANCE_AREAS)
            if key not in keys
        )
        if not EvaluationMatrix.objects.filter(district_id=district_id).exists():
            EvaluationMatrix.objects.create(district_id=district_id, matrix=defaults.MATRIX)


class Migration(migrations.Migration):
    dependencies = [("leadership", "0001_initial"), ("districts", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

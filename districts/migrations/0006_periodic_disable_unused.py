from django.db import migrations


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = IntervalSchedule.objects.get_or_create(every=1, period="days")
    PeriodicTask.objects.update_or_create(
        name="Disable accounts unused for ACCOUNT_UNUSED_DAYS",
        defaults={"task": "districts.tasks.disable_unused_accounts", "interval": daily},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="districts.tasks.disable_unused_accounts"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("districts", "0005_mfa_tokens"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]

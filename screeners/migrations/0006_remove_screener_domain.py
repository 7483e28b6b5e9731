"""Every screener has its focus area (0005): the old key goes, the focus area is required.
(A migration of its own: PostgreSQL refuses to alter a table with the updates of 0005's
deferred foreign-key checks still pending in the same transaction.)"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("screeners", "0005_screener_focus_area")]

    operations = [
        migrations.AlterModelOptions(
            name="screener",
            options={"ordering": ["focus_area__position", "focus_area_id", "name"]},
        ),
        # A default only so that going back can add the column again (0005 then fills it).
        migrations.AlterField(
            model_name="screener",
            name="domain",
            field=models.CharField(default="other", max_length=16),
        ),
        migrations.RemoveField(model_name="screener", name="domain"),
        migrations.AlterField(
            model_name="screener",
            name="focus_area",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="continuum.focusarea",
            ),
        ),
    ]

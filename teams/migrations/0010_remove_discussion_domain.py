"""Every discussion with an area of concern has its focus area (0009): the old key goes (a
migration of its own, as screeners 0006 says why)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("teams", "0009_discussion_focus_area")]

    operations = [migrations.RemoveField(model_name="discussion", name="domain")]

"""Give the current and the next year (at migration time) a row, so that the admin can confirm them.

Unlike 0002 this depends on the date it runs: a year without the State Council notice in the
`holidays` package gets the provisional calendar of 《全国年节及纪念日放假办法》 (unconfirmed, no
调休上班日); a year the package has is written confirmed. Later years need no row to be counted
sensibly (the calendar computes the same provisional days for a year without a row); `manage.py
seed_calendar` (which `make run` runs after `migrate`) adds the rows of a new current and next year.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from django.utils import timezone

    from apps.workdays import seeding

    seeding.write_plans(
        seeding.build_plans(seeding.current_years(timezone.localdate())),
        year_model=apps.get_model("workdays", "CalendarYear"),
        day_model=apps.get_model("workdays", "CalendarDay"),
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0002_seed_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Seed the official calendars (2008–2026) so that a fresh database can count working days.

The list of years is fixed here so that re-running this migration later (with a newer `holidays`
package) builds the same database; newer years come through `manage.py seed_calendar` or the admin.
Only years whose data includes the State Council's 调休上班日 are written (all confirmed).
"""

from django.db import migrations

SEED_YEARS = list(range(2008, 2027))


def seed(apps, schema_editor):
    from apps.workdays import seeding

    plans = {year: plan for year, plan in seeding.build_plans(SEED_YEARS).items() if plan.confirmed}
    seeding.write_plans(
        plans,
        year_model=apps.get_model("workdays", "CalendarYear"),
        day_model=apps.get_model("workdays", "CalendarDay"),
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Recompute the stored due dates of open applications from the current working-day calendar.

A calendar change saved through the admin or the services does it at once, and
send_deadline_reminders does it every day before it lists; this is for a change made otherwise
(e.g. straight in the database) or to check.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.applications.services.refresh import BATCH_SIZE, application_deadlines_refresh


class Command(BaseCommand):
    help = "Recompute the stored due dates of open applications from the working-day calendar."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="applications per transaction")

    def handle(self, *args, batch_size: int, **options):
        outcome = application_deadlines_refresh(batch_size=max(1, batch_size))
        self.stdout.write(f"{outcome.checked} open application(s) checked, {outcome.changed} updated.")
        if outcome.refused:
            self.stderr.write(
                "The deadline engine refuses the log of these applications under the current calendar; "
                "their stored dates are left as they were: " + ", ".join(outcome.refused)
            )

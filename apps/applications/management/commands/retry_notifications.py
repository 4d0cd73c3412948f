"""Send again the applicants' messages whose delivery failed (send_deadline_reminders does it daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.applications import notifications


class Command(BaseCommand):
    help = "Retry the notifications to applicants whose delivery failed in the last RETRY_DAYS days."

    def handle(self, *args, **options):
        outcome = notifications.retry_failed()
        self.stdout.write(
            f"Failed notifications retried: {outcome.sent} sent, {outcome.failed} failed again."
        )

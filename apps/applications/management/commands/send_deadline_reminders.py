"""E-mail each organ's clerks the applications due within 5 working days and those overdue.

The stored due dates are recomputed first (services.refresh): the lists read them, and a change of
the working-day calendar made outside the services would otherwise leave them stale. The messages
to applicants whose delivery failed are tried again too (notifications.retry_failed). The reminder
is rendered and sent by the same machinery as the applicants' messages
(templates/applications/notifications/deadline_reminder.*).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.applications import notifications
from apps.applications.selectors import due_soon, overdue
from apps.applications.services.refresh import application_deadlines_refresh
from apps.organs.models import Organ


class Command(BaseCommand):
    help = "E-mail clerks the applications due within 5 working days and the overdue ones."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print the messages without sending them.")
        parser.add_argument("--organ", help="Only this organ (slug).")

    def handle(self, *args, dry_run: bool = False, organ: str | None = None, **options):
        today = timezone.localdate()
        organs = Organ.objects.active().order_by("sort_order", "name")
        if organ:
            organs = organs.filter(slug=organ)
            if not organs.exists():
                raise CommandError(f"No active organ with slug {organ!r}.")
        refreshed = application_deadlines_refresh()
        self.stdout.write(f"Due dates recomputed: {refreshed.changed} of {refreshed.checked} changed.")
        if refreshed.refused:
            self.stderr.write(
                "Due dates left as they were (see refresh_deadlines): " + ", ".join(refreshed.refused)
            )
        if not dry_run:
            retried = notifications.retry_failed()
            self.stdout.write(
                f"Failed notifications retried: {retried.sent} sent, {retried.failed} failed again."
            )
        users = get_user_model().objects.filter(is_active=True).exclude(email="")
        sent = 0
        for current in organs:
            late = list(overdue(current, today=today))
            soon = list(due_soon(current, today=today))
            if not late and not soon:
                continue
            recipients = sorted(users.filter(membership__organ=current).values_list("email", flat=True))
            if not recipients:
                self.stdout.write(
                    f"{current.name}: {len(late)} overdue, {len(soon)} due soon, but no clerk e-mail."
                )
                continue
            message = notifications.clerk_reminder(organ=current, late=late, soon=soon, today=today)
            if dry_run:
                self.stdout.write(
                    f"[dry-run] To: {', '.join(recipients)}\nSubject: {message.subject}\n{message.text}"
                )
                continue
            _attempts, error = notifications.send_email(to=recipients, message=message)
            if error is not None:
                self.stderr.write(f"Not sent to {', '.join(recipients)}: {type(error).__name__}: {error}")
                continue
            sent += 1
            self.stdout.write(f"Sent to {', '.join(recipients)}: {message.subject}")
        self.stdout.write(f"{sent} reminder(s) sent.")

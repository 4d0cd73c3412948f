"""E-mail each organ's clerks the applications due within 5 working days and those overdue.

The stored due dates are recomputed first (services.refresh): the lists read them, and a change of
the working-day calendar made outside the services would otherwise leave them stale.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.applications.selectors import due_soon, overdue
from apps.applications.services.refresh import application_deadlines_refresh
from apps.organs.models import Organ


def _line(application, today) -> str:
    days = (application.due_date - today).days
    when = (
        ngettext("剩余%(n)d天", "剩余%(n)d天", days) % {"n": days}
        if days >= 0
        else ngettext("已逾期%(n)d天", "已逾期%(n)d天", -days) % {"n": -days}
    )
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "admin:applications_application_change", args=[application.pk]
    )
    if application.paused_until:  # a consultation or fee notice ran out: the clock runs again
        when += _("；暂停已于%(date)s期满，恢复计算") % {"date": f"{application.paused_until:%Y-%m-%d}"}
    # Tracking code and status only: no applicant's personal data goes into an e-mail.
    return f"  {application.tracking_code}  {application.get_status_display()}  {_('答复期限')} {application.due_date:%Y-%m-%d}（{when}）\n  {url}"


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
            parts = [
                _("%(organ)s 政府信息公开申请期限提醒（%(day)s）") % {"organ": current.name, "day": today}
            ]
            if late:
                parts.append(_("已逾期（%(n)d件）：") % {"n": len(late)})
                parts += [_line(a, today) for a in late]
            if soon:
                parts.append(_("即将到期，5个工作日内（%(n)d件）：") % {"n": len(soon)})
                parts += [_line(a, today) for a in soon]
            subject = _("【期限提醒】%(organ)s：逾期%(late)d件，即将到期%(soon)d件") % {
                "organ": current.display_name,
                "late": len(late),
                "soon": len(soon),
            }
            body = "\n".join(parts) + "\n"
            if dry_run:
                self.stdout.write(f"[dry-run] To: {', '.join(recipients)}\nSubject: {subject}\n{body}")
                continue
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()
            sent += 1
            self.stdout.write(f"Sent to {', '.join(recipients)}: {subject}")
        self.stdout.write(f"{sent} reminder(s) sent.")

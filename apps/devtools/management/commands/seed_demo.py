"""Fill a database with the deterministic 牡丹江市 demo: organs, catalog, casework, reports, logins.

Every demo builder has ``build(*, organs, rng, stdout)`` and may have ``wipe(*, organs, stdout)``,
which seed_demo calls (in reverse order) before rebuilding so that running the command twice
gives the same database (see apps/devtools/demo/__init__.py). Each builder runs in its own
transaction.
"""

from __future__ import annotations

import random
import secrets
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from apps.devtools.demo import applications as applications_demo
from apps.devtools.demo import catalog as catalog_demo
from apps.devtools.demo import litigation as litigation_demo
from apps.devtools.demo import organs as organs_demo
from apps.devtools.demo import proactive as proactive_demo
from apps.devtools.demo import proposals as proposals_demo
from apps.devtools.demo import reports as reports_demo
from apps.organs.models import Membership, Organ

DEFAULT_SEED = 20190331  # the seed report's date: 2019年3月

# Other apps' builders, in dependency order (records may point at catalog entries; the
# annual reports read everything else).
APP_DEMOS = (proactive_demo, litigation_demo, proposals_demo, applications_demo, reports_demo)

# What a clerk may do (as the clerk persona in tests/conftest.py): everything in the casework
# apps of their own organ (OrganScopedAdmin scopes the rows), but not manage organs or clerks.
CLERK_APPS = (
    "organs",
    "catalog",
    "applications",
    "proactive",
    "litigation",
    "proposals",
    "reports",
    "workdays",
)
CLERK_EXCLUDED = ("add_organ", "delete_organ", "add_membership", "change_membership", "delete_membership")


class Command(BaseCommand):
    help = "Build the deterministic 牡丹江市 demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default: fixed)")
        parser.add_argument(
            "--per-organ",
            type=int,
            default=catalog_demo.DEMO_PER_ORGAN,
            help="generated catalog entries per organ (default %(default)s)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even if the database holds organs that are not demo organs",
        )

    def handle(self, *args, seed: int, per_organ: int, force: bool, **options):
        if per_organ < 0:
            raise CommandError("--per-organ 不能为负数。")
        others = Organ.objects.exclude(organs_demo.demo_organ_filter())
        if others.exists() and not force:
            raise CommandError(
                f"This database holds {others.count()} organs that are not demo organs "
                f"(e.g. {others.first().name}); seed_demo is meant for a demo database. Use --force to go on."
            )
        started = time.monotonic()
        self._step_started = None
        self.stdout.write(f"seed_demo: seed {seed}")
        catalog_demo.ensure_fixtures(self.stdout)

        self._step("organs, 指南 and 制度")
        organs = organs_demo.build(rng=random.Random(seed), stdout=self.stdout)

        self._step("removing earlier demo data")
        for module in reversed(APP_DEMOS):
            if hasattr(module, "wipe"):
                with transaction.atomic():
                    module.wipe(organs=organs, stdout=self.stdout)
        with transaction.atomic():
            catalog_demo.wipe(organs=organs, stdout=self.stdout)

        self._step("catalog")
        catalog_demo.build(
            organs=organs, rng=random.Random(seed + 1), stdout=self.stdout, per_organ=per_organ
        )

        failures = []
        for k, module in enumerate(APP_DEMOS, start=2):
            name = module.__name__
            self._step(name)
            try:
                with transaction.atomic():
                    module.build(organs=organs, rng=random.Random(seed + k), stdout=self.stdout)
            except Exception as error:  # report, roll back this app only, and go on with the others
                failures.append(f"{name}: {type(error).__name__}: {error}")
                self.stderr.write(f"  FAILED (rolled back): {type(error).__name__}: {error}")

        self._step("logins")
        self._logins(organs)
        self._step("statistics")
        with connection.cursor() as cursor:
            # Fresh rows have no planner statistics until autovacuum comes by: without them the
            # catalog list sorted every entry for its 20 rows (7.8 ms instead of 0.3 ms).
            cursor.execute("ANALYZE")
        self.stdout.write(f"seed_demo: done in {time.monotonic() - started:.1f} s")
        if failures:
            raise CommandError("Some demo builders failed:\n" + "\n".join(failures))

    def _step(self, title: str) -> None:
        now = time.monotonic()
        if self._step_started is not None:
            self.stdout.write(f"  ({now - self._step_started:.1f} s)")
        self._step_started = now
        self.stdout.write(self.style.MIGRATE_HEADING(f"- {title}"))

    @transaction.atomic
    def _logins(self, organs: dict[str, Organ]) -> None:
        """A superuser and one clerk per organ, with new random passwords on every run."""
        User = get_user_model()
        lines = []
        admin = User.objects.filter(username="admin").first() or User(username="admin")
        admin.is_staff = admin.is_superuser = admin.is_active = True
        password = secrets.token_urlsafe(12)
        admin.set_password(password)
        admin.save()
        lines.append(("admin", password, "超级管理员"))

        permissions = list(
            Permission.objects.filter(content_type__app_label__in=CLERK_APPS).exclude(
                codename__in=CLERK_EXCLUDED
            )
        )
        for organ in organs.values():
            username = f"{organ.slug}_clerk"
            clerk = User.objects.filter(username=username).first() or User(username=username)
            clerk.is_staff, clerk.is_superuser, clerk.is_active = True, False, True
            clerk.email = organ.email
            password = secrets.token_urlsafe(12)
            clerk.set_password(password)
            clerk.save()
            clerk.user_permissions.set(permissions)
            Membership.objects.update_or_create(user=clerk, defaults={"organ": organ})
            lines.append((username, password, organ.name))

        self.stdout.write("  Demo logins (passwords are new on every run):")
        for username, password, role in lines:
            self.stdout.write(f"    {username:<14} {password}  {role}")

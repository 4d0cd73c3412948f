"""Rebuild the gram statistics that size the search's date chunks (apps/catalog/search.py).

Run it after large imports and otherwise now and then (nightly is plenty): statistics
that are missing or stale make searches slower, never give different results.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from apps.catalog import search_upkeep


class Command(BaseCommand):
    help = "Rebuild catalog_searchgramstat from a sample of the search documents."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=search_upkeep.STAT_SAMPLE, help="documents sampled")

    def handle(self, *args, sample: int, **options):
        if sample < 1:
            raise CommandError("--sample must be at least 1.")
        started = time.monotonic()
        rows = search_upkeep.rebuild_gram_stats(sample=sample)
        self.stdout.write(
            f"{rows:,} gram statistics from about {sample:,} documents in {time.monotonic() - started:.1f} s"
        )

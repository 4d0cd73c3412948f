"""Upkeep of the search index's pending list and of the search's side tables.

- The pending list of catalog_search_keys_gin: where saves put their keys, and how a large
  import has them merged on the other processor while it writes.
- Gram statistics and facet counts. Neither changes what a search finds: the statistics size
  the walk's date chunks (apps/catalog/selectors/searching.py) and the facet tables give the
  list's counts. Both are rebuilt after bulk loads; the statistics also by
  `manage.py search_statistics` (nightly is plenty).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction

from apps.catalog.search import FIELD_SEPARATOR, HEAD_MARK
from disclosure_portal.caching import content_changed

logger = logging.getLogger(__name__)

# --- the index's pending list ---------------------------------------------------------
#
# catalog_search_keys_gin keeps a pending list (fastupdate, migration 0011): a save appends
# its few hundred keys to it, and the save that finds it longer than the connection's
# gin_pending_list_limit (256 kB, settings.DATABASES) merges it into the index, about one
# save in ten. Every search statement scans the list, which is why it is kept that short.

SEARCH_INDEX = "catalog_search_keys_gin"
#: From this many search documents, a transaction has its keys merged by a second connection.
MERGE_ALONGSIDE_FROM = 1_000
MERGE_MEMORY = "256MB"  # maintenance_work_mem of a merge: its sort memory


def _merge_pending_list(cursor) -> int:
    """Merge the pending list into the index; return the pages merged."""
    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [SEARCH_INDEX])
    return cursor.fetchone()[0]


@contextmanager
def keys_merged_alongside(documents: int):
    """Within a transaction, write many search documents while a second connection merges their keys.

    Merging is half of what a document costs PostgreSQL; done by the writing transaction it
    waits until the end and runs on one processor. Inside this block the transaction only
    appends to the pending list (its limit is raised), a thread with its own connection
    merges the list every few seconds as it grows, and the transaction merges what is left
    on leaving.

    A merge moves keys, whatever becomes of the rows they point to: keys of rows that are
    rolled back are removed by VACUUM, as for any index. No lock beyond a row insert's is
    taken, so searches go on meanwhile, reading the list too (a couple of seconds' keys).
    Without a second connection (none free, an error) the transaction merges everything
    itself at the end.
    """
    if documents < MERGE_ALONGSIDE_FROM:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL gin_pending_list_limit = '2GB'")  # never merge while appending
    merger = _Merger(connection.alias)
    merger.start()
    try:
        yield
    finally:
        merger.finish()
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{MERGE_MEMORY}'")
        _merge_pending_list(cursor)
        cursor.execute("SET LOCAL gin_pending_list_limit = DEFAULT")
        cursor.execute("SET LOCAL maintenance_work_mem = DEFAULT")


class _Merger(threading.Thread):
    """Merges the pending list into the index: a first pass after FIRST_PASS_SECONDS, then one
    starting every PASS_SECONDS, until told to finish.

    A pass costs a fixed part (each distinct key's place in the index is found again, dearer
    in a large index) besides its keys. Measured on the 2-core machine (10,000 rows into
    1,000,000 entries, 4 runs each): passes back to back 5.19 s on average, every 2 s 4.71 s,
    every 3 s 5.33 s (the rest waits for the end); every 0.5-1 s, or paced by the length of
    the last pass, 4.8-5.7 s. The first pass after 1 s serves smaller imports: 5,000 rows into
    the demo catalog took 3.0 s with the first pass at 2 s, 2.4 s with it at 1 s.
    """

    FIRST_PASS_SECONDS = 1.0
    PASS_SECONDS = 2.0

    def __init__(self, alias: str = DEFAULT_DB_ALIAS):
        super().__init__(name="search-index-merger", daemon=True)
        self.alias = alias
        self.pages = 0  # pending-list pages merged
        self._finishing = threading.Event()

    def run(self) -> None:
        try:
            merger = connections.create_connection(self.alias)  # its own, outside the writer's transaction
            try:
                with merger.cursor() as cursor:
                    cursor.execute(f"SET maintenance_work_mem = '{MERGE_MEMORY}'")
                    beat = time.monotonic() + self.FIRST_PASS_SECONDS
                    while True:  # then a pass every PASS_SECONDS (or right after a longer one)
                        if self._finishing.wait(max(0.0, beat - time.monotonic())):
                            break
                        self.pages += _merge_pending_list(cursor)
                        beat += self.PASS_SECONDS
            finally:
                merger.close()
        except DatabaseError:
            logger.warning(
                "The search index's merger stopped; the import merges the rest itself.", exc_info=True
            )

    def finish(self) -> None:
        self._finishing.set()
        self.join()


# --- gram statistics ------------------------------------------------------------------
#
# The search sizes its date chunks from how common each gram is per year
# (apps/catalog/selectors/searching.py). The shares come from a sample of the search
# documents, rebuilt after a bulk load and by `manage.py search_statistics` (nightly is
# plenty); stale or missing statistics make a search slower, never wrong.

STAT_MIN_SHARE = 0.002  # grams rarer than this in a year's sample are not stored
STAT_SAMPLE = 10_000  # documents sampled


def _sample_grams(head: str, body: str) -> set[str]:
    grams: set[str] = set()
    for text, mark in ((head, HEAD_MARK), (head, ""), (body, "")):
        for part in text.split(FIELD_SEPARATOR):
            for n in (1, 2, 3):
                grams.update(mark + part[i : i + n] for i in range(len(part) - n + 1))
    return grams


def rebuild_gram_stats(*, sample: int = STAT_SAMPLE) -> int:
    """Recompute catalog_searchgramstat from a sample of the search documents; return rows kept."""
    from apps.catalog.models import SearchDocument, SearchGramStat

    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        total = cursor.fetchone()[0]
        percent = min(100.0, 100.0 * sample / max(total, 1))
        source = table if percent >= 100 else f"{table} TABLESAMPLE SYSTEM ({percent:.4f})"
        cursor.execute(f"SELECT extract(year FROM publish_date)::int, head, body FROM {source}")
        docs: Counter[int] = Counter()
        grams: dict[int, Counter[str]] = {}
        for year, head, body in cursor.fetchall():
            docs[year] += 1
            grams.setdefault(year, Counter()).update(_sample_grams(head, body))
    rows = [SearchGramStat(gram="", year=year, share=1.0) for year in docs]
    for year, counter in grams.items():
        floor = max(2, STAT_MIN_SHARE * docs[year])
        rows += [
            SearchGramStat(gram=gram, year=year, share=n / docs[year])
            for gram, n in counter.items()
            if n >= floor and len(gram) <= 16
        ]
    with transaction.atomic():
        # A raw DELETE: statistics change no page, so no per-row signals (a queryset delete would
        # send one per row, each invalidating the page cache).
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SearchGramStat._meta.db_table}")
        SearchGramStat.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)


# --- facet counts -------------------------------------------------------------------
#
# catalog_facet_cube holds the number of published entries per combination of the
# facet dimensions (organ, theme, genre, year, validity, 第二十条 item; item 0 = none);
# catalog_facet_total holds the per-value totals of each dimension. Both are kept exact
# by statement-level plpgsql triggers on catalog_catalogentry (migration 0002), in the
# same transaction as the change. A bulk loader suspends the triggers and rebuilds once.


def rebuild_facet_counts() -> None:
    """Recompute both facet tables from catalog_catalogentry (one pass, a few seconds per million).

    The pages' counts (and the per-generation totals in every process) change with them.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT catalog_facet_rebuild()")
    content_changed()


@contextmanager
def facet_maintenance_suspended():
    """Disable the facet triggers for a bulk load, then rebuild the counts once.

    Takes an exclusive lock on the catalog table for the duration (ALTER TABLE), so use
    it only for bulk loads, never on a live site with clerks at work.
    """
    triggers = ("catalog_facet_ins", "catalog_facet_upd", "catalog_facet_del")

    def toggle(action: str) -> None:
        with connection.cursor() as cursor:
            # Inside a transaction, Django's deferred foreign-key checks would make
            # ALTER TABLE fail ("pending trigger events"): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in triggers:
                cursor.execute(f"ALTER TABLE catalog_catalogentry {action} TRIGGER {name}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    toggle("DISABLE")
    try:
        yield
    finally:
        with transaction.atomic():
            toggle("ENABLE")
            rebuild_facet_counts()

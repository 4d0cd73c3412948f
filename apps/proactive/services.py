"""Every write to proactive-disclosure records (admin, demo data, tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from apps.catalog.models import CatalogEntry
from apps.organs.models import Organ
from apps.proactive.enums import Approximation
from apps.proactive.models import Publication, Table2Override, YearTally


@transaction.atomic
def publication_save(*, publication: Publication) -> Publication:
    """The one write path of a new or changed publication: validate, then save."""
    publication.full_clean()
    publication.save()
    return publication


def publication_create(
    *,
    organ: Organ,
    channel: str,
    date: dt.date,
    title: str,
    count: int = 1,
    copies: int | None = None,
    approximation: str = Approximation.EXACT,
    detail: str = "",
    catalog_entry: CatalogEntry | None = None,
    note: str = "",
) -> Publication:
    return publication_save(
        publication=Publication(
            organ=organ,
            channel=channel,
            date=date,
            title=title,
            count=count,
            copies=copies,
            approximation=approximation,
            detail=detail,
            catalog_entry=catalog_entry,
            note=note,
        )
    )


def publication_update(*, publication: Publication, **fields) -> Publication:
    for name, value in fields.items():
        setattr(publication, name, value)
    return publication_save(publication=publication)


@transaction.atomic
def publication_delete(*, publication: Publication) -> None:
    publication.delete()


@transaction.atomic
def year_tally_save(*, tally: YearTally, updated_by=None) -> YearTally:
    tally.updated_by = updated_by
    tally.full_clean()
    tally.save()
    return tally


def year_tally_set(
    *,
    organ: Organ,
    year: int,
    licensing: int | None,
    punishment: int | None,
    enforcement: int | None,
    fees_wan_yuan: Decimal | None,
    updated_by=None,
) -> YearTally:
    """Create or replace an organ's table-2 figures for a year. None = not applicable ("/")."""
    tally = YearTally.objects.filter(organ=organ, year=year).first() or YearTally(organ=organ, year=year)
    tally.licensing, tally.punishment, tally.enforcement = licensing, punishment, enforcement
    tally.fees_wan_yuan = fees_wan_yuan
    return year_tally_save(tally=tally, updated_by=updated_by)


@transaction.atomic
def table2_override_save(*, override: Table2Override, set_by) -> Table2Override:
    """Who set the hand count is always recorded with it, together with the reason."""
    override.reason = (override.reason or "").strip()
    override.set_by = set_by
    override.full_clean()
    override.save()
    return override


def table2_override_set(
    *,
    organ: Organ,
    year: int,
    kind: str,
    issued: int | None,
    repealed: int | None,
    in_force: int | None,
    reason: str,
    set_by,
) -> Table2Override:
    override = Table2Override.objects.filter(organ=organ, year=year, kind=kind).first() or Table2Override(
        organ=organ, year=year, kind=kind
    )
    override.issued, override.repealed, override.in_force = issued, repealed, in_force
    override.reason = reason
    return table2_override_save(override=override, set_by=set_by)


@transaction.atomic
def table2_override_clear(*, override: Table2Override) -> None:
    """Go back to the counts derived from the catalog."""
    override.delete()

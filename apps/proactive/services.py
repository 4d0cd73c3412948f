"""Every write to proactive-disclosure records (admin, demo data, tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from apps.catalog.models import CatalogEntry
from apps.organs.models import Organ
from apps.proactive.enums import Approximation, Power
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
    not_applicable: Iterable[str] = (),
    updated_by=None,
    **figures: int | Decimal | None,
) -> YearTally:
    """Create or replace an organ's table-2 figures for a year.

    ``figures`` are YearTally.MEASURES by name (licensing=12, fees_wan_yuan=Decimal("1.5"));
    a figure left out or None is not entered. ``not_applicable`` names the powers
    (enums.Power: "licensing", "fees", …) the organ does not have that year; their figures
    must be left out.
    """
    unknown = set(figures) - set(YearTally.MEASURES)
    if unknown:
        raise TypeError(f"unknown table-2 figures: {', '.join(sorted(unknown))}")
    not_applicable = set(not_applicable)
    if not_applicable - set(Power.values):
        raise TypeError(f"unknown powers: {', '.join(sorted(not_applicable - set(Power.values)))}")
    tally = YearTally.objects.filter(organ=organ, year=year).first() or YearTally(organ=organ, year=year)
    for power in Power.values:
        setattr(tally, f"{power}_not_applicable", power in not_applicable)
    for measure in YearTally.MEASURES:
        setattr(tally, measure, figures.get(measure))
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

"""Cursor pages over (publish_date, id), newest first.

A cursor names the last entry of the previous page, not an offset, so entries published meanwhile
neither shift nor repeat a page: newer entries sort before the cursor and never appear on the pages
after it. DRF's CursorPagination keeps only the first ordering field and an offset among equal
values, which many entries of the same publish_date would break.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Position:
    publish_date: dt.date
    pk: int

    def encode(self) -> str:
        raw = f"{self.publish_date.isoformat()}_{self.pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            day, pk = raw.split("_")
            return cls(dt.date.fromisoformat(day), int(pk))
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise ValidationError({"cursor": [_("无效的游标。")]}) from exc

    def after(self) -> Q:
        """Entries after this one in (publish_date, id) descending order. The redundant
        publish_date <= bound lets PostgreSQL walk the date index from the cursor."""
        return Q(publish_date__lte=self.publish_date) & (
            Q(publish_date__lt=self.publish_date) | Q(id__lt=self.pk)
        )


def page_size(request: Request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": [_("每页条数须为 1 到 %(max)d 之间的整数。") % {"max": MAX_PAGE_SIZE}]}
        )
    return size


def keyset_page(request: Request, queryset: QuerySet) -> tuple[list, str | None]:
    """One page of a queryset ordered by -publish_date, -id, and the URL of the next page (or None).

    One query: a page reads one row more than it shows to know whether a next page exists.
    """
    size = page_size(request)
    if cursor := request.query_params.get("cursor"):
        queryset = queryset.filter(Position.decode(cursor).after())
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    last = rows[-1]
    url = replace_query_param(
        request.build_absolute_uri(), "cursor", Position(last.publish_date, last.pk).encode()
    )
    return rows, url

"""The timed cases of `manage.py bench`: one function per case, registered with ``@bench_case``.

A case returns a ``Case`` whose ``url`` gives the page to GET (called before the clock starts,
so it may pick a random row). Adding a case is adding one function here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry
from apps.devtools.demo.text import RARE_WORDS


@dataclass
class BenchContext:
    client: Client
    rng: random.Random
    busy_slug: str
    published_ids: tuple[int, int]  # min and max id of published benchmark entries


@dataclass
class Case:
    """One measured page, fetched through the test Client: server time, no network."""

    name: str
    url: Callable[[], str]


CASES: list[Callable[[BenchContext], Case]] = []


def bench_case(factory: Callable[[BenchContext], Case]) -> Callable[[BenchContext], Case]:
    CASES.append(factory)
    return factory


def _list_url(**params) -> str:
    url = reverse("catalog:list")
    return f"{url}?{urlencode(params)}" if params else url


@bench_case
def catalog_list(ctx: BenchContext) -> Case:
    return Case("list /catalog/", url=lambda: _list_url())


@bench_case
def catalog_filtered(ctx: BenchContext) -> Case:
    return Case("list organ+year", url=lambda: _list_url(organ=ctx.busy_slug, year=2024))


@bench_case
def search_rare(ctx: BenchContext) -> Case:
    return Case(f"search rare {RARE_WORDS[0]}", url=lambda: _list_url(q=RARE_WORDS[0]))


@bench_case
def search_common(ctx: BenchContext) -> Case:
    return Case("search 公开", url=lambda: _list_url(q="公开"))


@bench_case
def search_fragment(ctx: BenchContext) -> Case:
    # 商引 cuts across the jieba words 招商引资: only the character bigrams can find it.
    return Case("search fragment 商引", url=lambda: _list_url(q="商引"))


@bench_case
def catalog_detail(ctx: BenchContext) -> Case:
    low, high = ctx.published_ids

    def url() -> str:
        # Picked before the clock starts: a random published entry each time.
        index_number = (
            CatalogEntry.objects.filter(status=Status.PUBLISHED, pk__gte=ctx.rng.randint(low, high))
            .order_by("pk")
            .values_list("index_number", flat=True)
            .first()
        )
        return reverse("catalog:detail", kwargs={"index_number": index_number})

    return Case("detail (random entry)", url=url)

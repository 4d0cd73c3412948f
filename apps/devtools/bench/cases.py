"""The timed cases of `manage.py bench`: one function per case, registered with ``@bench_case``.

A case returns a ``Case`` whose ``url`` gives the page to GET (called before the clock starts,
so it may pick a random row). Adding a case is adding one function here.

The search cases cover the query classes of the search issue: rare and common words, a
year, a date, numbers, 发文字号 and 索引号 (whole and tail), traditional characters, single
characters, relevance order, and fragments of 1-8 characters cut at random offsets from
random documents (whose bigrams are mostly common).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry, SearchDocument
from apps.catalog.sitemaps import PAGE_IDS
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
    return Case("search fragment 商引", url=lambda: _list_url(q="商引"))


def _fixed(name: str, query: str, **params) -> Callable[[BenchContext], Case]:
    def factory(ctx: BenchContext) -> Case:
        return Case(name, url=lambda: _list_url(q=query, **params))

    return factory


for _name, _query, _params in (
    ("search year 2021年", "2021年", {}),
    ("search date 2月14日", "2月14日", {}),
    ("search number 16号", "16号", {}),
    ("search 文号 〔2024〕16号", "〔2024〕16号", {}),
    ("search 索引号 tail 2024-00016", "2024-00016", {}),
    ("search traditional 政務公開", "政務公開", {}),
    ("search char 局", "局", {}),
    ("search 公开 by date", "公开", {"sort": "date"}),
    ("search 公开 organ+year", "公开", {"organ": "bench-zrzyj", "year": 2024}),
):
    bench_case(_fixed(_name, _query, **_params))


def _random_fragment(ctx: BenchContext, lengths: tuple[int, int]) -> str:
    """A fragment cut at a random offset of a random document's folded body."""
    low, high = ctx.published_ids
    body = (
        SearchDocument.objects.filter(entry_id__gte=ctx.rng.randint(low, high))
        .order_by("entry_id")
        .values_list("body", flat=True)
        .first()
    ) or "公开"
    body = body.replace("\n", "")
    size = ctx.rng.randint(*lengths)
    start = ctx.rng.randrange(max(1, len(body) - size))
    return body[start : start + size]


@bench_case
def search_random_short(ctx: BenchContext) -> Case:
    return Case("search random 1-3 chars", url=lambda: _list_url(q=_random_fragment(ctx, (1, 3))))


@bench_case
def search_random_long(ctx: BenchContext) -> Case:
    return Case("search random 4-8 chars", url=lambda: _list_url(q=_random_fragment(ctx, (4, 8))))


@bench_case
def sitemap_index(ctx: BenchContext) -> Case:
    return Case("sitemap.xml", url=lambda: reverse("sitemap"))


@bench_case
def sitemap_page(ctx: BenchContext) -> Case:
    low, high = ctx.published_ids

    def url() -> str:
        # Page N holds ids (N-1)·PAGE_IDS < id ≤ N·PAGE_IDS.
        page = ctx.rng.randint((low - 1) // PAGE_IDS + 1, (high - 1) // PAGE_IDS + 1)
        return reverse("sitemap_catalog", kwargs={"page": page})

    return Case("sitemap page (random)", url=url)


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

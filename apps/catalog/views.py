"""Public pages of the 政府信息公开目录: list and search, detail, attachment download.

Views are thin: parameters are validated by CatalogFilterSet, reads go through
apps.catalog.selectors, which only ever return published entries.
"""

from __future__ import annotations

import logging
import mimetypes
from html import escape

from django.core.paginator import Page
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from apps.catalog import selectors
from apps.catalog.enums import ArticleTwentyItem, Validity
from apps.catalog.filters import SORT_CHOICES, SORT_RELEVANCE, CatalogFilterSet
from apps.catalog.models import Attachment, CatalogEntry
from apps.catalog.selectors import listing
from apps.catalog.selectors.interpretations import interpretation_links
from disclosure_portal.caching import public_page, rendered_fragment

logger = logging.getLogger(__name__)


def _page_number(raw: str | None) -> int:
    """page=abc (malformed) means the first page; numbers out of range are a 404 later."""
    try:
        return int(str(raw or "1").strip()[:12])
    except ValueError:
        return 1


@require_safe
@public_page
def catalog_list(request: HttpRequest) -> HttpResponse:
    lookups = selectors.facet_lookups()
    filterset = CatalogFilterSet(request.GET or None, lookups=lookups)
    filters = filterset.catalog_filters()
    query_text = filterset.query_text
    try:
        results = selectors.search_entries(
            query=query_text,
            filters=filters,
            order=filterset.sort_order,
            page=_page_number(request.GET.get("page")),
        )
    except selectors.PageOutOfRange as exc:
        raise Http404(_("没有这一页。")) from exc
    context = {
        "filterset": filterset,
        "filters": filters,
        "results": results,
        "query": results.query,
        "query_text": query_text,
        "query_ignored": bool(query_text.strip()) and not results.query,
        "facets_html": _facets_html(filterset, filters, results),
        # The result list's fragment key: the same entries show the same (per content generation).
        "result_ids": ",".join(map(str, results.entries.ids)),
        "pagination": _pagination(request, results.page),
        "sort_choices": SORT_CHOICES if results.query else SORT_CHOICES[:1],
        "sort_relevance": SORT_RELEVANCE,
        "window": listing.COUNT_BOUND,
        "browse_limit": listing.MAX_BROWSE_ROWS,
    }
    response = render(request, "catalog/list.html", context)
    if results.timed_out:
        # A search stopped by the timeout says so; the next visitor must not get that page.
        patch_cache_control(response, no_store=True)
    return response


FACET_GROUPS = ("organ", "theme", "subtheme", "genre", "year", "validity", "item")


def _chosen(filterset: CatalogFilterSet, filters: selectors.CatalogFilters) -> dict[str, str]:
    """The facet values the visitor chose and that apply (a stray second level is not one)."""
    chosen = {k: str(v) for k, v in filterset.cleaned.items() if k in FACET_GROUPS}
    if filters.subtheme_id is None:
        chosen.pop("subtheme", None)
    return chosen


def _facets_html(
    filterset: CatalogFilterSet, filters: selectors.CatalogFilters, results: selectors.CatalogResults
) -> SafeString:
    """The facet groups' HTML. A list without a query shows the counts of its filters alone, the
    same for every visitor until content changes: that HTML is rendered once per content generation
    (per process) for each combination of chosen values. A search's counts are its own."""
    chosen = _chosen(filterset, filters)

    def render_groups() -> SafeString:
        groups = _facets(filterset, filters, results.counts, chosen)
        return render_to_string("catalog/facets.html", {"facets": groups})

    if results.query or results.timed_out or not results.counts.available:
        return render_groups()
    key = ("catalog-facets", translation.get_language(), *(chosen.get(name, "") for name in FACET_GROUPS))
    return rendered_fragment(key, render_groups)


def _facets(
    filterset: CatalogFilterSet,
    filters: selectors.CatalogFilters,
    counts: selectors.FacetCounts,
    chosen: dict[str, str],
) -> list[dict]:
    """The facet groups for the template: name, legend, the options' HTML and whether one is chosen."""
    lookups = filterset.lookups
    with_counts = counts.available
    if not with_counts:
        # Too many matches to count: offer every value that exists, without numbers.
        counts = selectors.facet_counts()
    c = counts.counts
    groups = [
        (
            "organ",
            _("发布机构"),
            [(o.slug, o.name, c["organ"].get(o.pk, 0)) for o in lookups.organs.values()],
        ),
        ("theme", _("主题分类"), _theme_roots(lookups, c["theme"])),
    ]
    if filters.theme_ids is not None:
        groups.append(("subtheme", _("二级分类"), _subthemes(lookups, filters.theme_ids, c["theme"])))
    years = sorted(c["year"].items(), reverse=True)
    items = [(v, label, c["item"].get(v, 0)) for v, label in ArticleTwentyItem.choices]
    groups += [
        ("genre", _("体裁"), [(g.pk, g.name, c["genre"].get(g.pk, 0)) for g in lookups.genres.values()]),
        ("year", _("发布年份"), [(y, _("%(year)s年") % {"year": y}, n) for y, n in years]),
        ("validity", _("有效性"), [(v, label, c["validity"].get(v, 0)) for v, label in Validity.choices]),
        ("item", _("条例第二十条"), [*items, (0, _("未标注"), c["item"].get(0, 0))]),
    ]
    result = []
    for name, legend, pairs in groups:
        current = chosen.get(name, "")
        options = _facet_options(name, pairs, current=current, with_counts=with_counts)
        result.append(
            {
                "name": name,
                "legend": legend,
                "options": options,
                "long": len(options) > 8,
                "selected": any(checked for _, checked in options),
            }
        )
    return result


_OPTION = (
    '<li><input type="radio" id="{id}" name="{name}" value="{value}"{checked}>'
    '<label for="{id}">{label}{count}</label></li>'
)


def _facet_options(param: str, pairs, *, current: str, with_counts: bool) -> list[tuple[SafeString, bool]]:
    """The options of one facet group as (HTML, checked); values without entries are left out
    unless chosen."""
    # Formatted here, not in the template: a list page has over a hundred options, and
    # per-option template tags cost milliseconds.
    options = []
    name = escape(param)
    for value, label, n in pairs:
        value = str(value)
        if not n and value != current:
            continue
        count = ngettext("（%(n)s条）", "（%(n)s条）", n) % {"n": n} if with_counts else ""
        html = _OPTION.format(
            id=f"f-{name}-{len(options) + 1}",
            name=name,
            value=escape(value),
            checked=" checked" if value == current else "",
            label=escape(str(label)),
            count=f' <span class="facet-count">{escape(count)}</span>' if count else "",
        )
        options.append((mark_safe(html), value == current))  # every part escaped above
    return options


def _pagination(request: HttpRequest, page: Page) -> SafeString:
    """The page links' HTML (as {% query_with page=n %} would write each href), formatted here: a
    loop of template tags over the links cost more than the rest of the results section."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return SafeString("")
    params = request.GET.copy()
    params.pop("page", None)
    for key in [k for k, v in params.lists() if not any(v)]:
        params.pop(key)
    encoded = params.urlencode()
    prefix = escape(f"?{encoded}&page=" if encoded else "?page=")
    items = []
    if page.has_previous():
        label = escape(_("上一页"))
        items.append(f'<li><a href="{prefix}{page.previous_page_number()}" rel="prev">{label}</a></li>')
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append('<li><span class="pagination-gap" aria-hidden="true">…</span></li>')
        else:
            current = ' aria-current="page"' if number == page.number else ""
            items.append(f'<li><a href="{prefix}{number}"{current}>{number}</a></li>')
    if page.has_next():
        label = escape(_("下一页"))
        items.append(f'<li><a href="{prefix}{page.next_page_number()}" rel="next">{label}</a></li>')
    return mark_safe("".join(items))  # every part escaped above


def _theme_roots(lookups: selectors.FacetLookups, theme_counts: dict) -> list[tuple]:
    """First-level themes, each counting its own entries and its children's."""
    totals: dict[int, int] = {}
    for theme_id, n in theme_counts.items():
        theme = lookups.themes.get(theme_id)
        if theme is not None:
            root = theme.parent_id or theme.pk
            totals[root] = totals.get(root, 0) + n
    return [(t.pk, t.name, totals.get(t.pk, 0)) for t in lookups.themes.values() if t.parent_id is None]


def _subthemes(
    lookups: selectors.FacetLookups, theme_ids: tuple[int, ...], theme_counts: dict
) -> list[tuple]:
    """The second-level themes under the chosen first level."""
    return [
        (t.pk, t.name, theme_counts.get(t.pk, 0))
        for t in lookups.themes.values()
        if t.pk in theme_ids and t.parent_id is not None
    ]


@require_safe
@public_page
def catalog_detail(request: HttpRequest, index_number: str) -> HttpResponse:
    # Asked on every request, so that a withdrawn entry is gone at once: one query for what the
    # page shows around its document (title, organ, version), without a join.
    try:
        entry = selectors.published_entry_head(index_number)
    except CatalogEntry.DoesNotExist as exc:
        raise Http404(_("没有找到这条政府信息，它可能尚未发布或已撤回。")) from exc

    def render_article() -> SafeString:
        try:
            full = selectors.published_entry(index_number)  # with its body and attachments
        except CatalogEntry.DoesNotExist as exc:  # withdrawn a moment ago
            raise Http404(_("没有找到这条政府信息，它可能尚未发布或已撤回。")) from exc
        paragraphs = [p.strip() for p in full.body.replace("\r\n", "\n").split("\n") if p.strip()]
        return render_to_string(
            "catalog/detail_article.html",
            {
                "entry": full,
                "paragraphs": paragraphs,
                "attachments": list(full.attachments.all()),
                "links": interpretation_links(full),
            },
        )

    # The document itself (index table, body, attachments, 政策解读 links) is the same for every
    # visitor until content changes: rendered once per content generation in each process.
    key = ("catalog-detail", translation.get_language(), entry.pk, entry.version)
    return render(
        request, "catalog/detail.html", {"entry": entry, "article": rendered_fragment(key, render_article)}
    )


@require_safe
def attachment_download(request: HttpRequest, token: str) -> FileResponse:
    try:
        attachment = selectors.published_attachment(token)
    except Attachment.DoesNotExist as exc:
        raise Http404(_("没有找到这个附件。")) from exc
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        logger.error("Attachment %s of %s is missing on disk", attachment.pk, attachment.entry.index_number)
        raise Http404(_("附件文件暂时无法获取，请联系发布机构。")) from exc
    content_type = (
        attachment.content_type
        or mimetypes.guess_type(attachment.original_name)[0]
        or "application/octet-stream"
    )
    # FileResponse writes the Chinese name as filename*=utf-8''... (RFC 5987/6266).
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

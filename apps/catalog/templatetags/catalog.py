"""Template helpers of the public catalog: highlighting and query-string building."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString

from apps.catalog import search

register = template.Library()


@register.filter
def highlight(text: str | None, query: search.ParsedQuery | None) -> SafeString:
    """Escape ``text`` and mark the query's terms (search.highlight does the escaping)."""
    return search.highlight(text, query.terms if query else ())


@register.simple_tag
def search_snippet(entry, query: search.ParsedQuery | None) -> SafeString:
    """The text around the first match (summary, body or attachment), highlighted.

    The list selector says where the match is (``entry.search_snippet``); the summary is
    the fallback.
    """
    terms = query.terms if query else ()
    found = getattr(entry, "search_snippet", None)
    texts = [found.text, entry.summary] if found else [entry.summary, getattr(entry, "body_head", "")]
    return search.snippet(texts, terms)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied; None or "" removes a parameter.

    The page number is dropped unless it is one of the changes, so that a new filter or
    sort order starts on the first page.
    """
    request = context["request"]
    params: QueryDict = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = str(value)
    for key in [k for k, v in params.lists() if not any(v)]:
        params.pop(key)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def catalog_list_url(**params) -> str:
    """{% catalog_list_url organ=organ.slug item=3 %}: the catalog list filtered by its GET parameters."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    url = reverse("catalog:list")
    return f"{url}?{query}" if query else url

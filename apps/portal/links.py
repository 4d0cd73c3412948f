"""Links into parts of the site that other apps own and that may not be routed yet.

The catalog, the annual reports and the application pages are built in parallel; the column frame must
neither crash nor show dead links while one of them is missing, so it asks the URLconf first.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, Resolver404, resolve


def path_if_routed(path: str) -> str | None:
    """`path` when some view answers it, else None (e.g. /reports/<slug>/ before the reports app lands)."""
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def entry_url(entry) -> str:
    """The catalog detail page of an entry, or a catalog search for its 索引号 when detail is not routed."""
    try:
        return entry.get_absolute_url()
    except NoReverseMatch:
        return "/catalog/?" + urlencode({"q": entry.index_number})


def catalog_list_url(**params: object) -> str:
    """/catalog/ filtered by the catalog list's GET parameters (organ=<slug>, item=<n>, q=...)."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return "/catalog/" + (f"?{query}" if query else "")

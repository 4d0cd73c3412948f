"""The shared cache of anonymous public pages, and the content generation that invalidates it.

A news-day crowd reads the same few public pages: each is rendered once per *content generation*
and then served from the cache that every worker and every app server share (Redis with
``REDIS_URL``, else a file cache on this machine, see settings.CACHES).

The generation is one token in that cache. Every write to public content replaces it
(:func:`content_changed`, called by the signal receivers of ``apps.portal.invalidation`` for every
model of the public apps), so every page key and every per-process fragment built under the old token
is simply never read again. The token is replaced twice: at once, so that a request later in the same
transaction (or a test) does not see the old page, and again after the commit, so that a page rendered
between the two from the not-yet-committed state cannot outlive the commit. Tokens are random rather
than counted: with the file cache an increment is not atomic, and two bumps must never collapse into
one.

Nothing personal is ever stored: a request that carries a session or a message cookie bypasses the
cache both ways, and a response that sets a cookie, used a CSRF token, touched the session or the
messages, or said ``private``/``no-store`` is not stored. Every cacheable page is answered with an
ETag (a hash of the body) and ``Cache-Control: public, no-cache``: browsers and a shared cache in
front keep the page and revalidate it, and a matching ``If-None-Match`` gets a 304 without a render.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:generation"
CACHE_HEADER = "X-Page-Cache"  # hit, miss or bypass: for tests, benchmarks and the operator's curl

# The generation of the request being served (read once per request by public_page).
_request_generation: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "portal_generation", default=None
)


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _generation_cache():
    """The cache that holds the generation token: its own alias when configured, so that the file
    cache's culling of old pages can never throw the token away (which would empty the whole cache)."""
    return caches["generation" if "generation" in settings.CACHES else settings.PAGE_CACHE_ALIAS]


@functools.cache
def release() -> str:
    """A fingerprint of the code, templates and translations this process runs.

    Part of every key, so that during a rolling upgrade the servers of the old and the new release
    never serve each other's pages. Computed once per process from file sizes and times (a few ms).
    """
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha1(usedforsecurity=False)
    for pattern in ("templates/**/*.html", "apps/**/*.py", "locale/**/*.mo", "disclosure_portal/*.py"):
        for path in sorted(base.glob(pattern)):
            stat = path.stat()
            digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():  # hashed static names change with collectstatic
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:10]


def _new_token() -> str:
    return secrets.token_hex(6)


def generation() -> str:
    """The current content generation (one cache read; the request's own when inside a page)."""
    if (token := _request_generation.get()) is not None:
        return token
    cache = _generation_cache()
    try:
        token = cache.get(GENERATION_KEY)
        if token is None:
            token = _new_token()
            if not cache.add(GENERATION_KEY, token, timeout=None):
                token = cache.get(GENERATION_KEY) or token
    except Exception:  # the cache server is down: serve uncached rather than fail
        logger.exception("Page cache unavailable")
        return _new_token()
    return token


def _bump() -> None:
    try:
        _generation_cache().set(GENERATION_KEY, _new_token(), timeout=None)
    except Exception:
        logger.exception("Could not invalidate the page cache")


def content_changed() -> None:
    """Public content changed: every cached page and fragment is stale, here and on every server.

    Bumps at once and again when the transaction commits (a page rendered meanwhile from the
    old rows must not outlive it). The bump at commit is registered once per transaction:
    deleting a thousand rows sends a thousand signals, and the commit needs only one.
    """
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _bump for _, func, _ in connection.run_on_commit):
        return  # already pending for this transaction (a rolled-back savepoint drops it)
    # Outside a transaction on_commit runs at once (a second, harmless bump).
    transaction.on_commit(_bump)


# -- Fragments: Python objects built once per generation in each process -------------------------

_fragments: dict[tuple, tuple[str, Any]] = {}


def per_generation(func: Callable) -> Callable:
    """Memoize a read (e.g. the facet lookups, the organ tree) in this process until content changes.

    The value is shared by every request of the process, so callers must not mutate it. Arguments
    must be hashable; keep them few (each combination is kept until the next generation).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        key = (func.__module__, func.__qualname__, args, tuple(sorted(kwargs.items())))
        current = generation()
        found = _fragments.get(key)
        if found is not None and found[0] == current:
            return found[1]
        value = func(*args, **kwargs)
        _fragments[key] = (current, value)
        return value

    wrapper.uncached = func
    return wrapper


# Rendered template fragments ({% fragment %} in disclosure_portal/fragments.py, and the pieces that
# views render once: the catalog's facet groups, an entry's document), same life as above.
MAX_FRAGMENTS = 5000
MAX_FRAGMENT_CHARS = 32_000_000  # all fragments of a process together (~100 MB of str at most)
_rendered: dict[tuple, str] = {}
_rendered_generation: list[str] = [""]
_rendered_chars: list[int] = [0]


def rendered_fragment(key: tuple, render: Callable[[], str]) -> str:
    """The HTML of a template fragment, rendered once per generation in this process.

    The generation is part of the key (not only a reason to clear), so that even with threaded
    workers a fragment rendered under one generation is never read under another. When the
    fragments of a generation grow past MAX_FRAGMENTS or MAX_FRAGMENT_CHARS they are all dropped
    and rendered again as asked.
    """
    current = generation()
    if _rendered_generation[0] != current:
        _clear_fragments()
        _rendered_generation[0] = current
    key = (current, *key)
    html = _rendered.get(key)
    if html is None:
        html = render()
        if len(_rendered) >= MAX_FRAGMENTS or _rendered_chars[0] + len(html) > MAX_FRAGMENT_CHARS:
            _clear_fragments()
        _rendered[key] = html
        _rendered_chars[0] += len(html)
    return html


def _clear_fragments() -> None:
    _rendered.clear()
    _rendered_chars[0] = 0


# -- Pages ------------------------------------------------------------------------------------------


def _bypasses_cache(request: HttpRequest) -> bool:
    """A visitor who may see something personal: logged in, or with a pending message."""
    cookies = request.COOKIES
    return (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in cookies
        or CookieStorage.cookie_name in cookies
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if {"private", "no-store", "no-cache"} & {
        part.strip().split("=")[0] for part in response.get("Cache-Control", "").lower().split(",")
    }:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "added_new", False):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _page_key(request: HttpRequest, token: str) -> str:
    # The language actually chosen (cookie, Accept-Language) rather than the raw headers; the day,
    # because some pages show what is published "by today" (proposal replies).
    url = hashlib.sha1(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()
    language = translation.get_language()
    return f"page:{release()}:{token}:{language}:{timezone.localdate().isoformat()}:{url}"


def _etag(body: bytes) -> str:
    return f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20]}"'


def _public_headers(response: HttpResponse, etag: str) -> None:
    response["ETag"] = etag
    max_age = settings.PUBLIC_PAGE_MAX_AGE
    if max_age > 0:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    # The language comes from the django_language cookie or Accept-Language: a shared cache must
    # keep the variants apart.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))


def public_page(view: Callable) -> Callable:
    """Serve an anonymous public page from the shared cache, with an ETag and 304s.

    Apply to views that show only published content, the same to every anonymous visitor.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if _bypasses_cache(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            response[CACHE_HEADER] = "bypass"
            return response
        token = generation()
        reset = _request_generation.set(token)
        try:
            return _cached_response(request, token, view, args, kwargs)
        finally:
            _request_generation.reset(reset)

    return wrapped


# Single flight: when a page is missing, one request renders it and the others that ask for it
# meanwhile wait for that render instead of repeating it. Right after a publication (which empties the
# cache) every worker would otherwise render the same news page at once.
RENDER_LOCK_SECONDS = 30  # a render that dies leaves its lock for at most this long
RENDER_WAIT_SECONDS = 3.0  # then a waiting request renders the page itself
RENDER_POLL_SECONDS = 0.01


def _cached_response(request, token, view, args, kwargs) -> HttpResponse:
    cache = _cache()
    use_cache = settings.PAGE_CACHE_SECONDS > 0
    key = _page_key(request, token) if use_cache else ""
    stored = _cache_get(cache, key) if use_cache else None
    lock = None
    if use_cache and stored is None:
        lock = f"{key}:rendering"
        if not _cache_add(cache, lock):
            lock = None
            stored = _wait_for_render(cache, key)
    try:
        if stored is not None:
            content_type, body, etag = stored
            response = HttpResponse(body, content_type=content_type)
            response[CACHE_HEADER] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if not _storable(request, response):
                patch_cache_control(response, private=True)
                response[CACHE_HEADER] = "bypass"
                return response
            etag = _etag(response.content)
            if use_cache:
                _cache_set(cache, key, (response["Content-Type"], response.content, etag))
            response[CACHE_HEADER] = "miss"
    finally:
        if lock is not None:
            _cache_delete(cache, lock)
    _public_headers(response, etag)
    answer = get_conditional_response(request, etag=etag, response=response)
    answer[CACHE_HEADER] = response[CACHE_HEADER]
    return answer


def _wait_for_render(cache, key: str):
    """The page another request is rendering, or None when it takes too long (then render it here)."""
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        if (stored := _cache_get(cache, key)) is not None:
            return stored
        if not _cache_has(cache, f"{key}:rendering"):  # the render ended without storing (a 404, a bypass)
            return None
    return None


# A cache server that fails must not take the pages down: they are then rendered uncached.


def _cache_get(cache, key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Page cache unavailable")
        return None


def _cache_has(cache, key: str) -> bool:
    try:
        return cache.has_key(key)
    except Exception:
        return False


def _cache_add(cache, key: str) -> bool:
    try:
        return cache.add(key, 1, RENDER_LOCK_SECONDS)
    except Exception:
        logger.exception("Page cache unavailable")
        return True  # render here, as without a cache


def _cache_set(cache, key: str, value) -> None:
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache unavailable")


def _cache_delete(cache, key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.exception("Page cache unavailable")

"""Whole public pages for anonymous readers, kept in the shared cache and served before any
other work: by `KeptPages`, a WSGI wrapper in front of Django's handler (site/wsgi.py), and
where it is not in front (the test client, ASGI) by `PageCacheMiddleware`, the first
middleware. Both decide and serve through `_look_up`. The middleware keeps what Django
answered with every header the other middlewares added (the security policies, HSTS), so a
kept page is served as it was first sent.

What is kept, and for how long, follows rules that keep it from ever being wrong:

- Only a GET by a reader without a session or message cookie (so never anyone signed in,
  in the middle of a form, or shown a message), for a host in ALLOWED_HOSTS, over https when
  SECURE_SSL_REDIRECT asks for it, outside static and media files and
  PAGE_CACHE_EXCLUDED_PATHS (the admin, documents, …), answered 200 with no
  cookie set, no CSRF token in it and no `private`/`no-store`/`no-cache` in Cache-Control (the
  service forms and tracking pages are `never_cache`).
- Large-text mode is its own variant: the key holds the reading mode, and the scheme (only an
  https page carries Strict-Transport-Security).
- Every entry belongs to a *generation*; any change to what public pages show (a page
  published, unpublished, moved, deleted or scheduled; a snippet, setting, image, document or
  site saved; `migrate`, which every deployment runs) starts a new generation, so the next GET
  renders afresh. `page_content_changed()` does it by hand.
- No entry outlives the next moment something changes by itself: apps register a
  `page_cache_boundary` hook `fn(*, now) -> datetime | None` (the merchants' offers start and
  end with a day), and an entry expires at the earliest of them.

Responses carry an ETag and Last-Modified, and `Cache-Control: public, max-age=0,
must-revalidate` (`s-maxage` when a CDN is purged on publish), so browsers and a CDN revalidate.

A view that must know each time its page is served (search counts its queries) leaves a note on
its response, `response.page_cache_note = {…}` (anything the cache can store); the note is kept
with the page, and every `page_cache_served` hook `fn(*, note)` is called with it whenever the
kept page is served, a 304 included.
"""

import functools
import hashlib
import uuid
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.signals import page_published, page_unpublished, post_page_move

from .context_processors import READING_MODE_COOKIE

GENERATION_KEY = "page_cache:generation"
# A kept page is served with every header it was first sent with but dates (its cookies are
# never headers here: a response that sets one is not kept); a 304 also without these.
UNKEPT_HEADERS = frozenset({"date", "expires"})
BODY_HEADERS = frozenset({"content-type", "content-length"})
REFUSING_CACHE_CONTROL = ("private", "no-store", "no-cache")
# Where KeptPages leaves its lookup of a page it could not serve, for PageCacheMiddleware to
# keep the page without reading the cache again (a WSGI extension key: no header can set it).
LOOKUP_ENVIRON_KEY = "shuangyong.page_cache_lookup"
ENTRY_LAYOUT = 3


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def page_content_changed() -> None:
    """Starts a new generation: every kept page is then stale, including the listings and the
    home page that show what changed. Again once the transaction commits, so a page rendered
    meanwhile from the data before it is not kept either."""

    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, None)


@functools.cache
def _shows_on_public_pages(model: type) -> bool:
    """Pages, settings, images, documents, sites, snippets and the inline rows of snippets
    (a merchant's offers)."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Page, Site
    from wagtail.snippets.models import get_snippet_models

    snippets = tuple(get_snippet_models())
    if issubclass(
        model,
        (
            Page,
            BaseSiteSetting,
            BaseGenericSetting,
            AbstractImage,
            AbstractDocument,
            Site,
            *snippets,
        ),
    ):
        return True
    return any(
        isinstance(field, ParentalKey) and issubclass(field.related_model, snippets)
        for field in model._meta.get_fields()
    )


def _saved_or_deleted(sender, **kwargs) -> None:
    if not kwargs.get("raw") and _shows_on_public_pages(sender):
        page_content_changed()


def _page_event(sender, **kwargs) -> None:
    page_content_changed()


def _setting_changed(sender, setting, **kwargs) -> None:
    if setting != "CACHES":  # the cache itself being swapped, in tests
        _new_generation()


def connect_invalidation() -> None:
    """Called once at start-up (HomeConfig.ready)."""
    post_save.connect(_saved_or_deleted, dispatch_uid="page_cache_save")
    post_delete.connect(_saved_or_deleted, dispatch_uid="page_cache_delete")
    # A deployment runs `migrate`: new templates or settings (the retention period the
    # privacy page states) are then seen at once.
    for signal in (page_published, page_unpublished, post_page_move, post_migrate):
        signal.connect(_page_event, dispatch_uid=f"page_cache_{id(signal)}")
    setting_changed.connect(_setting_changed, dispatch_uid="page_cache_setting")


def next_boundary(*, now: datetime) -> datetime | None:
    """The earliest moment a registered app says its public content changes by itself."""
    moments = [fn(now=now) for fn in hooks.get_hooks("page_cache_boundary")]
    return min((moment for moment in moments if moment is not None), default=None)


def _variant(request: HttpRequest) -> str:
    return "large" if request.COOKIES.get(READING_MODE_COOKIE) == "large" else "normal"


def _entry_key(request: HttpRequest) -> str:
    """Raises DisallowedHost for a host outside ALLOWED_HOSTS."""
    address = (
        f"{request.scheme}://{request.get_host()}|{_variant(request)}|{request.get_full_path()}"
    )
    # The entry's layout is in the key, so a deployment that changes it never reads old ones.
    return f"page_cache:page:{ENTRY_LAYOUT}:" + hashlib.sha256(address.encode()).hexdigest()


def _may_use_cache(request: HttpRequest) -> bool:
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    # SecurityMiddleware sends it to https; the page cache runs before it.
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False
    # Static files are WhiteNoise's, which also runs after the page cache.
    uncached = (*settings.PAGE_CACHE_EXCLUDED_PATHS, settings.STATIC_URL, settings.MEDIA_URL)
    return not request.path.startswith(uncached)


def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and b"csrfmiddlewaretoken" not in response.content
        and not any(word in cache_control for word in REFUSING_CACHE_CONTROL)
    )


def _validators(*, etag: str, modified: float) -> dict[str, str]:
    cache_control = "public, max-age=0, must-revalidate"
    if settings.PAGE_CACHE_CDN_SECONDS:
        cache_control += f", s-maxage={settings.PAGE_CACHE_CDN_SECONDS}"
    return {
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "Cache-Control": cache_control,
    }


def _served(request: HttpRequest, entry: dict) -> HttpResponse:
    """The kept page from its entry, whose headers were all worked out when it was kept."""
    if entry.get("note") is not None:
        for fn in hooks.get_hooks("page_cache_served"):
            fn(note=entry["note"])
    if entry["etag"] in request.META.get("HTTP_IF_NONE_MATCH", ""):
        return HttpResponseNotModified(headers=entry["not_modified"])
    return HttpResponse(entry["content"], headers=entry["headers"])


class _Lookup(NamedTuple):
    key: str
    generation: str | None  # read before rendering, so a change meanwhile is not missed
    now: datetime
    kept: HttpResponse | None  # the kept page, when there is a current one


def _look_up(request: HttpRequest) -> _Lookup | None:
    """None when this request may neither be served nor kept a page; else one round trip to the
    cache (the generation and the entry) says whether it is served a kept page."""
    if not _may_use_cache(request):
        return None
    try:
        key = _entry_key(request)
    except DisallowedHost:
        return None  # Django answers it (400) and logs it
    found = _cache().get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    entry = found.get(key)
    now = timezone.now()
    if entry and entry["generation"] == generation and entry["expires"] > now.timestamp():
        return _Lookup(key, generation, now, _served(request, entry))
    return _Lookup(key, generation, now, None)


def _keep(response: HttpResponse, lookup: _Lookup) -> bool:
    cache = _cache()
    generation, now = lookup.generation, lookup.now
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, None):
            return False  # another process started one just now: keep nothing
    expires = now + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    boundary = next_boundary(now=now)
    if boundary is not None:
        expires = min(expires, boundary)
    seconds = int((expires - now).total_seconds())
    if seconds <= 0:
        return False
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    for name, value in _validators(etag=etag, modified=now.timestamp()).items():
        response[name] = value
    patch_vary_headers(response, ["Cookie"])  # the reading-mode cookie picks the variant
    # Worked out once here, so a hit only copies them.
    headers = {
        name: value for name, value in response.items() if name.lower() not in UNKEPT_HEADERS
    }
    headers["X-Page-Cache"] = "hit"
    entry = {
        "generation": generation,
        "expires": expires.timestamp(),
        "etag": etag,
        "content": response.content,
        "headers": headers,
        "not_modified": {
            name: value for name, value in headers.items() if name.lower() not in BODY_HEADERS
        },
        "note": getattr(response, "page_cache_note", None),
    }
    cache.set(lookup.key, entry, seconds)
    return True


class PageCacheMiddleware:
    """Serves and keeps whole public pages; see the module's docstring for the rules. First in
    MIDDLEWARE, so what it keeps carries the headers every other middleware added."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lookup = request.META.pop(LOOKUP_ENVIRON_KEY, None) or _look_up(request)
        if lookup is None:
            return self.get_response(request)
        if lookup.kept is not None:
            return lookup.kept
        response = self.get_response(request)
        if _may_keep(request, response) and _keep(response, lookup):
            response["X-Page-Cache"] = "miss"
        return response


class KeptPages:
    """WSGI wrapper around Django's handler (site/wsgi.py): a kept page is served before the
    handler builds its request, sends its signals or runs a middleware; anything else goes on
    to Django, where PageCacheMiddleware may keep it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        # A copy: WSGIRequest writes the decoded path back, and Django must decode it afresh.
        try:
            lookup = _look_up(WSGIRequest(environ.copy()))
        except Exception:
            # The cache failing: Django answers as it always did (its error page and log, and
            # a broken database connection closed for the next request).
            lookup = None
        if lookup is None or lookup.kept is None:
            if lookup is not None:
                environ[LOOKUP_ENVIRON_KEY] = lookup
            return self.application(environ, start_response)
        response = lookup.kept
        start_response(f"{response.status_code} {response.reason_phrase}", [*response.items()])
        return [response.content]

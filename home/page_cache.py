"""Whole public pages for anonymous readers, kept in the shared cache and served before any
other work (the session, the user, Wagtail's routing).

What is kept, and for how long, follows rules that keep it from ever being wrong:

- Only a GET by a reader without a session or message cookie (so never anyone signed in,
  in the middle of a form, or shown a message), outside PAGE_CACHE_EXCLUDED_PATHS (the admin,
  search with its statistics, …), answered 200 with no cookie set, no CSRF token in it and
  no `private`/`no-store`/`no-cache` in Cache-Control (the service forms and tracking pages
  are `never_cache`).
- Large-text mode is its own variant: the key holds the reading mode.
- Every entry belongs to a *generation*; any change to what public pages show (a page
  published, unpublished, moved, deleted or scheduled; a snippet, setting, image, document or
  site saved; `migrate`, which every deployment runs) starts a new generation, so the next GET
  renders afresh. `page_content_changed()` does it by hand.
- No entry outlives the next moment something changes by itself: apps register a
  `page_cache_boundary` hook `fn(*, now) -> datetime | None` (the merchants' offers start and
  end with a day), and an entry expires at the earliest of them.

Responses carry an ETag and Last-Modified, and `Cache-Control: public, max-age=0,
must-revalidate` (`s-maxage` when a CDN is purged on publish), so browsers and a CDN revalidate.
"""

import functools
import hashlib
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
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
# Headers a kept page is served with; the others (cookies, dates) are never copied.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options")
REFUSING_CACHE_CONTROL = ("private", "no-store", "no-cache")
ENTRY_LAYOUT = 2


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
    address = f"{request.get_host()}|{_variant(request)}|{request.get_full_path()}"
    # The entry's layout is in the key, so a deployment that changes it never reads old ones.
    return f"page_cache:page:{ENTRY_LAYOUT}:" + hashlib.sha256(address.encode()).hexdigest()


def _may_use_cache(request: HttpRequest) -> bool:
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))


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
    if entry["etag"] in request.META.get("HTTP_IF_NONE_MATCH", ""):
        return HttpResponseNotModified(headers=entry["validators"])
    return HttpResponse(entry["content"], headers=entry["headers"])


class PageCacheMiddleware:
    """Serves and keeps whole public pages; see the module's docstring for the rules."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_use_cache(request):
            return self.get_response(request)
        cache = _cache()
        key = _entry_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        now = timezone.now()
        if entry and entry["generation"] == generation and entry["expires"] > now.timestamp():
            return _served(request, entry)

        response = self.get_response(request)
        if not _may_keep(request, response):
            return response
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(GENERATION_KEY, generation, None):
                return response  # another process started one just now: keep nothing
        expires = now + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
        boundary = next_boundary(now=now)
        if boundary is not None:
            expires = min(expires, boundary)
        seconds = int((expires - now).total_seconds())
        if seconds <= 0:
            return response
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        validators = _validators(etag=etag, modified=now.timestamp())
        for name, value in validators.items():
            response[name] = value
        patch_vary_headers(response, ["Cookie"])  # the reading-mode cookie picks the variant
        # Worked out once here, so a hit only copies them: the page's own headers (never its
        # cookies or dates) and the validators; a 304 carries the validators alone.
        validators = {**validators, "Vary": response["Vary"], "X-Page-Cache": "hit"}
        kept_headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        entry = {
            "generation": generation,
            "expires": expires.timestamp(),
            "etag": etag,
            "content": response.content,
            "headers": {**kept_headers, **validators},
            "validators": validators,
        }
        cache.set(key, entry, seconds)
        response["X-Page-Cache"] = "miss"
        return response

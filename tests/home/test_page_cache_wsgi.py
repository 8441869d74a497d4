"""Kept pages served before Django's handler runs (home.page_cache.KeptPages, issue 8), through
the WSGI application gunicorn serves: the same page, the same headers, the same guards."""

import contextlib
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

# Imported once, at collection, as gunicorn imports it (it sets Django up again, which is harmless).
from siteconf.wsgi import application as site_application

from education.factories import ArticlePageFactory
from home.page_cache import GENERATION_KEY, KeptPages, _entry_key

SECURITY_HEADERS = (
    "content-security-policy",
    "permissions-policy",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "x-frame-options",
)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    through_django: bool  # Django's handler ran (it sends request_started)

    def __getitem__(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@contextlib.contextmanager
def _test_transaction_kept_open():
    """As Django's test client does: the signals must not close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def get(path, *, application=site_application, method="GET", headers=None, cookies=None, **extra):
    factory = RequestFactory()
    for name, value in (cookies or {}).items():
        factory.cookies[name] = value
    environ = factory.generic(method, path, headers=headers, **extra).environ
    # As a server passes it (the request above decoded it in place): UTF-8 bytes as latin-1.
    environ["PATH_INFO"] = unquote_to_bytes(urlsplit(path).path).decode("iso-8859-1")
    started = []
    answer = {}

    def on_started(**kwargs):
        started.append(True)

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = {name.lower(): value for name, value in response_headers}

    request_started.connect(on_started)
    try:
        with _test_transaction_kept_open():
            body = application(environ, start_response)
            try:
                content = b"".join(body)
            finally:
                if hasattr(body, "close"):
                    body.close()  # as a WSGI server does
    finally:
        request_started.disconnect(on_started)
    return Answer(answer["status"], answer["headers"], content, bool(started))


# The site settings exist first: a fresh site makes them on its first page, which is a change.
pytestmark = pytest.mark.usefixtures("site_settings")


def test_a_kept_page_is_served_before_django_as_django_first_answered_it(topic):
    assert isinstance(site_application, KeptPages)
    assert isinstance(site_application.application, WSGIHandler)
    ArticlePageFactory(parent=topic, title="示例文章")
    first = get(topic.url)
    assert first.status == 200 and first.through_django and first["X-Page-Cache"] == "miss"
    second = get(topic.url)
    assert second.status == 200 and not second.through_django
    assert second["X-Page-Cache"] == "hit"
    assert second.body == first.body and "示例文章" in second.body.decode()
    for name in (
        *SECURITY_HEADERS,
        "content-type",
        "content-language",
        "content-length",
        "etag",
        "last-modified",
        "cache-control",
        "vary",
    ):
        assert first[name] and second[name] == first[name], name
    assert "Cookie" in second["Vary"]
    assert "set-cookie" not in second.headers and "date" not in second.headers


def test_an_insecure_request_is_sent_to_https_never_served_a_kept_page(topic, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    application = KeptPages(WSGIHandler())  # SecurityMiddleware reads them when it is built
    over_https = {"X-Forwarded-Proto": "https"}
    first = get(topic.url, application=application, headers=over_https)
    kept = get(topic.url, application=application, headers=over_https)
    assert kept["X-Page-Cache"] == "hit" and not kept.through_django
    assert kept["Strict-Transport-Security"] == first["Strict-Transport-Security"]
    assert "max-age=3600" in kept["Strict-Transport-Security"]
    for headers in ({}, {"X-Forwarded-Proto": "http"}):
        insecure = get(topic.url, application=application, headers=headers)
        assert insecure.status == 301 and insecure.through_django
        assert insecure["Location"] == f"https://testserver{topic.url}"
        assert insecure["X-Page-Cache"] is None


def test_pages_kept_over_http_and_https_are_kept_apart(topic, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    application = KeptPages(WSGIHandler())
    get(topic.url, application=application)
    plain = get(topic.url, application=application)
    assert plain["X-Page-Cache"] == "hit" and plain["Strict-Transport-Security"] is None
    assert get(topic.url, application=application, secure=True)["X-Page-Cache"] == "miss"
    secure = get(topic.url, application=application, secure=True)
    assert secure["X-Page-Cache"] == "hit" and "max-age=3600" in secure["Strict-Transport-Security"]


def test_a_host_not_allowed_goes_on_to_django_which_refuses_it(topic):
    get(topic.url)
    assert get(topic.url)["X-Page-Cache"] == "hit"
    answer = get(topic.url, headers={"Host": "evil.example"})
    assert answer.status == 400 and answer.through_django and answer["X-Page-Cache"] is None


def test_static_and_media_addresses_are_never_looked_up(topic):
    get(topic.url)
    cache = caches["default"]
    entry = cache.get(_entry_key(RequestFactory().get(topic.url)))
    # The page's current entry, copied to where pages at these addresses would be kept: only
    # the page's own kind of address is ever served one.
    for path in ("/static/css/site.css", "/media/original_images/photo.jpg", "/no-such-page/"):
        cache.set(_entry_key(RequestFactory().get(path)), entry, 60)
    assert get("/no-such-page/")["X-Page-Cache"] == "hit"
    for path in ("/static/css/site.css", "/media/original_images/photo.jpg"):
        answer = get(path)
        assert answer.through_django and answer["X-Page-Cache"] is None, path


@pytest.mark.parametrize(
    "request_kind",
    [
        {"cookies": {"sessionid": "sample-session"}},
        {"cookies": {"messages": "sample-message"}},
        {"headers": {"Authorization": "Basic ZWRpdG9yOnNlY3JldA=="}},
        {"method": "POST"},
        {"method": "HEAD"},
    ],
    ids=["session", "messages", "authorization", "post", "head"],
)
def test_signed_in_readers_messages_and_anything_but_a_get_are_never_served(topic, request_kind):
    get(topic.url)
    assert get(topic.url)["X-Page-Cache"] == "hit"
    answer = get(topic.url, **request_kind)
    assert answer.through_django and answer["X-Page-Cache"] is None


def test_large_text_pages_are_their_own_variant_before_django_too(topic):
    get(topic.url)
    large = {"reading_mode": "large"}
    first_large = get(topic.url, cookies=large)
    assert first_large["X-Page-Cache"] == "miss"
    kept_large = get(topic.url, cookies=large)
    assert kept_large["X-Page-Cache"] == "hit" and 'class="large-text"' in kept_large.body.decode()
    normal = get(topic.url)
    assert normal["X-Page-Cache"] == "hit" and 'class="large-text"' not in normal.body.decode()


def test_a_browser_that_has_the_page_gets_304_before_django(topic):
    first = get(topic.url)
    answer = get(topic.url, headers={"If-None-Match": first["ETag"]})
    assert answer.status == 304 and not answer.body and not answer.through_django
    assert answer["Content-Type"] is None and answer["Content-Length"] is None
    for name in ("etag", "last-modified", "cache-control", "vary", *SECURITY_HEADERS):
        assert answer[name] == first[name], name


def test_publishing_a_change_makes_the_wrapper_render_afresh(topic):
    article = ArticlePageFactory(parent=topic, title="示例旧标题")
    for url in (article.url, topic.url, "/"):
        get(url)
        assert get(url)["X-Page-Cache"] == "hit", url
    article.title = "示例新标题"
    article.save_revision().publish()
    for url in (article.url, topic.url, "/"):
        answer = get(url)
        html = answer.body.decode()
        assert answer.through_django and "示例新标题" in html and "示例旧标题" not in html, url


def test_a_page_at_a_chinese_address_is_rendered_then_kept(topic):
    # The wrapper reads its own copy of the environ: Django still decodes the path itself.
    article = ArticlePageFactory(parent=topic, slug="示例文章", title="示例中文地址")
    first = get(article.url)
    assert first.status == 200 and "示例中文地址" in first.body.decode()
    second = get(article.url)
    assert second["X-Page-Cache"] == "hit" and second.body == first.body


def test_a_page_rendered_behind_the_wrapper_reads_the_cache_once(topic, monkeypatch):
    """The wrapper hands its lookup to the middleware, which keeps the page without asking
    the cache again."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    read = cache.get_many
    lookups = []

    def counted(keys, **kwargs):
        if GENERATION_KEY in keys:
            lookups.append(keys)
        return read(keys, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    assert get(topic.url)["X-Page-Cache"] == "miss"
    assert len(lookups) == 1
    assert get(topic.url)["X-Page-Cache"] == "hit"
    assert len(lookups) == 2

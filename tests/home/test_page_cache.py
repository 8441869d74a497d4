"""Whole pages kept for anonymous readers are never wrong (home/page_cache.py, issue 8)."""

import datetime
import os

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.utils import timezone

from education.factories import ArticlePageFactory, TopicPageFactory
from merchants.factories import MerchantFactory, OfferFactory

# The site settings exist first: a fresh site makes them on its first page, which is a change.
pytestmark = pytest.mark.usefixtures("site_settings")


def kept(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def test_the_shared_cache_is_redis_under_make_test():
    backend = settings.CACHES["default"]["BACKEND"]
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI") == "true":
            pytest.fail("REDIS_URL is not set: `make test` starts Redis and sets it.")
        pytest.skip("No Redis: run `make test`, or start redis-server and export REDIS_URL.")
    assert backend == "django.core.cache.backends.redis.RedisCache"
    caches["default"].set("probe", "示例", 5)
    assert caches["default"].get("probe") == "示例"


def test_production_uses_redis_when_named_else_the_database_cache():
    from siteconf.settings.base import cache_from_env

    redis = cache_from_env({"REDIS_URL": "redis://redis:6379/0"})
    assert redis["BACKEND"].endswith("RedisCache") and redis["LOCATION"] == "redis://redis:6379/0"
    assert cache_from_env({})["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_a_second_anonymous_reader_gets_the_kept_page(client, topic):
    ArticlePageFactory(parent=topic, title="示例文章")
    first = client.get(topic.url)
    assert first.get("X-Page-Cache") == "miss" and not first.cookies
    second = client.get(topic.url)
    assert kept(second) and second.content == first.content
    assert "max-age=0" in second["Cache-Control"] and "Cookie" in second["Vary"]
    assert second["Content-Security-Policy"]  # the policies still wrap a kept page


def test_a_kept_page_answers_with_the_headers_its_first_reader_got(client, topic):
    first = client.get(topic.url)
    second = client.get(topic.url)
    assert kept(second)
    for name in (
        "Content-Type",
        "Content-Language",
        "ETag",
        "Last-Modified",
        "Cache-Control",
        "Vary",
        "Content-Security-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
    ):
        assert second[name] == first[name], name
    assert not second.cookies
    not_modified = client.get(topic.url, headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304 and not not_modified.content
    assert "Content-Type" not in not_modified
    for name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert not_modified[name] == first[name], name


def test_a_browser_revalidates_with_the_etag(client, topic):
    etag = client.get(topic.url)["ETag"]
    assert client.get(topic.url, headers={"if-none-match": etag}).status_code == 304
    ArticlePageFactory(parent=topic, title="新发布的示例文章")
    assert client.get(topic.url, headers={"if-none-match": etag}).status_code == 200


def test_publishing_a_change_shows_on_the_page_its_listing_and_the_home_page(client, topic):
    article = ArticlePageFactory(parent=topic, title="示例旧标题")
    for url in (article.url, topic.url, "/"):
        assert "示例旧标题" in client.get(url).content.decode()
        assert kept(client.get(url))
    article.title = "示例新标题"
    article.save_revision().publish()
    for url in (article.url, topic.url, "/"):
        html = client.get(url).content.decode()
        assert "示例新标题" in html and "示例旧标题" not in html, url


def test_unpublishing_moving_and_deleting_are_seen_at_once(client, topic, home_page):
    article = ArticlePageFactory(parent=topic, title="示例将撤下的文章")
    other_topic = TopicPageFactory(parent=topic.get_parent(), title="示例其他专题")
    assert "示例将撤下的文章" in client.get(topic.url).content.decode()
    old_url = article.url
    article.move(other_topic, pos="last-child")
    assert "示例将撤下的文章" not in client.get(topic.url).content.decode()
    assert client.get(old_url).status_code == 301  # Wagtail's redirect to where it went
    article.refresh_from_db()
    assert "示例将撤下的文章" in client.get(other_topic.url).content.decode()
    article.unpublish()
    assert "示例将撤下的文章" not in client.get(other_topic.url).content.decode()
    assert client.get(article.url).status_code == 404
    other_topic.delete()
    assert client.get(other_topic.url).status_code == 404


def test_a_scheduled_publication_is_seen_when_it_goes_live(client, topic):
    from django.core.management import call_command

    article = ArticlePageFactory(parent=topic, title="示例定时文章", live=False)
    article.save_revision().publish()  # live now, then scheduled to go
    assert "示例定时文章" in client.get(topic.url).content.decode()
    article.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    article.save(update_fields=["expire_at"])
    call_command("publish_scheduled")
    assert "示例定时文章" not in client.get(topic.url).content.decode()


def test_snippet_and_settings_edits_are_seen_at_once(client, home_page, site_settings):
    merchant = MerchantFactory(name="示例茶馆")
    OfferFactory(merchant=merchant, title="示例九折")
    assert "示例九折" in client.get("/merchants/").content.decode()
    offer = merchant.offers.get()
    offer.title = "示例八折"
    offer.save()
    assert "示例八折" in client.get("/merchants/").content.decode()

    contact = site_settings
    assert "023-6000000" not in client.get("/").content.decode()
    contact.phone = "023-6000000"
    contact.save()
    assert "023-6000000" in client.get("/").content.decode()


def test_a_page_with_offers_is_not_kept_past_the_day_they_may_end(client, home_page, monkeypatch):
    merchant = MerchantFactory(name="示例理发店")
    OfferFactory(merchant=merchant, title="示例理发免费", valid_until=timezone.localdate())
    OfferFactory(merchant=merchant, title="示例洗发八折", valid_until=None)
    assert "示例理发免费" in client.get(merchant.get_absolute_url()).content.decode()
    assert kept(client.get(merchant.get_absolute_url()))
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    # No save and no job: the kept page ends at the offer's last day.
    next_day = client.get(merchant.get_absolute_url())
    assert next_day["X-Page-Cache"] == "miss"
    assert "示例理发免费" not in next_day.content.decode()
    assert "示例洗发八折" in next_day.content.decode()


def test_large_text_and_normal_pages_are_kept_apart(client, topic):
    assert 'class="large-text"' not in client.get(topic.url).content.decode()
    client.cookies["reading_mode"] = "large"
    large = client.get(topic.url)
    assert 'class="large-text"' in large.content.decode() and not kept(large)
    assert kept(client.get(topic.url))
    del client.cookies["reading_mode"]
    normal = client.get(topic.url)
    assert kept(normal) and 'class="large-text"' not in normal.content.decode()


def test_no_token_cookie_or_session_ever_reaches_another_reader(client, topic):
    html = client.get(topic.url).content.decode()
    assert "csrfmiddlewaretoken" not in html
    # A reader with a session (a form begun, a position shared) is never served a kept page,
    # and nothing they are shown is kept.
    client.get("/services/childcare/apply/")
    client.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = client.session.session_key
    for url in (topic.url, "/services/childcare/apply/", "/services/track/"):
        response = client.get(url)
        assert "X-Page-Cache" not in response
    client.cookies.clear()
    for url in ("/services/childcare/apply/", "/services/track/"):
        client.get(url)
        response = client.get(url)
        assert not kept(response), url  # the forms are never_cache and carry a token


def test_signed_in_staff_see_their_own_page_and_leave_nothing(client, topic):
    client.get(topic.url)
    staff = User.objects.create_superuser("editor", password="示例密码-long-enough")
    client.force_login(staff)
    response = client.get(topic.url)
    assert "X-Page-Cache" not in response and "wagtail-userbar" in response.content.decode()
    client.logout()
    client.cookies.clear()
    assert "wagtail-userbar" not in client.get(topic.url).content.decode()


def test_search_suggestions_are_never_kept(client, home_page):
    """A key per keystroke; the search page itself is kept on its own terms
    (tests/search/test_kept_searches.py)."""
    client.get("/search/suggest/", {"q": "示例"})
    assert "X-Page-Cache" not in client.get("/search/suggest/", {"q": "示例"})

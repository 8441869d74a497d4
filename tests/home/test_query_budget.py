"""Every public page type costs at most ten queries with every cache empty, whether its
listings hold a few items or many (issue 8)."""

import pytest
from django.core.cache import caches

from education.models import ActivityIndexPage, ActivityPage, ArticlePage, TopicPage
from honours.models import HonourEntryPage, HonourRollPage
from merchants.models import Merchant
from tests.utils import add_content

QUERY_BUDGET = 10


def public_urls() -> dict[str, str]:
    article = ArticlePage.objects.live().order_by("-pk").first()
    entry = HonourEntryPage.objects.live().order_by("-pk").first()
    topic = TopicPage.objects.live().first()
    activity = ActivityPage.objects.live().order_by("-pk").first()
    merchant = Merchant.objects.public().order_by("-pk").first()
    return {
        "home": "/",
        "education index": "/education/",
        "topic": topic.url,
        "topic filtered": f"{topic.url}?tag=共同",
        "article": article.url,
        "activities": ActivityIndexPage.objects.live().get().url,
        "activity": activity.url,
        "honour roll": HonourRollPage.objects.live().get().url,
        "honour entry": entry.url,
        "喜报": f"{entry.url}xibao/",
        "services index": "/services/",
        "service guide": "/services/childcare/",
        "contact": "/contact/",
        "privacy": "/privacy/",
        "merchant directory": "/merchants/",
        "merchant directory nearest a street": "/merchants/?from=ciqikou&who=veterans",
        "merchant": merchant.get_absolute_url(),
        "merchant report form": f"{merchant.get_absolute_url()}report/",
    }


@pytest.mark.parametrize("count", [3, 30])
def test_every_public_page_type_stays_within_the_budget(
    client, demo_site, count, django_assert_max_num_queries
):
    add_content(count)
    for name, url in public_urls().items():
        assert client.get(url).status_code == 200, name  # renditions made once
        for cache in caches.all():
            cache.clear()
        with django_assert_max_num_queries(QUERY_BUDGET, info=name):
            response = client.get(url)
        assert response.status_code == 200, name


def test_search_queries_do_not_grow_with_what_is_found(client, demo_site):
    """What search costs must not grow with the number of matching texts (its budget:
    tests/search/test_query_budget.py)."""
    from tests.utils import count_queries

    url = "/search/?q=示例"
    add_content(3)
    few = count_queries(client, url)
    add_content(27)
    many = count_queries(client, url)
    assert many <= few

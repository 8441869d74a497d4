"""What the search page costs with every cache empty, on the demo content and the database
backend, whatever it finds: results of many types, one type, a later page, or nothing but
related texts. Issue 8's budget is ten: met while the results shown are pages, of any models
(one query for all of them, one for the articles' tags); each other model shown among them
(merchants, service points, documents) costs one query more, which the budget does not allow
yet (BENCHMARKS.md lists the queries)."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from search.conf import DATABASE_BACKEND
from tests.utils import add_content

from .conftest import rebuild

# Was 32 (SQLite) and 41-43 (PostgreSQL) before one query matched every type, 22 before the
# view restrictions were read once for every type, and 18 while the images in the results'
# bodies were read for their text (19 for ten illustrated articles), 16 while each model of
# the pages shown took its own query.
QUERY_CEILING = 10


@pytest.mark.parametrize(
    "params",
    [
        {"q": "国防"},  # the benchmark's query: results of several types
        {"q": "双拥"},
        {"q": "退役军人 优待"},
        {"q": "国防", "type": "article"},
        {"q": "国防", "page": "2"},
        {"q": "航母舰载机"},  # no whole word: the related list
        {"q": ""},
    ],
)
def test_the_search_page_stays_within_the_budget(
    settings, client, demo_site, params, django_assert_max_num_queries
):
    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    rebuild()
    assert client.get(reverse("search"), params).status_code == 200
    for cache in caches.all():
        cache.clear()
    with django_assert_max_num_queries(QUERY_CEILING, info=str(params)):
        response = client.get(reverse("search"), params)
    assert response.status_code == 200


def test_a_page_of_illustrated_results_stays_within_the_budget(
    settings, client, demo_site, django_assert_max_num_queries
):
    """Ten results whose bodies hold pictures: their text is read without their images."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    add_content(10)
    rebuild()
    params = {"q": "示例正文", "type": "article"}
    assert client.get(reverse("search"), params).status_code == 200
    for cache in caches.all():
        cache.clear()
    with django_assert_max_num_queries(QUERY_CEILING):
        response = client.get(reverse("search"), params)
    assert response.context["outcome"].total == 10


def test_each_other_model_shown_costs_one_query_more(
    settings, client, demo_site, django_assert_max_num_queries
):
    """服务 shows pages (articles among them), merchants and service points on its first page:
    the pages in one query, their tags in one, then one for each other model: two over."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    rebuild()
    params = {"q": "服务"}
    shown = {r.type.key for r in client.get(reverse("search"), params).context["outcome"].results}
    assert {"merchant", "service_point"} <= shown
    for cache in caches.all():
        cache.clear()
    with django_assert_max_num_queries(QUERY_CEILING + 2):
        client.get(reverse("search"), params)

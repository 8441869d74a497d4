"""Every public page type costs at most ten queries with every cache empty, whether its
listings hold a few items or many (issue 8)."""

import datetime
import io

import pytest
from django.core.cache import caches
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from education.factories import ActivityPageFactory, ArticlePageFactory
from education.models import ActivityIndexPage, ActivityPage, ArticlePage, TopicPage
from honours.factories import HonourEntryPageFactory
from honours.models import HonourEntryPage, HonourRollPage
from merchants.models import Merchant

QUERY_BUDGET = 10


def make_image(n: int) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (164, 22, 26)).save(buffer, format="PNG")
    return Image.objects.create(title=f"示例图片{n}", file=ImageFile(buffer, name=f"p{n}.png"))


def add_content(count: int) -> None:
    """`count` more of everything a listing shows, each with its picture, tags and a body
    with two pictures, on top of the demo site."""
    topic = TopicPage.objects.live().first()
    activities = ActivityIndexPage.objects.live().get()
    roll = HonourRollPage.objects.live().get()
    now = timezone.now()
    for n in range(count):
        body = [
            ("paragraph", RichText("<p>示例正文</p>")),
            ("image", {"image": make_image(n * 10 + 1), "caption": "示例", "alt_text": ""}),
            ("image", {"image": make_image(n * 10 + 2), "caption": "示例", "alt_text": ""}),
        ]
        ArticlePageFactory(
            parent=topic, cover_image=make_image(n * 10 + 3), body=body, tags=[f"示例{n}", "共同"]
        )
        for days in (n + 1, -(n + 1)):
            ActivityPageFactory(
                parent=activities,
                start_at=now + datetime.timedelta(days=days),
                cover_image=make_image(n * 10 + 5 + days % 2),
                body=body,
            )
        HonourEntryPageFactory(
            parent=roll,
            photo=make_image(n * 10 + 7),
            photo_consent=True,
            photo_consent_record="示例：本人书面同意",
        )


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

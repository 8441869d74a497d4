import datetime
import io

from django.conf import settings
from django.core.cache import caches
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from education.factories import ActivityPageFactory, ArticlePageFactory
from education.models import ActivityIndexPage, TopicPage
from home.page_cache import GENERATION_KEY
from honours.factories import HonourEntryPageFactory
from honours.models import HonourRollPage


def forget_kept_pages() -> None:
    """Every page kept for anonymous readers becomes stale, as after a publication."""
    caches[settings.PAGE_CACHE_ALIAS].delete(GENERATION_KEY)


def count_queries(client, url: str) -> int:
    """The queries one GET of url costs once caches are warm and renditions made (the page
    itself rendered afresh, not served as a kept page)."""
    client.get(url)
    forget_kept_pages()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


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

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.page_cache import GENERATION_KEY


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

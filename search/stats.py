"""What people searched, and which searches found nothing, for editors."""

import datetime
import re

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.search.utils import normalise_query_string

from home.personal_data import mask_numbers_in_text

from .models import ZeroResultDailyHits

REPORT_DAYS = 30

# A code of letters and digits (a request's reference such as SY2026-7K3QX9HM, a card or
# account number): private to whoever typed it, and no guide to what readers look for.
_CODE = re.compile(r"(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9-]{8,}", re.ASCII)


def is_recordable(query: str) -> bool:
    """False for a search holding a number of seven digits or more (an identity or phone
    number, in any spacing or width) or a code of letters and digits: never stored."""
    return mask_numbers_in_text(query) == query and not _CODE.search(query)


def search_record(*, query: str, found: bool) -> None:
    """Counts the search in search promotions' daily hits and, when it found nothing, here.
    Searches that hold personal numbers or codes are not counted anywhere."""
    if not is_recordable(query):
        return
    logged = Query.get(query)
    logged.add_hit()
    if not found:
        hits, _created = ZeroResultDailyHits.objects.get_or_create(
            query=logged, date=timezone.localdate()
        )
        ZeroResultDailyHits.objects.filter(pk=hits.pk).update(hits=F("hits") + 1)


def promotions_for(query: str) -> list[SearchPromotion]:
    """Editors' promoted results for this query: live pages and external links."""
    promotions = SearchPromotion.objects.filter(
        query__query_string=normalise_query_string(query)
    ).select_related("page")
    return [p for p in promotions if p.page is None or p.page.live]


def _hits_since(model, since: datetime.date) -> Coalesce:
    total = (
        model.objects.filter(query=OuterRef("pk"), date__gte=since)
        .values("query")
        .annotate(total=Sum("hits"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def search_terms(*, zero_results_only: bool = False) -> QuerySet[Query]:
    """Queries of the last REPORT_DAYS days with how often they were searched (`searches`)
    and how often they found nothing (`misses`), most misses first."""
    since = timezone.localdate() - datetime.timedelta(days=REPORT_DAYS)
    queries = Query.objects.annotate(
        searches=_hits_since(QueryDailyHits, since),
        misses=_hits_since(ZeroResultDailyHits, since),
    ).filter(searches__gt=0)
    if zero_results_only:
        queries = queries.filter(misses__gt=0)
    return queries.order_by("-misses", "-searches", "query_string")

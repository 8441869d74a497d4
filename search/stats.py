"""What people searched, and which searches found nothing, for editors."""

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.search.utils import normalise_query_string

from home.personal_data import mask_numbers_in_text

from .models import SearchEvent, ZeroResultDailyHits

REPORT_DAYS = 30
# The key of the note the search page leaves with the page cache (home/page_cache.py), so a
# kept search is counted each time it is served: {"query": …, "found": …}.
PAGE_CACHE_NOTE = "search"

# A code of letters and digits (a request's reference such as SY2026-7K3QX9HM, a card or
# account number): private to whoever typed it, and no guide to what readers look for.
_CODE = re.compile(r"(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9-]{8,}", re.ASCII)


def is_recordable(query: str) -> bool:
    """False for a search holding a number of seven digits or more (an identity or phone
    number, in any spacing or width) or a code of letters and digits: never stored."""
    return mask_numbers_in_text(query) == query and not _CODE.search(query)


def search_record(*, query: str, found: bool) -> None:
    """Counts one search served, rendered or kept (search.wagtail_hooks), with one INSERT;
    search_events_roll_up() adds it to the editors' statistics later. Searches that hold
    personal numbers or codes are not counted anywhere."""
    if not is_recordable(query):
        return
    SearchEvent.objects.create(
        query_string=normalise_query_string(query),
        searched_on=timezone.localdate(),
        found=found,
    )


class _TakenMeanwhile(Exception):
    """Another roll-up counted some of the same events first."""


def search_events_roll_up() -> int:
    """Adds the searches recorded since the last roll-up to search promotions' daily hits and,
    those that found nothing, to ZeroResultDailyHits; returns how many. The scheduler runs it,
    and the editors' report before it reads, so the figures are whole without a scheduler.

    The events counted are deleted in the same transaction; if fewer are deleted than were
    counted, a concurrent roll-up took them, and this one rolls back rather than count twice.
    """
    last = SearchEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    if last is None:
        return 0
    events = SearchEvent.objects.filter(pk__lte=last)
    try:
        with transaction.atomic():
            groups = list(
                events.values("query_string", "searched_on")
                .annotate(searches=Count("pk"), misses=Count("pk", filter=Q(found=False)))
                .order_by()
            )
            counted = sum(group["searches"] for group in groups)
            if events.delete()[0] != counted:
                raise _TakenMeanwhile
            _add_hits(groups)
    except (_TakenMeanwhile, IntegrityError):
        return 0  # what is left is counted by the next roll-up
    return counted


def _add_hits(groups: list[dict]) -> None:
    texts = {group["query_string"] for group in groups}
    Query.objects.bulk_create([Query(query_string=text) for text in texts], ignore_conflicts=True)
    query_ids = dict(Query.objects.filter(query_string__in=texts).values_list("query_string", "pk"))
    for group in groups:
        query_id, day = query_ids[group["query_string"]], group["searched_on"]
        _add(QueryDailyHits, query_id=query_id, day=day, hits=group["searches"])
        if group["misses"]:
            _add(ZeroResultDailyHits, query_id=query_id, day=day, hits=group["misses"])


def _add(model, *, query_id: int, day: datetime.date, hits: int) -> None:
    if not model.objects.filter(query_id=query_id, date=day).update(hits=F("hits") + hits):
        model.objects.create(query_id=query_id, date=day, hits=hits)


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

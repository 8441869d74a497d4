"""Reads for the honour roll: a fixed number of queries per listing page."""

from itertools import groupby

from django.db.models import QuerySet
from wagtail.models import Page

from home.listing import with_image_renditions

from . import models as pages

LISTING_RENDITION = "fill-240x320|format-webp"


def _with_photos(queryset: QuerySet) -> QuerySet:
    return with_image_renditions(queryset, field="photo", rendition=LISTING_RENDITION)


def honour_listing(*, within: Page, kind: str | None = None, year: int | None = None) -> QuerySet:
    entries = pages.HonourEntryPage.objects.live().public().descendant_of(within)
    if kind:
        entries = entries.filter(kind=kind)
    if year:
        entries = entries.filter(year=year)
    return _with_photos(entries).order_by("-year", "kind", "person_name")


def honour_years(*, within: Page) -> list[int]:
    entries = pages.HonourEntryPage.objects.live().public().descendant_of(within)
    return list(entries.order_by("-year").values_list("year", flat=True).distinct())


def group_by_year(entries) -> list[tuple[int, list]]:
    return [(year, list(group)) for year, group in groupby(entries, key=lambda e: e.year)]


def honour_highlights(*, limit: int) -> QuerySet:
    entries = pages.HonourEntryPage.objects.live().public()
    return _with_photos(entries).order_by("-year", "-first_published_at")[:limit]

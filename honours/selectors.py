"""Reads for the honour roll: a fixed number of queries per listing page."""

from itertools import groupby

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model
from wagtail.models import Page

from . import models as pages

LISTING_RENDITION = "fill-240x320|format-webp"


def honour_listing(*, within: Page, kind: str | None = None, year: int | None = None) -> QuerySet:
    entries = pages.HonourEntryPage.objects.live().public().descendant_of(within)
    if kind:
        entries = entries.filter(kind=kind)
    if year:
        entries = entries.filter(year=year)
    photos = get_image_model().objects.prefetch_renditions(LISTING_RENDITION)
    return entries.prefetch_related(Prefetch("photo", queryset=photos)).order_by(
        "-year", "kind", "person_name"
    )


def honour_years(*, within: Page) -> list[int]:
    entries = pages.HonourEntryPage.objects.live().public().descendant_of(within)
    return list(entries.order_by("-year").values_list("year", flat=True).distinct())


def group_by_year(entries) -> list[tuple[int, list]]:
    return [(year, list(group)) for year, group in groupby(entries, key=lambda e: e.year)]


def honour_highlights(*, limit: int) -> QuerySet:
    photos = get_image_model().objects.prefetch_renditions(LISTING_RENDITION)
    return (
        pages.HonourEntryPage.objects.live()
        .public()
        .prefetch_related(Prefetch("photo", queryset=photos))
        .order_by("-year", "-first_published_at")[:limit]
    )

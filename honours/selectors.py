"""Reads for the honour roll: a fixed number of queries per listing page."""

from itertools import groupby

from django.db.models import F, QuerySet
from wagtail.models import Page

from home.listing import with_image_renditions
from home.page_tree import live_and_public

from . import models as pages

LISTING_RENDITION = "fill-240x320|format-webp"
# Entries whose year the documents do not give come last, under their own heading.
NEWEST_YEAR_FIRST = F("year").desc(nulls_last=True)


def _with_photos(queryset: QuerySet, *, renditions: bool = True) -> QuerySet:
    """Photos joined, and their listing renditions unless the caller gathers them; without the
    citation, which only the entry's own page shows."""
    rendition = LISTING_RENDITION if renditions else None
    return with_image_renditions(queryset.defer("citation"), field="photo", rendition=rendition)


def honour_listing(*, within: Page, kind: str | None = None, year: int | None = None) -> QuerySet:
    entries = live_and_public(pages.HonourEntryPage.objects).descendant_of(within)
    if kind:
        entries = entries.filter(kind=kind)
    if year:
        entries = entries.filter(year=year)
    return _with_photos(entries).order_by(NEWEST_YEAR_FIRST, "kind", "person_name")


def honour_years(*, within: Page) -> list[int]:
    entries = live_and_public(pages.HonourEntryPage.objects).descendant_of(within)
    years = entries.filter(year__isnull=False).order_by("-year")
    return list(years.values_list("year", flat=True).distinct())


def honour_kinds(*, within: Page) -> list[tuple[str, str]]:
    """The categories that have entries, in the order the model lists them."""
    entries = live_and_public(pages.HonourEntryPage.objects).descendant_of(within)
    present = set(entries.values_list("kind", flat=True).distinct())
    return [(value, label) for value, label in pages.HonourKind.choices if value in present]


def group_by_year(entries) -> list[tuple[int | None, list]]:
    return [(year, list(group)) for year, group in groupby(entries, key=lambda e: e.year)]


def honour_highlights(*, limit: int, renditions: bool = True) -> QuerySet:
    entries = live_and_public(pages.HonourEntryPage.objects)
    return _with_photos(entries, renditions=renditions).order_by(
        NEWEST_YEAR_FIRST, "-first_published_at"
    )[:limit]

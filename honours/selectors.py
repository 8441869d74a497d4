"""Reads for the honour roll: a fixed number of queries per listing page."""

from itertools import groupby

from django.db.models import F, QuerySet
from wagtail.models import Page

from home.listing import public_pages, with_image_renditions

from . import models as pages

LISTING_RENDITION = "fill-240x320|format-webp"
# Entries whose year the documents do not give come last, under their own heading.
NEWEST_YEAR_FIRST = F("year").desc(nulls_last=True)


def _with_photos(queryset: QuerySet) -> QuerySet:
    return with_image_renditions(queryset, field="photo", rendition=LISTING_RENDITION)


def honour_listing(*, within: Page, kind: str | None = None, year: int | None = None) -> QuerySet:
    entries = public_pages(pages.HonourEntryPage, within=within)
    if kind:
        entries = entries.filter(kind=kind)
    if year:
        entries = entries.filter(year=year)
    return _with_photos(entries).order_by(NEWEST_YEAR_FIRST, "kind", "person_name")


def honour_years(*, within: Page) -> list[int]:
    entries = public_pages(pages.HonourEntryPage, within=within)
    years = entries.filter(year__isnull=False).order_by("-year")
    return list(years.values_list("year", flat=True).distinct())


def honour_kinds(*, within: Page) -> list[tuple[str, str]]:
    """The categories that have entries, in the order the model lists them."""
    entries = public_pages(pages.HonourEntryPage, within=within)
    present = set(entries.values_list("kind", flat=True).distinct())
    return [(value, label) for value, label in pages.HonourKind.choices if value in present]


def group_by_year(entries) -> list[tuple[int | None, list]]:
    return [(year, list(group)) for year, group in groupby(entries, key=lambda e: e.year)]


def honour_highlights(*, limit: int) -> QuerySet:
    entries = pages.HonourEntryPage.objects.live().public()
    return _with_photos(entries).order_by(NEWEST_YEAR_FIRST, "-first_published_at")[:limit]

"""Reads for the education pages, each shaped so a listing costs a fixed number of queries."""

import datetime

from django.db.models import F, QuerySet
from taggit.models import Tag
from wagtail.models import Page

from home.listing import public_pages, with_image_renditions

from . import models as pages

# The rendition the listing templates ask for; prefetched so images cost no query per row.
LISTING_RENDITION = "fill-480x270|format-webp"
# Articles whose source gives no date come after dated ones, newest first among themselves.
NEWEST_FIRST = (F("date").desc(nulls_last=True), "-pk")


def _with_listing_media(queryset: QuerySet) -> QuerySet:
    return with_image_renditions(queryset, field="cover_image", rendition=LISTING_RENDITION)


def article_listing(*, within: Page, tag: str | None = None, year: int | None = None) -> QuerySet:
    articles = public_pages(pages.ArticlePage, within=within)
    if tag:
        articles = articles.filter(tags__name=tag)
    if year:
        articles = articles.filter(date__year=year)
    articles = _with_listing_media(articles).prefetch_related("tags")
    return articles.order_by(*NEWEST_FIRST)


def article_tags(*, within: Page) -> QuerySet:
    article_ids = public_pages(pages.ArticlePage, within=within).values("pk")
    return (
        Tag.objects.filter(education_articlepagetag_items__content_object__in=article_ids)
        .distinct()
        .order_by("name")
    )


def article_years(*, within: Page) -> list[int]:
    dates = public_pages(pages.ArticlePage, within=within).dates("date", "year")
    return [d.year for d in reversed(dates)]


def related_articles(*, article, limit: int) -> list:
    """Articles sharing a tag with this one, newest first, topped up from the same topic."""
    others = pages.ArticlePage.objects.live().public().exclude(pk=article.pk)
    tag_ids = [tag.pk for tag in article.tags.all()]
    related = list(
        _with_listing_media(others.filter(tags__in=tag_ids).distinct()).order_by(*NEWEST_FIRST)[
            :limit
        ]
    )
    if len(related) < limit:
        siblings = others.sibling_of(article).exclude(pk__in=[a.pk for a in related])
        related += list(
            _with_listing_media(siblings).order_by(*NEWEST_FIRST)[: limit - len(related)]
        )
    return related


def upcoming_activities(*, now: datetime.datetime, limit: int | None = None) -> QuerySet:
    activities = _with_listing_media(
        pages.ActivityPage.objects.live().public().filter(start_at__gte=now).order_by("start_at")
    )
    return activities[:limit] if limit else activities


def past_activities(*, now: datetime.datetime) -> QuerySet:
    return _with_listing_media(
        pages.ActivityPage.objects.live().public().filter(start_at__lt=now).order_by("-start_at")
    )

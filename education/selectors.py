"""Reads for the education pages, each shaped so a listing costs a fixed number of queries."""

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from taggit.models import Tag
from wagtail.models import Page

from home.listing import with_image_renditions
from home.page_tree import live_and_public

from . import models as pages

# The rendition the listing templates ask for; prefetched so images cost no query per row.
LISTING_RENDITION = "fill-480x270|format-webp"
# The cover on an article's or activity's own page (a srcset of two widths).
PAGE_RENDITIONS = ["width-480|format-webp", "width-960|format-webp"]
# Articles whose source gives no date come after dated ones, newest first among themselves.
NEWEST_FIRST = (F("date").desc(nulls_last=True), "-pk")


def _listed(model) -> QuerySet:
    """The pages of `model` a listing may show, without their body: no card shows it, and
    reading it means carrying and parsing the whole article's JSON for every row."""
    return live_and_public(model.objects).defer("body")


def _with_listing_media(queryset: QuerySet, *, renditions: bool = True) -> QuerySet:
    """Cover images joined, and their listing renditions unless the caller gathers them."""
    rendition = LISTING_RENDITION if renditions else None
    return with_image_renditions(queryset, field="cover_image", rendition=rendition)


def article_listing(
    *, within: Page, tag: str | None = None, year: int | None = None, renditions: bool = True
) -> QuerySet:
    articles = _listed(pages.ArticlePage).descendant_of(within)
    if tag:
        articles = articles.filter(tags__name=tag)
    if year:
        articles = articles.filter(date__year=year)
    articles = _with_listing_media(articles, renditions=renditions)
    return articles.order_by(*NEWEST_FIRST)


def article_tags_with_listed(*, within: Page, articles: list) -> list[Tag]:
    """The tags of the articles under `within`, by name, for the filter; and, in one query
    with them, each of `articles` given its own tags as `listed_tags`."""
    article_ids = live_and_public(pages.ArticlePage.objects).descendant_of(within).values("pk")
    links = pages.ArticlePageTag.objects.filter(content_object__in=article_ids)
    by_article: dict[int, list[Tag]] = {}
    options: dict[int, Tag] = {}
    for link in links.select_related("tag").order_by("pk"):
        by_article.setdefault(link.content_object_id, []).append(link.tag)
        options.setdefault(link.tag_id, link.tag)
    for article in articles:
        article.listed_tags = by_article.get(article.pk, [])
    return sorted(options.values(), key=lambda tag: tag.name)


def article_years(*, within: Page) -> list[int]:
    dates = live_and_public(pages.ArticlePage.objects).descendant_of(within).dates("date", "year")
    return [d.year for d in reversed(dates)]


def related_articles(*, article, tags: list[Tag], limit: int) -> list:
    """Articles sharing one of `tags` (the article's) with it, newest first, topped up from the
    same topic: one query (and one for the pictures)."""
    shares_a_tag = Exists(
        pages.ArticlePageTag.objects.filter(
            content_object=OuterRef("pk"), tag_id__in=[tag.pk for tag in tags]
        )
    )
    candidates = (
        _listed(pages.ArticlePage)
        .exclude(pk=article.pk)
        .annotate(shares_a_tag=shares_a_tag)
        .filter(Q(shares_a_tag=True) | Q(pk__in=article.get_siblings().values("pk")))
    )
    return list(
        _with_listing_media(candidates).order_by(F("shares_a_tag").desc(), *NEWEST_FIRST)[:limit]
    )


# Activity cards show no picture (includes/activity_cards.html): their listings read none.
def upcoming_activities(*, now: datetime.datetime, limit: int | None = None) -> QuerySet:
    activities = _listed(pages.ActivityPage).filter(start_at__gte=now)
    activities = activities.order_by("start_at")
    return activities[:limit] if limit else activities


def past_activities(*, now: datetime.datetime) -> QuerySet:
    return _listed(pages.ActivityPage).filter(start_at__lt=now).order_by("-start_at")

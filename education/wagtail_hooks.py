from django.utils.translation import gettext as _
from wagtail import hooks

from home.sections import index_section

from . import selectors
from .models import ActivityIndexPage, EducationIndexPage


@hooks.register("home_page_sections", order=10)
def latest_articles_section(*, now, landmarks):
    return index_section(
        EducationIndexPage,
        landmarks=landmarks,
        title=_("国防教育 · 最新文章"),
        template="education/includes/article_cards.html",
        items=lambda index: selectors.article_listing(within=index, renditions=False)[:6],
        image_field="cover_image",
        rendition=selectors.LISTING_RENDITION,
    )


@hooks.register("home_page_sections", order=20)
def upcoming_activities_section(*, now, landmarks):
    return index_section(
        ActivityIndexPage,
        landmarks=landmarks,
        title=_("近期活动"),
        template="education/includes/activity_cards.html",
        items=lambda index: selectors.upcoming_activities(now=now, limit=3),
    )

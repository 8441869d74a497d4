from django.utils.translation import gettext as _
from wagtail import hooks

from home.sections import HomeSection, first_of_type

from . import selectors
from .models import ActivityIndexPage, EducationIndexPage


@hooks.register("home_page_sections", order=10)
def latest_articles_section(*, now, landmarks):
    index = first_of_type(landmarks, EducationIndexPage)
    if index is None:
        return None
    return HomeSection(
        title=_("国防教育 · 最新文章"),
        template="education/includes/article_cards.html",
        items=list(selectors.article_listing(within=index, renditions=False)[:6]),
        more_url=index.url,
        image_field="cover_image",
        rendition=selectors.LISTING_RENDITION,
    )


@hooks.register("home_page_sections", order=20)
def upcoming_activities_section(*, now, landmarks):
    index = first_of_type(landmarks, ActivityIndexPage)
    if index is None:
        return None
    activities = list(selectors.upcoming_activities(now=now, limit=3, renditions=False))
    if not activities:
        return None
    return HomeSection(
        title=_("近期活动"),
        template="education/includes/activity_cards.html",
        items=activities,
        more_url=index.url,
        image_field="cover_image",
        rendition=selectors.LISTING_RENDITION,
    )

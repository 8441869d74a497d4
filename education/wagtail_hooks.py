from django.utils.translation import gettext as _
from wagtail import hooks

from home.sections import HomeSection

from . import selectors
from .models import ActivityIndexPage, EducationIndexPage


@hooks.register("home_page_sections", order=10)
def latest_articles_section(*, now):
    index = EducationIndexPage.objects.live().first()
    if index is None:
        return None
    return HomeSection(
        title=_("国防教育 · 最新文章"),
        template="education/includes/article_cards.html",
        items=list(selectors.article_listing(within=index)[:6]),
        more_url=index.url,
    )


@hooks.register("home_page_sections", order=20)
def upcoming_activities_section(*, now):
    activities = list(selectors.upcoming_activities(now=now, limit=3))
    index = ActivityIndexPage.objects.live().first()
    if not activities or index is None:
        return None
    return HomeSection(
        title=_("近期活动"),
        template="education/includes/activity_cards.html",
        items=activities,
        more_url=index.url,
    )

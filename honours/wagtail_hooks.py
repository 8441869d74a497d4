from django.utils.translation import gettext as _
from wagtail import hooks

from home.sections import HomeSection

from . import selectors
from .models import HonourRollPage


@hooks.register("home_page_sections", order=30)
def honour_highlights_section(*, now):
    roll = HonourRollPage.objects.live().first()
    entries = list(selectors.honour_highlights(limit=4))
    if roll is None or not entries:
        return None
    return HomeSection(
        title=_("光荣榜"),
        template="honours/includes/honour_cards.html",
        items=entries,
        more_url=roll.url,
    )

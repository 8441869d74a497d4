from django.utils.translation import gettext as _
from wagtail import hooks

from home.sections import HomeSection, first_of_type

from . import selectors
from .models import HonourRollPage


@hooks.register("home_page_sections", order=30)
def honour_highlights_section(*, now, landmarks):
    roll = first_of_type(landmarks, HonourRollPage)
    if roll is None:
        return None
    entries = list(selectors.honour_highlights(limit=4, renditions=False))
    if not entries:
        return None
    return HomeSection(
        title=_("光荣榜"),
        template="honours/includes/honour_cards.html",
        items=entries,
        more_url=roll.url,
        image_field="public_photo",
        rendition=selectors.LISTING_RENDITION,
    )

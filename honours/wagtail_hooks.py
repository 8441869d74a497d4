from django.utils.translation import gettext as _
from wagtail import hooks

from home.sections import index_section

from . import selectors
from .models import HonourRollPage


@hooks.register("home_page_sections", order=30)
def honour_highlights_section(*, now, landmarks):
    return index_section(
        HonourRollPage,
        landmarks=landmarks,
        title=_("光荣榜"),
        template="honours/includes/honour_cards.html",
        items=lambda roll: selectors.honour_highlights(limit=4, renditions=False),
        image_field="public_photo",
        rendition=selectors.LISTING_RENDITION,
    )

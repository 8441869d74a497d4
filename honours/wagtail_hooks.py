from django.utils.translation import gettext as _
from wagtail import hooks

from home.sections import index_section

from . import selectors
from .models import HonourRollPage


@hooks.register("home_page_sections", order=30)
def honour_highlights_section(*, now):
    return index_section(
        HonourRollPage,
        title=_("光荣榜"),
        template="honours/includes/honour_cards.html",
        items=lambda roll: selectors.honour_highlights(limit=4),
    )

"""The home page's sections, contributed by the domain apps through a Wagtail hook.

`home` imports no domain app: each app registers a `home_page_sections` hook returning a
HomeSection (or None), and the home page shows them in hook order. A hook finds its section's
index page among `landmarks` (the live pages two levels below home, read once for all hooks),
and names the image field and rendition its cards show, so the home page reads the renditions
of every section in one query.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from wagtail import hooks
from wagtail.models import Page

from .listing import prefetch_renditions


@dataclass(frozen=True)
class HomeSection:
    title: str
    template: str
    items: list = field(default_factory=list)
    # Linked with {% pageurl %}, which reads the site's root paths once per request (a page's
    # own `.url` reads them from the cache again for each page).
    more_page: Page | None = None
    image_field: str = ""
    rendition: str = ""


def index_section(
    index_model: type[Page],
    *,
    landmarks: list[Page],
    title: str,
    template: str,
    items: Callable[[Page], Iterable],
    image_field: str = "",
    rendition: str = "",
) -> HomeSection | None:
    """A section showing `items(index)` of the `index_model` page among `landmarks`, with a link
    to it; None (no section) while there is no such page or nothing to show. The items' images
    in `image_field` get their `rendition` with every other section's (home_sections)."""
    index = next((page for page in landmarks if page.specific_class is index_model), None)
    shown = list(items(index)) if index is not None else []
    if not shown:
        return None
    return HomeSection(
        title=title,
        template=template,
        items=shown,
        more_page=index,
        image_field=image_field,
        rendition=rendition,
    )


def home_sections(*, now: datetime.datetime, landmarks: list[Page]) -> list[HomeSection]:
    sections = [
        section
        for hook in hooks.get_hooks("home_page_sections")
        if (section := hook(now=now, landmarks=landmarks)) is not None
    ]
    prefetch_renditions(
        [getattr(item, s.image_field) for s in sections if s.image_field for item in s.items],
        renditions=[s.rendition for s in sections if s.rendition],
    )
    return sections

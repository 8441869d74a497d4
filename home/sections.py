"""The home page's sections, contributed by the domain apps through a Wagtail hook.

`home` imports no domain app: each app registers a `home_page_sections` hook returning a
HomeSection (or None), and the home page shows them in hook order.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from wagtail import hooks
from wagtail.models import Page


@dataclass(frozen=True)
class HomeSection:
    title: str
    template: str
    items: list = field(default_factory=list)
    more_url: str = ""


def index_section(
    index_model: type[Page], *, title: str, template: str, items: Callable[[Page], Iterable]
) -> HomeSection | None:
    """A section showing `items(index)` of the live `index_model` page, with a link to it;
    None (no section) while there is no such page or nothing to show."""
    index = index_model.objects.live().first()
    shown = list(items(index)) if index is not None else []
    if not shown:
        return None
    return HomeSection(title=title, template=template, items=shown, more_url=index.url)


def home_sections(*, now: datetime.datetime) -> list[HomeSection]:
    sections = (hook(now=now) for hook in hooks.get_hooks("home_page_sections"))
    return [section for section in sections if section is not None]

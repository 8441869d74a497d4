"""The home page's sections, contributed by the domain apps through a Wagtail hook.

`home` imports no domain app: each app registers a `home_page_sections` hook returning a
HomeSection (or None), and the home page shows them in hook order.
"""

import datetime
from dataclasses import dataclass, field

from wagtail import hooks


@dataclass(frozen=True)
class HomeSection:
    title: str
    template: str
    items: list = field(default_factory=list)
    more_url: str = ""


def home_sections(*, now: datetime.datetime) -> list[HomeSection]:
    sections = (hook(now=now) for hook in hooks.get_hooks("home_page_sections"))
    return [section for section in sections if section is not None]

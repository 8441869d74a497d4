"""The types search/ declares itself, from Wagtail alone: public documents, and every other
live, public page (sections, topics, the home page) under "栏目"."""

from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.models import Page

from .registry import public_types, register_public

OTHER_PAGES = "page"


def _other_pages():
    """Every live, public page but the tree's root and the page types apps registered."""
    registered = [
        t.model for t in public_types() if t.key != OTHER_PAGES and issubclass(t.model, Page)
    ]
    return Page.objects.live().filter(depth__gt=1).not_type(*registered)


def register() -> None:
    register_public(
        key="document",
        label=_("文件"),
        model=get_document_model(),
        # Those in a restricted collection are left out by the search (public_types_for_use).
        queryset=lambda: get_document_model().objects.all(),
        position=90,
    )
    register_public(
        key=OTHER_PAGES, label=_("栏目"), model=Page, queryset=_other_pages, position=100
    )

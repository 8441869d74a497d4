"""What honours makes searchable: its live, public honour entries."""

from django.utils.translation import gettext_lazy as _

from search.registry import register_public

from .models import HonourEntryPage


def register() -> None:
    register_public(
        key="honour",
        label=_("光荣榜"),
        model=HonourEntryPage,
        queryset=lambda: HonourEntryPage.objects.live(),
        position=30,
    )

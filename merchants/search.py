"""What merchants makes searchable: the merchants the public directory lists."""

from django.utils.translation import gettext_lazy as _

from search.registry import register_public

from .models import Merchant
from .selectors import merchant_directory


def register() -> None:
    register_public(
        key="merchant",
        label=_("优待商户"),
        model=Merchant,
        queryset=lambda: merchant_directory(),
        position=40,
    )

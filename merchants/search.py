"""What merchants makes searchable: the merchants the public sees (published, with an offer
valid today)."""

from django.utils.translation import gettext_lazy as _

from search.registry import register_public

from .models import Merchant
from .selectors import public_merchants


def register() -> None:
    register_public(
        key="merchant",
        label=_("优待商户"),
        model=Merchant,
        queryset=lambda: public_merchants(),
        position=40,
    )

"""Reads for the public merchant directory."""

from django.db.models import Prefetch, QuerySet

from .models import Merchant, Offer


def merchant_directory(*, category: str | None = None, street: str | None = None) -> QuerySet:
    merchants = Merchant.objects.filter(is_listed=True)
    if category:
        merchants = merchants.filter(category=category)
    if street:
        merchants = merchants.filter(street=street)
    return merchants.prefetch_related(
        Prefetch("offers", queryset=Offer.objects.order_by("sort_order"))
    )


def merchant_streets() -> list[str]:
    return list(
        Merchant.objects.filter(is_listed=True)
        .order_by("street")
        .values_list("street", flat=True)
        .distinct()
    )

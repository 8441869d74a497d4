"""Reads for the public merchant directory."""

from django.db.models import Prefetch, QuerySet

from search.geo import distance_km

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


def nearest_first(merchants: QuerySet, *, origin: tuple[float, float]) -> list[Merchant]:
    """The merchants, each with `distance_km` set, nearest first; those without a location last.

    Sorted here rather than by the engine: the directory is small, and it keeps its filters
    and prefetched offers.
    """
    located, unlocated = [], []
    for merchant in merchants:
        if merchant.latitude is None:
            merchant.distance_km = None
            unlocated.append(merchant)
        else:
            where = (float(merchant.latitude), float(merchant.longitude))
            merchant.distance_km = distance_km(origin, where)
            located.append(merchant)
    return sorted(located, key=lambda merchant: merchant.distance_km) + unlocated

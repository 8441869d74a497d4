"""Reads: what the public sees of the programme, and the directory's filters and orders."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from home.models import Street
from search.api import matching_keys, nearest_keys

from . import rules
from .models import Merchant, MerchantCategory, Offer, OfferReport, ReportOutcome


def current_offers(*, on: datetime.date | None = None) -> QuerySet:
    return Offer.objects.current(on=on).order_by("sort_order", "pk")


def public_merchants(*, on: datetime.date | None = None) -> QuerySet:
    """What the public and the site search may see: published merchants with an offer valid
    today (in the site's time zone). Computed in the query, so no job has to run at midnight."""
    return Merchant.objects.public(on=on)


@dataclass(frozen=True)
class DirectoryFilters:
    category: MerchantCategory | None = None
    street: Street | None = None
    who: rules.Beneficiary | None = None
    keyword: str = ""

    @property
    def any(self) -> bool:
        return bool(self.category or self.street or self.who or self.keyword)


def merchant_directory(*, filters: DirectoryFilters, on: datetime.date | None = None) -> QuerySet:
    """Public merchants matching the filters, by name, each with `current_offers` prefetched."""
    day = on or timezone.localdate()
    merchants = public_merchants(on=day)
    if filters.category:
        merchants = merchants.filter(category=filters.category)
    if filters.street:
        merchants = merchants.filter(street=filters.street)
    if filters.who:
        # The offer that qualifies them must be one of today's.
        theirs = current_offers(on=day).filter(merchant=OuterRef("pk"), **{filters.who.field: True})
        merchants = merchants.filter(Exists(theirs))
    if filters.keyword:
        merchants = merchants.filter(pk__in=matching_keys(merchants, filters.keyword))
    return with_listing_relations(merchants, on=day)


def with_listing_relations(merchants: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    return merchants.select_related("category", "street").prefetch_related(
        Prefetch("offers", queryset=current_offers(on=on), to_attr="current_offers")
    )


def directory_categories() -> QuerySet:
    return MerchantCategory.objects.all()


def directory_streets() -> QuerySet:
    return Street.objects.active()


def public_merchant(*, pk: int) -> Merchant | None:
    return with_listing_relations(public_merchants()).filter(pk=pk).first()


def nearest_first_ids(
    merchants: QuerySet, *, origin: tuple[float, float]
) -> list[tuple[int, float | None]]:
    """The merchants' keys with their distance in km, nearest first; those without a location
    last, by name. Keys only, whatever the page."""
    unlocated = merchants.filter(latitude__isnull=True).order_by("name", "pk")
    return nearest_keys(merchants, origin=origin) + [
        (pk, None) for pk in unlocated.values_list("pk", flat=True)
    ]


def street_origin(street: Street) -> tuple[float, float] | None:
    if street.latitude is None or street.longitude is None:
        return None
    return float(street.latitude), float(street.longitude)


def report_queue(*, outcome: str = "", overdue: bool = False, flagged: bool = False) -> QuerySet:
    """Reports for staff, newest first, with their merchant; overdue = unanswered past due."""
    reports = OfferReport.objects.select_related("merchant")
    if outcome:
        reports = reports.filter(outcome=outcome)
    if overdue:
        reports = reports.filter(outcome=ReportOutcome.PENDING, due_on__lt=timezone.localdate())
    if flagged:
        reports = reports.filter(merchant__review_requested_at__isnull=False)
    return reports

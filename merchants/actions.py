"""Writes: reports of offers not honoured, their outcome, and the review flag they raise."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import rules
from .models import Merchant, OfferReport, ReportOutcome

# No I, L, O or U: a reference is read out over the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RANDOM_CHARS = 8
REFERENCE_ATTEMPTS = 5


def _new_reference(*, now: datetime.datetime) -> str:
    chunk = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(REFERENCE_RANDOM_CHARS))
    return f"FY{timezone.localtime(now).year}-{chunk}"


def offer_report_submit(
    *,
    merchant: Merchant,
    offer_title: str,
    what_happened: str,
    happened_on: datetime.date,
    contact_name: str = "",
    contact_phone: str = "",
    consent: bool = False,
) -> OfferReport:
    """Stores a report with its reference and the date staff must answer by. Contact details
    are kept only with consent."""
    now = timezone.now()
    if not consent:
        contact_name = contact_phone = ""
    for attempt in range(REFERENCE_ATTEMPTS):
        report = OfferReport(
            reference=_new_reference(now=now),
            merchant=merchant,
            offer_title=offer_title,
            what_happened=what_happened,
            happened_on=happened_on,
            contact_name=contact_name,
            contact_phone=contact_phone,
            consent=consent,
            created_at=now,
            due_on=timezone.localdate(now) + datetime.timedelta(days=rules.REPORT_ANSWER_DAYS),
        )
        report.full_clean(exclude=["reference"])
        try:
            with transaction.atomic():
                report.save()
            return report
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def upheld_recently(*, merchant: Merchant, now: datetime.datetime | None = None) -> int:
    since = (now or timezone.now()) - datetime.timedelta(days=rules.REVIEW_FLAG_WINDOW_DAYS)
    return merchant.reports.filter(outcome=ReportOutcome.UPHELD, created_at__gte=since).count()


@transaction.atomic
def offer_report_decide(*, report: OfferReport, outcome: str, note: str, user) -> OfferReport:
    """Records staff's outcome; the second upheld report within the window flags the merchant
    for review (kept outside its revisions, so no draft is needed)."""
    report.outcome = ReportOutcome(outcome)
    report.outcome_note = note
    report.handled_by = user
    report.handled_at = timezone.now()
    report.full_clean()
    report.save(update_fields=["outcome", "outcome_note", "handled_by", "handled_at"])
    if (
        report.outcome == ReportOutcome.UPHELD
        and upheld_recently(merchant=report.merchant) >= rules.REVIEW_FLAG_UPHELD
    ):
        Merchant.objects.filter(pk=report.merchant_id, review_requested_at__isnull=True).update(
            review_requested_at=report.handled_at
        )
    return report


def merchant_review_done(*, merchant: Merchant) -> None:
    Merchant.objects.filter(pk=merchant.pk).update(review_requested_at=None)

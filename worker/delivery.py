"""At most once: a message guarded by a key is handed to its gateway once, however often the
task that sends it runs."""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Delivery

logger = logging.getLogger(__name__)


def deliver_once(*, key: str, send: Callable[[], None]) -> bool:
    """Sends unless a delivery with this key was already claimed; True if it sent now.

    A gateway failure releases the claim, so the task fails and may be retried. A run that
    died between the gateway and the database leaves the claim in place: the message is not
    sent again (a second SMS is worse than the rare lost one, which the family's tracking page
    makes up for), and the claim without a delivery time tells staff where to look.
    """
    try:
        with transaction.atomic():
            claim = Delivery.objects.create(key=key)
    except IntegrityError:
        logger.info("Delivery %s already claimed: not sent again", key)
        return False
    try:
        send()
    except Exception:
        Delivery.objects.filter(pk=claim.pk).delete()
        raise
    Delivery.objects.filter(pk=claim.pk).update(delivered_at=timezone.now())
    return True

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Merchant


class MerchantViewSet(SnippetViewSet):
    model = Merchant
    icon = "site"
    menu_label = _("优待商户")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "category", "street", "is_listed", "updated_at"]
    list_filter = ["category", "street", "is_listed"]
    search_fields = ["name", "address"]
    ordering = ["name"]


register_snippet(MerchantViewSet)


@hooks.register("page_cache_boundary")
def next_offer_boundary(*, now: datetime.datetime) -> datetime.datetime:
    """Offers end with a day (`Offer.valid_until` is a date), so a kept page that lists them
    must not outlive today: the next local midnight."""
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))

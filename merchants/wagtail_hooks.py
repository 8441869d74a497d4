from django.utils.translation import gettext_lazy as _
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

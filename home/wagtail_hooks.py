from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Street


class StreetViewSet(SnippetViewSet):
    model = Street
    icon = "site"
    menu_label = _("街道（镇）名单")
    add_to_settings_menu = True
    list_display = ["name", "district", "sort_order", "is_active"]
    list_filter = ["district", "is_active"]
    ordering = ["sort_order", "name"]


register_snippet(StreetViewSet)

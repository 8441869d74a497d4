from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from services.permissions import handles_service_requests

from . import admin_urls
from .admin_views import sees_search_terms
from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("搜索同义词")
    menu_order = 850
    add_to_admin_menu = True
    list_display = ["__str__", "updated_at"]


register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    return [path("search-admin/", include(admin_urls, namespace="search_admin"))]


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_search_terms(request.user)


class ServiceRequestSearchMenuItem(MenuItem):
    def is_shown(self, request):
        return handles_service_requests(request.user)


@hooks.register("register_settings_menu_item")
def register_index_status_menu_item():
    return MenuItem(
        _("搜索索引状态"), reverse("search_admin:status"), icon_name="search", order=910
    )


@hooks.register("register_reports_menu_item")
def register_search_terms_menu_item():
    return SearchTermsMenuItem(
        _("搜索词统计"), reverse("search_admin:terms"), icon_name="search", order=1310
    )


@hooks.register("register_admin_menu_item")
def register_service_request_search_menu_item():
    return ServiceRequestSearchMenuItem(
        _("检索服务申请"),
        reverse("search_admin:service_requests"),
        icon_name="search",
        order=310,
    )

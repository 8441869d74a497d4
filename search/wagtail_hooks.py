from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls, stats
from .admin_views import sees_search_terms
from .models import Synonym
from .registry import staff_types


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("搜索同义词")
    menu_order = 850
    add_to_admin_menu = True
    list_display = ["__str__", "updated_at"]


register_snippet(SynonymViewSet)


@hooks.register("page_cache_served")
def count_a_kept_search(*, note: dict) -> None:
    """A search the page cache serves again counts as one the view rendered."""
    if stats.PAGE_CACHE_NOTE in note:
        stats.search_record(**note[stats.PAGE_CACHE_NOTE])


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    return [path("search-admin/", include(admin_urls, namespace="search_admin"))]


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_search_terms(request.user)


class StaffSearchMenuItem(MenuItem):
    def __init__(self, search_type, order):
        super().__init__(
            search_type.menu_label,
            reverse("search_admin:staff", args=[search_type.key]),
            icon_name="search",
            order=order,
        )
        self.search_type = search_type

    def is_shown(self, request):
        return self.search_type.allowed(request.user)


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


def _staff_search_menu_item(search_type, order):
    return lambda: StaffSearchMenuItem(search_type, order)


# One menu item per staff search the apps registered (their ready() ran before this module).
for _number, _search_type in enumerate(staff_types()):
    hooks.register("register_admin_menu_item", _staff_search_menu_item(_search_type, 310 + _number))

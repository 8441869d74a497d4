"""Staff pages in the Wagtail admin: the index's health, search terms, and the staff searches
apps registered (each within the scope its app defines)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from . import indexing, stats
from .api import search_queryset
from .registry import staff_type
from .status import index_status

PROMOTION_PERMISSIONS = (
    "wagtailsearchpromotions.add_searchpromotion",
    "wagtailsearchpromotions.change_searchpromotion",
)


# Replaying pending updates deletes them: only those who may delete them may press the button.
REPLAY_PERMISSION = "search.delete_pendingindexupdate"


def sees_search_terms(user) -> bool:
    """Editors who may promote results see what people searched for."""
    return user.is_superuser or any(user.has_perm(perm) for perm in PROMOTION_PERMISSIONS)


class IndexStatusView(WagtailAdminTemplateMixin, TemplateView):
    """Every admin user may see it: it holds no content, only counts and the cluster's state.
    Replaying the pending updates takes a permission."""

    template_name = "search/admin/status.html"
    page_title = gettext_lazy("搜索索引状态")
    header_icon = "search"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            status=index_status(),
            may_replay=self.request.user.has_perm(REPLAY_PERMISSION),
            **kwargs,
        )

    def post(self, request):
        if not request.user.has_perm(REPLAY_PERMISSION):
            raise PermissionDenied
        applied = indexing.catch_up()
        messages.success(request, _("已补录 %(count)d 条索引更新。") % {"count": applied})
        return redirect("search_admin:status")


class SearchTermsReportView(ReportView):
    page_title = gettext_lazy("搜索词统计")
    header_icon = "search"
    index_url_name = "search_admin:terms"
    index_results_url_name = "search_admin:terms_results"
    default_ordering = "-misses"
    columns = [
        Column("query_string", label=gettext_lazy("搜索词"), sort_key="query_string"),
        NumberColumn("searches", label=gettext_lazy("近 30 天搜索次数"), sort_key="searches"),
        NumberColumn("misses", label=gettext_lazy("其中无结果"), sort_key="misses"),
    ]
    list_export = ["query_string", "searches", "misses"]
    export_headings = {
        "query_string": gettext_lazy("搜索词"),
        "searches": gettext_lazy("近 30 天搜索次数"),
        "misses": gettext_lazy("其中无结果"),
    }

    def get_base_queryset(self):
        stats.search_events_roll_up()  # whole figures even where no scheduler runs
        return stats.search_terms()

    def dispatch(self, request, *args, **kwargs):
        if not sees_search_terms(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffSearchView(WagtailAdminTemplateMixin, TemplateView):
    """A staff search an app registered: only what the user may see, by the app's own rule."""

    template_name = "search/admin/staff_search.html"
    header_icon = "search"

    def dispatch(self, request, *args, key, **kwargs):
        self.search_type = staff_type(key)
        if self.search_type is None:
            raise Http404
        if not self.search_type.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("检索%(label)s") % {"label": self.search_type.label}

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        search_type = self.search_type
        outcome = (
            search_queryset(
                search_type.queryset(self.request.user),
                query,
                page=self.request.GET.get("p", 1),
                url=search_type.url,
                label=search_type.label,
            )
            if query
            else None
        )
        rows = [
            (result, [value(result.object) for _heading, value in search_type.columns])
            for result in (outcome.results if outcome else [])
        ]
        return super().get_context_data(
            search_query=query, outcome=outcome, rows=rows, search_type=search_type, **kwargs
        )

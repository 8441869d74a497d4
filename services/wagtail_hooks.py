"""The staff side in the Wagtail admin: a 军属服务 menu with the queue, entry for a family,
the dashboard, the audit log (supervisors) and staff scopes (those who manage users)."""

from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import ServicePoint, StaffScope
from .permissions import handles_service_requests, is_supervisor
from .selectors import service_request_summary

admin_urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    path("<int:pk>/", admin_views.RequestDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        admin_views.AttachmentView.as_view(),
        name="attachment",
    ),
    path("export/csv/", admin_views.ExportView.as_view(file_format="csv"), name="export_csv"),
    path("export/xlsx/", admin_views.ExportView.as_view(file_format="xlsx"), name="export_xlsx"),
    path("dashboard/", admin_views.DashboardView.as_view(), name="dashboard"),
    path("audit-log/", admin_views.AuditLogView.as_view(), name="audit_log"),
    path("enter/", admin_views.EnterChooseView.as_view(), name="enter_choose"),
    path("enter/<slug:request_type>/", admin_views.EnterRequestView.as_view(), name="enter"),
]


@hooks.register("register_admin_urls")
def register_services_admin_urls():
    return [
        path(
            "services/",
            include((admin_urlpatterns, "services_admin"), namespace="services_admin"),
        )
    ]


class StaffScopeViewSet(ModelViewSet):
    model = StaffScope
    icon = "key"
    menu_label = _("办理范围")
    form_fields = ["user", "request_type", "district"]
    list_display = ["user", "request_type", "district"]
    list_filter = ["request_type", "district"]
    add_to_admin_menu = False


staff_scope_viewset = StaffScopeViewSet("service_scopes")


@hooks.register("register_admin_viewset")
def register_staff_scope_viewset():
    return staff_scope_viewset


class ServicePointViewSet(SnippetViewSet):
    """Editors keep the 托管站, street stations and the district centre each guide lists."""

    model = ServicePoint
    icon = "site"
    menu_label = _("服务站点")
    list_display = ["name", "kind", "street", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]


register_snippet(ServicePointViewSet)


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return handles_service_requests(request.user)


class SupervisorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_supervisor(request.user)


class ScopeAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("services.change_staffscope")


@hooks.register("register_admin_menu_item")
def register_services_menu():
    menu = Menu(
        items=[
            StaffMenuItem(
                _("申请队列"), reverse_lazy("services_admin:queue"), icon_name="list-ul", order=100
            ),
            StaffMenuItem(
                _("代为录入"),
                reverse_lazy("services_admin:enter_choose"),
                icon_name="plus",
                order=200,
            ),
            StaffMenuItem(
                _("数据看板"),
                reverse_lazy("services_admin:dashboard"),
                icon_name="table",
                order=300,
            ),
            SupervisorMenuItem(
                _("个人信息查看记录"),
                reverse_lazy("services_admin:audit_log"),
                icon_name="history",
                order=400,
            ),
            ScopeAdminMenuItem(
                _("办理范围"),
                reverse_lazy(staff_scope_viewset.get_url_name("index")),
                icon_name="key",
                order=500,
            ),
        ]
    )
    return SubmenuMenuItem(_("军属服务"), menu, icon_name="group", name="services", order=250)


class ServiceRequestsPanel(Component):
    """The admin home's summary of the requests a member of staff may see: new, overdue,
    awaiting documents, per type, each linking to the filtered queue."""

    name = "service_requests"
    order = 50  # above Wagtail's own panels: the families' requests come first
    template_name = "services/admin/home_panel.html"

    def __init__(self, summary: dict):
        self.summary = summary

    def get_context_data(self, parent_context=None):
        return {**self.summary, "queue_url": reverse("services_admin:queue")}


@hooks.register("construct_homepage_panels")
def add_service_requests_panel(request, panels):
    if handles_service_requests(request.user):
        summary = service_request_summary(user=request.user, now=timezone.now())
        panels.append(ServiceRequestsPanel(summary))

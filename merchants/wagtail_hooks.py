"""The merchants in the Wagtail admin: a snippet with drafts, revisions, locking and the
moderation workflow, the categories editors keep, the spreadsheet import and export, the
queue of reports of offers not honoured, and the day boundary of kept pages that list offers."""

import datetime

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Merchant, MerchantCategory


class PublicStateColumn(Column):
    """Whether the public sees the merchant: editors see at a glance who has no current offer."""

    def get_value(self, instance):
        flags = []
        if not instance.has_current_offer:
            flags.append(_("无有效优待"))
        if instance.review_requested_at:
            flags.append(_("待复核"))
        if not flags:
            return _("有有效优待")
        return format_html_join(
            " ", '<span class="w-status w-status--label">{}</span>', ((flag,) for flag in flags)
        )


class MerchantViewSet(SnippetViewSet):
    model = Merchant
    icon = "site"
    menu_label = _("优待商户")
    list_display = [
        "name",
        "category",
        "street",
        PublicStateColumn("has_current_offer", label=_("优待状态")),
        "verified_at",
        "updated_at",
    ]
    list_filter = ["category", "street", "live"]
    search_fields = ["name", "address"]
    ordering = ["name"]

    def get_queryset(self, request):
        return (
            Merchant.objects.annotate_current_offer()
            .select_related("category", "street")
            .order_by("name", "pk")
        )


class MerchantCategoryViewSet(SnippetViewSet):
    model = MerchantCategory
    icon = "tag"
    menu_label = _("商户类别")
    list_display = ["name", "code", "sort_order"]


class MerchantsGroup(SnippetViewSetGroup):
    items = (MerchantViewSet, MerchantCategoryViewSet)
    menu_icon = "site"
    menu_label = _("百企千店")
    menu_name = "merchants"
    menu_order = 300


register_snippet(MerchantsGroup)


admin_urlpatterns = [
    path("import/", admin_views.ImportView.as_view(), name="import"),
    path("import/<int:pk>/confirm/", admin_views.ConfirmImportView.as_view(), name="confirm"),
    path("export/csv/", admin_views.DownloadView.as_view(file_format="csv"), name="export_csv"),
    path("export/xlsx/", admin_views.DownloadView.as_view(file_format="xlsx"), name="export_xlsx"),
    path("reports/", admin_views.ReportQueueView.as_view(), name="reports"),
    path("reports/<int:pk>/", admin_views.ReportDetailView.as_view(), name="report"),
    path(
        "template/csv/",
        admin_views.TemplateDownloadView.as_view(file_format="csv"),
        name="template_csv",
    ),
    path(
        "template/xlsx/",
        admin_views.TemplateDownloadView.as_view(file_format="xlsx"),
        name="template_xlsx",
    ),
]


@hooks.register("register_admin_urls")
def register_merchants_admin_urls():
    return [
        path(
            "merchants/",
            include((admin_urlpatterns, "merchants_admin"), namespace="merchants_admin"),
        )
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("商户表格导入导出"),
        reverse("merchants_admin:import"),
        icon_name="doc-full",
        order=301,
    )


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_handle_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        _("优惠未兑现反映"), reverse("merchants_admin:reports"), icon_name="warning", order=302
    )


@hooks.register("page_cache_boundary")
def next_offer_boundary(*, now: datetime.datetime) -> datetime.datetime:
    """Offers end with a day (`Offer.valid_until` is a date), so a kept page that lists them
    must not outlive today: the next local midnight."""
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))

"""Staff pages for the spreadsheets: upload → report → confirm, the export and the template.
Each needs the right to change merchants; merchants/importing.py does the work."""

from urllib.parse import quote

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.personal_data import mask_digits, mask_mobile_number

from . import rules
from .actions import merchant_review_done, offer_report_decide, upheld_recently
from .forms import ReportDecisionForm, ReportFilterForm
from .importing import (
    ImportFileError,
    export_rows,
    merchants_import,
    report_lines,
    template_rows,
    write_file,
)
from .models import MerchantImport, OfferReport
from .selectors import report_queue

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_import(user) -> bool:
    return user.has_perm("merchants.add_merchant") and user.has_perm("merchants.change_merchant")


class MerchantsAdminView(WagtailAdminTemplateMixin, View):
    header_icon = "site"
    page_title = gettext_lazy("商户表格导入导出")

    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("表格文件"),
        help_text=gettext_lazy("CSV（UTF-8 或 GBK）或 Excel 工作簿（.xlsx），不超过 10 MB"),
    )
    valid_rows_only = forms.BooleanField(
        label=gettext_lazy("只导入无误的商户（有误的商户整家跳过）"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > rules.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("文件超过 10 MB，请分成几个文件导入。"))
        return upload


class ImportView(MerchantsAdminView):
    template_name = "merchants/admin/import.html"

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=UploadForm()))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        context = {"form": form}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                report = merchants_import(
                    content=content,
                    filename=upload.name,
                    dry_run=True,
                    valid_rows_only=form.cleaned_data["valid_rows_only"],
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                pending = None
                if not report.errors or form.cleaned_data["valid_rows_only"]:
                    pending = MerchantImport.objects.create(
                        file_name=upload.name[:200],
                        content=content,
                        valid_rows_only=form.cleaned_data["valid_rows_only"],
                        uploaded_by=request.user,
                    )
                context.update(report=report, lines=report_lines(report), pending=pending)
        return self.render_to_response(self.get_context_data(**context))


class ConfirmImportView(MerchantsAdminView):
    def post(self, request, pk):
        pending = get_object_or_404(
            MerchantImport, pk=pk, uploaded_by=request.user, applied_at__isnull=True
        )
        try:
            report = merchants_import(
                content=bytes(pending.content),
                filename=pending.file_name,
                dry_run=False,
                valid_rows_only=pending.valid_rows_only,
                user=request.user,
            )
        except ImportFileError as error:
            messages.error(request, str(error))
            return redirect("merchants_admin:import")
        if report.applied:
            MerchantImport.objects.filter(pk=pk).update(applied_at=timezone.now(), content=b"")
            messages.success(
                request,
                _(
                    "已导入：新增 %(created)s 家，更新 %(updated)s 家，%(unchanged)s 家没有变化。"
                    "新增和更新的商户须审核发布后才公开。"
                )
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
            return redirect("wagtailsnippets_merchants_merchant:list")
        messages.error(request, _("表格已有变化，没有导入。请重新上传。"))
        return redirect("merchants_admin:import")


class DownloadView(MerchantsAdminView):
    file_format = "csv"
    rows = staticmethod(export_rows)
    file_stem = "优待商户"

    def get(self, request):
        content = write_file(self.rows(), file_format=self.file_format)
        response = HttpResponse(content, content_type=CONTENT_TYPES[self.file_format])
        name = f"{self.file_stem}-{timezone.localdate():%Y%m%d}.{self.file_format}"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


class TemplateDownloadView(DownloadView):
    rows = staticmethod(template_rows)
    file_stem = "优待商户导入模板"


class ReportsAdminView(WagtailAdminTemplateMixin, View):
    header_icon = "warning"
    page_title = gettext_lazy("优惠未兑现反映")

    def dispatch(self, request, *args, **kwargs):
        if not may_handle_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def may_handle_reports(user) -> bool:
    return user.has_perm("merchants.change_offerreport")


def _contact(report, user) -> tuple[str, str]:
    """The contact details, masked for staff without the permission to see them."""
    if user.has_perm("merchants.view_report_contact"):
        return report.contact_name, report.contact_phone
    name = _("（已遮挡）") if report.contact_name else ""
    phone = report.contact_phone
    if phone:
        digits = phone.replace("-", "")
        phone = mask_mobile_number(digits) if len(digits) == 11 else mask_digits(digits)
    return name, phone


class ReportQueueView(ReportsAdminView):
    template_name = "merchants/admin/reports.html"

    def get(self, request):
        filter_form = ReportFilterForm(request.GET or None)
        reports = report_queue(**filter_form.filters())
        page = Paginator(reports, 50).get_page(request.GET.get("p"))
        rows = [(report, *_contact(report, request.user)) for report in page]
        return self.render_to_response(
            self.get_context_data(filter_form=filter_form, page=page, rows=rows)
        )


class ReportDetailView(ReportsAdminView):
    template_name = "merchants/admin/report.html"

    def get_report(self, pk):
        return get_object_or_404(OfferReport.objects.select_related("merchant"), pk=pk)

    def get(self, request, pk, form=None):
        report = self.get_report(pk)
        name, phone = _contact(report, request.user)
        return self.render_to_response(
            self.get_context_data(
                report=report,
                contact_name=name,
                contact_phone=phone,
                form=form or ReportDecisionForm(),
                upheld=upheld_recently(merchant=report.merchant),
                window_days=rules.REVIEW_FLAG_WINDOW_DAYS,
            )
        )

    def post(self, request, pk):
        report = self.get_report(pk)
        if "review_done" in request.POST:
            merchant_review_done(merchant=report.merchant)
            messages.success(request, _("已标记该商户复核完成。"))
            return redirect("merchants_admin:report", pk=pk)
        form = ReportDecisionForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form=form)
        offer_report_decide(
            report=report,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
        messages.success(request, _("已记录处理结果。"))
        return redirect("merchants_admin:report", pk=pk)

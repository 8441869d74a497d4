"""Staff exports of a queue as CSV or XLSX, personal data masked unless the user may see it.

Every cell goes through export_cell(), so whatever is stored (control characters from an
old form, formula-like text, very long values) makes a file that opens, never an error.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from home.spreadsheets import export_cell

from .models import ANSWER_FIELDS, ServiceRequest
from .privacy import PERSONAL_FIELDS, display_value


def _datetime(value) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def export_table(
    requests: list[ServiceRequest], *, masked: bool
) -> tuple[list[str], list[list[str]]]:
    meta = ServiceRequest._meta
    headers = [
        _("受理编号"),
        _("服务类型"),
        _("状态"),
        _("所在街道"),
        _("提交时间"),
        _("办理时限"),
        _("办结时间"),
        _("是否超期"),
        _("经办人"),
        *(str(meta.get_field(name).verbose_name) for name in ANSWER_FIELDS),
        _("满意度"),
    ]
    rows = []
    for request in requests:
        rating = getattr(request, "rating", None)
        assignee = request.assignee
        rows.append(
            [
                request.reference,
                request.get_request_type_display(),
                request.get_status_display(),
                request.get_district_display(),
                _datetime(request.submitted_at),
                _datetime(request.due_at),
                _datetime(request.closed_at),
                _("是") if request.is_overdue else _("否"),
                (assignee.get_full_name() or assignee.get_username()) if assignee else "",
                *(
                    display_value(request, name, masked=masked and name in PERSONAL_FIELDS)
                    for name in ANSWER_FIELDS
                ),
                rating.get_score_display() if rating else "",
            ]
        )
    return headers, rows


def _filename(extension: str) -> str:
    return f"service-requests-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(headers: list[str], rows: list[list[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    response.write("\ufeff")  # so Excel opens the Chinese text as UTF-8
    writer = csv.writer(response)
    writer.writerow(headers)
    writer.writerows([export_cell(value) for value in row] for row in rows)
    return response


def xlsx_response(headers: list[str], rows: list[list[str]]) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("军属服务申请")
    sheet.append(headers)
    for row in rows:
        sheet.append([export_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response

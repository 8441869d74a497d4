"""Exports survive whatever is already stored, and are logged only once made."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from home.spreadsheets import MAX_CELL_CHARACTERS, export_cell
from services.factories import ServiceRequestFactory
from services.models import FieldGroup, PersonalDataAccessLog, RequestType, ServiceRequest

# Written before the forms refused such characters (or by a script): \x0b is Word's manual
# line break, \x1b an escape, U+202E reverses the text after it.
HOSTILE = {
    "applicant_name": "王\x0b丽",
    "member_unit": "\u202e某部队",
    "skills": "\x01\x1b=1+1",
    "wanted_work": "@SUM(A1)",
    "availability": "=cmd|' /C calc'!A0",
}


@pytest.fixture
def hostile_request(db):
    service_request = ServiceRequestFactory(request_type=RequestType.EMPLOYMENT)
    ServiceRequest.objects.filter(pk=service_request.pk).update(**HOSTILE)
    return service_request


def _cells(response, file_format):
    if file_format == "csv":
        return [
            cell
            for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
            for cell in row
        ]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_hostile_stored_values_make_a_file_that_opens(
    client, hostile_request, supervisor, file_format
):
    client.force_login(supervisor)
    response = client.get(reverse(f"services_admin:export_{file_format}"))
    assert response.status_code == 200
    cells = _cells(response, file_format)
    assert "王丽" in cells and "某部队" in cells
    assert "'=1+1" in cells and "'@SUM(A1)" in cells and "'=cmd|' /C calc'!A0" in cells
    assert not any(char in "".join(cells) for char in "\x0b\x01\x1b\u202e")
    [log] = PersonalDataAccessLog.objects.all()
    assert (log.user, log.service_request, log.field_group) == (
        supervisor,
        hostile_request,
        FieldGroup.EXPORT,
    )


def test_a_cell_never_exceeds_what_a_spreadsheet_holds():
    cell = export_cell("=" + "长" * 100_000)
    assert len(cell) == MAX_CELL_CHARACTERS
    assert cell.startswith("'=") and cell.endswith("（已截断）")
    assert export_cell("普通文字") == "普通文字"
    assert export_cell("\ud800坏") == "坏"

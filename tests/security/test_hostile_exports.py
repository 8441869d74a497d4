"""Whatever old rows hold, the staff exports open; unmasked exports are logged once each."""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from services.factories import ServiceRequestFactory
from services.models import FieldGroup, PersonalDataAccessLog, RequestType, ServiceRequest
from services.privacy import FREE_TEXT_FIELDS

from .strategies import hostile_text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_hostile_stored_values_never_break_an_export(client, db, supervisor, file_format):
    service_request = ServiceRequestFactory(request_type=RequestType.EMPLOYMENT)
    client.force_login(supervisor)
    limits = {
        name: ServiceRequest._meta.get_field(name).max_length
        for name in FREE_TEXT_FIELDS | {"applicant_name"}
    }
    exports = 0

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({name: hostile_text for name in limits}))
    def export(values):
        nonlocal exports
        # As an old form (or a script) may have stored them, within the columns' sizes
        # (PostgreSQL itself refuses NUL, so no row can hold one).
        stored = {name: value.replace("\x00", "")[: limits[name]] for name, value in values.items()}
        ServiceRequest.objects.filter(pk=service_request.pk).update(**stored)
        response = client.get(reverse(f"services_admin:export_{file_format}"))
        assert response.status_code == 200
        if file_format == "csv":
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        else:
            rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows())
        assert len(rows) == 2
        exports += 1

    export()
    assert PersonalDataAccessLog.objects.filter(field_group=FieldGroup.EXPORT).count() == exports

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from home.personal_data import id_number_check_char
from services.models import (
    RequestType,
    ServiceRequest,
    ServiceRequestEvent,
    validate_id_number,
    validate_mobile_number,
    validate_no_markup,
)


def test_id_numbers_need_the_right_check_digit():
    first17 = "50010620180501123"
    right = first17 + id_number_check_char(first17)
    wrong = first17 + ("0" if right[-1] != "0" else "1")
    validate_id_number(right)
    with pytest.raises(ValidationError, match="校验码"):
        validate_id_number(wrong)


@pytest.mark.parametrize("value", ["13812345678", "138 1234 5678", "+86 138-1234-5678"])
def test_mobile_numbers_are_accepted_in_the_usual_spellings(value):
    validate_mobile_number(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "023-65123456"])
def test_other_numbers_are_not_mobile_numbers(value):
    with pytest.raises(ValidationError, match="11 位手机号码"):
        validate_mobile_number(value)


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "王<img src=x onerror=alert(1)>", "<!-- x -->"]
)
def test_markup_is_refused(value):
    with pytest.raises(ValidationError, match="网页代码"):
        validate_no_markup(value)


@pytest.mark.parametrize("value", ["王丽", "5 年以上 > 3 年", "a < b"])
def test_ordinary_text_is_fine(value):
    validate_no_markup(value)


def test_each_type_requires_its_own_details():
    enrolment = ServiceRequest(request_type=RequestType.ENROLMENT)
    assert {"child_name", "wanted_school", "enrolment_kind", "child_grade"} <= set(
        enrolment.missing_answers()
    )
    allowance = ServiceRequest(request_type=RequestType.ALLOWANCE)
    assert set(allowance.missing_answers()) == {
        "id_number",
        "bank_name",
        "bank_account",
        "declares_unemployed",
    }
    employment = ServiceRequest(request_type=RequestType.EMPLOYMENT)
    assert set(employment.missing_answers()) == {"education", "wanted_work", "availability"}


def test_care_must_end_after_it_starts():
    today = timezone.localdate()
    request = ServiceRequest(
        request_type=RequestType.EMPLOYMENT,
        education="college",
        wanted_work="保安",
        availability="随时",
        care_start=today + datetime.timedelta(days=5),
        care_end=today + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        request.clean()
    assert "care_end" in error.value.message_dict


def test_every_constraint_of_a_request_is_judged_before_the_database_sees_it():
    """validate_constraints() leaves them to the database: a new constraint needs its rule
    said in words first, and an entry in CONSTRAINTS_JUDGED_FIRST_BY."""
    names = {constraint.name for constraint in ServiceRequest._meta.constraints}
    assert names == set(ServiceRequest.CONSTRAINTS_JUDGED_FIRST_BY)


def test_choices_outside_the_table_are_refused_in_words():
    request = ServiceRequest(request_type="holiday", status="lost")
    with pytest.raises(ValidationError) as error:
        request.clean_fields()
    assert {"request_type", "status"} <= set(error.value.message_dict)


def test_the_database_refuses_two_history_rows_for_one_version(service_request):
    with pytest.raises(IntegrityError):
        ServiceRequestEvent.objects.create(
            service_request=service_request, to_status="accepted", version=1
        )


def test_the_database_refuses_a_staff_entry_without_a_recorded_consent(service_request, supervisor):
    with pytest.raises(IntegrityError):
        ServiceRequest.objects.filter(pk=service_request.pk).update(entered_by=supervisor)

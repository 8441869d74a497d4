"""Factories for service requests and the staff who handle them, used by tests and benchmarks.

Requests are made through service_request_submit, so they always have their first history
row, a due date and a phone digest, exactly as a real submission would.
"""

import datetime
import uuid

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from home.models import Street
from home.personal_data import id_number_check_char

from .actions import Consent, service_request_submit
from .models import (
    ConsentChannel,
    Education,
    EnrolmentKind,
    Grade,
    MemberStatus,
    Relationship,
    RequestType,
    ServiceRequest,
    StaffScope,
)
from .rules import RULES

EXAMPLE_PHONE = "13812345678"
EXAMPLE_ID_NUMBER = "11010519491231002X"  # the standard's own example, with a valid check digit


def street(code: str) -> Street:
    """A street of the seeded list by its code (磁器口街道 is "ciqikou")."""
    return Street.objects.get(code=code)


def example_id_number(born: datetime.date, *, region: str = "500106", serial: str = "123") -> str:
    """A well-formed identity number (GB 11643) for someone born on `born`: for samples only."""
    first17 = f"{region}{born:%Y%m%d}{serial}"
    return first17 + id_number_check_char(first17)


def example_answers(request_type: RequestType) -> dict:
    today = timezone.localdate()
    six_year_old = today - datetime.timedelta(days=6 * 365 + 2)
    applicant = {
        "applicant_name": "王丽",
        "applicant_phone": EXAMPLE_PHONE,
        "relationship": Relationship.SPOUSE,
        "id_number": EXAMPLE_ID_NUMBER,
        "receipt_email": "",
        "member_status": MemberStatus.ACTIVE,
        "member_unit": "某部队",
        "district": street("ciqikou"),
    }
    details = {
        RequestType.CHILDCARE: {
            "child_name": "张小军",
            "child_birth_date": today - datetime.timedelta(days=8 * 365 + 2),
            "child_grade": Grade.PRIMARY_2,
            "care_station": "",
            "care_start": today + datetime.timedelta(days=7),
            "care_end": today + datetime.timedelta(days=37),
        },
        RequestType.ENROLMENT: {
            "child_name": "张小兵",
            "child_birth_date": six_year_old,
            "child_id_number": example_id_number(six_year_old),
            "enrolment_kind": EnrolmentKind.ENTRY,
            "child_grade": Grade.PRIMARY_1,
            "wanted_school": "沙坪坝区某小学",
        },
        RequestType.EMPLOYMENT: {
            "education": Education.COLLEGE,
            "skills": "驾驶证 C1",
            "wanted_work": "物业管理",
            "availability": "随时到岗",
        },
        RequestType.ALLOWANCE: {
            "bank_name": "某银行沙坪坝支行",
            "bank_account": "6222000011112222333",
            "declares_unemployed": True,
        },
    }
    return {**applicant, **details[request_type]}


class ServiceRequestFactory(factory.Factory):
    """ServiceRequestFactory(request_type=..., district=..., any answer=...)."""

    request_type = RequestType.CHILDCARE

    class Meta:
        model = ServiceRequest

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        request_type,
        files=(),
        documents=None,
        entered_by=None,
        later=None,
        **answers,
    ):
        consent = Consent(sensitive=True, guardian=True)
        if entered_by is not None:
            consent = Consent(
                sensitive=True,
                guardian=True,
                channel=ConsentChannel.PAPER,
                note="家属签署同意书，纸质件存档",
            )
        return service_request_submit(
            request_type=request_type,
            answers={**example_answers(request_type), **answers},
            consent=consent,
            files=list(files),
            documents=documents or {},
            # Every document "later" unless the test says otherwise, as a family may send them.
            later=[rule.kind for rule in RULES[request_type].documents] if later is None else later,
            submission_key=uuid.uuid4(),
            entered_by=entered_by,
        )


class StaffFactory(factory.django.DjangoModelFactory):
    """A user who can log in to the admin; `permissions` adds "app_label.codename" permissions."""

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def permissions(user, create, extracted, **kwargs):
        for name in ["wagtailadmin.access_admin", *(extracted or [])]:
            app_label, codename = name.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class StaffScopeFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(StaffFactory)
    request_type = RequestType.CHILDCARE
    district = factory.LazyFunction(lambda: street("ciqikou"))

    class Meta:
        model = StaffScope

"""The district's rules per request type (services.rules), as a family meets them: each one
accepted or refused with its reason, whoever submits (the public form, staff, the demo)."""

import datetime
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from services.actions import Consent, service_request_submit
from services.factories import example_answers, example_id_number
from services.models import (
    DocumentKind,
    EnrolmentKind,
    MemberStatus,
    Relationship,
    RequestType,
    ServiceRequest,
)
from services.rules import DOCUMENT_003, RULES, birthday, documents_needed

from .files import pdf_upload, png_upload

TODAY = timezone.localdate()
SOURCES = Path(__file__).resolve().parents[2] / "demo" / "sources"


def submit(request_type, *, documents=None, later=None, **answers):
    return service_request_submit(
        request_type=request_type,
        answers={**example_answers(request_type), **answers},
        consent=Consent(sensitive=True, guardian=True),
        files=[],
        documents=documents or {},
        later=[rule.kind for rule in RULES[request_type].documents] if later is None else later,
        submission_key=uuid.uuid4(),
    )


def refused(request_type, **answers) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        submit(request_type, **answers)
    assert not ServiceRequest.objects.exists(), "nothing is stored from a refused request"
    return error.value.message_dict


def born_years_before(day: datetime.date, years: int, *, days: int = 0) -> datetime.date:
    """A child who turns `years` exactly `days` days before `day` (negative: after it)."""
    return birthday(day, -years) - datetime.timedelta(days=days)


def test_every_quoted_rule_is_in_the_districts_document():
    [document] = SOURCES.glob(f"{DOCUMENT_003}_*.txt")
    text = document.read_text(encoding="utf-8")
    sources = []
    for rules in RULES.values():
        sources += [group.source for group in rules.applicants]
        sources += [rules.time_limit_days.source, rules.staff_steps.source]
        sources += [rule.source for rule in rules.documents]
        sources += [r.source for r in (rules.child_age, rules.stage_ages) if r is not None]
    quoted = [source for source in sources if source.is_document]
    assert quoted, "the rules cite the document where it speaks"
    for source in quoted:
        assert source.quote in text, source.quote
    assert all(str(source).startswith(("文件 003", "本区设定")) for source in sources)


class TestChildcare:
    """Document 003: 军娃托管站 … 为3岁至12岁现役军人、退役军人子女."""

    START = TODAY + datetime.timedelta(days=10)
    END = START + datetime.timedelta(days=30)

    @pytest.mark.parametrize("member_status", [MemberStatus.ACTIVE, MemberStatus.VETERAN])
    def test_a_child_turning_3_on_the_first_day_is_accepted(self, db, member_status):
        born = born_years_before(self.START, 3)
        request = submit(
            RequestType.CHILDCARE,
            child_birth_date=born,
            care_start=self.START,
            care_end=self.END,
            member_status=member_status,
        )
        assert request.pk

    def test_a_child_still_2_on_the_first_day_is_refused(self, db):
        born = born_years_before(self.START, 3, days=-1)  # turns 3 the day after care starts
        errors = refused(
            RequestType.CHILDCARE, child_birth_date=born, care_start=self.START, care_end=self.END
        )
        [message] = errors["child_birth_date"]
        assert "须已满 3 周岁" in message and birthday(born, 3).isoformat() in message

    @pytest.mark.parametrize("member_status", [MemberStatus.ACTIVE, MemberStatus.VETERAN])
    def test_a_child_still_12_on_the_last_day_is_accepted(self, db, member_status):
        born = born_years_before(self.END, 13, days=-1)  # turns 13 the day after care ends
        assert submit(
            RequestType.CHILDCARE,
            child_birth_date=born,
            care_start=self.START,
            care_end=self.END,
            member_status=member_status,
        ).pk

    def test_a_child_turning_13_on_the_last_day_is_refused(self, db):
        born = born_years_before(self.END, 13)
        errors = refused(
            RequestType.CHILDCARE, child_birth_date=born, care_start=self.START, care_end=self.END
        )
        [message] = errors["child_birth_date"]
        assert "3 至 12 周岁" in message and birthday(born, 13).isoformat() in message

    def test_veterans_children_are_served_on_equal_terms(self, db):
        """The same answers give the same outcome whether the parent serves or has retired."""
        answers = {
            "child_birth_date": born_years_before(self.START, 5),
            "care_start": self.START,
            "care_end": self.END,
        }
        active = submit(RequestType.CHILDCARE, member_status=MemberStatus.ACTIVE, **answers)
        veteran = submit(RequestType.CHILDCARE, member_status=MemberStatus.VETERAN, **answers)
        assert active.due_at - active.submitted_at == veteran.due_at - veteran.submitted_at

    @pytest.mark.parametrize(
        ("start", "end", "field", "message"),
        [
            (
                TODAY - datetime.timedelta(days=1),
                TODAY + datetime.timedelta(days=5),
                "care_start",
                "今天到",
            ),
            (
                TODAY + datetime.timedelta(days=400),
                TODAY + datetime.timedelta(days=410),
                "care_start",
                "最多提前",
            ),
            (
                TODAY + datetime.timedelta(days=1),
                datetime.date(9999, 12, 31),
                "care_end",
                "最长 183 天",
            ),
            (
                TODAY + datetime.timedelta(days=1),
                TODAY + datetime.timedelta(days=184),
                "care_end",
                "最长 183 天",
            ),
            (
                TODAY + datetime.timedelta(days=9),
                TODAY + datetime.timedelta(days=2),
                "care_end",
                "不能早于开始日期",
            ),
        ],
    )
    def test_the_care_period_is_ordered_and_bounded(self, db, start, end, field, message):
        errors = refused(RequestType.CHILDCARE, care_start=start, care_end=end)
        assert any(message in text for text in errors[field])

    def test_a_term_long_period_is_accepted(self, db):
        start = TODAY + datetime.timedelta(days=1)
        assert submit(
            RequestType.CHILDCARE, care_start=start, care_end=start + datetime.timedelta(days=182)
        ).pk


class TestEnrolment:
    @pytest.mark.parametrize(
        ("grade", "age", "accepted"),
        [
            ("kindergarten", 3, True),
            ("kindergarten", 2, False),
            ("primary_1", 6, True),
            ("primary_1", 5, False),
            ("junior_1", 12, True),
            ("junior_1", 10, False),
            ("senior_1", 15, True),
            ("senior_1", 13, False),
        ],
    )
    def test_the_childs_age_fits_the_stage_on_the_first_school_day(self, db, grade, age, accepted):
        september = datetime.date(TODAY.year, 9, 1)
        if september < TODAY:
            september = september.replace(year=TODAY.year + 1)
        born = born_years_before(september, age, days=30)
        answers = {
            "child_grade": grade,
            "child_birth_date": born,
            "child_id_number": example_id_number(born) if grade != "kindergarten" else "",
            "enrolment_kind": EnrolmentKind.ENTRY,
        }
        if accepted:
            assert submit(RequestType.ENROLMENT, **answers).pk
        else:
            assert "一般招收" in refused(RequestType.ENROLMENT, **answers)["child_birth_date"][0]

    def test_a_transfer_is_judged_on_todays_age_and_any_grade(self, db):
        born = born_years_before(TODAY, 9, days=100)
        assert submit(
            RequestType.ENROLMENT,
            enrolment_kind=EnrolmentKind.TRANSFER,
            child_grade="primary_4",
            child_birth_date=born,
            child_id_number=example_id_number(born),
        ).pk

    def test_a_new_pupil_starts_in_the_first_grade_of_the_stage(self, db):
        errors = refused(RequestType.ENROLMENT, child_grade="primary_3")
        assert "小学一年级" in errors["child_grade"][0] and "转学" in errors["child_grade"][0]

    def test_school_stages_need_the_childs_id_number_kindergarten_does_not(self, db):
        errors = refused(RequestType.ENROLMENT, child_id_number="")
        assert "孩子的身份证号码" in errors["child_id_number"][0]
        born = born_years_before(TODAY, 4)
        assert submit(
            RequestType.ENROLMENT,
            child_grade="kindergarten",
            child_birth_date=born,
            child_id_number="",
        ).pk

    def test_the_childs_id_number_must_match_the_birth_date(self, db):
        other = example_id_number(datetime.date(2015, 1, 1))
        assert (
            "不一致" in refused(RequestType.ENROLMENT, child_id_number=other)["child_id_number"][0]
        )

    def test_a_transfer_needs_the_school_record(self, db):
        born = born_years_before(TODAY, 9)
        errors = refused(
            RequestType.ENROLMENT,
            enrolment_kind=EnrolmentKind.TRANSFER,
            child_grade="primary_3",
            child_birth_date=born,
            child_id_number=example_id_number(born),
            later=["member_proof", "household_register", "birth_certificate"],
        )
        assert "原学校学籍证明" in errors["document_school_record"][0]


class TestEmploymentAndAllowance:
    @pytest.mark.parametrize(
        ("relationship", "member_status"),
        [(Relationship.SPOUSE, MemberStatus.ACTIVE), (Relationship.SELF, MemberStatus.VETERAN)],
    )
    def test_military_spouses_and_veterans_themselves_may_apply(
        self, db, relationship, member_status
    ):
        assert submit(
            RequestType.EMPLOYMENT, relationship=relationship, member_status=member_status
        ).pk

    @pytest.mark.parametrize(
        ("relationship", "reason"),
        [
            (Relationship.SELF, "现役军人本人不能申请就业服务"),
            (Relationship.PARENT, "父母不属于随军家属"),
        ],
    )
    def test_a_serving_member_or_their_parent_is_refused_with_the_reason(
        self, db, relationship, reason
    ):
        errors = refused(
            RequestType.EMPLOYMENT, relationship=relationship, member_status=MemberStatus.ACTIVE
        )
        assert reason in errors["relationship"][0]

    def test_a_military_spouse_may_apply_for_the_allowance(self, db):
        request = submit(RequestType.ALLOWANCE)
        assert request.bank_account == "6222000011112222333"
        assert request.due_at - request.submitted_at == datetime.timedelta(days=20)

    @pytest.mark.parametrize(
        ("relationship", "member_status", "reason"),
        [
            (Relationship.SELF, MemberStatus.ACTIVE, "军人本人不能申请"),
            (Relationship.SPOUSE, MemberStatus.VETERAN, "不再属于随军家属"),
            (Relationship.PARENT, MemberStatus.ACTIVE, "申请人须为"),
        ],
    )
    def test_others_may_not_apply_for_the_allowance(self, db, relationship, member_status, reason):
        errors = refused(
            RequestType.ALLOWANCE, relationship=relationship, member_status=member_status
        )
        assert reason in errors["relationship"][0]

    def test_the_allowance_needs_the_declaration_an_id_and_an_account(self, db):
        errors = refused(
            RequestType.ALLOWANCE, declares_unemployed=False, id_number="", bank_account="12345"
        )
        assert {"declares_unemployed", "id_number", "bank_account"} <= set(errors)

    def test_the_allowance_needs_four_documents(self, db):
        errors = refused(RequestType.ALLOWANCE, later=[])
        assert {
            f"document_{kind}"
            for kind in (
                "member_proof",
                "military_family_proof",
                "marriage_certificate",
                "bank_card",
            )
        } == {name for name in errors if name.startswith("document_")}


@pytest.mark.parametrize("request_type", list(RequestType))
@pytest.mark.parametrize(
    "member_status", [MemberStatus.MARTYR, MemberStatus.DIED_ON_DUTY, MemberStatus.DIED_OF_ILLNESS]
)
def test_an_applicant_filing_as_the_member_cannot_be_a_fallen_member(
    db, request_type, member_status
):
    errors = refused(request_type, relationship=Relationship.SELF, member_status=member_status)
    assert "本人" in errors["relationship"][0] and "烈士" in errors["relationship"][0]


@pytest.mark.parametrize("request_type", [RequestType.CHILDCARE, RequestType.ENROLMENT])
@pytest.mark.parametrize(
    "born",
    [TODAY + datetime.timedelta(days=1), datetime.date(2099, 1, 1), datetime.date(1066, 1, 1)],
)
def test_birth_dates_in_the_future_or_long_ago_are_refused(db, request_type, born):
    errors = refused(request_type, child_birth_date=born)
    assert "child_birth_date" in errors


def test_an_id_number_born_in_the_future_is_refused(db):
    errors = refused(RequestType.ALLOWANCE, id_number=example_id_number(datetime.date(2099, 3, 7)))
    assert "出生日期" in errors["id_number"][0]


@pytest.mark.parametrize("request_type", list(RequestType))
def test_every_document_is_uploaded_or_marked_later(db, request_type):
    example = ServiceRequest(request_type=request_type, **example_answers(request_type))
    needed = {rule.kind for rule in documents_needed(example)}
    errors = refused(request_type, later=[])
    assert {
        name.removeprefix("document_") for name in errors if name.startswith("document_")
    } == needed
    uploads = {
        kind: (png_upload if i % 2 else pdf_upload)(f"{kind}.png" if i % 2 else f"{kind}.pdf")
        for i, kind in enumerate(needed)
    }
    request = submit(request_type, documents=uploads, later=[])
    assert {attachment.kind for attachment in request.attachments.all()} == needed
    assert DocumentKind.OTHER not in needed

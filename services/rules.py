"""The district's rules for each kind of request: one table per type, readable as the policy.

Each table says who may apply, the child's age where there is a child, the proof documents,
the time limit and the steps staff take. Every value says where it comes from: a quotation
of the district's documents (`demo/sources/003_*.txt`, the 《中国退役军人》 interview with the
沙坪坝区委书记, is the one that speaks of these services), or the district's own setting
where the documents say nothing. Eligibility changes are made here, with tests; what the
guide pages say around them is editors' content (services.models.ServiceGuidePage).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.translation import gettext_lazy as _

from .choices import (
    FIRST_GRADES,
    GRADE_STAGES,
    DocumentKind,
    EnrolmentKind,
    MemberStatus,
    Relationship,
    RequestType,
    ServicePointKind,
    Stage,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: words of the district's documents, or the district's setting."""

    quote: str = ""
    document: str = ""

    @property
    def is_document(self) -> bool:
        return bool(self.quote)

    def __str__(self) -> str:
        if self.is_document:
            return str(_("文件 %(document)s：“%(quote)s”")) % {
                "document": self.document,
                "quote": self.quote,
            }
        return str(_("本区设定"))


# demo/sources/003_*.txt: 《中国退役军人》 interview with the 沙坪坝区委书记.
DOCUMENT_003 = "003"
DISTRICT_SETTING = Source()


def document_003(quote: str) -> Source:
    return Source(quote=quote, document=DOCUMENT_003)


@dataclass(frozen=True)
class Ruled(Generic[T]):
    """A value of the policy and where it comes from."""

    value: T
    source: Source


@dataclass(frozen=True)
class Applicants:
    """One group who may apply: applicants in these relationships to a member in these statuses."""

    label: str
    relationships: frozenset[Relationship]
    member_statuses: frozenset[MemberStatus]
    source: Source

    def include(self, relationship: str, member_status: str) -> bool:
        return relationship in self.relationships and member_status in self.member_statuses


@dataclass(frozen=True)
class Refusal:
    """Who may not apply, and the reason they are told; member_status None means any status."""

    relationship: Relationship
    member_status: MemberStatus | None
    reason: str

    def applies(self, relationship: str, member_status: str) -> bool:
        return relationship == self.relationship and self.member_status in (None, member_status)


@dataclass(frozen=True)
class AgeRange:
    """Full years of age, both ends included."""

    minimum: int
    maximum: int

    def __str__(self) -> str:
        return str(_("%(minimum)d 至 %(maximum)d 周岁")) % {
            "minimum": self.minimum,
            "maximum": self.maximum,
        }

    def includes(self, age: int) -> bool:
        return self.minimum <= age <= self.maximum


@dataclass(frozen=True)
class When:
    """A document needed only for some answers (for example a transfer, or a spouse)."""

    field: str
    values: frozenset[str]
    label: str

    def holds(self, request) -> bool:
        return getattr(request, self.field) in self.values


@dataclass(frozen=True)
class DocumentRule:
    kind: DocumentKind
    purpose: str
    source: Source
    when: When | None = None

    def needed_for(self, request) -> bool:
        return self.when is None or self.when.holds(request)


@dataclass(frozen=True)
class TypeRules:
    request_type: RequestType
    applicants: tuple[Applicants, ...]
    refusals: tuple[Refusal, ...]
    documents: tuple[DocumentRule, ...]
    time_limit_days: Ruled[int]
    staff_steps: Ruled[tuple[str, ...]]
    # Which service points the type's page lists.
    service_points: tuple[ServicePointKind, ...]
    # Childcare: the child's age on the day care starts and on the day it ends.
    child_age: Ruled[AgeRange] | None = None
    longest_care_days: Ruled[int] | None = None
    # Enrolment: the child's age for the stage applied for, and the stages that need the
    # child's ID number.
    stage_ages: Ruled[Mapping[Stage, AgeRange]] | None = None
    child_id_stages: Ruled[frozenset[Stage]] | None = None


# --- Who the applicant is ---------------------------------------------------------------
DECEASED = frozenset({MemberStatus.MARTYR, MemberStatus.DIED_ON_DUTY, MemberStatus.DIED_OF_ILLNESS})
# A parent of the child applies: the member, the member's spouse, or the member's parent (the
# grandparent who looks after the child).
CHILD_APPLICANTS = frozenset({Relationship.SELF, Relationship.SPOUSE, Relationship.PARENT})
CHILD_REFUSALS = (
    Refusal(
        Relationship.CHILD,
        None,
        _("这项服务须由孩子的父母或其他监护人申请：请选择您与军人的关系（本人、配偶或父母）。"),
    ),
)
SELF_DECEASED_REASON = _(
    "申请人是军人本人时，军人状态不能是“烈士”“因公牺牲”或“病故”。"
    "如果您是其家属，请在“与军人的关系”中选择配偶、父母或子女。"
)

# --- Dates ------------------------------------------------------------------------------
# How far ahead a request may be made, and how far back a child's birth date may be: every
# date a family types is ordered and bounded, so 2099 or 9999-12-31 never gets through.
ADVANCE_DAYS = Ruled(183, DISTRICT_SETTING)
SCHOOL_YEAR_STARTS = (9, 1)  # 1 September

RULES: dict[RequestType, TypeRules] = {
    RequestType.CHILDCARE: TypeRules(
        request_type=RequestType.CHILDCARE,
        applicants=(
            Applicants(
                _("现役军人、退役军人的子女，同等对待"),
                CHILD_APPLICANTS,
                frozenset({MemberStatus.ACTIVE, MemberStatus.VETERAN}),
                document_003("为3岁至12岁现役军人、退役军人子女"),
            ),
            Applicants(
                _("烈士、因公牺牲军人、病故军人的子女"),
                CHILD_APPLICANTS,
                DECEASED,
                DISTRICT_SETTING,
            ),
        ),
        refusals=CHILD_REFUSALS,
        child_age=Ruled(AgeRange(3, 12), document_003("为3岁至12岁现役军人、退役军人子女")),
        # A school term or a holiday at a time, not years: families apply again for the next.
        longest_care_days=Ruled(183, DISTRICT_SETTING),
        documents=(
            DocumentRule(
                DocumentKind.MEMBER_PROOF,
                _(
                    "证明孩子的父亲或母亲是现役军人、退役军人或烈士等（部队出具的身份证明或退役军人优待证）。"
                ),
                DISTRICT_SETTING,
            ),
            DocumentRule(
                DocumentKind.CHILD_RELATION,
                _("证明孩子的年龄和与军人的关系。"),
                DISTRICT_SETTING,
            ),
        ),
        time_limit_days=Ruled(5, DISTRICT_SETTING),
        staff_steps=Ruled(
            (
                _("核对孩子年龄、军人身份和材料"),
                _("联系意向托管站，确认名额和托管时段"),
                _("告知家长报到时间和托管站地址，办结"),
            ),
            DISTRICT_SETTING,
        ),
        service_points=(ServicePointKind.CHILDCARE_STATION,),
    ),
    RequestType.ENROLMENT: TypeRules(
        request_type=RequestType.ENROLMENT,
        applicants=(
            Applicants(
                _("现役军人子女"),
                CHILD_APPLICANTS,
                frozenset({MemberStatus.ACTIVE}),
                document_003("制定《军人子女上学优待办法》"),
            ),
            Applicants(
                _(
                    "退役军人、烈士、因公牺牲军人、病故军人的子女（按优待办法和国家军人子女教育优待规定审核）"
                ),
                CHILD_APPLICANTS,
                frozenset({MemberStatus.VETERAN, *DECEASED}),
                DISTRICT_SETTING,
            ),
        ),
        refusals=CHILD_REFUSALS,
        # Age in full years on the day the school year starts (入学) or on the day of the
        # application (转学); the usual ranges of each stage.
        stage_ages=Ruled(
            {
                Stage.KINDERGARTEN: AgeRange(3, 6),
                Stage.PRIMARY: AgeRange(6, 12),
                Stage.JUNIOR: AgeRange(12, 15),
                Stage.SENIOR: AgeRange(15, 18),
            },
            DISTRICT_SETTING,
        ),
        child_id_stages=Ruled(
            frozenset({Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR}), DISTRICT_SETTING
        ),
        documents=(
            DocumentRule(
                DocumentKind.MEMBER_PROOF,
                _("证明军人身份（部队团级以上单位政治工作部门出具的证明，或烈士证明书等）。"),
                DISTRICT_SETTING,
            ),
            DocumentRule(
                DocumentKind.HOUSEHOLD_REGISTER,
                _("确定入学片区。"),
                DISTRICT_SETTING,
            ),
            DocumentRule(
                DocumentKind.BIRTH_CERTIFICATE,
                _("核对孩子的出生日期和父母。"),
                DISTRICT_SETTING,
            ),
            DocumentRule(
                DocumentKind.SCHOOL_RECORD,
                _("转学时核对孩子现在的学籍。"),
                DISTRICT_SETTING,
                when=When("enrolment_kind", frozenset({EnrolmentKind.TRANSFER}), _("转学的")),
            ),
        ),
        time_limit_days=Ruled(15, DISTRICT_SETTING),
        staff_steps=Ruled(
            (
                _("核对军人身份、孩子年龄和学段"),
                _("按《军人子女上学优待办法》商教育部门安排学校"),
                _("告知家长学校和报到时间，办结"),
            ),
            DISTRICT_SETTING,
        ),
        service_points=(ServicePointKind.STREET_STATION, ServicePointKind.DISTRICT_CENTRE),
    ),
    RequestType.EMPLOYMENT: TypeRules(
        request_type=RequestType.EMPLOYMENT,
        applicants=(
            Applicants(
                _("随军家属：随军的现役军人配偶"),
                frozenset({Relationship.SPOUSE}),
                frozenset({MemberStatus.ACTIVE}),
                document_003("帮助300余名军属取得职业资格证书并顺利就业"),
            ),
            Applicants(
                _("退役军人本人"),
                frozenset({Relationship.SELF}),
                frozenset({MemberStatus.VETERAN}),
                document_003("开通退役军人就业“快车道”"),
            ),
        ),
        refusals=(
            Refusal(
                Relationship.SELF,
                MemberStatus.ACTIVE,
                _("现役军人本人不能申请就业服务：这项服务面向随军家属和退役军人本人。"),
            ),
            Refusal(
                Relationship.PARENT,
                MemberStatus.ACTIVE,
                _("现役军人的父母不属于随军家属，不能申请就业服务：随军家属是随军的现役军人配偶。"),
            ),
        ),
        documents=(
            DocumentRule(
                DocumentKind.MEMBER_PROOF,
                _("随军家属：配偶的军人身份证明；退役军人：退役军人优待证或退出现役证明。"),
                DISTRICT_SETTING,
            ),
            DocumentRule(
                DocumentKind.MILITARY_FAMILY_PROOF,
                _("证明已随军。"),
                DISTRICT_SETTING,
                when=When("relationship", frozenset({Relationship.SPOUSE}), _("随军家属")),
            ),
        ),
        time_limit_days=Ruled(10, DISTRICT_SETTING),
        staff_steps=Ruled(
            (
                _("核对随军家属或退役军人身份"),
                _("按求职意向推荐岗位、培训或专场招聘会"),
                _("跟进到岗情况，办结"),
            ),
            DISTRICT_SETTING,
        ),
        service_points=(ServicePointKind.STREET_STATION, ServicePointKind.DISTRICT_CENTRE),
    ),
    RequestType.ALLOWANCE: TypeRules(
        request_type=RequestType.ALLOWANCE,
        applicants=(
            Applicants(
                _("驻区部队现役军人的随军配偶，目前未就业"),
                frozenset({Relationship.SPOUSE}),
                frozenset({MemberStatus.ACTIVE}),
                document_003("研究制定《沙坪坝区驻区部队未就业随军家属基本生活保障金实施方案》"),
            ),
        ),
        refusals=(
            Refusal(
                Relationship.SELF,
                None,
                _("生活补助金发给未就业的随军家属，军人本人不能申请：请由随军的配偶申请。"),
            ),
            Refusal(
                Relationship.SPOUSE,
                MemberStatus.VETERAN,
                _("军人退役后，配偶不再属于随军家属，不能申请生活补助金；可以申请就业服务。"),
            ),
        ),
        documents=(
            DocumentRule(
                DocumentKind.MEMBER_PROOF,
                _("证明配偶是驻区部队现役军人（部队出具）。"),
                DISTRICT_SETTING,
            ),
            DocumentRule(
                DocumentKind.MILITARY_FAMILY_PROOF,
                _("证明已随军。"),
                DISTRICT_SETTING,
            ),
            DocumentRule(
                DocumentKind.MARRIAGE_CERTIFICATE,
                _("证明与军人的夫妻关系。"),
                DISTRICT_SETTING,
            ),
            DocumentRule(
                DocumentKind.BANK_CARD,
                _("核对收款账户是申请人本人的。"),
                DISTRICT_SETTING,
            ),
        ),
        time_limit_days=Ruled(20, DISTRICT_SETTING),
        staff_steps=Ruled(
            (
                _("核对申请人身份、随军证明和收款账户"),
                _("会同部队核实随军情况，核实未就业情况"),
                _("按实施方案审批，登记发放账户"),
                _("告知审批结果，办结；补助金发至申请人本人账户"),
            ),
            document_003("年均发放未就业随军家属生活补助金150余万元"),
        ),
        service_points=(ServicePointKind.STREET_STATION, ServicePointKind.DISTRICT_CENTRE),
    ),
}


# --- The checks, read from the tables ----------------------------------------------------


def years_between(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def birthday(born: datetime.date, years: int) -> datetime.date:
    """The day a child born on `born` turns `years` (29 February → 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return datetime.date(born.year + years, 3, 1)


def applicant_refusal(
    request_type: RequestType, *, relationship: str, member_status: str
) -> str | None:
    """Why this applicant may not apply for this type, or None when they may."""
    if relationship == Relationship.SELF and member_status in DECEASED:
        return str(SELF_DECEASED_REASON)
    rules = RULES[request_type]
    if any(group.include(relationship, member_status) for group in rules.applicants):
        return None
    for refusal in rules.refusals:
        if refusal.applies(relationship, member_status):
            return str(refusal.reason)
    return str(_("“%(type)s”的申请人须为：%(who)s。")) % {
        "type": request_type.label,
        "who": "；".join(str(group.label) for group in rules.applicants),
    }


def school_reference_date(*, enrolment_kind: str, today: datetime.date) -> datetime.date:
    """入学: the day the coming school year starts; 转学: the day of the application."""
    if enrolment_kind != EnrolmentKind.ENTRY:
        return today
    starts = datetime.date(today.year, *SCHOOL_YEAR_STARTS)
    return starts if starts >= today else starts.replace(year=today.year + 1)


def _childcare_errors(request, rules: TypeRules, today: datetime.date) -> dict[str, str]:
    errors = {}
    start, end, born = request.care_start, request.care_end, request.child_birth_date
    latest_start = today + datetime.timedelta(days=ADVANCE_DAYS.value)
    if start and not today <= start <= latest_start:
        errors["care_start"] = _(
            "托管开始日期须在今天到 %(latest)s 之间（最多提前 %(days)d 天申请）。"
        ) % {"latest": latest_start.isoformat(), "days": ADVANCE_DAYS.value}
    if start and end:
        longest = rules.longest_care_days.value
        if end < start:
            errors["care_end"] = _("托管结束日期不能早于开始日期。")
        elif (end - start).days + 1 > longest:
            errors["care_end"] = _(
                "一次申请的托管期最长 %(days)d 天（约一个学期或一个假期），请分次申请。"
            ) % {"days": longest}
    ages = rules.child_age.value
    if born and start and "care_start" not in errors and years_between(born, start) < ages.minimum:
        errors["child_birth_date"] = _(
            "托管开始时孩子须已满 %(minimum)d 周岁：孩子 %(day)s 满 %(minimum)d 周岁，"
            "托管开始日期不能早于这一天。"
        ) % {"minimum": ages.minimum, "day": birthday(born, ages.minimum).isoformat()}
    elif born and end and "care_end" not in errors and years_between(born, end) > ages.maximum:
        too_old = ages.maximum + 1
        errors["child_birth_date"] = _(
            "托管服务面向 %(range)s 的孩子：孩子 %(day)s 满 %(too_old)d 周岁，"
            "托管结束日期须早于这一天。"
        ) % {"range": ages, "day": birthday(born, too_old).isoformat(), "too_old": too_old}
    return errors


def _enrolment_errors(request, rules: TypeRules, today: datetime.date) -> dict[str, str]:
    errors = {}
    if not request.child_grade:
        return errors
    stage = GRADE_STAGES[request.child_grade]
    if request.enrolment_kind == EnrolmentKind.ENTRY and request.child_grade != FIRST_GRADES[stage]:
        errors["child_grade"] = _(
            "新生入学请选择%(stage)s的起始年级（%(first)s）；其他年级请选择“转学”。"
        ) % {"stage": stage.label, "first": FIRST_GRADES[stage].label}
    born = request.child_birth_date
    if born and request.enrolment_kind:
        on = school_reference_date(enrolment_kind=request.enrolment_kind, today=today)
        ages = rules.stage_ages.value[stage]
        age = years_between(born, on)
        if not ages.includes(age):
            errors["child_birth_date"] = _(
                "%(stage)s一般招收 %(range)s 的孩子；孩子到 %(on)s 是 %(age)d 周岁，"
                "请核对出生日期或申请的年级。"
            ) % {"stage": stage.label, "range": ages, "on": on.isoformat(), "age": age}
    if stage in rules.child_id_stages.value and not request.child_id_number:
        errors["child_id_number"] = _("申请%(stage)s时须填写孩子的身份证号码。") % {
            "stage": stage.label
        }
    return errors


def rule_errors(request, *, today: datetime.date) -> dict[str, str]:
    """What the request's type forbids in these answers: field name → the reason, in Chinese.

    `request` is a ServiceRequest (saved or not); only its answers are read.
    """
    request_type = RequestType(request.request_type)
    rules = RULES[request_type]
    errors = {}
    if request.relationship and request.member_status:
        refusal = applicant_refusal(
            request_type, relationship=request.relationship, member_status=request.member_status
        )
        if refusal:
            errors["relationship"] = refusal
    if request_type == RequestType.CHILDCARE:
        errors.update(_childcare_errors(request, rules, today))
    elif request_type == RequestType.ENROLMENT:
        errors.update(_enrolment_errors(request, rules, today))
    return errors


def documents_needed(request) -> list[DocumentRule]:
    """The proof documents this request needs, given its answers."""
    return [
        rule
        for rule in RULES[RequestType(request.request_type)].documents
        if rule.needed_for(request)
    ]

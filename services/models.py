"""Service requests from military families, their history, attachments and ratings.

Writes go through services.actions; these models hold the data, its field-level rules and
the database constraints that keep it consistent whoever writes.
"""

import datetime
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from home.models import BasePage, IndexPage, Street
from home.personal_data import is_valid_id_number, is_valid_mobile_number, normalise_mobile_number
from home.text import invisible_characters, normalise_number

from .attachments import attachment_upload_to
from .choices import (
    FIRST_GRADES,
    GRADE_STAGES,
    ConsentChannel,
    DocumentKind,
    Education,
    EnrolmentKind,
    Grade,
    MemberStatus,
    Relationship,
    RequestType,
    ServicePointKind,
    Stage,
)
from .rules import RULES, rule_errors, years_between
from .storage import get_private_storage
from .workflow import CLOSED_STATUSES, Status

__all__ = [  # the choices are part of the models' vocabulary; callers import them from here
    "FIRST_GRADES",
    "GRADE_STAGES",
    "ConsentChannel",
    "DocumentKind",
    "Education",
    "EnrolmentKind",
    "Grade",
    "MemberStatus",
    "Relationship",
    "RequestType",
    "ServicePointKind",
    "Stage",
    "Status",
    "years_between",
]

# Anything that looks like the start of an HTML tag or comment.
MARKUP_PATTERN = re.compile(r"<[/!?a-zA-Z]")
# A birth date before this is a typing mistake (an ID number's year included).
EARLIEST_BIRTH_YEAR = 1900


def validate_no_markup(value: str) -> None:
    if MARKUP_PATTERN.search(value):
        raise ValidationError(
            _("请不要输入网页代码或“<”开头的标记（例如 <script>）。"), code="markup"
        )


def validate_no_invisible_characters(value: str) -> None:
    """Forms strip these (home.text.clean_typed_text); anything else that writes is refused."""
    if found := invisible_characters(value):
        raise ValidationError(
            _("含有看不见的控制字符（%(chars)s），请删除后重新输入。"),
            code="invisible_characters",
            params={"chars": "、".join(found[:5])},
        )


def validate_mobile_number(value: str) -> None:
    if not is_valid_mobile_number(normalise_number(value)):
        raise ValidationError(
            _("请输入正确的 11 位手机号码，例如 13812345678。"), code="invalid_mobile"
        )


def id_number_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    value = normalise_number(value)
    if not is_valid_id_number(value):
        raise ValidationError(
            _("身份证号码不正确：请核对 18 位号码，特别是最后一位校验码（可能是数字或 X）。"),
            code="invalid_id_number",
        )
    born = id_number_birth_date(value)
    if not EARLIEST_BIRTH_YEAR <= born.year or born > timezone.localdate():
        raise ValidationError(
            _("身份证号码中的出生日期（%(born)s）不正确，请核对。"),
            code="invalid_id_number",
            params={"born": born.isoformat()},
        )


def validate_bank_account(value: str) -> None:
    if not re.fullmatch(r"\d{12,19}", normalise_number(value)):
        raise ValidationError(
            _("请输入正确的银行卡号或存折账号：12 至 19 位数字。"), code="invalid_bank_account"
        )


# Requests about a child: the child's details, and a guardian's consent under 14.
CHILD_REQUEST_TYPES = (RequestType.CHILDCARE, RequestType.ENROLMENT)
# Which detail fields each type asks for, and which of them it requires (the rules in
# services.rules may require more, depending on the answers).
CHILD_FIELDS = ("child_name", "child_birth_date")
DETAIL_FIELDS = {
    RequestType.CHILDCARE: (*CHILD_FIELDS, "child_grade", "care_station", "care_start", "care_end"),
    RequestType.ENROLMENT: (
        *CHILD_FIELDS,
        "child_id_number",
        "enrolment_kind",
        "child_grade",
        "wanted_school",
    ),
    RequestType.EMPLOYMENT: ("education", "skills", "wanted_work", "availability"),
    RequestType.ALLOWANCE: ("bank_name", "bank_account", "declares_unemployed"),
}
REQUIRED_FIELDS = {
    RequestType.CHILDCARE: (*CHILD_FIELDS, "care_start", "care_end"),
    RequestType.ENROLMENT: (*CHILD_FIELDS, "enrolment_kind", "child_grade", "wanted_school"),
    RequestType.EMPLOYMENT: ("education", "wanted_work", "availability"),
    RequestType.ALLOWANCE: ("id_number", "bank_name", "bank_account", "declares_unemployed"),
}
APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_phone",
    "relationship",
    "id_number",
    "receipt_email",
    "member_status",
    "member_unit",
    "district",
)
# Everything the family may be asked, in the order forms and exports show it.
ANSWER_FIELDS = tuple(
    dict.fromkeys(
        (*APPLICANT_FIELDS, *(name for names in DETAIL_FIELDS.values() for name in names))
    )
)
# The Personal Information Protection Law: a child under 14 needs a guardian's consent.
GUARDIAN_CONSENT_AGE = 14
TEXT_VALIDATORS = [validate_no_markup, validate_no_invisible_characters]


def text_field(label, max_length, **kwargs):
    return models.CharField(
        label, max_length=max_length, blank=True, validators=TEXT_VALIDATORS, **kwargs
    )


class ServiceRequest(models.Model):
    reference = models.CharField(_("受理编号"), max_length=20, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    request_type = models.CharField(_("服务类型"), max_length=20, choices=RequestType.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # Requests are routed and permitted by street: the district's one list (home.Street).
    district = models.ForeignKey(
        Street, verbose_name=_("所在街道"), on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking: every change is an UPDATE … WHERE version = the version it was based on.
    version = models.PositiveIntegerField(default=1, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_service_requests",
    )

    applicant_name = models.CharField(_("申请人姓名"), max_length=30, validators=TEXT_VALIDATORS)
    applicant_phone = models.CharField(
        _("手机号码"),
        max_length=20,
        validators=[validate_mobile_number],
        help_text=_("用于查询办理进度和接收短信通知。"),
    )
    # A keyed hash of the normalised phone, so tracking compares digests in constant time.
    phone_digest = models.CharField(max_length=64, editable=False)
    relationship = models.CharField(_("与军人的关系"), max_length=20, choices=Relationship.choices)
    id_number = models.CharField(
        _("申请人身份证号码"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        help_text=_("18 位居民身份证号码。申请生活补助金必填，其他申请选填。"),
    )
    receipt_email = models.EmailField(
        _("电子邮箱（选填）"),
        blank=True,
        help_text=_("填写后，我们会把回执和进度提醒发到这个邮箱；邮件只含受理编号，不含个人信息。"),
    )
    member_status = models.CharField(_("军人状态"), max_length=20, choices=MemberStatus.choices)
    member_unit = models.CharField(
        _("军人所在部队或街道社区"),
        max_length=100,
        validators=TEXT_VALIDATORS,
        help_text=_("现役军人填写部队番号或单位代号；退役军人等填写户籍所在街道、社区。"),
    )

    child_name = text_field(_("子女姓名"), 30)
    child_birth_date = models.DateField(_("子女出生日期"), null=True, blank=True)
    child_id_number = models.CharField(
        _("子女身份证号码"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        help_text=_("申请小学、初中、高中时必填；幼儿园可不填。"),
    )
    enrolment_kind = models.CharField(
        _("入学还是转学"), max_length=20, choices=EnrolmentKind.choices, blank=True
    )
    child_grade = models.CharField(
        _("就读或申请年级"), max_length=20, choices=Grade.choices, blank=True
    )
    wanted_school = text_field(_("意向学校"), 100)
    care_station = text_field(
        _("意向托管站（选填）"), 100, help_text=_("不填写时，由工作人员就近安排。")
    )
    care_start = models.DateField(_("托管开始日期"), null=True, blank=True)
    care_end = models.DateField(_("托管结束日期"), null=True, blank=True)
    education = models.CharField(
        _("文化程度"), max_length=20, choices=Education.choices, blank=True
    )
    skills = text_field(
        _("技能和证书（选填）"), 300, help_text=_("例如：驾驶证 C1、电工证、会计。")
    )
    wanted_work = text_field(_("求职意向"), 200, help_text=_("希望从事的岗位或行业。"))
    availability = text_field(
        _("可到岗时间"), 100, help_text=_("例如：随时到岗，或 2026 年 9 月以后。")
    )
    bank_name = text_field(
        _("开户银行"), 60, help_text=_("写到支行，例如：中国建设银行重庆沙坪坝支行。")
    )
    bank_account = models.CharField(
        _("银行卡号或存折账号"),
        max_length=19,
        blank=True,
        validators=[validate_bank_account],
        help_text=_("须是申请人本人的账户，补助金发到这个账户。"),
    )
    declares_unemployed = models.BooleanField(
        _("我确认：我已随军，目前未就业，配偶所在部队驻本区。"), default=False
    )

    sensitive_consent_at = models.DateTimeField(_("敏感个人信息处理同意时间"))
    guardian_consent_at = models.DateTimeField(_("监护人同意时间"), null=True, blank=True)
    consent_channel = models.CharField(
        _("同意方式"), max_length=20, choices=ConsentChannel.choices, default=ConsentChannel.ONLINE
    )
    consent_note = text_field(
        _("同意情况说明"), 200, help_text=_("例如：上门走访时家属签署同意书，纸质件已存档。")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代为录入的工作人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entered_service_requests",
    )

    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    due_at = models.DateTimeField(_("办理时限"), editable=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("军属服务申请")
        verbose_name_plural = _("军属服务申请")
        ordering = ["-submitted_at"]
        permissions = [
            ("view_all_requests", _("可查看全部申请和个人信息查看记录（主管）")),
            ("view_personal_data", _("可查看申请中未遮挡的个人信息")),
        ]
        indexes = [
            models.Index(fields=["request_type", "district", "status"]),
            models.Index(fields=["status", "due_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="service_request_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(request_type__in=RequestType.values),
                name="service_request_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="service_request_version_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(care_end__gte=models.F("care_start"))
                | models.Q(care_start__isnull=True)
                | models.Q(care_end__isnull=True),
                name="service_request_care_dates_ordered",
                violation_error_message=_("托管结束日期不能早于开始日期。"),
            ),
            # Online requests carry the family's own consent; staff entries record how it was given.
            models.CheckConstraint(
                condition=models.Q(entered_by__isnull=True, consent_channel=ConsentChannel.ONLINE)
                | (
                    models.Q(entered_by__isnull=False)
                    & ~models.Q(consent_channel=ConsentChannel.ONLINE)
                ),
                name="service_request_consent_matches_channel",
                violation_error_message=_("工作人员代为录入时，须记录家属以何种方式同意。"),
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True)
                | models.Q(status__in=[s.value for s in CLOSED_STATUSES]),
                name="service_request_closed_only_when_closed",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_district_display(self) -> str:
        """The street's name, as choices fields say it (lists, exports, staff search)."""
        return self.district.name

    # Each constraint below, and what judges its rule in Python before any write, with a
    # message that says what to do. A test holds this list to Meta.constraints.
    CONSTRAINTS_JUDGED_FIRST_BY = {
        "service_request_status_valid": "clean_fields: the status's choices",
        "service_request_type_valid": "clean_fields: the request type's choices",
        "service_request_version_positive": "the actions: only they set the version",
        "service_request_care_dates_ordered": "clean(): 托管结束日期不能早于开始日期",
        "service_request_consent_matches_channel": "service_request_submit: the consent",
        "service_request_closed_only_when_closed": "the actions: only they close a request",
    }

    def validate_constraints(self, exclude=None):
        """Left to the database, which enforces every constraint on every write: each is
        judged first as CONSTRAINTS_JUDGED_FIRST_BY says, and Django would validate each
        again with a query of its own (and a copy of every field), three times on the way
        to one submission."""

    def clean_fields(self, exclude=None):
        """Django's, without asking the database whether the street exists: every caller
        holds the Street it looked up (the forms find it by its code, among the active ones),
        and the foreign key refuses one that has gone since. Once per form and submission."""
        if self.district_id is not None:
            exclude = {*(exclude or ()), "district"}
        super().clean_fields(exclude=exclude)

    def clean(self):
        self.applicant_phone = normalise_mobile_number(normalise_number(self.applicant_phone))
        self.id_number = normalise_number(self.id_number)
        self.child_id_number = normalise_number(self.child_id_number)
        self.bank_account = normalise_number(self.bank_account)
        today = timezone.localdate()
        errors = {}
        born = self.child_birth_date
        if born and not EARLIEST_BIRTH_YEAR <= born.year:
            errors["child_birth_date"] = _("子女出生日期不正确，请核对年份。")
        elif born and born > today:
            errors["child_birth_date"] = _("子女出生日期不能晚于今天。")
        if self.care_start and self.care_end and self.care_end < self.care_start:
            errors["care_end"] = _("托管结束日期不能早于开始日期。")
        if (
            born
            and self.child_id_number
            and id_number_birth_date(self.child_id_number) not in (None, born)
        ):
            errors["child_id_number"] = _(
                "子女身份证号码中的出生日期与填写的出生日期（%(born)s）不一致，请核对。"
            ) % {"born": born.isoformat()}
        if self.request_type in RULES:
            for field, message in rule_errors(self, today=today).items():
                errors.setdefault(field, message)
        if errors:
            raise ValidationError(errors)

    def missing_answers(self) -> dict[str, str]:
        """What this request type requires and is empty. Not part of clean(): forms say it
        field by field already, and saying it twice helps nobody."""
        return {
            name: _("请填写“%(label)s”。") % {"label": self._meta.get_field(name).verbose_name}
            for name in REQUIRED_FIELDS[RequestType(self.request_type)]
            if getattr(self, name) in (None, "", False)
        }

    @property
    def time_limit_days(self) -> int:
        return RULES[RequestType(self.request_type)].time_limit_days.value

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return not self.is_closed and self.due_at < timezone.now()

    @property
    def needs_guardian_consent(self) -> bool:
        """True when the request is about a child under 14 (personal data of a minor)."""
        if self.request_type not in CHILD_REQUEST_TYPES:
            return False
        born = self.child_birth_date
        return born is not None and years_between(born, timezone.localdate()) < GUARDIAN_CONSENT_AGE

    def detail_fields(self) -> tuple[str, ...]:
        return DETAIL_FIELDS[RequestType(self.request_type)]


class EventKind(models.TextChoices):
    STATUS = "status", _("状态变更")
    ASSIGNMENT = "assignment", _("指派")
    # The family added a document it had marked "later"; the status stays.
    DOCUMENTS = "documents", _("补交材料")
    # Past the retention period the personal data went (services.actions); the status stays.
    ANONYMISED = "anonymised", _("匿名化")


class ServiceRequestEvent(models.Model):
    """One row per change of a request, never updated: the request's history.

    `version` is the request's version after the change; unique per request, so two
    changes based on the same version can never both be recorded.
    """

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.STATUS)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    version = models.PositiveIntegerField()
    # Empty when the applicant acted (online submission, withdrawal, added documents).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.TextField(_("说明"), blank=True, validators=TEXT_VALIDATORS)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["service_request", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_request", "version"], name="service_request_event_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.service_request_id} v{self.version}: {self.from_status} → {self.to_status}"


class Attachment(models.Model):
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(storage=get_private_storage, upload_to=attachment_upload_to)
    kind = models.CharField(
        _("材料类型"), max_length=30, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class PrivateFileDeletion(models.Model):
    """A private file whose row is gone but which may still be in storage.

    Written in the transaction that deletes the row, so a rollback keeps both; the file is
    deleted once that transaction has committed, and this row with it. A deletion that failed
    or was interrupted is retried by `anonymise_closed_requests`.
    """

    name = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name


class InternalNote(models.Model):
    """Staff-only notes; never shown to the applicant."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(_("内部备注"), max_length=2000, validators=TEXT_VALIDATORS)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.service_request_id}: {self.created_at:%Y-%m-%d}"


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    NEUTRAL = 3, _("一般")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


# Ratings at or below this need a follow-up call from staff.
FOLLOW_UP_AT_OR_BELOW = Satisfaction.DISSATISFIED


class Rating(models.Model):
    service_request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="rating"
    )
    score = models.PositiveSmallIntegerField(
        _("满意度"),
        choices=Satisfaction.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(
        _("意见和建议（选填）"), max_length=500, blank=True, validators=TEXT_VALIDATORS
    )
    needs_follow_up = models.BooleanField(_("需回访"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.service_request_id}: {self.score}"


class StaffScope(models.Model):
    """What a member of staff handles: one request type in one street per row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        on_delete=models.CASCADE,
        related_name="service_scopes",
    )
    request_type = models.CharField(_("服务类型"), max_length=20, choices=RequestType.choices)
    district = models.ForeignKey(
        Street, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("办理范围")
        verbose_name_plural = _("办理范围")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "request_type", "district"], name="staff_scope_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_request_type_display()} · {self.district}"


class FieldGroup(models.TextChoices):
    PERSONAL = "personal", _("申请人及子女个人信息")
    ATTACHMENT = "attachment", _("证明材料")
    EXPORT = "export", _("导出（未遮挡）")


class PersonalDataAccessLog(models.Model):
    """Who saw a request's unmasked personal data, and when: the supervisor's audit log."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, related_name="access_logs"
    )
    field_group = models.CharField(max_length=20, choices=FieldGroup.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user_id} {self.field_group} {self.service_request_id}"


class ServicePoint(index.Indexed, models.Model):
    """Where families go in person: a 军娃托管站, a street's 退役军人服务站, the district centre.

    Kept by editors (snippets); each type's guide lists the kinds its rules name
    (services.rules), so the childcare guide lists the 托管站.
    """

    kind = models.CharField(_("类型"), max_length=30, choices=ServicePointKind.choices)
    name = models.CharField(_("名称"), max_length=80, validators=TEXT_VALIDATORS)
    street = models.ForeignKey(
        Street,
        verbose_name=_("所在街道（镇）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("区退役军人服务中心等面向全区的可不选。"),
    )
    address = models.CharField(_("地址"), max_length=200, validators=TEXT_VALIDATORS)
    opening_hours = models.CharField(
        _("开放时间"), max_length=120, blank=True, validators=TEXT_VALIDATORS
    )
    phone = models.CharField(_("电话"), max_length=40, blank=True, validators=TEXT_VALIDATORS)
    services = models.TextField(
        _("提供的服务"), max_length=500, blank=True, validators=TEXT_VALIDATORS
    )
    is_active = models.BooleanField(_("在页面上显示"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("street"),
        FieldPanel("address"),
        FieldPanel("opening_hours"),
        FieldPanel("phone"),
        FieldPanel("services"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("address"),
        index.SearchField("services"),
        index.RelatedFields("street", [index.SearchField("name")]),
        index.FilterField("kind"),
        index.FilterField("is_active"),
    ]

    class Meta:
        verbose_name = _("服务站点")
        verbose_name_plural = _("服务站点")
        ordering = ["kind", "sort_order", "name"]

    def __str__(self):
        return self.name


class ServiceIndexPage(IndexPage):
    """/services/: the four services, tracking, and help for those who cannot apply online."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["services.ServiceGuidePage"]
    max_count = 1
    template = "services/index.html"

    class Meta:
        verbose_name = _("军属服务栏目")

    def get_context(self, request, *args, **kwargs):
        from .selectors import service_types_overview

        context = super().get_context(request, *args, **kwargs)
        context["request_types"] = service_types_overview()
        return context


class ServiceGuidePage(BasePage):
    """One request type's guide: editors write who may apply and what to prepare in their own
    words (citing the policies); the rules table, the service points and the way to apply
    come from services.rules and the service points."""

    request_type = models.CharField(
        _("服务类型"), max_length=20, choices=RequestType.choices, unique=True
    )
    body = RichTextField(
        _("办事指南"),
        features=["h2", "h3", "bold", "ol", "ul", "link"],
        help_text=_("谁可以申请、需要准备什么、依据的政策。申请条件的核对以系统规则为准。"),
    )

    content_panels = BasePage.content_panels + [FieldPanel("request_type"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.FilterField("request_type"),
    ]
    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = []
    template = "services/guide.html"

    class Meta:
        verbose_name = _("办事指南")

    def get_context(self, request, *args, **kwargs):
        from .selectors import service_guide_context

        context = super().get_context(request, *args, **kwargs)
        context.update(service_guide_context(RequestType(self.request_type)))
        return context


class IndexedServiceRequest(index.Indexed, ServiceRequest):
    """Service requests as staff search sees them (services/search.py registers it): codes and
    labels only.

    Names, phone numbers, ID numbers and children's details are never indexed, masked or not:
    the index outlives anonymisation until the next update, and staff search finds a request
    by its reference, type, street and status.
    """

    search_fields = [
        index.SearchField("reference", boost=5),
        index.SearchField("get_request_type_display"),
        index.SearchField("get_district_display"),
        index.SearchField("get_status_display"),
        index.FilterField("id"),
        index.FilterField("request_type"),
        index.FilterField("district"),
        index.FilterField("status"),
    ]

    class Meta:
        proxy = True
        verbose_name = _("军属服务申请（检索）")
        verbose_name_plural = _("军属服务申请（检索）")

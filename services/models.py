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

from home.personal_data import is_valid_id_number, is_valid_mobile_number, normalise_mobile_number

from .attachments import PrivateStorage, attachment_upload_to

# Anything that looks like the start of an HTML tag or comment.
MARKUP_PATTERN = re.compile(r"<[/!?a-zA-Z]")


def validate_no_markup(value: str) -> None:
    if MARKUP_PATTERN.search(value):
        raise ValidationError(
            _("请不要输入网页代码或“<”开头的标记（例如 <script>）。"), code="markup"
        )


def validate_mobile_number(value: str) -> None:
    if not is_valid_mobile_number(value):
        raise ValidationError(
            _("请输入正确的 11 位手机号码，例如 13812345678。"), code="invalid_mobile"
        )


def validate_id_number(value: str) -> None:
    if not is_valid_id_number(value):
        raise ValidationError(
            _("身份证号码不正确：请核对 18 位号码，特别是最后一位校验码（可能是数字或 X）。"),
            code="invalid_id_number",
        )


class RequestType(models.TextChoices):
    CHILDCARE = "childcare", _("军娃托管")
    ENROLMENT = "enrolment", _("军人子女入学优待")
    EMPLOYMENT = "employment", _("随军家属及退役军人就业")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    NEEDS_INFO = "needs_info", _("待补充材料")
    RESOLVED = "resolved", _("已办结")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


CLOSED_STATUSES = (Status.RESOLVED, Status.REJECTED, Status.WITHDRAWN)
# The state machine. From NEEDS_INFO a request also goes back to the status it came from
# (selectors.next_statuses adds it).
TRANSITIONS = {
    Status.SUBMITTED: (Status.ACCEPTED, Status.NEEDS_INFO, Status.REJECTED, Status.WITHDRAWN),
    Status.ACCEPTED: (Status.IN_PROGRESS, Status.NEEDS_INFO, Status.REJECTED, Status.WITHDRAWN),
    Status.IN_PROGRESS: (Status.RESOLVED, Status.NEEDS_INFO, Status.REJECTED, Status.WITHDRAWN),
    Status.NEEDS_INFO: (Status.REJECTED, Status.WITHDRAWN),
}
# The applicant must be told why, or what to provide.
NOTE_REQUIRED_FOR = (Status.REJECTED, Status.NEEDS_INFO)


class District(models.TextChoices):
    """The streets (街道) of the district; requests are routed and permitted by street."""

    XIAOLONGKAN = "xiaolongkan", _("小龙坎街道")
    SHAPINGBA = "shapingba", _("沙坪坝街道")
    YUBEILU = "yubeilu", _("渝碚路街道")
    CIQIKOU = "ciqikou", _("磁器口街道")
    TONGJIAQIAO = "tongjiaqiao", _("童家桥街道")
    TIANXINGQIAO = "tianxingqiao", _("天星桥街道")


class Relationship(models.TextChoices):
    SELF = "self", _("本人")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("现役")
    VETERAN = "veteran", _("退役")
    MARTYR = "martyr", _("烈士")
    DIED_ON_DUTY = "died_on_duty", _("因公牺牲")
    DIED_OF_ILLNESS = "died_of_illness", _("病故")


class Grade(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY_1 = "primary_1", _("小学一年级")
    PRIMARY_2 = "primary_2", _("小学二年级")
    PRIMARY_3 = "primary_3", _("小学三年级")
    PRIMARY_4 = "primary_4", _("小学四年级")
    PRIMARY_5 = "primary_5", _("小学五年级")
    PRIMARY_6 = "primary_6", _("小学六年级")
    JUNIOR_1 = "junior_1", _("初中一年级")
    JUNIOR_2 = "junior_2", _("初中二年级")
    JUNIOR_3 = "junior_3", _("初中三年级")
    SENIOR_1 = "senior_1", _("高中一年级")
    SENIOR_2 = "senior_2", _("高中二年级")
    SENIOR_3 = "senior_3", _("高中三年级")


class Education(models.TextChoices):
    JUNIOR = "junior", _("初中及以下")
    SENIOR = "senior", _("高中或中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生及以上")


class ConsentChannel(models.TextChoices):
    ONLINE = "online", _("网上自行勾选同意")
    PAPER = "paper", _("书面签字同意（纸质件存档）")
    VERBAL = "verbal", _("当面或电话口头同意（已告知处理目的）")


# The time limit per type, in calendar days from submission; a request past it is overdue.
TIME_LIMIT_DAYS = {
    RequestType.CHILDCARE: 5,
    RequestType.ENROLMENT: 15,
    RequestType.EMPLOYMENT: 10,
}

# Requests about a child: the child's details, and a guardian's consent under 14.
CHILD_REQUEST_TYPES = (RequestType.CHILDCARE, RequestType.ENROLMENT)
# Which detail fields each type asks for, and which of them it requires.
CHILD_FIELDS = ("child_name", "child_birth_date", "child_grade")
DETAIL_FIELDS = {
    RequestType.CHILDCARE: (*CHILD_FIELDS, "care_station", "care_start", "care_end"),
    RequestType.ENROLMENT: (*CHILD_FIELDS, "wanted_school"),
    RequestType.EMPLOYMENT: ("education", "skills", "wanted_work", "availability"),
}
REQUIRED_FIELDS = {
    RequestType.CHILDCARE: ("child_name", "child_birth_date", "care_start", "care_end"),
    RequestType.ENROLMENT: (*CHILD_FIELDS, "wanted_school", "id_number"),
    RequestType.EMPLOYMENT: ("education", "wanted_work", "availability"),
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


def years_between(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def text_field(label, max_length, **kwargs):
    return models.CharField(
        label, max_length=max_length, blank=True, validators=[validate_no_markup], **kwargs
    )


class ServiceRequest(models.Model):
    reference = models.CharField(_("受理编号"), max_length=20, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    request_type = models.CharField(_("服务类型"), max_length=20, choices=RequestType.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    district = models.CharField(_("所在街道"), max_length=20, choices=District.choices)
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

    applicant_name = models.CharField(
        _("申请人姓名"), max_length=30, validators=[validate_no_markup]
    )
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
        help_text=_("18 位居民身份证号码。入学优待申请必填，其他申请选填。"),
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
        validators=[validate_no_markup],
        help_text=_("现役军人填写部队番号或单位代号；退役军人等填写户籍所在街道、社区。"),
    )

    child_name = text_field(_("子女姓名"), 30)
    child_birth_date = models.DateField(_("子女出生日期"), null=True, blank=True)
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

    def clean(self):
        self.applicant_phone = normalise_mobile_number(self.applicant_phone)
        self.id_number = self.id_number.strip().upper()
        errors = {}
        today = timezone.localdate()
        if self.child_birth_date and not (
            0 <= years_between(self.child_birth_date, today) < 18 and self.child_birth_date <= today
        ):
            errors.setdefault(
                "child_birth_date", _("子女出生日期不正确：应为今天以前、未满 18 周岁。")
            )
        if self._state.adding and self.care_start and self.care_start < today:
            errors.setdefault("care_start", _("托管开始日期不能早于今天。"))
        if self.care_start and self.care_end and self.care_end < self.care_start:
            errors.setdefault("care_end", _("托管结束日期不能早于开始日期。"))
        if errors:
            raise ValidationError(errors)

    def missing_answers(self) -> dict[str, str]:
        """What this request type requires and is empty. Not part of clean(): forms say it
        field by field already, and saying it twice helps nobody."""
        return {
            name: _("请填写“%(label)s”。") % {"label": self._meta.get_field(name).verbose_name}
            for name in REQUIRED_FIELDS[RequestType(self.request_type)]
            if getattr(self, name) in (None, "")
        }

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
    note = models.TextField(_("说明"), blank=True, validators=[validate_no_markup])
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
    file = models.FileField(storage=PrivateStorage(), upload_to=attachment_upload_to)
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


class InternalNote(models.Model):
    """Staff-only notes; never shown to the applicant."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(_("内部备注"), max_length=2000, validators=[validate_no_markup])
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
        _("意见和建议（选填）"), max_length=500, blank=True, validators=[validate_no_markup]
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
    district = models.CharField(_("街道"), max_length=20, choices=District.choices)

    class Meta:
        verbose_name = _("办理范围")
        verbose_name_plural = _("办理范围")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "request_type", "district"], name="staff_scope_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_request_type_display()} · {self.get_district_display()}"


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

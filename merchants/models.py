import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from . import rules
from .validators import validate_credit_code, validate_phone


class MerchantCategory(models.Model):
    """A kind of business (餐饮, 住宿 …): data editors extend, seeded from rules.SEED_CATEGORIES."""

    code = models.SlugField(
        _("代码"), max_length=40, unique=True, help_text=_("英文小写，用在网址中，保存后不要修改。")
    )
    name = models.CharField(_("类别名称"), max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("商户类别")
        verbose_name_plural = _("商户类别")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class OfferQuerySet(models.QuerySet):
    def current(self, *, on: datetime.date | None = None):
        """Offers valid on the day (today in the site's time zone): started and not ended."""
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


class MerchantQuerySet(models.QuerySet):
    def public(self, *, on: datetime.date | None = None):
        """Published, with an offer valid on the day: what the public and search may see."""
        return self.filter(live=True).with_current_offer(on=on)

    def with_current_offer(self, *, on: datetime.date | None = None):
        # A plain `id IN (…)` rather than EXISTS: the search backends translate this queryset
        # into their own filters, and they know field lookups only.
        return self.filter(id__in=Offer.objects.current(on=on).values("merchant_id"))

    def annotate_current_offer(self, *, on: datetime.date | None = None):
        current = Offer.objects.current(on=on).filter(merchant=OuterRef("pk"))
        return self.annotate(has_current_offer=Exists(current))


class Merchant(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    """A business in the 百企千店 programme that gives service members and families an offer.

    A draft with revisions and moderation like a page: an import or an edit goes live when it
    is published (approved), and the public sees it only while one of its offers is current.
    """

    name = models.CharField(_("商户名称"), max_length=120)
    category = models.ForeignKey(
        MerchantCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="+"
    )
    street = models.ForeignKey(
        "home.Street",
        verbose_name=_("所在街道（镇）"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"is_active": True},
    )
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(
        _("商户电话"),
        max_length=20,
        validators=[validate_phone],
        help_text=_("手机号或带区号的固定电话，例如 023-65123456"),
    )
    opening_hours = models.CharField(_("营业时间"), max_length=120, blank=True)
    description = models.TextField(_("简介"), max_length=1000, blank=True)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("已知时填写；导入时按它识别同一商户。"),
    )
    verified_at = models.DateField(_("最近核验日期"), null=True, blank=True)
    verified_by = models.CharField(
        _("核验人"), max_length=60, blank=True, help_text=_("核验的工作人员或单位")
    )
    # Set when reports of offers not honoured reach rules.REVIEW_FLAG_UPHELD; kept outside the
    # revisions (see with_content_json) so publishing a draft does not clear it.
    review_requested_at = models.DateTimeField(_("待复核"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="merchant")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="merchant",
        for_concrete_model=False,
    )

    objects = MerchantQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("street")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("opening_hours")]),
        FieldPanel("description"),
        FieldPanel("photo"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])], heading=_("位置")
        ),
        FieldPanel("credit_code"),
        FieldRowPanel([FieldPanel("verified_at"), FieldPanel("verified_by")]),
        InlinePanel("offers", label=_("优待内容"), min_num=1),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.SearchField("address"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.RelatedFields("street", [index.SearchField("name")]),
        index.FilterField("live"),
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("优待商户")
        verbose_name_plural = _("优待商户")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
                name="merchant_location_complete",
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="merchant_unique_credit_code",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions

    def get_absolute_url(self):
        return reverse("merchants:detail", args=[self.pk])

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        obj.review_requested_at = self.review_requested_at
        return obj

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("经度和纬度须同时填写或同时留空。"))


class Offer(Orderable):
    """What a merchant gives, to whom, how to claim it and when it is valid.

    Who it is for is one field per group of rules.BENEFICIARIES, so the directory filters with
    a plain condition on every database.
    """

    merchant = ParentalKey(Merchant, related_name="offers", on_delete=models.CASCADE)
    title = models.CharField(_("优待内容"), max_length=120, help_text=_("例如：凭优待证消费享九折"))
    for_serving = models.BooleanField(_("现役军人"), default=False)
    for_veterans = models.BooleanField(_("退役军人"), default=False)
    for_families = models.BooleanField(_("军属"), default=False)
    for_survivors = models.BooleanField(_("三属"), default=False)
    for_card_holders = models.BooleanField(_("优待证持有人"), default=False)
    how_to_claim = models.CharField(
        _("领取方式"),
        max_length=200,
        help_text=_("须出示的证件或办理方法，例如：结账时出示优待证"),
    )
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期止"), null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel(b.field) for b in rules.BENEFICIARIES], heading=_("优待对象")),
        FieldPanel("how_to_claim"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("优待内容")
        verbose_name_plural = _("优待内容")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="offer_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(for_serving=True)
                | Q(for_veterans=True)
                | Q(for_families=True)
                | Q(for_survivors=True)
                | Q(for_card_holders=True),
                name="offer_has_beneficiary",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def beneficiaries(self) -> list[rules.Beneficiary]:
        return [b for b in rules.BENEFICIARIES if getattr(self, b.field)]

    def is_current(self, *, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValidationError({"valid_until": _("有效期止不能早于有效期起。")})
        if not self.beneficiaries:
            raise ValidationError(_("请至少选择一类优待对象。"))


class MerchantImport(models.Model):
    """An uploaded spreadsheet between its report and the clerk's confirmation: kept in the
    database so the confirmation finds it on whichever web process serves it."""

    file_name = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("文件内容"))
    valid_rows_only = models.BooleanField(_("只导入无误的行"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("商户表格导入")
        verbose_name_plural = _("商户表格导入")

    def __str__(self):
        return self.file_name


class ReportOutcome(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("属实")
    NOT_UPHELD = "not_upheld", _("不属实")
    RESOLVED = "resolved", _("已与商户协调解决")


class OfferReport(models.Model):
    """优惠未兑现反映: a family tells the office that a merchant did not honour its offer."""

    reference = models.CharField(_("反映编号"), max_length=20, unique=True, editable=False)
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("商户"), on_delete=models.PROTECT, related_name="reports"
    )
    offer_title = models.CharField(_("涉及的优待"), max_length=120)
    what_happened = models.TextField(_("经过"), max_length=1000)
    happened_on = models.DateField(_("发生日期"))
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    consent = models.BooleanField(_("同意工作人员联系"), default=False)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    due_on = models.DateField(_("答复期限"))
    outcome = models.CharField(
        _("处理结果"), max_length=20, choices=ReportOutcome.choices, default=ReportOutcome.PENDING
    )
    outcome_note = models.TextField(_("处理说明"), max_length=1000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("优惠未兑现反映")
        verbose_name_plural = _("优惠未兑现反映")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_report_contact", _("可查看反映人的联系方式"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=True) | (Q(contact_name="") & Q(contact_phone="")),
                name="offer_report_contact_needs_consent",
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def is_overdue(self) -> bool:
        return self.outcome == ReportOutcome.PENDING and self.due_on < timezone.localdate()

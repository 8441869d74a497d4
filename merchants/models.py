from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index


class MerchantCategory(models.TextChoices):
    FOOD = "food", _("餐饮")
    SHOPPING = "shopping", _("购物")
    TRAVEL = "travel", _("文旅")
    HEALTH = "health", _("医疗健康")
    LIVING = "living", _("生活服务")
    EDUCATION = "education", _("教育培训")


class Beneficiary(models.TextChoices):
    """Who an offer is for: the groups the 优待证 and the programmes name."""

    ALL = "all", _("现役军人、退役军人及军属")
    SERVING = "serving", _("现役军人")
    VETERANS = "veterans", _("退役军人")
    FAMILIES = "families", _("军属")


class Merchant(index.Indexed, ClusterableModel):
    """A business in the '百企千店' programmes that gives service members and families a discount."""

    name = models.CharField(_("商户名称"), max_length=120)
    slug = models.SlugField(_("网址名称"), max_length=80, unique=True, allow_unicode=False)
    category = models.CharField(_("类别"), max_length=20, choices=MerchantCategory.choices)
    street = models.CharField(_("所在街道"), max_length=60)
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(
        _("商户电话"), max_length=40, blank=True, help_text=_("商户的对外服务电话")
    )
    opening_hours = models.CharField(_("营业时间"), max_length=120, blank=True)
    description = models.TextField(_("简介"), blank=True)
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
    is_listed = models.BooleanField(_("在名录中显示"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("category"), FieldPanel("street")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("opening_hours")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])], heading=_("位置")
        ),
        InlinePanel("offers", label=_("优待内容"), min_num=1),
        FieldPanel("is_listed"),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.SearchField("address"),
        index.FilterField("category"),
        index.FilterField("street"),
        index.FilterField("is_listed"),
        index.RelatedFields("offers", [index.SearchField("title"), index.SearchField("details")]),
    ]

    class Meta:
        verbose_name = _("优待商户")
        verbose_name_plural = _("优待商户")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
                name="merchant_location_complete",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("merchants:detail", args=[self.slug])

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("经度和纬度须同时填写或同时留空。"))


class Offer(Orderable):
    merchant = ParentalKey(Merchant, related_name="offers", on_delete=models.CASCADE)
    title = models.CharField(_("优待内容"), max_length=120, help_text=_("例如：凭优待证消费享九折"))
    details = models.TextField(_("使用说明"), blank=True)
    beneficiary = models.CharField(
        _("优待对象"), max_length=20, choices=Beneficiary.choices, default=Beneficiary.ALL
    )
    requires_card = models.BooleanField(_("须出示优待证"), default=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("details"),
        FieldRowPanel(
            [FieldPanel("beneficiary"), FieldPanel("requires_card"), FieldPanel("valid_until")]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("优待内容")

    def __str__(self):
        return self.title

    @property
    def is_current(self) -> bool:
        return self.valid_until is None or self.valid_until >= timezone.localdate()

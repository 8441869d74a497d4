from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.blocks import StreamValue
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BODY_IMAGE_RENDITIONS, BodyBlock, body_images
from .forms import PersonalDataCheckedPageForm
from .listing import read_page_images
from .page_tree import live_and_public, view_restrictions
from .publishing import refuse_unmasked_publication


class BasePage(Page):
    """Every page of the site: the personal-data publish check and the listing summary."""

    summary = models.TextField(
        _("摘要"),
        max_length=300,
        blank=True,
        help_text=_("显示在列表和搜索结果中，不超过300字"),
    )

    base_form_class = PersonalDataCheckedPageForm
    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [FieldPanel("summary")]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Every way a page goes live ends here; see home/publishing.py.
        refuse_unmasked_publication(self, update_fields=kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        body = getattr(self, "body", None)
        read_page_images(
            self,
            body_images=body_images(body) if isinstance(body, StreamValue) else [],
            body_renditions=BODY_IMAGE_RENDITIONS,
        )
        return context

    def own_image_renditions(self) -> dict[str, list[str]]:
        """The page's own image fields its template shows, each with its renditions."""
        return {}

    def get_view_restrictions(self):
        return view_restrictions(self)

    def breadcrumb_pages(self) -> list[Page]:
        """The pages between the home page and this one, for the breadcrumb trail; routing
        has usually read them already."""
        ancestors = getattr(self, "routed_ancestors", None)
        if ancestors is None:
            ancestors = self.get_ancestors()
        return [page for page in ancestors if page.depth > 2]


class IndexPage(BasePage):
    """A section's or topic's page: an introduction (导语) above what it lists."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    class Meta:
        abstract = True


class HomePage(BasePage):
    """The front page: it gathers the newest content of every section through page-type hooks."""

    hero_title = models.CharField(
        _("主标题"), max_length=80, default="军爱民 民拥军 军民鱼水一家亲"
    )
    hero_text = models.TextField(_("引言"), blank=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading=_("首屏")),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("hero_title"),
        index.SearchField("hero_text"),
    ]
    max_count = 1
    subpage_types = [
        "education.EducationIndexPage",
        "honours.HonourRollPage",
        "home.ContactPage",
        "home.PrivacyPolicyPage",
        "services.ServiceIndexPage",
    ]

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        from .sections import home_sections

        context = super().get_context(request, *args, **kwargs)
        landmarks = live_and_public(self.get_descendants().filter(depth__lte=self.depth + 2))
        context["sections"] = home_sections(now=timezone.now(), landmarks=list(landmarks))
        return context


@register_setting(icon="site")
class SiteContact(BaseSiteSetting):
    """The site's identity and contact points, per site: every page's title and footer, the
    喜报's signature and the contact page read them, so nothing names a district in code.

    The record codes a government portal must show are empty until the district has them.
    """

    site_name = models.CharField(_("网站名称"), max_length=40, default="双拥之家")
    district_name = models.CharField(
        _("本区名称"),
        max_length=40,
        blank=True,
        help_text=_("例如：重庆市沙坪坝区。显示在首页标题和页脚。"),
    )
    organisation = models.CharField(
        _("主办单位"),
        max_length=120,
        blank=True,
        help_text=_("显示在每页页脚，例如区退役军人事务局、区人武部的全称。"),
    )
    certificate_issuer = models.CharField(
        _("喜报落款单位"),
        max_length=120,
        blank=True,
        help_text=_("印在喜报落款处；留空时使用主办单位。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("服务电话"), max_length=40, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=120, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("联系我们页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("个人信息保护政策页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website_code = models.CharField(
        _("网站标识码"), max_length=40, blank=True, help_text=_("已取得时填写，显示在页脚。")
    )
    icp_record = models.CharField(
        _("ICP备案号"), max_length=60, blank=True, help_text=_("例如：渝ICP备……号。")
    )
    public_security_record = models.CharField(
        _("公安机关备案号"), max_length=60, blank=True, help_text=_("例如：渝公网安备……号。")
    )

    # The footer links both pages on every request: fetched with the setting, in one query.
    select_related = ["contact_page", "privacy_page"]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("site_name"),
                    FieldPanel("district_name"),
                    FieldPanel("organisation"),
                    FieldPanel("certificate_issuer"),
                ],
                heading=_("网站标识"),
            ),
            ObjectList(
                [
                    FieldPanel("address"),
                    FieldPanel("phone"),
                    FieldPanel("office_hours"),
                    FieldPanel("email"),
                    FieldPanel("contact_page"),
                    FieldPanel("privacy_page"),
                ],
                heading=_("联系方式"),
            ),
            ObjectList(
                [
                    FieldPanel("website_code"),
                    FieldPanel("icp_record"),
                    FieldPanel("public_security_record"),
                ],
                heading=_("备案信息"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("网站信息与联系方式")

    @property
    def issuer(self) -> str:
        return self.certificate_issuer or self.organisation


class ContactPage(BasePage):
    """联系我们: the contact points from the site settings, then the editors' own text
    (service stations, directions)."""

    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("联系我们页面")


class PrivacyPolicyPage(BasePage):
    """个人信息保护政策: the editors' text, with the retention period read from the settings
    the anonymisation job uses, so the page can never promise another period than it keeps."""

    body = StreamField(BodyBlock(), verbose_name=_("正文"))

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("个人信息保护政策页面")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        days = settings.SERVICES_RETENTION_DAYS
        context["retention_days"] = days
        context["retention_years"] = round(days / 365, 1) if days >= 365 else None
        return context


class StreetQuerySet(models.QuerySet):
    def active(self):
        """The streets new requests, scopes and merchants may choose."""
        return self.filter(is_active=True)


class Street(models.Model):
    """One street (街道) or town (镇) of the district: the one managed list that the service
    forms, staff scopes and the merchant directory all choose from.

    `code` is stable and never shown: requests and scopes keep pointing at a street when
    editors correct its name. The position is a reference point for "nearest to this street"
    and may stay empty.
    """

    code = models.SlugField(
        _("代码"), max_length=40, unique=True, help_text=_("英文小写，保存后不要修改。")
    )
    district = models.CharField(_("所属区县"), max_length=40)
    name = models.CharField(_("街道（镇）名称"), max_length=40)
    latitude = models.DecimalField(
        _("参考点纬度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("参考点经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(
        _("可供选择"),
        default=True,
        help_text=_("取消后，新的申请和商户不能再选择它，已有记录不变。"),
    )

    objects = StreetQuerySet.as_manager()

    panels = [
        FieldPanel("district"),
        FieldPanel("name"),
        FieldPanel("code"),
        MultiFieldPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("参考点")),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("街道（镇）")
        verbose_name_plural = _("街道（镇）名单")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="street_unique_name"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="street_position_complete",
            ),
        ]

    def __str__(self):
        return self.name

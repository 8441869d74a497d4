from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page
from wagtail.search import index

from .forms import PersonalDataCheckedPageForm


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


class HomePage(BasePage):
    """The front page: it gathers the newest content of every section through page-type hooks."""

    hero_title = models.CharField(
        _("主标题"), max_length=80, default="军爱民 民拥军 军民鱼水一家亲"
    )
    hero_text = models.TextField(_("引言"), blank=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading=_("首屏")),
    ]
    max_count = 1
    subpage_types = [
        "education.EducationIndexPage",
        "honours.HonourRollPage",
    ]

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        from .sections import home_sections

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections(now=timezone.now())
        return context


@register_setting(icon="site")
class SiteContact(BaseSiteSetting):
    """Contact details shown in every page footer."""

    organisation = models.CharField(
        _("主办单位"), max_length=120, default="区退役军人事务局 区人武部"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("服务电话"), max_length=40, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("联系方式")

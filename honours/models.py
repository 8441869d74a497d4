from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.search import index

from home.listing import paginate, parse_year
from home.models import BasePage, IndexPage

from . import selectors

ENTRIES_PER_PAGE = 24


class HonourKind(models.TextChoices):
    """The honours the district's documents name, in their own words (demo/sources/)."""

    MERIT = "merit", _("立功受奖")
    VETERAN = "veteran", _("最美退役军人")
    SUPPORTER = "supporter", _("最美拥军人物")
    DEFENDER = "defender", _("最美国防人")
    PARTY_SECRETARY = "party_secretary", _("党管武装好书记")
    MODEL_CITY = "model_city", _("全国双拥模范城")
    ADVANCED_UNIT = "advanced_unit", _("先进单位")
    CONTEST = "contest", _("比武竞赛")


class MeritClass(models.TextChoices):
    FIRST = "first", _("一等功")
    SECOND = "second", _("二等功")
    THIRD = "third", _("三等功")
    COMMENDATION = "commendation", _("嘉奖")


class HonourRollPage(IndexPage):
    """/honours/: every honour entry, by year and kind."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["honours.HonourEntryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("光荣榜")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("kind", "")
        kind = kind if kind in HonourKind.values else ""
        year = parse_year(request.GET.get("year"))
        entries = selectors.honour_listing(within=self, kind=kind or None, year=year)
        listing = paginate(request, entries, ENTRIES_PER_PAGE)
        context.update(
            listing,
            entries_by_year=selectors.group_by_year(listing["page_obj"].object_list),
            kind_options=selectors.honour_kinds(within=self),
            year_options=selectors.honour_years(within=self),
            selected_kind=kind,
            selected_year=year,
        )
        return context


class HonourEntryPage(RoutablePageMixin, BasePage):
    """One honour: who, for what, when; a photo only where the person's consent is recorded."""

    kind = models.CharField(_("类别"), max_length=20, choices=HonourKind.choices)
    merit_class = models.CharField(
        _("功勋等级"),
        max_length=20,
        choices=MeritClass.choices,
        blank=True,
        help_text=_("仅“立功受奖”填写；等级不明时留空"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), null=True, blank=True, help_text=_("材料未写明年度时留空，不要推测")
    )
    awarded_on = models.DateField(
        _("表彰日期"),
        null=True,
        blank=True,
        help_text=_("印在喜报落款处；材料未写明日期时留空，喜报上就不写日期"),
    )
    person_name = models.CharField(_("姓名或集体名称"), max_length=100)
    is_collective = models.BooleanField(
        _("集体荣誉"),
        default=False,
        help_text=_("获奖的是单位、队伍或一批人时勾选，喜报将直接致获奖集体"),
    )
    honour_title = models.CharField(
        _("荣誉称号"),
        max_length=100,
        blank=True,
        help_text=_("按表彰材料原文填写，例如：全国“最美拥军人物”。留空时使用类别名称"),
    )
    unit = models.CharField(_("单位或街道"), max_length=200, blank=True)
    citation = models.TextField(_("事迹简介"))
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_consent = models.BooleanField(
        _("已取得本人同意公开照片"),
        default=False,
        help_text=_("未勾选时，照片不会在网站上显示"),
    )
    photo_consent_record = models.CharField(
        _("同意记录"),
        max_length=200,
        blank=True,
        help_text=_("例如：本人书面同意书，2025年7月1日，存档于区退役军人事务局"),
    )

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("merit_class")]),
        FieldPanel("honour_title"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("awarded_on")]),
        FieldRowPanel([FieldPanel("person_name"), FieldPanel("is_collective"), FieldPanel("unit")]),
        FieldPanel("citation"),
        MultiFieldPanel(
            [FieldPanel("photo"), FieldPanel("photo_consent"), FieldPanel("photo_consent_record")],
            heading=_("照片与本人同意"),
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("person_name"),
        index.SearchField("unit"),
        index.SearchField("citation"),
        index.FilterField("kind"),
        index.FilterField("year"),
    ]
    parent_page_types = ["honours.HonourRollPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("光荣榜条目")
        verbose_name_plural = _("光荣榜条目")
        indexes = [models.Index(fields=["year", "kind"])]

    def clean(self):
        super().clean()
        errors = {}
        if self.kind != HonourKind.MERIT and self.merit_class:
            errors["merit_class"] = _("只有立功受奖条目才有功勋等级。")
        if self.photo_id and self.photo_consent and not self.photo_consent_record.strip():
            errors["photo_consent_record"] = _("公开照片须注明本人同意的记录。")
        if errors:
            raise ValidationError(errors)

    def own_image_renditions(self) -> dict[str, list[str]]:
        return {"photo": [selectors.LISTING_RENDITION]} if self.photo_consent else {}

    @property
    def public_photo(self):
        """The photo, only where consent to show it is recorded."""
        return self.photo if self.photo_consent else None

    @property
    def honour_label(self) -> str:
        """What the entry was awarded: the merit class where one is known (立功 is not 嘉奖),
        else the category."""
        return self.get_merit_class_display() if self.merit_class else self.get_kind_display()

    @property
    def award_phrase(self) -> str:
        """The 喜报's verb phrase: 荣立三等功, 荣获嘉奖, 立功受奖 (class unknown), or the title won."""
        if self.merit_class == MeritClass.COMMENDATION:
            return _("荣获嘉奖")
        if self.merit_class:
            return _("荣立%(merit)s") % {"merit": self.get_merit_class_display()}
        if self.kind == HonourKind.MERIT:
            return _("立功受奖")
        title = self.honour_title or _("“%(kind)s”称号") % {"kind": self.get_kind_display()}
        return _("荣获%(title)s") % {"title": title}

    @property
    def salutation(self) -> str:
        """Whom the 喜报 is addressed to: a collective itself; the family of one who won merit
        (the custom of 送喜报 to the family); anyone else in person."""
        if self.is_collective:
            return self.person_name
        if self.kind == HonourKind.MERIT:
            return _("%(name)s同志家属") % {"name": self.person_name}
        return _("%(name)s同志") % {"name": self.person_name}

    @path("xibao/", name="merit_notice")
    def merit_notice(self, request):
        """The printable 喜报 that is sent to the family and the unit."""
        return TemplateResponse(
            request, "honours/merit_notice.html", self.get_context(request) | {"page": self}
        )

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from home.blocks import BodyBlock
from home.listing import paginate, parse_year
from home.models import BasePage, IndexPage
from home.page_tree import live_and_public

from . import selectors

ARTICLES_PER_PAGE = 10


class EducationIndexPage(IndexPage):
    """/education/: the topics of defense education and the newest articles across them."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["education.TopicPage", "education.ActivityIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("国防教育栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = live_and_public(self.get_children()).type(TopicPage).specific()
        context["latest_articles"] = selectors.article_listing(within=self)[:6]
        return context


class TopicPage(IndexPage):
    """A topic such as 国防知识 or 红色资源: its articles, paginated, filtered by tag and year."""

    parent_page_types = ["education.EducationIndexPage"]
    subpage_types = ["education.ArticlePage"]

    class Meta:
        verbose_name = _("专题")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()
        year = parse_year(request.GET.get("year"))
        articles = selectors.article_listing(within=self, tag=tag or None, year=year)
        listing = paginate(request, articles, ARTICLES_PER_PAGE)
        page_obj = listing["page_obj"]
        page_obj.object_list = list(page_obj.object_list)
        tag_options = selectors.article_tags_with_listed(within=self, articles=page_obj.object_list)
        context.update(
            listing,
            selected_tag=tag,
            selected_year=year,
            tag_options=tag_options,
            year_options=selectors.article_years(within=self),
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "education.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(BasePage):
    date = models.DateField(
        _("发布日期"),
        null=True,
        blank=True,
        default=timezone.localdate,
        help_text=_("原文没有写明日期时留空，页面上就不显示日期"),
    )
    source = models.CharField(_("来源"), max_length=120, blank=True)
    byline = models.CharField(
        _("署名"),
        max_length=120,
        blank=True,
        help_text=_("按原文填写作者和摄影，例如：文/记者 晏艳辉 图/区人武部供图"),
    )
    exchange_from = models.CharField(
        _("经验交流：材料所在地区"),
        max_length=60,
        blank=True,
        help_text=_(
            "转载外地材料时填写，例如“重庆市渝中区”；原文没有写明地区时填“原文未注明地区”。"
            "填写后，文章标为“经验交流”，不会当作本区的工作展示。"
        ),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"))
    tags = ClusterTaggableManager(_("标签"), through=ArticlePageTag, blank=True)

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("source")]),
        FieldRowPanel([FieldPanel("byline"), FieldPanel("exchange_from")]),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("source"),
        index.SearchField("byline"),
        index.SearchField("exchange_from"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
    ]
    parent_page_types = ["education.TopicPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("文章")

    def own_image_renditions(self) -> dict[str, list[str]]:
        return {"cover_image": selectors.PAGE_RENDITIONS}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tags"] = tags = list(self.tags.all())
        context["related"] = selectors.related_articles(article=self, tags=tags, limit=4)
        return context


class ActivityIndexPage(IndexPage):
    """Activities such as 国防教育月 and 军事日: upcoming first, then past ones."""

    parent_page_types = ["education.EducationIndexPage"]
    subpage_types = ["education.ActivityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("活动栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["upcoming"] = selectors.upcoming_activities(now=now)
        context.update(paginate(request, selectors.past_activities(now=now), ARTICLES_PER_PAGE))
        return context


class ActivityPage(BasePage):
    start_at = models.DateTimeField(_("开始时间"))
    end_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200)
    organiser = models.CharField(_("主办单位"), max_length=200)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("活动介绍"), blank=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")]),
                FieldPanel("place"),
                FieldPanel("organiser"),
            ],
            heading=_("时间地点"),
        ),
        FieldPanel("cover_image"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("place"),
        index.SearchField("organiser"),
        index.FilterField("start_at"),
    ]
    parent_page_types = ["education.ActivityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("活动")

    def own_image_renditions(self) -> dict[str, list[str]]:
        return {"cover_image": selectors.PAGE_RENDITIONS}

    def clean(self):
        super().clean()
        if self.end_at and self.start_at and self.end_at < self.start_at:
            raise ValidationError({"end_at": _("结束时间不能早于开始时间。")})

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.test.utils import WagtailPageTestCase

from education import selectors
from education.factories import (
    ActivityIndexPageFactory,
    ActivityPageFactory,
    ArticlePageFactory,
    TopicPageFactory,
)
from education.models import (
    ActivityIndexPage,
    ActivityPage,
    ArticlePage,
    EducationIndexPage,
    TopicPage,
)
from home.models import HomePage
from tests.utils import count_queries


def make_image(title="演示图片", size=(800, 450)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (164, 22, 26)).save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="picture.png"))


class PageTreeRulesTest(WagtailPageTestCase):
    def test_the_tree_editors_can_build(self):
        self.assertAllowedParentPageTypes(EducationIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(EducationIndexPage, {TopicPage, ActivityIndexPage})
        self.assertAllowedSubpageTypes(TopicPage, {ArticlePage})
        self.assertAllowedSubpageTypes(ActivityIndexPage, {ActivityPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())


def test_factories_make_renderable_pages(client, topic):
    article = ArticlePageFactory(parent=topic)
    activity_index = ActivityIndexPageFactory(parent=topic.get_parent())
    activity = ActivityPageFactory(parent=activity_index)
    for page in (topic.get_parent(), topic, article, activity_index, activity):
        assert client.get(page.url).status_code == 200


def test_article_page_shows_every_kind_of_body_block(client, topic):
    image = make_image("区人武部集体观看《重庆 1949》")
    document = Document.objects.create(
        title="征兵工作通知", file=ImageFile(io.BytesIO(b"%PDF-1.4 demo"), name="notice.pdf")
    )
    video_url = "https://www.youtube.com/watch?v=demo123"
    # A stored embed, so rendering needs no network.
    Embed.objects.create(
        url=video_url,
        hash=get_embed_hash(video_url),
        max_width=None,
        type="video",
        html='<iframe title="视频" src="https://www.youtube.com/embed/demo123"></iframe>',
        thumbnail_url="",
        width=640,
        height=360,
    )
    article = ArticlePageFactory(
        parent=topic,
        title="坚持“战”的标准 练好应急应战本领",
        source="天元区人武部",
        cover_image=make_image("封面"),
        tags=["民兵", "应急救援"],
        body=[
            ("heading", {"text": "编组是民兵队伍建设的前提和基础", "level": "h2"}),
            ("paragraph", "<p>2019年7月，株洲市遭遇百年一遇的大洪水。</p>"),
            (
                "image",
                {"image": image, "caption": "区人武部集体观看《重庆 1949》。", "alt_text": ""},
            ),
            (
                "quote",
                {"text": "平时就必须把民兵这支队伍建扎实、建到位。", "attribution": "张中华"},
            ),
            ("video", {"video": video_url, "caption": "民兵应急演练"}),
            ("document", {"document": document, "title": "下载征兵工作通知"}),
            (
                "table",
                {
                    "caption": "抢险救援",
                    "table": {
                        "data": [["年份", "出动"], ["2019", "500余人次"]],
                        "first_row_is_table_header": True,
                        "first_col_is_header": False,
                    },
                },
            ),
        ],
    )
    response = client.get(article.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>编组是民兵队伍建设的前提和基础</h2>" in html
    assert "百年一遇的大洪水" in html
    assert "<figcaption>区人武部集体观看《重庆 1949》。</figcaption>" in html
    assert "—— 张中华" in html
    assert "youtube.com/embed/demo123" in html
    assert "下载征兵工作通知" in html and document.url in html
    assert "<caption>抢险救援</caption>" in html and "500余人次" in html
    assert "天元区人武部" in html
    # Images are served as WebP renditions made by Pillow, never the uploaded original, with
    # a narrower one for phones.
    small, large = (image.renditions.get(filter_spec=f"width-{w}|format-webp") for w in (480, 960))
    assert f'srcset="{small.url} 480w, {large.url} {large.width}w"' in html
    assert image.file.url not in html
    assert html.count('class="tags"') == 1 and "?tag=%E6%B0%91%E5%85%B5" in html


def test_related_articles_share_a_tag_first(client, topic, education_index):
    other_topic = TopicPageFactory(parent=education_index)
    article = ArticlePageFactory(parent=topic, title="民兵编组", tags=["民兵"])
    same_tag = ArticlePageFactory(parent=other_topic, title="民兵抗洪", tags=["民兵"])
    sibling = ArticlePageFactory(parent=topic, title="同专题文章", tags=["双拥"])
    unrelated = ArticlePageFactory(parent=other_topic, title="无关文章", tags=["征兵"])
    related = selectors.related_articles(article=article, tags=list(article.tags.all()), limit=2)
    assert [p.pk for p in related] == [same_tag.pk, sibling.pk]
    assert unrelated.pk not in [p.pk for p in related]


def test_topic_lists_only_its_live_articles_newest_first(client, topic, education_index):
    old = ArticlePageFactory(parent=topic, title="二〇一九年的文章", date=datetime.date(2019, 7, 1))
    new = ArticlePageFactory(
        parent=topic, title="二〇二五年的文章", date=datetime.date(2025, 9, 28)
    )
    draft = ArticlePageFactory(parent=topic, title="尚未发布的草稿", live=False)
    elsewhere = ArticlePageFactory(
        parent=TopicPageFactory(parent=education_index), title="别的专题文章"
    )
    html = client.get(topic.url).content.decode()
    assert html.index(new.title) < html.index(old.title)
    assert draft.title not in html and elsewhere.title not in html
    assert "共 2 篇文章" in html


def test_topic_filters_by_tag_and_year_and_keeps_the_choice_in_the_form(client, topic):
    ArticlePageFactory(
        parent=topic, title="民兵二〇二五", tags=["民兵"], date=datetime.date(2025, 3, 1)
    )
    ArticlePageFactory(
        parent=topic, title="民兵二〇二〇", tags=["民兵"], date=datetime.date(2020, 3, 1)
    )
    ArticlePageFactory(
        parent=topic, title="双拥二〇二五", tags=["双拥"], date=datetime.date(2025, 5, 1)
    )

    html = client.get(topic.url, {"tag": "民兵"}).content.decode()
    assert "民兵二〇二五" in html and "民兵二〇二〇" in html and "双拥二〇二五" not in html

    html = client.get(topic.url, {"tag": "民兵", "year": "2025"}).content.decode()
    assert "民兵二〇二五" in html and "民兵二〇二〇" not in html and "双拥二〇二五" not in html
    assert '<option value="2025" selected>' in html
    assert '<option value="民兵" selected>' in html

    html = client.get(topic.url, {"year": "1800"}).content.decode()
    assert "共 3 篇文章" in html  # an impossible year is ignored, not an error

    html = client.get(topic.url, {"tag": "不存在的标签"}).content.decode()
    assert "没有符合条件的文章" in html


def test_topic_paginates_ten_per_page_and_keeps_filters_in_page_links(client, topic):
    for day in range(1, 13):
        ArticlePageFactory(
            parent=topic, title=f"第{day}篇", tags=["民兵"], date=datetime.date(2025, 1, day)
        )
    first = client.get(topic.url, {"tag": "民兵"}).content.decode()
    assert "第 1 页，共 2 页" in first
    assert "tag=%E6%B0%91%E5%85%B5&amp;page=2" in first
    second = client.get(topic.url, {"tag": "民兵", "page": 2}).content.decode()
    assert "第1篇" in second and "第12篇" not in second
    assert client.get(topic.url, {"page": "abc"}).status_code == 200


def test_topic_listing_costs_the_same_queries_for_three_or_twelve_articles(client, topic):
    def add_articles(count):
        for n in range(count):
            ArticlePageFactory(
                parent=topic, cover_image=make_image(f"图{n}"), tags=["民兵", f"标签{n}"]
            )

    add_articles(3)
    three = count_queries(client, topic.url)
    add_articles(9)
    assert count_queries(client, topic.url) == three


def test_activity_end_must_not_precede_start(topic):
    activity = ActivityPageFactory.build(
        start_at=timezone.now(), end_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as error:
        activity.clean()
    assert "结束时间不能早于开始时间" in str(error.value)


def test_activity_index_separates_upcoming_from_past(client, education_index):
    index = ActivityIndexPageFactory(parent=education_index)
    ActivityPageFactory(
        parent=index, title="全民国防教育月", start_at=timezone.now() + datetime.timedelta(days=10)
    )
    ActivityPageFactory(
        parent=index, title="欢送入伍新兵", start_at=timezone.now() - datetime.timedelta(days=10)
    )
    html = client.get(index.url).content.decode()
    upcoming, past = html.split("往期活动", 1)
    assert "全民国防教育月" in upcoming and "欢送入伍新兵" in past


def test_education_index_lists_topics_and_latest_articles(client, education_index, topic):
    ArticlePageFactory(parent=topic, title="国防教育进校园")
    html = client.get(education_index.url).content.decode()
    assert "国防知识" in html and "国防教育进校园" in html


def test_an_undated_article_shows_no_date_and_lists_after_dated_ones(client, topic):
    ArticlePageFactory(parent=topic, title="有日期的文章", date=datetime.date(2025, 9, 20))
    undated = ArticlePageFactory(
        parent=topic, title="原文没有日期的文章", date=None, byline="文/记者 晏艳辉"
    )
    listing = client.get(topic.url).content.decode()
    assert listing.index("有日期的文章") < listing.index("原文没有日期的文章")
    html = client.get(undated.url).content.decode().split("<article", 1)[1].split("</article>")[0]
    assert "<time" not in html and "文/记者 晏艳辉" in html
    # The year filter offers only years some article has.
    assert '<option value="2025"' in listing and "None" not in listing


def test_material_from_elsewhere_is_labelled_wherever_it_is_listed(client, topic):
    article = ArticlePageFactory(parent=topic, title="铸盾强武谱新篇", exchange_from="重庆市渝中区")
    listing = client.get(topic.url).content.decode()
    assert "经验交流</span> 重庆市渝中区" in listing
    html = client.get(article.url).content.decode()
    assert "经验交流：本文是重庆市渝中区的材料，转载供学习参考，介绍的不是本区的工作。" in html
    home = client.get("/").content.decode()
    assert "经验交流</span> 重庆市渝中区" in home

"""The demo content says what the district's documents say, and marks everything else as a sample."""

import datetime
import html
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page, Revision, Site

from demo.loader import nearest_occurrence
from education.models import ActivityPage, ArticlePage, TopicPage
from home.models import ContactPage, PrivacyPolicyPage, SiteContact
from honours.models import HonourEntryPage, HonourKind

SOURCES = Path(__file__).resolve().parents[2] / "demo" / "sources"
# The district's own document; the others are 经验交流 from elsewhere.
OWN_DOCUMENT = "003_d60d31162a84c662.txt"
HALF_WIDTH = str.maketrans(
    {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
)
HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff“”，。][,;:!?()]|[,;:!?()][\u4e00-\u9fff“”]")


def _load():
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def _comparable(text: str) -> str:
    """Full-width punctuation, and no white space: the documents break lines mid-sentence."""
    return re.sub(r"\s+", "", text.translate(HALF_WIDTH))


def _document(name: str) -> str:
    # Document 004 prints the character 党 as "*".
    return _comparable((SOURCES / name).read_text(encoding="utf-8").replace("*", "党"))


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    found = {path.name: _document(path.name) for path in sorted(SOURCES.glob("*.txt"))}
    assert len(found) == 5, f"the district's documents belong in {SOURCES}"
    return found


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_every_paragraph_and_quote_stands_in_a_document(db, documents):
    _load()
    everything = "".join(documents.values())
    articles = ArticlePage.objects.live()
    assert articles.count() >= 12
    for article in articles:
        paragraphs = [
            block.value.source for block in article.body if block.block_type == "paragraph"
        ]
        assert len(paragraphs) >= 3, article.title
        for block in article.body:
            if block.block_type == "paragraph":
                text = _text(block.value.source)
            elif block.block_type == "quote":
                text = block.value["text"]
            else:
                continue
            assert _comparable(text) in everything, (article.title, text[:30])
            # Chinese body text carries full-width punctuation only.
            assert not HALF_WIDTH_IN_CHINESE.search(text), (article.title, text[:30])


def test_articles_show_no_invented_dates_and_credit_the_documents_authors(db, client):
    _load()
    articles = {article.slug: article for article in ArticlePage.objects.live()}
    assert all(article.date is None for article in articles.values())
    # 000 and 001 name their writers; the byline credits them, not an office.
    assert articles["zhudun-qiangwu-pu-xinpian"].byline == "文/记者 晏艳辉 图/区人武部供图"
    assert articles["silian-sili-renwubu-xin-yangzi"].byline == "文 陈余 图 刘礼锋"
    html = client.get(articles["silian-sili-renwubu-xin-yangzi"].url).content.decode()
    assert "文 陈余 图 刘礼锋" in html and "<time" not in html.split("<main", 1)[1]


def test_material_from_elsewhere_is_filed_as_experience_exchange(db, client, documents):
    _load()
    exchange = TopicPage.objects.get(slug="jingyan-jiaoliu")
    for article in ArticlePage.objects.live().specific():
        own = OWN_DOCUMENT in _source_of(article, documents)
        in_exchange = article.get_parent().pk == exchange.pk
        assert bool(article.exchange_from) is not own, article.title
        assert in_exchange is not own, article.title
    yuzhong = ArticlePage.objects.get(slug="zhudun-qiangwu-pu-xinpian")
    assert yuzhong.exchange_from == "重庆市渝中区"
    html = client.get(yuzhong.url).content.decode()
    assert "经验交流：本文是重庆市渝中区的材料" in html and "不是本区的工作" in html


def _source_of(article, documents) -> list[str]:
    first = next(_text(b.value.source) for b in article.body if b.block_type == "paragraph")
    return [name for name, text in documents.items() if _comparable(first) in text]


def test_pictures_are_marked_as_samples_and_differ_by_topic(db):
    _load()
    covers = {article.cover_image for article in ArticlePage.objects.live()}
    assert all(image.title.startswith("示例配图") for image in covers)
    # Different topics draw different pictures.
    assert len({image.file.read()[:4096] for image in covers}) == len(covers)
    for article in ArticlePage.objects.live():
        for block in article.body:
            if block.block_type == "image":
                assert block.value["alt_text"] == "示例配图"
                assert "此处为示例配图，不是原照片" in block.value["caption"]


def test_honour_categories_are_the_documents_own_words(documents):
    everything = "".join(documents.values())
    for label in HonourKind.labels:
        assert str(label) in everything, label


def test_honour_entries_say_only_what_the_district_document_says(db, documents):
    _load()
    own = documents[OWN_DOCUMENT]
    entries = HonourEntryPage.objects.live()
    assert entries.count() >= 6
    for entry in entries:
        assert entry.get_kind_display() in own, entry.title
        assert entry.person_name.removesuffix("同志") in own or entry.is_collective, entry.title
        assert entry.photo is None  # no photograph anyone agreed to publish
        assert entry.awarded_on is None  # the document dates none of them
        if entry.year:
            assert f"{entry.year}年度" in own, entry.title
    xu_ling = entries.get(person_name="许灵")
    assert (xu_ling.year, xu_ling.honour_title) == (2025, "全国“最美拥军人物”")
    assert entries.get(person_name="唐棠").year is None  # the document gives no year
    merit = entries.get(kind=HonourKind.MERIT)
    assert merit.merit_class == "" and merit.is_collective  # 立功 is not 嘉奖


def test_collective_merit_notices_are_addressed_to_the_collective(db, client, documents):
    _load()
    issuer = SiteContact.for_site(Site.objects.get(is_default_site=True)).issuer
    today = timezone.localdate()
    collectives = HonourEntryPage.objects.live().filter(is_collective=True)
    assert collectives.count() >= 4
    for entry in collectives:
        html = client.get(f"{entry.url}xibao/").content.decode()
        notice = html.split('class="xibao"', 1)[1]
        assert f'<p class="salutation">{entry.person_name}：</p>' in notice
        assert "同志" not in notice
        assert issuer in notice
        # The honour's date, or none: never the day the demo was loaded.
        assert f"{today.year}年{today.month}月{today.day}日" not in notice
    city = collectives.get(person_name="沙坪坝区")
    notice = client.get(f"{city.url}xibao/").content.decode()
    assert "沙坪坝区荣获“全国双拥模范城”称号（连续七次）。" in notice
    assert "连续七次被命名为全国双拥模范城" in documents[OWN_DOCUMENT]
    merit = collectives.get(kind=HonourKind.MERIT)
    notice = client.get(f"{merit.url}xibao/").content.decode()
    assert "沙坪坝区334名英雄家庭的子弟兵立功受奖。" in notice
    assert "为334名英雄家庭披红戴花" in documents[OWN_DOCUMENT]


def test_sample_activities_say_so_and_fall_in_their_season(db):
    _load()
    activities = {activity.slug: activity for activity in ActivityPage.objects.live()}
    assert len(activities) >= 5
    for activity in activities.values():
        assert "示例" in activity.title and "示例" in activity.summary
    local = {slug: timezone.localtime(a.start_at) for slug, a in activities.items()}
    assert local["bayi-jianjunjie-zoufang-weiwen"].month in (7, 8)
    assert local["minbing-fangxun-yanlian"].month in (4, 5, 6)  # before the flood season
    now = timezone.now()
    assert any(a.start_at > now for a in activities.values())
    assert any(a.start_at < now for a in activities.values())


def test_the_nearest_occurrence_of_a_date_keeps_its_season():
    today = datetime.date(2026, 12, 2)
    assert nearest_occurrence(7, 28, today=today) == datetime.date(2026, 7, 28)
    assert nearest_occurrence(3, 15, today=today) == datetime.date(2027, 3, 15)
    assert nearest_occurrence(1, 20, today=datetime.date(2026, 12, 30)) == datetime.date(
        2027, 1, 20
    )


def test_the_site_is_one_districts_and_marks_what_is_not_in_the_documents(db, client, documents):
    _load()
    settings = SiteContact.for_site(Site.objects.get(is_default_site=True))
    assert settings.district_name == "重庆市沙坪坝区"
    assert "沙坪坝区" in documents[OWN_DOCUMENT]
    for value in (settings.organisation, settings.issuer, settings.address, settings.office_hours):
        assert "示例" in value
    # The portal's record codes are the district's own: empty until it has them.
    assert not (settings.website_code or settings.icp_record or settings.public_security_record)
    privacy = PrivacyPolicyPage.objects.live().get()
    contact = ContactPage.objects.live().get()
    assert (settings.privacy_page_id, settings.contact_page_id) == (privacy.pk, contact.pk)
    assert "待区里确认" in _text(client.get(privacy.url).content.decode())
    html = client.get("/").content.decode()
    assert "<title>双拥之家 - 重庆市沙坪坝区</title>" in html
    assert f'href="{privacy.url}"' in html and f'href="{contact.url}"' in html


def test_loading_twice_changes_nothing(db):
    first = _load()
    counts = (Page.objects.count(), Revision.objects.count(), Image.objects.count())
    second = _load()
    assert "新建" in first and "项内容" in first
    assert "没有改动" in second
    assert (Page.objects.count(), Revision.objects.count(), Image.objects.count()) == counts


def test_demo_site_pages_render(client, demo_site):
    for page in demo_site.filter(depth__gte=2).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url


def test_demo_services_follow_the_rules_and_quote_the_document(client, demo_site):
    from services.models import RequestType, ServiceGuidePage, ServicePoint, ServiceRequest
    from services.rules import documents_needed

    [document] = SOURCES.glob("003_*.txt")
    source = document.read_text(encoding="utf-8").replace(",", "，")
    guides = {guide.request_type: guide for guide in ServiceGuidePage.objects.live()}
    assert set(guides) == set(RequestType.values)
    for guide in guides.values():
        assert guide.url == f"/services/{guide.request_type}/"
        quoted = re.match(r"<p>“(.+?)”（引自《中国退役军人》", guide.body).group(1)
        assert html.unescape(quoted) in source, guide.title
    for point in ServicePoint.objects.all():
        assert "（示例）" in point.name or "高滩岩社区" in point.name, point.name
    requests = ServiceRequest.objects.all()
    assert {r.request_type for r in requests} == set(RequestType.values)
    for service_request in requests:
        service_request.full_clean(exclude=["phone_digest"], validate_unique=False)
        assert "（示例）" in service_request.applicant_name
        assert documents_needed(service_request), "the samples show documents still to come"
    page = client.get("/services/childcare/").content.decode()
    assert "高滩岩社区军娃托管站" in page and "3 至 12 周岁" in page


def test_demo_merchants_come_through_the_importer_and_await_approval_when_edited(demo_site):
    from merchants.models import Merchant
    from merchants.selectors import public_merchants

    merchants = Merchant.objects.all()
    assert merchants.count() >= 60 and all("示例" in m.name for m in merchants)
    assert 0 < public_merchants().count() < merchants.count()
    assert merchants.first().get_workflow().name == "审核发布"

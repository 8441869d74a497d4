"""Builds the demo site from demo/content/*.json, made from the district's own documents.

The documents name no merchants and no families, so the merchant directory and the staff
queue hold samples marked （示例）.

Every step looks for what it would create first, so loading twice changes nothing.
"""

import datetime
import hashlib
import io
import json
import uuid
from decimal import Decimal
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from education.models import (
    ActivityIndexPage,
    ActivityPage,
    ArticlePage,
    EducationIndexPage,
    TopicPage,
)
from home.models import HomePage, SiteContact
from honours.models import HonourEntryPage, HonourKind, HonourRollPage, MeritClass
from merchants.models import Merchant, Offer
from services.actions import Consent, service_request_submit
from services.models import RequestType, ServiceRequest

from .images import draw_demo_image

CONTENT_DIR = Path(__file__).resolve().parent / "content"

TOPICS = [
    ("guofang-zhishi", "国防知识", "国防法规、国防动员和后备力量建设的基本知识。"),
    ("hongse-ziyuan", "红色资源", "红岩精神、革命旧址和红色教育资源。"),
    ("yingmo-shiji", "英模事迹", "立足岗位、敢打头阵的民兵和退役军人的故事。"),
    ("shuangyong-dongtai", "双拥动态", "军地双方拥军优属、拥政爱民的最新动态。"),
]


def _read(name: str) -> list[dict]:
    return json.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.created = 0

    # Helpers -------------------------------------------------------------------------

    def _collection(self) -> Collection:
        existing = Collection.objects.filter(name="演示内容").first()
        return existing or Collection.get_first_root_node().add_child(name="演示内容")

    def image(self, title: str, seed: str, size=(1200, 675)):
        Image = get_image_model()
        existing = Image.objects.filter(title=title, collection=self.collection).first()
        if existing:
            return existing
        name = hashlib.sha256(seed.encode()).hexdigest()[:12]
        picture = ImageFile(io.BytesIO(draw_demo_image(seed, size)), name=f"demo-{name}.png")
        return Image.objects.create(title=title, collection=self.collection, file=picture)

    def child(self, parent: Page, model, slug: str, tags=(), **fields):
        """The live child page with this slug, created and published when missing."""
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing:
            return existing
        page = model(slug=slug, **fields)
        if tags:
            page.tags.add(*tags)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        self.log(f"  + {page.get_verbose_name()}：{page.title}")
        return page

    # Sections ------------------------------------------------------------------------

    def home(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
            raise RuntimeError("HomePage is missing: run `manage.py migrate` first.")
        site = Site.objects.get(is_default_site=True)
        contact = SiteContact.for_site(site)
        if not contact.phone:
            contact.address = "区退役军人服务中心（区人武部大楼一楼）"
            contact.phone = "12345"
            contact.office_hours = "工作日 9:00—17:00"
            contact.save()
        return home

    def body(self, blocks: list[dict], slug: str) -> list[dict]:
        stream = []
        for number, block in enumerate(blocks):
            kind = block["type"]
            if kind == "paragraph":
                stream.append({"type": "paragraph", "value": f"<p>{escape(block['value'])}</p>"})
            elif kind == "heading":
                stream.append({"type": "heading", "value": {"text": block["value"], "level": "h2"}})
            elif kind == "quote":
                value = {"text": block["value"], "attribution": block.get("attribution", "")}
                stream.append({"type": "quote", "value": value})
            elif kind == "image":
                image = self.image(block["caption"][:250], f"{slug}-{number}")
                value = {"image": image.pk, "caption": block["caption"][:200], "alt_text": ""}
                stream.append({"type": "image", "value": value})
            elif kind == "table":
                table = {
                    "data": block["rows"],
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "table_caption": "",
                }
                stream.append(
                    {"type": "table", "value": {"caption": block["caption"], "table": table}}
                )
        return stream

    def education(self, home: HomePage) -> None:
        index = self.child(
            home,
            EducationIndexPage,
            "education",
            title="国防教育",
            summary="国防知识、红色资源、英模事迹和双拥动态。",
            intro="<p>学习国防知识，传承红色基因，讲好身边的英模故事。</p>",
        )
        topics = {
            slug: self.child(index, TopicPage, slug, title=title, summary=summary)
            for slug, title, summary in TOPICS
        }
        for article in _read("articles.json"):
            if ArticlePage.objects.filter(slug=article["slug"]).exists():
                continue
            self.child(
                topics[article["topic"]],
                ArticlePage,
                article["slug"],
                tags=article["tags"],
                title=article["title"],
                summary=article["summary"][:300],
                date=datetime.date.fromisoformat(article["date"]),
                source=article["source"],
                cover_image=self.image(f"封面：{article['title']}", article["slug"]),
                body=self.body(article["body"], article["slug"]),
            )

        activities = self.child(
            index,
            ActivityIndexPage,
            "activities",
            title="活动",
            summary="国防教育月、军事日、八一走访慰问等活动安排。",
        )
        today = timezone.localdate()
        for activity in _read("activities.json"):
            day = today + datetime.timedelta(days=activity["start_offset_days"])
            start = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time.fromisoformat(activity["start_time"]))
            )
            self.child(
                activities,
                ActivityPage,
                activity["slug"],
                title=activity["title"],
                summary=activity["summary"][:300],
                start_at=start,
                end_at=start + datetime.timedelta(hours=activity["duration_hours"]),
                place=activity["place"],
                organiser=activity["organiser"],
                body=[
                    {"type": "paragraph", "value": f"<p>{escape(p)}</p>"} for p in activity["body"]
                ],
            )

    def honours(self, home: HomePage) -> None:
        roll = self.child(
            home,
            HonourRollPage,
            "honours",
            title="光荣榜",
            summary="立功受奖、最美退役军人、最美拥军人物、优秀民兵和双拥模范。",
            intro="<p>崇尚英雄、尊崇军人。按年度和类别浏览光荣榜。</p>",
        )
        for entry in _read("honours.json"):
            kind = HonourKind(entry["kind"])
            merit = MeritClass(entry["merit_class"]) if entry["merit_class"] else None
            consent = entry["photo_consent"]
            self.child(
                roll,
                HonourEntryPage,
                entry["slug"],
                title=f"{entry['person']} · {(merit or kind).label}",
                summary=entry["citation"][:120],
                kind=kind,
                merit_class=merit or "",
                year=entry["year"],
                person_name=entry["person"],
                unit=entry["unit"],
                citation=entry["citation"],
                photo=self.image(f"光荣榜照片：{entry['person']}", entry["slug"], (600, 800))
                if consent
                else None,
                photo_consent=consent,
                photo_consent_record="本人书面同意公开照片（演示数据）" if consent else "",
            )

    def merchants(self) -> None:
        for data in _read("merchants.json"):
            if Merchant.objects.filter(slug=data["slug"]).exists():
                continue
            fields = {key: value for key, value in data.items() if key != "offers"}
            for coordinate in ("latitude", "longitude"):
                fields[coordinate] = Decimal(str(fields[coordinate]))
            merchant = Merchant(**fields)
            merchant.offers = [Offer(**offer) for offer in data["offers"]]
            merchant.full_clean()
            merchant.save()
            self.created += 1
            self.log(f"  + {Merchant._meta.verbose_name}：{merchant.name}")

    def service_requests(self) -> None:
        """A few requests in the staff queue, with made-up people marked （示例）."""
        today = timezone.localdate()
        for data in _read("service_requests.json"):
            # A fixed key per sample: service_request_submit is idempotent on it.
            key = uuid.uuid5(uuid.NAMESPACE_URL, f"shuangyong-demo/{data['key']}")
            if ServiceRequest.objects.filter(submission_key=key).exists():
                continue
            answers = dict(data["answers"])
            for name, days in data["days_from_today"].items():
                answers[name] = today + datetime.timedelta(days=days)
            service_request = service_request_submit(
                request_type=RequestType(data["request_type"]),
                answers=answers,
                consent=Consent(sensitive=True, guardian=True),
                files=[],
                submission_key=key,
            )
            self.created += 1
            self.log(f"  + {ServiceRequest._meta.verbose_name}：{service_request.reference}")

    @transaction.atomic
    def run(self) -> int:
        self.collection = self._collection()
        home = self.home()
        self.education(home)
        self.honours(home)
        self.merchants()
        self.service_requests()
        return self.created

"""Builds the demo site from demo/content/*.json, made from the district's documents
(demo/sources/). The site is 沙坪坝区's (document 003); material from other places is
filed under 经验交流 with where it comes from.

The documents carry no dates and name no merchants, families or events to come: articles
show no date, and activities, merchants, the staff queue, the contact details and the
pictures are samples marked （示例）.

Every step looks for what it would create first, so loading twice changes nothing.
"""

import datetime
import hashlib
import io
import json
import uuid
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
from home.models import ContactPage, HomePage, PrivacyPolicyPage, SiteContact, Street
from honours.models import HonourEntryPage, HonourKind, HonourRollPage, MeritClass
from merchants.importing import merchants_import
from merchants.models import Merchant
from services.actions import Consent, service_request_submit
from services.models import (
    RequestType,
    ServiceGuidePage,
    ServiceIndexPage,
    ServicePoint,
    ServiceRequest,
)

from .images import draw_demo_image

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MERCHANTS_FILE = Path(__file__).resolve().parent / "merchants.csv"

# slug, title, summary, the motif of its generated covers (demo/images.py)
TOPICS = [
    ("shuangyong-dongtai", "双拥动态", "本区拥军优属、拥政爱民的工作动态。", "rings"),
    ("yingmo-shiji", "英模事迹", "本区最美退役军人、最美拥军人物等先进典型的事迹。", "medal"),
    ("hongse-ziyuan", "红色资源", "红岩精神等红色资源和国防教育阵地。", "flag"),
    (
        "jingyan-jiaoliu",
        "经验交流",
        "外地国防动员、党管武装和双拥工作的经验做法，注明出处，供学习参考，不是本区的工作。",
        "book",
    ),
]


GUIDE_SOURCE = "引自《中国退役军人》期刊对话区委书记"


def _read(name: str) -> list[dict]:
    return json.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))


def nearest_occurrence(month: int, day: int, *, today: datetime.date) -> datetime.date:
    """The date with this month and day nearest to today, this year or the next or last: a
    sample activity lands in its season (八一 in July, a flood drill before the flood season)
    and the demo has both coming and past activities whenever it is loaded."""
    candidates = [datetime.date(today.year + offset, month, day) for offset in (-1, 0, 1)]
    return min(candidates, key=lambda candidate: abs(candidate - today))


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.created = 0

    # Helpers -------------------------------------------------------------------------

    def _collection(self) -> Collection:
        existing = Collection.objects.filter(name="演示内容").first()
        return existing or Collection.get_first_root_node().add_child(name="演示内容")

    def image(self, title: str, seed: str, motif: str):
        Image = get_image_model()
        existing = Image.objects.filter(title=title, collection=self.collection).first()
        if existing:
            return existing
        name = hashlib.sha256(seed.encode()).hexdigest()[:12]
        picture = ImageFile(io.BytesIO(draw_demo_image(seed, motif=motif)), name=f"demo-{name}.png")
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
        return home

    def site_settings(self, home: HomePage) -> None:
        """The district (document 003) and its contact points; only on a site nobody has
        set up yet, so an editor's settings are never overwritten. Nothing here comes from the
        documents but the district's name: the rest is marked as a sample."""
        site = Site.objects.get(is_default_site=True)
        contact = SiteContact.for_site(site)
        if not (contact.district_name or contact.phone):
            contact.district_name = "重庆市沙坪坝区"
            contact.organisation = "沙坪坝区退役军人事务局（示例）"
            contact.certificate_issuer = "沙坪坝区人武部 沙坪坝区退役军人事务局（示例）"
            contact.address = "沙坪坝区退役军人服务中心（示例地址）"
            contact.phone = "12345"
            contact.office_hours = "政务服务便民热线（示例）"
        pages = _read("pages.json")
        if contact.contact_page_id is None:
            contact.contact_page = self.child(
                home, ContactPage, "contact", **self.info_page(pages["contact"])
            )
        if contact.privacy_page_id is None:
            contact.privacy_page = self.child(
                home, PrivacyPolicyPage, "privacy", **self.info_page(pages["privacy"])
            )
        contact.save()

    def info_page(self, data: dict) -> dict:
        return {
            "title": data["title"],
            "summary": data["summary"],
            "body": self.body(data["body"], ""),
        }

    def body(self, blocks: list[dict], slug: str, motif: str = "star") -> list[dict]:
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
                # The documents' photographs are not here: a generated picture stands in, and
                # says so, under the caption the document printed.
                caption = block["caption"].rstrip("。")
                image = self.image(f"示例配图：{caption}"[:250], f"{slug}-{number}", motif)
                value = {
                    "image": image.pk,
                    "caption": f"{caption}（原文配图说明；此处为示例配图，不是原照片）"[:200],
                    "alt_text": "示例配图",
                }
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
            summary="本区双拥动态、英模事迹、红色资源，以及外地的经验交流。",
            intro="<p>传承红色基因，讲好身边的英模故事。外地的经验做法放在“经验交流”，注明出处。</p>",
        )
        topics = {}
        for slug, title, summary, motif in TOPICS:
            topics[slug] = (self.child(index, TopicPage, slug, title=title, summary=summary), motif)
        for article in _read("articles.json"):
            if ArticlePage.objects.filter(slug=article["slug"]).exists():
                continue
            topic, motif = topics[article["topic"]]
            self.child(
                topic,
                ArticlePage,
                article["slug"],
                tags=article["tags"],
                title=article["title"],
                summary=article["summary"][:300],
                date=None,  # none of the documents is dated
                source=article["source"],
                byline=article["byline"],
                exchange_from=article["exchange_from"],
                cover_image=self.image(f"示例配图：{article['title']}", article["slug"], motif),
                body=self.body(article["body"], article["slug"], motif),
            )

        activities = self.child(
            index,
            ActivityIndexPage,
            "activities",
            title="活动",
            summary="送喜报、八一走访慰问、国防教育运动月等活动安排（示例）。",
        )
        today = timezone.localdate()
        for activity in _read("activities.json"):
            day = nearest_occurrence(activity["month"], activity["day"], today=today)
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
                body=self.body(activity["body"], activity["slug"]),
            )

    def honours(self, home: HomePage) -> None:
        roll = self.child(
            home,
            HonourRollPage,
            "honours",
            title="光荣榜",
            summary="本区立功受奖、最美退役军人、最美拥军人物和全国双拥模范城。",
            intro="<p>崇尚英雄、尊崇军人。按年度和类别浏览光荣榜；材料没有写明年度的，列在“年度未注明”。</p>",
        )
        for entry in _read("honours.json"):
            kind = HonourKind(entry["kind"])
            merit = MeritClass(entry["merit_class"]) if entry["merit_class"] else None
            awarded_on = entry["awarded_on"]
            # No photographs: the documents have none that the people agreed to publish.
            self.child(
                roll,
                HonourEntryPage,
                entry["slug"],
                title=f"{entry['person']} · {(merit or kind).label}",
                summary=entry["citation"][:120],
                kind=kind,
                merit_class=merit or "",
                year=entry["year"],
                awarded_on=datetime.date.fromisoformat(awarded_on) if awarded_on else None,
                person_name=entry["person"],
                is_collective=entry["collective"],
                honour_title=entry["honour_title"],
                unit=entry["unit"],
                citation=entry["citation"],
            )

    def merchants(self) -> None:
        """Sample merchants (示例), loaded through the importer the offices use, from the
        spreadsheet in demo/; published at once, as an editor's approval would. Some offers
        have ended or not begun, so editors see the expiry rule at work."""
        report = merchants_import(
            content=MERCHANTS_FILE.read_bytes(),
            filename=MERCHANTS_FILE.name,
            dry_run=False,
            publish=True,
        )
        if report.errors:
            raise ValueError(f"demo/{MERCHANTS_FILE.name}: {report.errors[0]}")
        self.created += report.created
        if report.created:
            self.log(f"  + {Merchant._meta.verbose_name}：{report.created} 家（示例）")

    def services(self, home: HomePage) -> None:
        """The services index and one guide per type, quoting document 003, and the service
        points: the 托管站 document 003 names, and samples marked （示例）."""
        content = json.loads((CONTENT_DIR / "service_guides.json").read_text(encoding="utf-8"))
        index = self.child(home, ServiceIndexPage, "services", **content["index"])
        for guide in content["guides"]:
            if ServiceGuidePage.objects.filter(request_type=guide["request_type"]).exists():
                continue
            fields = {key: value for key, value in guide.items() if key not in ("slug", "quote")}
            quote = f"<p>“{escape(guide['quote'])}”（{escape(GUIDE_SOURCE)}）</p>"
            fields["body"] = quote + fields["body"]
            self.child(index, ServiceGuidePage, guide["slug"], **fields)
        for data in _read("service_points.json"):
            if ServicePoint.objects.filter(name=data["name"]).exists():
                continue
            street = Street.objects.filter(code=data.pop("street")).first()
            point = ServicePoint(street=street, **data)
            point.full_clean()
            point.save()
            self.created += 1
            self.log(f"  + {ServicePoint._meta.verbose_name}：{point.name}")

    def service_requests(self) -> None:
        """A few requests in the staff queue, with made-up people marked （示例）."""
        today = timezone.localdate()
        for data in _read("service_requests.json"):
            # A fixed key per sample: service_request_submit is idempotent on it.
            key = uuid.uuid5(uuid.NAMESPACE_URL, f"shuangyong-demo/{data['key']}")
            if ServiceRequest.objects.filter(submission_key=key).exists():
                continue
            answers = dict(data["answers"])
            answers["district"] = Street.objects.get(code=answers["district"])
            for name, days in data["days_from_today"].items():
                answers[name] = today + datetime.timedelta(days=days)
            service_request = service_request_submit(
                request_type=RequestType(data["request_type"]),
                answers=answers,
                consent=Consent(sensitive=True, guardian=True),
                files=[],
                later=data["later"],
                submission_key=key,
            )
            self.created += 1
            self.log(f"  + {ServiceRequest._meta.verbose_name}：{service_request.reference}")

    @transaction.atomic
    def run(self) -> int:
        self.collection = self._collection()
        home = self.home()
        self.site_settings(home)
        self.education(home)
        self.honours(home)
        self.merchants()
        self.services(home)
        self.service_requests()
        return self.created

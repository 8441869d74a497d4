"""`make prod-check`: the production processes, rehearsed without containers.

Runs the Procfile's steps and processes (the lines compose.yaml and the Dockerfile use) on
production settings against the PostgreSQL and OpenSearch that scripts/test.sh started: build
(collectstatic), release (migrate, cache table, search index), the demo content, then gunicorn,
the worker and the scheduler. It then uses the site as its users would and checks what they
would notice: every public page type and its stylesheet, a service request with an attachment
and its reference, a staff transition, the worker delivering both notifications, a scheduled
page going live, and search answering from the engine. Everything it starts, it stops; every
wait is bounded; traffic goes to loopback only.

    python scripts/prod_check.py --database-url URL --search-url URL
"""

import argparse
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

from rehearsal import Browser, Site, family_applies, log, sample_answers, wait_for

PAGE_URLS = """
import json
from education.models import ActivityPage, ArticlePage, TopicPage
from honours.models import HonourEntryPage
from home.models import ContactPage, PrivacyPolicyPage
from merchants.models import Merchant
entry = HonourEntryPage.objects.live().first()
urls = {
    "首页": "/", "国防教育": "/education/", "活动": "/education/activities/", "光荣榜": "/honours/",
    "优待商户": "/merchants/", "军属服务": "/services/", "军娃托管指南": "/services/childcare/",
    "查询进度": "/services/track/", "搜索": "/search/?q=%E5%8F%8C%E6%8B%A5",
    "专题": TopicPage.objects.live().first().url, "文章": ArticlePage.objects.live().first().url,
    "活动页": ActivityPage.objects.live().first().url, "光荣榜条目": entry.url,
    "喜报": entry.url + "xibao/", "商户": Merchant.objects.first().get_absolute_url(),
    "个人信息保护政策": PrivacyPolicyPage.objects.live().get().url,
    "联系我们": ContactPage.objects.live().get().url,
}
print(json.dumps(urls))
"""

SCHEDULE_PAGE = """
import datetime, json
from django.utils import timezone
from education.models import ArticlePage, TopicPage
topic = TopicPage.objects.live().first()
page = topic.add_child(instance=ArticlePage(title="示例：定时发布演练", live=False, summary="示例"))
revision = page.save_revision()
revision.approved_go_live_at = timezone.now() - datetime.timedelta(seconds=1)
revision.save(update_fields=["approved_go_live_at"])
print(json.dumps(page.pk))
"""

TRANSITION = """
import json
from django.contrib.auth import get_user_model
from services.actions import service_request_transition
from services.models import ServiceRequest
from services.workflow import Actor, transitions_from
request = ServiceRequest.objects.get(reference=%r)
actor = get_user_model().objects.filter(is_superuser=True).first()
to_status = transitions_from(service_request=request, by=Actor.STAFF)[0].target_for(request)
service_request_transition(service_request=request, to_status=to_status, actor=actor,
                           expected_version=request.version, note="示例：生产演练")
print(json.dumps(request.pk))
"""


def rehearse(args) -> None:
    folder = Path(tempfile.mkdtemp(prefix="shuangyong-prodcheck-"))
    site = Site(database_url=args.database_url, search_url=args.search_url, folder=folder)
    browser = Browser(site)
    try:
        site.prepare()
        scheduled = site.shell(SCHEDULE_PAGE)
        for name in ("web", "worker", "scheduler"):
            site.start(name)
        site.wait_until_serving()

        # Every public page type, and the stylesheet it links (collectstatic's output).
        for label, url in site.shell(PAGE_URLS).items():
            html = browser.get(urllib.parse.quote(url, safe="/?=&%"))
            assert "<main" in html, f"{label} ({url}) has no <main>"
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', browser.get("/"))
        browser.get(stylesheet.group(1))
        log("ok: every public page type and its stylesheet")

        # A family applies for childcare, with a photo of the serving member's card.
        submission = family_applies(
            browser,
            request_type="childcare",
            answers=sample_answers()["childcare"],
            name="示例申请人",
        )
        assert submission.reference, f"no reference: the submission answered {submission.status}"
        log(f"ok: request submitted with an attachment, reference {submission.reference}")

        request_pk = site.shell(TRANSITION % submission.reference)
        log("ok: a staff transition")
        delivered = (
            "import json; from worker.models import Delivery; print(json.dumps("
            f"Delivery.objects.filter(key__startswith='applicant-sms:{request_pk}:', "
            "delivered_at__isnull=False).count()))"
        )
        wait_for(
            "the worker delivers the receipt and the status SMS",
            lambda: site.shell(delivered) >= 2,
            seconds=90,
            alive=site.check_alive,
        )
        attachment = (
            "import json; from services.models import ServiceRequest; r = ServiceRequest.objects"
            f".get(pk={request_pk}); a = r.attachments.get(); print(json.dumps(len(a.file.read())))"
        )
        assert site.shell(attachment) > 0, "the attachment is not readable"
        log("ok: the attachment is stored and readable")

        live = (
            "import json; from wagtail.models import Page; "
            f"print(json.dumps(Page.objects.get(pk={scheduled}).live))"
        )
        wait_for(
            "the scheduled page goes live",
            lambda: site.shell(live),
            seconds=60,
            alive=site.check_alive,
        )

        # Found through the engine (no fallback notice), linked by its address: the title
        # itself comes back with the query's words highlighted.
        url = site.shell(
            "import json; from wagtail.models import Page; "
            f"print(json.dumps(Page.objects.get(pk={scheduled}).url))"
        )
        search = "/search/?q=" + urllib.parse.quote("定时发布演练")

        def found() -> bool:
            results = browser.get(search)
            assert "search-degraded" not in results, "search fell back to the database"
            return f'href="{url}"' in results

        wait_for(
            "search finds the scheduled page through the engine",
            found,
            seconds=60,
            alive=site.check_alive,
        )
        site.check_alive()
        log("prod-check passed")
    finally:
        site.stop()
        if args.keep_logs:
            log(f"logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--search-url", required=True)
    parser.add_argument("--keep-logs", action="store_true")
    rehearse(parser.parse_args())


if __name__ == "__main__":
    # A timeout's SIGTERM still stops what was started (the `finally` in rehearse()).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        main()
    except (AssertionError, subprocess.CalledProcessError) as error:
        log(f"prod-check FAILED: {error}")
        sys.exit(1)

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
import http.cookies
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PHONE = "13800138000"  # 示例号码


def log(message: str) -> None:
    print(f"prod-check: {message}", flush=True)


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Rehearsal:
    def __init__(self, *, database_url: str, search_url: str, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PATH": f"{BIN}:{os.environ['PATH']}",
            "DJANGO_SETTINGS_MODULE": "siteconf.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "SEARCH_ENGINE": "opensearch2",
            "SEARCH_URL": search_url,
            "SEARCH_INDEX": f"prodcheck-{uuid.uuid4().hex[:8]}",
            "SERVICES_PRIVATE_ROOT": str(folder / "private"),
            "WAGTAILADMIN_BASE_URL": self.base,
            "PORT": str(self.port),
            "GUNICORN_WORKERS": "2",
            "SCHEDULER_INTERVAL_SECONDS": "2",
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.cookies: dict[str, str] = {}

    # --- processes ------------------------------------------------------------------------
    def step(self, name: str, command: str, **env: str) -> None:
        log(f"{name}: {command}")
        subprocess.run(["sh", "-c", command], cwd=ROOT, env={**self.env, **env}, check=True)

    def shell(self, code: str) -> object:
        """Runs Python in the site's production settings; returns what it prints as JSON."""
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start(self, name: str) -> None:
        command = procfile()[name]
        log(f"start {name}: {command}")
        output = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            ["sh", "-c", f"exec {command}"],
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in time: killed")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.folder / f"{name}.log").read_text(errors="replace")[-2000:]
                raise AssertionError(f"{name} exited ({process.returncode}):\n{tail}")

    # --- HTTP, as a browser over HTTPS behind the proxy -----------------------------------
    def request(self, path: str, *, data: bytes | None = None, content_type: str = ""):
        headers = {
            "X-Forwarded-Proto": "https",
            "Host": f"127.0.0.1:{self.port}",
            "Accept-Language": "zh-CN",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for morsel in http.cookies.SimpleCookie(header).values():
                if morsel["max-age"] == "0":
                    self.cookies.pop(morsel.key, None)
                else:
                    self.cookies[morsel.key] = morsel.value
        return response.status, response.headers, response.read().decode("utf-8", "replace")

    def get(self, path: str, *, expect: int = 200) -> str:
        status, _, body = self.request(path)
        assert status == expect, f"GET {path}: {status}, expected {expect}\n{body[:500]}"
        return body

    def post(self, path: str, fields: dict, files: dict | None = None):
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            )
            body.write(f"{value}\r\n".encode())
        for name, (filename, content, mime) in (files or {}).items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
            )
            body.write(content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        return self.request(
            path, data=body.getvalue(), content_type=f"multipart/form-data; boundary={boundary}"
        )

    def wait_for(self, what: str, check, *, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_alive()
            if check():
                log(f"ok: {what}")
                return
            time.sleep(1)
        raise AssertionError(f"not within {seconds:.0f} s: {what}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)" name="{name}"', html
    )
    assert match, f"no {name} in the form"
    return match.group(1)


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


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
from services.selectors import next_statuses
request = ServiceRequest.objects.get(reference=%r)
actor = get_user_model().objects.filter(is_superuser=True).first()
to_status = next_statuses(service_request=request)[0]
service_request_transition(service_request=request, to_status=to_status, actor=actor,
                           expected_version=request.version, note="示例：生产演练")
print(json.dumps(request.pk))
"""


def rehearse(args) -> None:
    folder = Path(tempfile.mkdtemp(prefix="shuangyong-prodcheck-"))
    rehearsal = Rehearsal(database_url=args.database_url, search_url=args.search_url, folder=folder)
    steps = procfile()
    try:
        rehearsal.step("build", steps["build"])
        rehearsal.step("release", steps["release"])
        # Demo content is not part of a production deployment: it loads on the developer's
        # settings, into the same database and index.
        rehearsal.step(
            "demo content",
            "python manage.py load_demo_content && python manage.py ensure_admin",
            DJANGO_SETTINGS_MODULE="siteconf.settings.dev",
            ADMIN_PASSWORD=secrets.token_urlsafe(16),
        )
        scheduled = rehearsal.shell(SCHEDULE_PAGE)
        for name in ("web", "worker", "scheduler"):
            rehearsal.start(name)

        def answers() -> bool:
            try:
                return rehearsal.request("/")[0] == 200
            except OSError:
                return False

        rehearsal.wait_for("gunicorn answers", answers, seconds=60)

        # Every public page type, and the stylesheet it links (collectstatic's output).
        for label, url in rehearsal.shell(PAGE_URLS).items():
            html = rehearsal.get(urllib.parse.quote(url, safe="/?=&%"))
            assert "<main" in html, f"{label} ({url}) has no <main>"
        home = rehearsal.get("/")
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', home).group(1)
        rehearsal.get(stylesheet)
        log("ok: every public page type and its stylesheet")

        # A family applies for childcare, with a photo of the serving member's card.
        apply_path = "/services/childcare/apply/"
        form = rehearsal.get(apply_path)
        today = time.strftime("%Y-%m-%d")
        year = int(today[:4])
        status, headers, _ = rehearsal.post(
            apply_path,
            {
                "csrfmiddlewaretoken": hidden(form, "csrfmiddlewaretoken"),
                "applicant_name": "示例申请人",
                "applicant_phone": PHONE,
                "relationship": "spouse",
                "id_number": "11010519491231002X",  # GB 11643's own sample number
                "district": "ciqikou",
                "member_status": "active",
                "member_unit": "示例部队",
                "child_name": "示例子女",
                "child_birth_date": f"{year - 8}-03-01",
                "child_grade": "primary_2",
                "care_start": f"{year + 1}-01-10",
                "care_end": f"{year + 1}-02-10",
            },
        )
        assert status == 303, f"apply: {status}"
        check = rehearsal.get(headers["Location"])
        status, headers, body = rehearsal.post(
            "/services/childcare/check/",
            {
                "csrfmiddlewaretoken": hidden(check, "csrfmiddlewaretoken"),
                "submission_token": hidden(check, "submission_token"),
                "sensitive_consent": "on",
                "guardian_consent": "on",
                "document_child_relation_later": "on",
            },
            files={"document_member_proof": ("证件.png", png(), "image/png")},
        )
        assert status == 303 and headers["Location"].endswith("/services/submitted/"), (
            f"submit: {status} {body[:800]}"
        )
        done = rehearsal.get(headers["Location"])
        reference = re.search(r'id="reference">\s*([A-Z0-9-]+)', done).group(1)
        log(f"ok: request submitted with an attachment, reference {reference}")

        request_pk = rehearsal.shell(TRANSITION % reference)
        log("ok: a staff transition")
        delivered = (
            "import json; from worker.models import Delivery; print(json.dumps("
            f"Delivery.objects.filter(key__startswith='applicant-sms:{request_pk}:', "
            "delivered_at__isnull=False).count()))"
        )
        rehearsal.wait_for(
            "the worker delivers the receipt and the status SMS",
            lambda: rehearsal.shell(delivered) >= 2,
            seconds=90,
        )
        attachment = (
            "import json; from services.models import ServiceRequest; r = ServiceRequest.objects"
            f".get(pk={request_pk}); a = r.attachments.get(); print(json.dumps(len(a.file.read())))"
        )
        assert rehearsal.shell(attachment) > 0, "the attachment is not readable"
        log("ok: the attachment is stored and readable")

        live = (
            "import json; from wagtail.models import Page; "
            f"print(json.dumps(Page.objects.get(pk={scheduled}).live))"
        )
        rehearsal.wait_for(
            "the scheduled page goes live", lambda: rehearsal.shell(live), seconds=60
        )

        # Found through the engine (no fallback notice), linked by its address: the title
        # itself comes back with the query's words highlighted.
        url = rehearsal.shell(
            "import json; from wagtail.models import Page; "
            f"print(json.dumps(Page.objects.get(pk={scheduled}).url))"
        )
        search = "/search/?q=" + urllib.parse.quote("定时发布演练")

        def found() -> bool:
            results = rehearsal.get(search)
            assert "search-degraded" not in results, "search fell back to the database"
            return f'href="{url}"' in results

        rehearsal.wait_for("search finds the scheduled page through the engine", found, seconds=60)
        rehearsal.check_alive()
        log("passed")
    finally:
        rehearsal.stop()
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
        log(f"FAILED: {error}")
        sys.exit(1)

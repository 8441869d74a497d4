"""The production processes run from the Procfile, and a browser to use them as a family would.

Shared by `scripts/prod_check.py` (make prod-check) and `bench/load.py` (make load). Traffic
goes to loopback only; every process started here is stopped by `Site.stop()`.
"""

import datetime
import http.cookies
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
# The demo's sample requests, one per type, are valid answers under the district's rules.
SAMPLE_REQUESTS = ROOT / "demo" / "content" / "service_requests.json"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, check, *, seconds: float, alive=lambda: None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive()
        if check():
            log(f"ok: {what}")
            return
        time.sleep(1)
    raise AssertionError(f"not within {seconds:.0f} s: {what}")


class Site:
    """The Procfile's processes on production settings, with their logs in `folder`."""

    def __init__(self, *, database_url: str, search_url: str, folder: Path, **env: str):
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.search_index = f"rehearsal-{uuid.uuid4().hex[:8]}"
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
            "SEARCH_INDEX": self.search_index,
            "SERVICES_PRIVATE_ROOT": str(folder / "private"),
            "WAGTAILADMIN_BASE_URL": self.base,
            "PORT": str(self.port),
            "GUNICORN_WORKERS": "2",
            "SCHEDULER_INTERVAL_SECONDS": "2",
            **env,
        }
        self.processes: dict[str, subprocess.Popen] = {}
        # The administrator prepare() creates (username "admin"), for a run that uses the admin.
        self.admin_password = secrets.token_urlsafe(16)

    def step(self, name: str, command: str, **env: str) -> None:
        log(f"{name}: {command}")
        subprocess.run(["sh", "-c", command], cwd=ROOT, env={**self.env, **env}, check=True)

    def prepare(self) -> None:
        """The Procfile's build and release steps, then the demo content (on the developer's
        settings: it is no part of a production deployment) and an administrator."""
        steps = procfile()
        self.step("build", steps["build"])
        self.step("release", steps["release"])
        self.step(
            "demo content",
            "python manage.py load_demo_content && python manage.py ensure_admin",
            DJANGO_SETTINGS_MODULE="siteconf.settings.dev",
            ADMIN_PASSWORD=self.admin_password,
        )

    def shell(self, code: str) -> object:
        """Runs Python in the site's production settings; returns what it prints last, as JSON."""
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start(self, name: str) -> None:
        command = procfile()[name]
        log(f"start {name}: {command}")
        output = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            ["sh", "-c", f"exec {command}"],
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        process.wait(timeout=30)

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
        self.processes.clear()

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.folder / f"{name}.log").read_text(errors="replace")[-2000:]
                raise AssertionError(f"{name} exited ({process.returncode}):\n{tail}")

    def wait_until_serving(self) -> None:
        def answers() -> bool:
            try:
                return Browser(self).request("/")[0] == 200
            except OSError:
                return False

        wait_for("gunicorn answers", answers, seconds=90, alive=self.check_alive)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: its own cookies, over HTTPS as the proxy in front of gunicorn reports it."""

    def __init__(self, site: Site):
        self.port = site.port
        self.base = site.base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

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
        try:
            response = self.opener.open(request, timeout=60)
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


def sample_answers() -> dict[str, dict]:
    """Valid form answers per request type, from the demo's samples, dates from today."""
    today = datetime.date.today()
    answers = {}
    for sample in json.loads(SAMPLE_REQUESTS.read_text(encoding="utf-8")):
        fields = dict(sample["answers"])
        for name, days in sample.get("days_from_today", {}).items():
            fields[name] = (today + datetime.timedelta(days=days)).isoformat()
        answers[sample["request_type"]] = fields
    return answers


class Submission:
    """What one family's application did: the final POST's status and time, the reference."""

    def __init__(self):
        self.status = 0
        self.seconds = 0.0
        self.reference = ""
        self.page = ""  # what the final POST answered, when it did not go on


def family_applies(browser: Browser, *, request_type: str, answers: dict, name: str) -> Submission:
    """The public journey: the form, the check page with one document attached (the others
    marked 稍后补交), consent, submission, the confirmation and its reference."""
    outcome = Submission()
    apply_path = f"/services/{request_type}/apply/"
    form = browser.get(apply_path)
    status, headers, body = browser.post(
        apply_path,
        {
            "csrfmiddlewaretoken": hidden(form, "csrfmiddlewaretoken"),
            **answers,
            "applicant_name": name,
        },
    )
    assert status == 303 and headers["Location"].endswith("/check/"), (
        f"apply {request_type}: {status}"
    )
    check = browser.get(headers["Location"])
    kinds = re.findall(r'name="document_(\w+?)_later"', check)
    fields = {
        "csrfmiddlewaretoken": hidden(check, "csrfmiddlewaretoken"),
        "submission_token": hidden(check, "submission_token"),
        **{f"document_{kind}_later": "on" for kind in kinds[1:]},
        **{name: "on" for name in re.findall(r'name="(\w*consent\w*)"', check)},
    }
    started = time.monotonic()
    status, headers, body = browser.post(
        headers["Location"],
        fields,
        files={f"document_{kinds[0]}": ("证件.png", png(), "image/png")},
    )
    outcome.seconds = time.monotonic() - started
    outcome.status = status
    if status != 303 or not headers["Location"].endswith("/services/submitted/"):
        outcome.page = body
        return outcome
    status, _, done = browser.request(headers["Location"])
    match = re.search(r'id="reference">\s*([A-Z0-9-]+)', done)
    outcome.reference = match.group(1) if match else ""
    return outcome

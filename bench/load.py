"""`make load`: service-request submissions under load, with one fault injected halfway, then
everything counted: nothing lost, nothing twice.

Runs the Procfile's processes on production settings (scripts/rehearsal.py) against the
PostgreSQL that scripts/test.sh started and an OpenSearch node of its own (so it can kill,
hang and restart it). `--clients` families apply at once (every request type, one attachment
each) while `--readers` visitors load public pages and search. Then it waits for the queue to
drain and checks, against the database and the engine: exactly one request per family that got
a reference, each attachment readable, each request indexed, one receipt SMS each, no 5xx.
It prints submissions/s, p50/p95/p99 of the final POST, the readers' throughput and p95, and
what the fault cost. Traffic goes to loopback only; every loop is bounded in count and time.

    bench/load.py --database-url URL --postgres-restart "pg_ctl -D … restart" \\
        --submissions 10000 --clients 32 --fault engine-kill
"""

import argparse
import contextlib
import datetime
import errno
import itertools
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tools" / "opensearch")]

import psycopg  # noqa: E402
from node import start_node  # noqa: E402
from rehearsal import (  # noqa: E402
    Browser,
    Site,
    family_applies,
    hidden,
    log,
    sample_answers,
    wait_for,
)

from search.conf import search_backends_from_env  # noqa: E402

FAULTS = (
    "none",
    "engine-kill",
    "engine-hang",
    "postgres-restart",
    "worker-kill",
    "uploads-full",
    "engine-node-kill",
)
NAME_PREFIX = "压测示例"
READER_PATHS = ["/", "/education/", "/honours/", "/merchants/", "/services/childcare/"]
READER_QUERIES = ["双拥", "军娃托管", "民兵", "光荣之家", "就业"]
# uploads-full: the private folder is a tmpfs of this size, full from half the submissions
# to three quarters (at most FULL_SECONDS), so the last quarter shows it takes files again.
PRIVATE_TMPFS_SIZE = "64m"
FULL_SECONDS = 120
# What a family is told when its files cannot be stored (services.storage).
TRY_AGAIN = "系统暂时无法保存上传的材料，您填写的内容没有丢失，请稍后再试。"
# engine-node-kill: three nodes, one replica per shard; node 2 of 3 is closed for NODE_DOWN
# seconds, while a fixed public search is counted and the admin's status page read.
CLUSTER_NODES = 3
CLOSED_NODE = 1
NODE_DOWN_SECONDS = 30
PROBE_QUERY = "双拥"
STATUS_PATH = "/admin/search-admin/status/"
# postgres-restart: the site and the worker must be back within RECOVERY_BOUND seconds of the
# database's return (issue 13); watched for at most RECOVERY_WATCH seconds. The page is never
# kept and reads the database; the worker is back once it finishes a task again.
RECOVERY_BOUND = 10
RECOVERY_WATCH = 60
RECOVERY_PATH = "/services/childcare/apply/"
TASK_FINISHED_SINCE = (
    "SELECT 1 FROM django_tasks_database_dbtaskresult WHERE finished_at > %s LIMIT 1"
)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Load:
    def __init__(self, site: Site, args):
        self.site = site
        self.args = args
        self.answers = sample_answers()
        self.numbers = itertools.count()
        self.lock = threading.Lock()
        self.submissions: list = []  # (name, Submission or the exception's text)
        self.started: dict[str, float] = {}  # name: when the family began
        self.reads: list[tuple[int, float, float, str]] = []  # status, seconds, began, path
        self.done = threading.Event()

    def family(self) -> None:
        types = list(self.answers)
        deadline = time.monotonic() + self.args.max_minutes * 60
        while time.monotonic() < deadline:
            number = next(self.numbers)
            if number >= self.args.submissions:
                return
            name = f"{NAME_PREFIX}{number:05d}"
            request_type = types[number % len(types)]
            started = time.monotonic()
            try:
                outcome = family_applies(
                    Browser(self.site),
                    request_type=request_type,
                    answers=self.answers[request_type],
                    name=name,
                )
            except (AssertionError, OSError) as error:
                outcome = str(error)[:200]
            with self.lock:
                self.submissions.append((name, outcome))
                self.started[name] = started

    def reader(self) -> None:
        browser = Browser(self.site)
        paths = itertools.cycle(
            READER_PATHS + [f"/search/?q={urllib.parse.quote(q)}" for q in READER_QUERIES]
        )
        fresh = itertools.count()
        while not self.done.is_set():
            path = next(paths)
            if self.args.fault == "engine-hang" and path.startswith("/search/"):
                # Never a kept page: every search asks the engine, so the bound is tested.
                path += f"&fresh={threading.get_ident()}-{next(fresh)}"
            started = time.monotonic()
            status = _status(browser, path)
            with self.lock:
                self.reads.append((status, time.monotonic() - started, started, path))

    def finished(self) -> int:
        with self.lock:
            return len(self.submissions)


@contextlib.contextmanager
def small_folder(path: Path):
    """A size-limited tmpfs at `path` (needs root, as `make test` runs), unmounted after."""
    path.mkdir(parents=True)
    options = f"size={PRIVATE_TMPFS_SIZE},mode=0700"
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "--lazy", str(path)], check=True)


def fill_up(folder: Path) -> int:
    """Writes one file until the folder has no room left; returns its size."""
    chunk = b"\0" * (1 << 20)
    with (folder / "filler").open("wb", buffering=0) as filler:
        for _ in range(1 << 16):  # bounded: 64 GiB
            try:
                filler.write(chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                break
    return (folder / "filler").stat().st_size


class Staff:
    """The administrator in a browser of their own, reading the index status page."""

    def __init__(self, site: Site):
        self.browser = Browser(site)
        form = self.browser.get("/admin/login/")
        status, headers, _ = self.browser.post(
            "/admin/login/",
            {
                "csrfmiddlewaretoken": hidden(form, "csrfmiddlewaretoken"),
                "username": "admin",
                "password": site.admin_password,
            },
        )
        assert status == 302, f"admin login: {status}"

    def cluster_status(self) -> str:
        page = self.browser.get(STATUS_PATH)
        match = re.search(r'data-cluster-status="(\w+)"', page)
        return match.group(1) if match else "unreachable"

    def wait_for_status(self, wanted: str, seconds: float) -> list[str]:
        """Reads the page every second until it shows `wanted`; returns what it showed."""
        seen = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            seen.append(self.cluster_status())
            if seen[-1] == wanted:
                break
            time.sleep(1)
        return seen


def search_hits(browser: Browser) -> tuple[int, bool]:
    """The public search's total for the fixed query, and whether it fell back."""
    page = browser.get(f"/search/?q={urllib.parse.quote(PROBE_QUERY)}")
    match = re.search(r"找到 (\d+) 条结果", page)
    return (int(match.group(1)) if match else -1), "search-degraded" in page


def close_one_node(*, site: Site, node) -> dict:
    """engine-node-kill: hits before, during and after; what the status page showed."""
    staff, reader = Staff(site), Browser(site)
    before = search_hits(reader)
    status_before = staff.cluster_status()
    node.stop_one(CLOSED_NODE)
    down_at = time.monotonic()
    shown = staff.wait_for_status("yellow", 60)
    during = []
    while time.monotonic() - down_at < NODE_DOWN_SECONDS:
        during.append(search_hits(reader))
        time.sleep(2)
    node.start_one(CLOSED_NODE)
    shown += staff.wait_for_status("green", 180)
    after = search_hits(reader)
    return {
        "hits_before": before,
        "hits_during": sorted(set(during)),
        "hits_after": after,
        "status_before": status_before,
        "status_shown": [s for i, s in enumerate(shown) if i == 0 or shown[i - 1] != s],
    }


def _status(browser: Browser, path: str) -> int:
    try:
        return browser.request(path)[0]
    except OSError:
        return 0


def time_to_recover(*, site: Site, database_url: str) -> dict:
    """postgres-restart, once the database is back: seconds until the site serves a page that
    reads it and until the worker finishes a task (None: not within RECOVERY_WATCH)."""
    back, since = time.monotonic(), datetime.datetime.now(datetime.UTC)
    browser = Browser(site)
    recovered: dict[str, float | None] = {"site_back_s": None, "worker_back_s": None}
    with psycopg.connect(database_url, autocommit=True) as database:
        while None in recovered.values() and time.monotonic() - back < RECOVERY_WATCH:
            if recovered["site_back_s"] is None and _status(browser, RECOVERY_PATH) == 200:
                recovered["site_back_s"] = round(time.monotonic() - back, 1)
            if (
                recovered["worker_back_s"] is None
                and database.execute(TASK_FINISHED_SINCE, [since]).fetchone()
            ):
                recovered["worker_back_s"] = round(time.monotonic() - back, 1)
            time.sleep(0.2)
    return recovered


def inject(fault: str, *, site: Site, node, args, halfway: threading.Event, load: Load) -> dict:
    """Waits for half the submissions, then injects the fault; returns what it did."""
    halfway.wait()
    started = time.strftime("%H:%M:%S")
    extra: dict = {}
    log(f"fault: {fault}")
    if fault == "engine-kill":
        os.killpg(node.pid, signal.SIGKILL)
        time.sleep(20)
        node.restart()
    elif fault == "engine-hang":
        hung = time.monotonic()
        os.killpg(node.pid, signal.SIGSTOP)
        time.sleep(30)
        os.killpg(node.pid, signal.SIGCONT)
        extra["hang_monotonic"] = (hung, time.monotonic())
    elif fault == "postgres-restart":
        subprocess.run(["sh", "-c", args.postgres_restart], check=True)
        extra.update(time_to_recover(site=site, database_url=args.database_url))
    elif fault == "worker-kill":
        site.kill("worker")
        time.sleep(5)
        site.start("worker")
    elif fault == "engine-node-kill":
        extra.update(close_one_node(site=site, node=node))
    elif fault == "uploads-full":
        private = Path(site.env["SERVICES_PRIVATE_ROOT"])
        extra["filler_bytes"] = fill_up(private)
        deadline = time.monotonic() + FULL_SECONDS
        while load.finished() < args.submissions * 3 // 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        (private / "filler").unlink()
    log(f"fault over: {fault}")
    return {
        "fault": fault,
        "at": started,
        "ended": time.strftime("%H:%M:%S"),
        "ended_monotonic": time.monotonic(),
        **extra,
    }


COUNTS = """
import json
from django_tasks_db.models import DBTaskResult
from search.models import PendingIndexUpdate
print(json.dumps({
    "queued": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count(),
    "pending_index": PendingIndexUpdate.objects.count(),
}))
"""

VERIFY = """
import json
from collections import Counter
from services.models import ServiceRequest
from worker.models import Delivery
requests = ServiceRequest.objects.filter(applicant_name__startswith=%(prefix)r)
names = Counter(requests.values_list("applicant_name", flat=True))
unreadable = 0
for request in requests.prefetch_related("attachments"):
    attachments = list(request.attachments.all())
    if len(attachments) != 1 or not attachments[0].file.storage.exists(attachments[0].file.name):
        unreadable += 1
receipts = Counter(
    key.split(":")[1] for key in Delivery.objects.filter(
        key__startswith="applicant-sms:", delivered_at__isnull=False
    ).values_list("key", flat=True) if key.endswith(":v1")
)
ids = set(str(pk) for pk in requests.values_list("pk", flat=True))
print(json.dumps({
    "stored": requests.count(),
    "names": sorted(names),
    "duplicates": sum(1 for n in names.values() if n > 1),
    "attachment_problems": unreadable,
    "without_receipt": len(ids - set(receipts)),
    "receipts_twice": sum(1 for pk in ids if receipts.get(pk, 0) > 1),
    "all_requests": ServiceRequest.objects.count(),
}))
"""


def engine_indices(search_url: str, index_prefix: str) -> dict[str, int]:
    """Documents per index of this run, as the engine counts them after a refresh."""
    import json
    import urllib.request

    urllib.request.urlopen(
        urllib.request.Request(f"{search_url}/{index_prefix}*/_refresh", method="POST"), timeout=30
    ).close()
    with urllib.request.urlopen(f"{search_url}/_cat/indices?format=json", timeout=30) as reply:
        indices = json.load(reply)
    return {
        index["index"]: int(index["docs.count"])
        for index in indices
        if index["index"].startswith(index_prefix)
    }


def report_hang(reads: list, window: tuple[float, float] | None, *, site: Site) -> int:
    """engine-hang: the slowest reader request that overlapped the hang, against the bound
    (the engine timeout the site is configured with, read as the site reads it, plus 1 s).
    Returns 1 when it is exceeded, or nothing overlapped the hang."""
    if window is None:
        print("  the hang did not finish: see the output above")
        return 1
    timeout = search_backends_from_env(site.env)["default"]["TIMEOUT"]
    bound = timeout + 1
    hung, resumed = window
    during = [read for read in reads if read[2] < resumed and read[2] + read[1] > hung]
    if not during:
        print("  no reader request overlapped the hang")
        return 1
    status, seconds, started, path = max(during, key=lambda read: read[1])
    over = sum(1 for read in during if read[1] > bound)
    print(
        f"  during the hang ({resumed - hung:.0f} s): {len(during)} reader requests, slowest "
        f"{seconds:.2f} s ({path}, status {status}, sent {started - hung:+.1f} s from the "
        f"hang's start); bound {bound} s (engine timeout {timeout} s + 1 s): {over} over it"
    )
    # What the machine itself costs: the same readers when the engine answers.
    outside = [read for read in reads if read not in during]
    if outside:
        _status, slowest, started, path = max(outside, key=lambda read: read[1])
        print(
            f"  outside the hang: {len(outside)} reader requests, p95 "
            f"{percentile([read[1] for read in outside], 0.95):.2f} s, slowest {slowest:.2f} s "
            f"({path}, sent {started - hung:+.1f} s from the hang's start)"
        )
    return int(over > 0)


def run(args) -> int:
    folder = Path(tempfile.mkdtemp(prefix="shuangyong-load-"))
    mounts = contextlib.ExitStack()
    if args.fault == "uploads-full":
        # The local private storage (the load run names no bucket), on a disk that can fill.
        mounts.enter_context(small_folder(folder / "private"))
    cluster = args.fault == "engine-node-kill"
    node = start_node(nodes=CLUSTER_NODES if cluster else 1, heap="1g")
    site = Site(
        database_url=args.database_url,
        search_url=",".join(node.urls),
        folder=folder,
        GUNICORN_WORKERS=str(args.web_workers),
        # Production's schedule, not the rehearsal's two seconds: each round starts Django
        # afresh (some 3 s of CPU), which would take a core from the site under load.
        SCHEDULER_INTERVAL_SECONDS="60",
        # A cluster keeps one copy of each shard on another node; one node can hold none.
        SEARCH_INDEX_REPLICAS="1" if cluster else "0",
    )
    load = Load(site, args)
    halfway = threading.Event()
    try:
        site.prepare()
        for name in ("web", "worker", "scheduler"):
            site.start(name)
        site.wait_until_serving()

        fault_result: dict = {}
        fault_thread = threading.Thread(
            target=lambda: fault_result.update(
                inject(args.fault, site=site, node=node, args=args, halfway=halfway, load=load)
            ),
            daemon=True,
        )
        fault_thread.start()
        families = [threading.Thread(target=load.family) for _ in range(args.clients)]
        readers = [threading.Thread(target=load.reader) for _ in range(args.readers)]
        started = time.monotonic()
        for thread in families + readers:
            thread.start()
        while any(thread.is_alive() for thread in families):
            if load.finished() >= args.submissions // 2:
                halfway.set()
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        halfway.set()
        load.done.set()
        for thread in readers:
            thread.join(timeout=90)
        fault_thread.join(timeout=300)

        wait_for(
            "the worker drains the queue and the index catches up",
            lambda: site.shell(COUNTS) == {"queued": 0, "pending_index": 0},
            seconds=args.drain_minutes * 60,
            alive=site.check_alive,
        )
        counts = site.shell(VERIFY % {"prefix": NAME_PREFIX})
        indices = engine_indices(node.url, site.search_index)
        indexed = sum(count for name, count in indices.items() if "servicerequest" in name)
    finally:
        site.stop()
        mounts.close()
        node.stop(keep_data=args.keep_logs)

    outcomes = [o for _, o in load.submissions if not isinstance(o, str)]
    errors = [o for _, o in load.submissions if isinstance(o, str)]
    with_reference = {
        name for name, o in load.submissions if not isinstance(o, str) and o.reference
    }
    # uploads-full: refused with the message to try again, which is no error.
    told_to_retry = {
        name
        for name, o in load.submissions
        if not isinstance(o, str) and o.status == 503 and TRY_AGAIN in o.page
    }
    server_errors = sum(1 for o in outcomes if o.status >= 500) - len(told_to_retry)
    times = [o.seconds * 1000 for o in outcomes if o.status == 303]
    read_times = [seconds * 1000 for status, seconds, *_ in load.reads if status == 200]
    read_errors = sum(1 for status, *_ in load.reads if status >= 500 or status == 0)
    stored = set(counts["names"])
    lost_reference = len(stored - with_reference)

    print(f"\nmake load — {time.strftime('%Y-%m-%d %H:%M')} — fault: {args.fault}")
    print(f"  families {args.clients}, readers {args.readers}, web workers {args.web_workers}")
    print(
        f"  submissions attempted {len(load.submissions)}, stored {counts['stored']}, "
        f"with a reference {len(with_reference)}, {len(load.submissions) / elapsed:.1f}/s"
    )
    if times:
        print(
            f"  final POST ms: p50 {statistics.median(times):.0f}  "
            f"p95 {percentile(times, 0.95):.0f}  p99 {percentile(times, 0.99):.0f}  "
            f"max {max(times):.0f}"
        )
    print(
        f"  submission 5xx {server_errors}, other failures {len(errors)}"
        + (f" (first: {errors[0]})" if errors else "")
    )
    print(f"  stored without the family getting its reference: {lost_reference}")
    uploads_problems = node_problems = 0
    if args.fault == "engine-node-kill" and "hits_before" not in fault_result:
        print("  the fault did not finish: see the output above")
        node_problems = 1
    elif args.fault == "engine-node-kill":
        hits = fault_result["hits_before"]
        complete = {hits} == {*fault_result["hits_during"], fault_result["hits_after"]}
        shown = fault_result["status_shown"]
        print(
            f"  “{PROBE_QUERY}” hits (total, fell back): before {hits}, during "
            f"{fault_result['hits_during']}, after {fault_result['hits_after']}"
        )
        print(f"  status page: {fault_result['status_before']} before, then {' → '.join(shown)}")
        node_problems = (
            (not complete)
            + (fault_result["status_before"] != "green")
            + ("yellow" not in shown)
            + (shown[-1:] != ["green"])
        )
    if args.fault == "uploads-full":
        stored_for_told = len(told_to_retry & stored)
        neither = len({name for name, _ in load.submissions} - with_reference - told_to_retry)
        freed = fault_result.get("ended_monotonic", float("inf"))
        after = sum(1 for name in with_reference if load.started[name] > freed)
        print(
            f"  told to try again (503, the message) {len(told_to_retry)}, of them stored "
            f"{stored_for_told}; neither a reference nor the message {neither}; "
            f"references for families who began after the folder was freed {after}"
        )
        # The fault must have reached someone, and the site must take files again after it.
        uploads_problems = stored_for_told + neither + (not told_to_retry) + (not after)
    print(
        f"  duplicates {counts['duplicates']}, attachment problems "
        f"{counts['attachment_problems']}, without receipt {counts['without_receipt']}, "
        f"receipt twice {counts['receipts_twice']}"
    )
    print(f"  engine documents for service requests {indexed} of {counts['all_requests']}")
    print(f"  engine indices: {indices}")
    if read_times:
        print(
            f"  readers: {len(load.reads) / elapsed:.1f} req/s, p95 "
            f"{percentile(read_times, 0.95):.0f} ms, max {max(read_times):.0f} ms, "
            f"errors {read_errors}"
        )
    recovery_problems = 0
    if args.fault == "postgres-restart":
        back = [fault_result.get(key) for key in ("site_back_s", "worker_back_s")]
        print(
            f"  back after the database's return (bound {RECOVERY_BOUND} s): "
            f"site {back[0]} s, worker {back[1]} s"
        )
        recovery_problems = sum(1 for s in back if s is None or s > RECOVERY_BOUND)
    hang_problems = 0
    if args.fault == "engine-hang":
        hang_problems = report_hang(load.reads, fault_result.get("hang_monotonic"), site=site)
    fault_result.pop("ended_monotonic", None)
    fault_result.pop("hang_monotonic", None)
    print(f"  fault: {fault_result}")
    problems = (
        lost_reference  # a family whose request was stored must have got its reference
        + counts["duplicates"]
        + counts["attachment_problems"]
        + counts["without_receipt"]
        + counts["receipts_twice"]
        + (indexed != counts["all_requests"])
        + uploads_problems
        + node_problems
        + hang_problems
        + recovery_problems
    )
    if not args.keep_logs:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"  logs in {folder}, the engine's in {node.data_dir}")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--postgres-restart", default="", help="shell command restarting PostgreSQL"
    )
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--fault", choices=FAULTS, default="none")
    parser.add_argument("--max-minutes", type=float, default=60)
    parser.add_argument("--drain-minutes", type=float, default=20)
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args()
    if args.fault == "postgres-restart" and not args.postgres_restart:
        parser.error("--fault postgres-restart needs --postgres-restart")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

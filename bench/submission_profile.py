"""What the final submission POST (the check page's 提交) costs inside one request: queries and
time per phase, the median of `--runs` submissions of every request type, each with one
attachment as `make load` sends it (bench/load.py).

It creates a throwaway test database (SQLite in memory by default; PostgreSQL when
DATABASE_URL names one, as `make test` does) with the test settings, but queues tasks in the
database as production does, so what the request pays for enqueuing is counted and what the
worker does later is not. Phases are the functions the request spends its time in, timed by
wrapping them for this run only; `--profile STEP` adds cProfile's heaviest functions of one
step (the final POST when no step is named), summed over the timed runs.

    .venv/bin/python bench/submission_profile.py --runs 40
    .venv/bin/python bench/submission_profile.py --profile form --sort tottime
    DATABASE_URL=postgres://… .venv/bin/python bench/submission_profile.py --profile
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf.settings.test")

FINAL = "POST check (final)"
# What --profile names each step of the journey (the labels `journey` gives them).
STEPS = {
    "form": "GET  form",
    "answers": "POST form",
    "check": "GET  check page",
    "final": FINAL,
    "confirmation": "GET  confirmation",
}
WARM_UP = 4
# What the request does, in the order it does it: (label, module, attribute).
PHASES = [
    ("session: load", "django.contrib.sessions.backends.db", "SessionStore.load"),
    ("draft: load", "services.views", "draft_load"),
    ("answers: validate again", "services.views", "ApplicationForm.is_valid"),
    ("upload: check (decode, re-encode)", "services.forms", "check_attachment"),
    ("upload: keep in drafts/", "services.views", "keep_file"),
    ("submit: action", "services.views", "service_request_submit"),
    ("submit: check files again", "services.actions", "check_attachment"),
    ("submit: full_clean", "services.models", "ServiceRequest.full_clean"),
    ("submit: store attachment", "services.actions", "_store_attachments"),
    (
        "submit: commit hooks (enqueue)",
        "django.db.backends.base.base",
        "BaseDatabaseWrapper.run_and_clear_commit_hooks",
    ),
    ("draft: clear", "services.views", "draft_clear"),
    ("session: save", "django.contrib.sessions.backends.db", "SessionStore.save"),
]


def _wrap(timings: dict, label: str, module_name: str, attribute: str) -> None:
    import importlib

    owner = importlib.import_module(module_name)
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings[label] += time.perf_counter() - started

    setattr(owner, name, timed)


@contextmanager
def test_database():
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


class Steps:
    """Wall time, CPU time (this process: what other load on the machine changes least) and
    queries of each step of the journey, over the timed runs."""

    def __init__(self, connection):
        self.connection = connection
        self.timing = True
        self.figures: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.queries: dict[str, list[dict]] = {}  # each step's statements, its last run

    def run(self, label: str, call):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(self.connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            response = call()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if self.timing:
            self.figures[label]["wall"].append(wall)
            self.figures[label]["cpu"].append(cpu)
            self.figures[label]["queries"].append(len(captured.captured_queries))
        self.queries[label] = captured.captured_queries
        return response


def journey(client, steps: Steps, *, request_type: str, answers: dict, name: str, png: bytes):
    """A family's application as `make load` makes it: the form, the check page with one
    document attached (the others marked 稍后补交), consent, submission, the confirmation."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    apply_url = f"/services/{request_type}/apply/"
    check_url = f"/services/{request_type}/check/"
    steps.run("GET  form", lambda: client.get(apply_url))
    response = steps.run(
        "POST form", lambda: client.post(apply_url, {**answers, "applicant_name": name})
    )
    assert response["Location"] == check_url, f"{request_type}: the form refused the answers"
    page = steps.run("GET  check page", lambda: client.get(check_url)).content.decode()
    kinds = re.findall(r'name="document_(\w+?)_later"', page)
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    data = {
        "submission_token": token,
        **{f"document_{kind}_later": "on" for kind in kinds[1:]},
        **{field: "on" for field in re.findall(r'name="(\w*consent\w*)"', page)},
        f"document_{kinds[0]}": SimpleUploadedFile("证件.png", png, content_type="image/png"),
    }
    response = steps.run(FINAL, lambda: client.post(check_url, data))
    assert response.status_code == 303 and response["Location"] == "/services/submitted/"
    done = steps.run("GET  confirmation", lambda: client.get(response["Location"]))
    assert done.status_code == 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="journeys to time (all types)")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="final",
        choices=STEPS,
        help="cProfile one step (default: the final POST)",
    )
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: tottime, …")
    parser.add_argument("--lines", type=int, default=45, help="cProfile's functions shown")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # one line per submission: the figures are the output
    from django.db import connection
    from django.test import Client, override_settings
    from rehearsal import png, sample_answers

    # Queued in the database, as production does (the test settings run tasks in-process).
    override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}).enable()

    timings: dict[str, float] = defaultdict(float)
    for label, module_name, attribute in PHASES:
        _wrap(timings, label, module_name, attribute)

    answers = sample_answers()
    # The demo's 托管站 are not loaded in this empty database; the choice is optional.
    answers["childcare"]["care_station"] = ""
    types = list(answers)
    picture = png()
    steps = Steps(connection)
    per_phase: dict[str, list[float]] = defaultdict(list)
    statements: dict[str, Counter] = defaultdict(Counter)
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiled = STEPS[args.profile]

        def profiled_run(label, call):  # profiles the one step asked for
            if label != profiled or not steps.timing:
                return Steps.run(steps, label, call)
            profiler.enable()
            try:
                return Steps.run(steps, label, call)
            finally:
                profiler.disable()

        steps.run = profiled_run
    with test_database():
        for number in range(args.runs + WARM_UP):
            steps.timing = number >= WARM_UP  # the first few warm caches and imports
            request_type = types[number % len(types)]
            timings.clear()
            journey(
                Client(),
                steps,
                request_type=request_type,
                answers=answers[request_type],
                name=f"压测示例{number:05d}",
                png=picture,
            )
            if number == WARM_UP:
                for label, queries in steps.queries.items():
                    statements[label].update(_summary(query["sql"]) for query in queries)
            if steps.timing:
                for label, *_ in PHASES:
                    per_phase[label].append(timings.get(label, 0.0))
        vendor = connection.vendor

    def median_ms(values) -> str:
        return f"{statistics.median(values) * 1000:7.1f}"

    print(f"A family's application, {args.runs} runs, database {vendor} (median per step)")
    print(f"  {'step':<22} {'wall ms':>7} {'CPU ms':>7} {'queries':>7}")
    for label, figures in steps.figures.items():
        print(
            f"  {label:<22} {median_ms(figures['wall'])} {median_ms(figures['cpu'])} "
            f"{statistics.median(figures['queries']):7.0f}"
        )
    print(
        f"  final POST wall ms p95 {sorted(steps.figures[FINAL]['wall'])[int(0.95 * args.runs)] * 1000:.1f}"
    )
    print("final POST, phases (wall ms, median; nested phases are inside their callers):")
    for label, *_ in PHASES:
        print(f"    {label:<36} {median_ms(per_phase[label])}")
    print(f"queries by statement, one {types[WARM_UP % len(types)]} journey:")
    for label, counted in statements.items():
        print(f"  {label}")
        for statement, count in counted.most_common():
            print(f"    {count:3d}  {statement}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.lines)
        print(f"{profiled}, cProfile over {args.runs} runs:")
        print(out.getvalue())
    return 0


def _summary(sql: str) -> str:
    """A statement's kind and table, without its values (which hold personal data)."""
    import re

    words = sql.split()
    kind = words[0].upper()
    match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.I)

    return f"{kind} {match.group(1) if match else ''}"


if __name__ == "__main__":
    sys.exit(main())

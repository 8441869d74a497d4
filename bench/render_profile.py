"""What rendering a public page costs inside one process, page type by page type: the CPU time
of the median render, its wall time and its queries, with the whole-page cache off
(PAGE_CACHE_SECONDS=0, as `make bench`'s `uncached` mode) and every other cache warm (the
renditions, the site's root paths), as on a server that has served the page before.

It creates a throwaway SQLite database in memory with the test settings (DEBUG off, Django's
cached template loader), loads the demo content into a temporary media folder, and calls the
WSGI handler as gunicorn does, with the middleware of the test settings. CPU time is this
process's own, which other load on the machine changes least. `--profile PAGE` adds cProfile's
heaviest functions for that page type; `--html DIR` writes each page's HTML there, to compare
the output before and after a change.

    .venv/bin/python bench/render_profile.py --renders 50
    .venv/bin/python bench/render_profile.py --profile article --sort tottime
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf.settings.test")

WARM_UP = 5
# The page types of issue 8's list, beyond bench/pages_bench.py's (which is this run's source
# of URLs): the education index, which lists the newest articles of every topic.
EXTRA_PAGES = {"education": "/education/"}
SKIPPED = {"search"}  # never rendered from a page: search/'s own benchmark (search_bench.py)


def wsgi_get(handler, url: str) -> tuple[int, bytes]:
    """One anonymous GET through the whole WSGI stack, as a server makes it."""
    path, _, query = url.partition("?")
    status = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    response = handler(environ, lambda line, headers, *exc: status.append(line))
    try:
        body = b"".join(response)
    finally:
        response.close()
    return int(status[0].split()[0]), body


def measure(handler, url: str, renders: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):  # renditions made, templates compiled, caches filled
        code, body = wsgi_get(handler, url)
        assert code == 200, f"{url} answered {code}"
    cpu, wall = [], []
    for _ in range(renders):
        started_wall, started_cpu = time.perf_counter(), time.process_time()
        wsgi_get(handler, url)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
    # Counted apart from the timed renders: capturing queries costs time of its own.
    with CaptureQueriesContext(connection) as queries:
        wsgi_get(handler, url)
    return {
        "cpu": statistics.median(cpu) * 1000,
        "wall": statistics.median(wall) * 1000,
        "queries": len(queries),
        "bytes": len(body),
        "html": body,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=50, help="timed renders per page type")
    parser.add_argument("--pages", help="only these page types, comma-separated")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile the renders of this type")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: tottime, …")
    parser.add_argument("--top", type=int, default=40, help="cProfile's lines")
    parser.add_argument("--html", metavar="DIR", help="write each page's HTML into DIR")
    args = parser.parse_args()

    import logging

    import django
    from django.test.utils import override_settings

    django.setup()
    media = tempfile.mkdtemp(prefix="render-profile-")
    # Every request renders the page; uploads and renditions go to a folder of this run's own.
    override_settings(PAGE_CACHE_SECONDS=0, MEDIA_ROOT=media).enable()
    logging.disable(logging.WARNING)
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection

    from bench.pages_bench import page_urls

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo_content", stdout=io.StringIO())
        urls = {
            name: url for name, url in {**page_urls(), **EXTRA_PAGES}.items() if name not in SKIPPED
        }
        if args.pages:
            urls = {name: urls[name] for name in args.pages.split(",")}
        if args.profile:
            urls = {args.profile: urls[args.profile]}
        handler = WSGIHandler()
        results = {name: measure(handler, url, args.renders) for name, url in urls.items()}
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.renders):
                wsgi_get(handler, urls[args.profile])
            profiler.disable()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(media, ignore_errors=True)

    print(
        f"Public pages rendered in-process, median of {args.renders} renders each "
        f"(SQLite in memory, whole-page cache off, load average {os.getloadavg()[0]:.1f})"
    )
    print(f"  {'page':<20} {'CPU ms':>7} {'wall ms':>8} {'queries':>7} {'KB':>6}")
    for name, figures in results.items():
        print(
            f"  {name:<20} {figures['cpu']:7.1f} {figures['wall']:8.1f} "
            f"{figures['queries']:7d} {figures['bytes'] / 1024:6.1f}"
        )
    if args.html:
        folder = Path(args.html)
        folder.mkdir(parents=True, exist_ok=True)
        for name, figures in results.items():
            (folder / f"{name.replace(' ', '_')}.html").write_bytes(figures["html"])
    if args.profile:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(f"\ncProfile, {args.renders} renders of {args.profile}:")
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Search benchmark: bulk indexing throughput and query latency on generated Chinese articles.

    .venv/bin/python bench/search_bench.py --sizes 10000 100000 --backend database engine

Each size runs in a worker process with a fresh SQLite database in a temporary folder: it
generates that many article pages from the demo articles' sentences (shuffled, fixed seed),
then, for each backend, rebuilds the search index (timed: documents per second) and runs the
site search for a fixed list of queries (page one with facets and highlights: p50 and p95).
"engine" is a throw-away OpenSearch node started with tools/opensearch/node.py, or the cluster
at --engine-url. Nothing here runs in the test suite except a tiny smoke run.
"""

import argparse
import datetime
import io
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_ARTICLES = ROOT / "demo" / "content" / "articles.json"
QUERIES = [
    "国防",
    "民兵",
    "双拥",
    "退役军人",
    "军娃",
    "优待证",
    "人武部",
    "随军家属",
    "国防教育",
    "训练",
    "红色资源",
    "拥军优属",
    "应急",
    "就业",
    "国防 民兵",
    "双拥 模范",
    "退役军人 就业",
    "军人子女",
    "后备力量建设",
    "征兵",
]
SENTENCE_END = re.compile(r"(?<=[。！？])")


def sentences() -> list[str]:
    """Every sentence of the demo articles' paragraphs."""
    found = []
    for article in json.loads(DEMO_ARTICLES.read_text(encoding="utf-8")):
        for block in article["body"]:
            if block["type"] == "paragraph":
                found.extend(s.strip() for s in SENTENCE_END.split(block["value"]) if len(s) > 8)
    return found


def generate_articles(*, parent, count: int, seed: int = 2025) -> int:
    """`count` live article pages under `parent`, written in bulk (a tree insert per page would
    take longer than the indexing being measured). Returns how many were made."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from education.models import ArticlePage

    rng = random.Random(seed)
    pool = sentences()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    first_step = parent.numchild + 1
    with transaction.atomic():
        for start in range(0, count, 1000):
            pages, details = [], []
            for number in range(start, min(start + 1000, count)):
                picked = rng.sample(pool, 6)
                title = picked[0][: rng.randint(10, 24)].rstrip("，、；：")
                slug = f"bench-{number}"
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type=content_type,
                        path=Page._get_path(parent.path, parent.depth + 1, first_step + number),
                        depth=parent.depth + 1,
                        numchild=0,
                        url_path=f"{parent.url_path}{slug}/",
                        live=True,
                        first_published_at=now,
                        last_published_at=now,
                        locale_id=parent.locale_id,
                        translation_key=uuid.uuid4(),
                    )
                )
                details.append(
                    {
                        "summary": picked[1][:300],
                        "date": datetime.date(2025, 1, 1) + datetime.timedelta(days=number % 365),
                        "source": "区人武部",
                        "body": [{"type": "paragraph", "value": f"<p>{s}</p>"} for s in picked[2:]],
                    }
                )
            Page.objects.bulk_create(pages)
            for page, fields in zip(pages, details, strict=True):
                # The child row only: raw saves skip the parent and the index signals.
                ArticlePage(page_ptr_id=page.pk, **fields).save_base(raw=True, force_insert=True)
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
    return count


def indexing_throughput(*, documents: int) -> float:
    """Rebuilds the default backend's indexes (not the database fallback kept beside an
    engine); documents per second."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("update_index", backend_name="default", stdout=io.StringIO())
    return documents / (time.perf_counter() - started)


def query_latency(*, queries=QUERIES, rounds: int = 3) -> tuple[float, float]:
    """Site search (page one, facets, highlights) for each query: (p50, p95) in milliseconds."""
    from search import api

    for query in queries[:3]:  # warm up: jieba's dictionary, connections, caches
        api.search_public(query)
    timings = []
    for _round in range(rounds):
        for query in queries:
            started = time.perf_counter()
            api.search_public(query)
            timings.append((time.perf_counter() - started) * 1000)
    percentiles = statistics.quantiles(timings, n=100)
    return statistics.median(timings), percentiles[94]


# --- Processes ----------------------------------------------------------------------------


def worker(size: int, backends: list[str], engine_url: str) -> list[dict]:
    """One size: a fresh database, the articles, then each backend's figures."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from wagtail.models import Site

    from education.factories import EducationIndexPageFactory, TopicPageFactory
    from search import api, health
    from search.conf import DATABASE_BACKEND, FALLBACK, engine_settings

    home = Site.objects.get(is_default_site=True).root_page
    topic = TopicPageFactory(parent=EducationIndexPageFactory(parent=home))
    started = time.perf_counter()
    generate_articles(parent=topic, count=size)
    generated = time.perf_counter() - started

    figures = []
    for backend in backends:
        if backend == "engine":
            prefix = f"bench-{uuid.uuid4().hex[:8]}"
            settings.WAGTAILSEARCH_BACKENDS = {
                "default": engine_settings(engine="opensearch2", urls=[engine_url], index=prefix),
                FALLBACK: dict(DATABASE_BACKEND),
            }
        else:
            settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
        try:
            throughput = indexing_throughput(documents=size)
            p50, p95 = query_latency()
            degraded = api.search_public("国防").degraded
        finally:
            if backend == "engine":  # a failed run must not leave its index filling the node
                es = health.configured_engine().es
                for name in es.indices.get(index=f"{prefix}_*"):
                    es.indices.delete(index=name)
        figures.append(
            {
                "backend": backend,
                "documents": size,
                "generate_s": round(generated, 1),
                "index_docs_per_s": round(throughput),
                "query_p50_ms": round(p50, 1),
                "query_p95_ms": round(p95, 1),
                "fell_back": degraded,
            }
        )
    return figures


def run_worker(size: int, backends: list[str], engine_url: str) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "siteconf.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        env.pop("SEARCH_URL", None)
        command = [sys.executable, __file__, "--worker", str(size), "--backend", *backends]
        command += ["--engine-url", engine_url] if engine_url else []
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"worker for {size} documents failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    header = f"{'backend':<9} {'documents':>9} {'index docs/s':>13} {'query p50 ms':>13} {'query p95 ms':>13}"
    lines = [header, "-" * len(header)]
    for row in rows:
        note = "  (engine unreachable: database answered)" if row["fell_back"] else ""
        lines.append(
            f"{row['backend']:<9} {row['documents']:>9} {row['index_docs_per_s']:>13} "
            f"{row['query_p50_ms']:>13} {row['query_p95_ms']:>13}{note}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--backend", nargs="+", choices=["database", "engine"], default=["database", "engine"]
    )
    parser.add_argument("--engine-url", default="", help="an existing cluster; else one is started")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    if args.worker:
        print(json.dumps(worker(args.worker, args.backend, args.engine_url)))
        return 0

    node = None
    engine_url = args.engine_url
    if "engine" in args.backend and not engine_url:
        from tools.opensearch.node import start_node

        node = start_node(heap=os.environ.get("OPENSEARCH_HEAP", "768m"))
        engine_url = node.url
    try:
        rows = []
        for size in args.sizes:
            figures = run_worker(size, args.backend, engine_url)
            rows.extend(figures)
            print("\n".join(table(figures).splitlines()[2:]), flush=True)
    finally:
        if node is not None:
            node.stop()
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

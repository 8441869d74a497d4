"""Smoke test of the test node: analysis chain, search, highlight, restart, modelsearch.

    .venv/bin/python tools/opensearch/smoke.py [URL]      (no URL: starts its own node)

Needs opensearch-py (and optionally Django + modelsearch for the backend check).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from node import start_node  # noqa: E402

from opensearchpy import OpenSearch  # noqa: E402

INDEX = "smoke_syzj"
SETTINGS = {
    "settings": {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "analysis": {
            "filter": {
                "syzj_synonyms": {"type": "synonym_graph", "synonyms": ["军娃, 军人子女"]},
                "syzj_edge": {"type": "edge_ngram", "min_gram": 1, "max_gram": 10},
                "syzj_ngram": {"type": "ngram", "min_gram": 1, "max_gram": 2},
            },
            "tokenizer": {
                "syzj_edge_tok": {"type": "edge_ngram", "min_gram": 1, "max_gram": 10,
                                  "token_chars": ["letter", "digit"]},
                "syzj_ngram_tok": {"type": "ngram", "min_gram": 1, "max_gram": 2},
            },
            "analyzer": {
                "syzj_index": {"type": "custom", "tokenizer": "whitespace",
                               "filter": ["lowercase"]},
                "syzj_search": {"type": "custom", "tokenizer": "whitespace",
                                "filter": ["lowercase", "syzj_synonyms"]},
                "syzj_autocomplete": {"type": "custom", "tokenizer": "whitespace",
                                      "filter": ["lowercase", "syzj_edge"]},
                "syzj_edge_tok_an": {"type": "custom", "tokenizer": "syzj_edge_tok",
                                     "filter": ["lowercase"]},
                "syzj_ngram_an": {"type": "custom", "tokenizer": "whitespace",
                                  "filter": ["lowercase", "syzj_ngram"]},
                "syzj_ngram_tok_an": {"type": "custom", "tokenizer": "syzj_ngram_tok"},
            },
        },
    },
    "mappings": {"properties": {
        "title": {"type": "text", "analyzer": "syzj_index", "search_analyzer": "syzj_search",
                  "fields": {"ac": {"type": "text", "analyzer": "syzj_autocomplete",
                                    "search_analyzer": "syzj_index"}}},
    }},
}
DOCS = ["国防 教育 进 校园", "关爱 军人子女 成长", "退役 军人 就业 服务", "双拥 模范 城 创建"]


def check(cond: bool, msg: str) -> None:
    print(("OK   " if cond else "FAIL ") + msg)
    if not cond:
        raise SystemExit(1)


def tokens(es: OpenSearch, analyzer: str, text: str) -> list[str]:
    r = es.indices.analyze(index=INDEX, body={"analyzer": analyzer, "text": text})
    return [t["token"] for t in r["tokens"]]


def run(url: str) -> OpenSearch:
    es = OpenSearch([url])
    info = es.info()
    print("OpenSearch", info["version"]["number"], "lucene", info["version"]["lucene_version"])
    if es.indices.exists(index=INDEX):
        es.indices.delete(index=INDEX)
    es.indices.create(index=INDEX, body=SETTINGS)
    for i, t in enumerate(DOCS):
        es.index(index=INDEX, id=str(i), body={"title": t})
    es.indices.refresh(index=INDEX)

    def hits(q):
        return [h["_source"]["title"] for h in es.search(index=INDEX, body=q)["hits"]["hits"]]

    check(hits({"query": {"match": {"title": "国防"}}}) == [DOCS[0]], "match 国防")
    check(DOCS[1] in hits({"query": {"match": {"title": "军娃"}}}), "synonym 军娃 -> 军人子女")
    check(DOCS[1] in hits({"query": {"match_phrase": {"title": "军娃 成长"}}}),
          "synonym_graph inside a phrase")
    check(DOCS[2] in hits({"query": {"match": {"title.ac": "就"}}}), "edge_ngram autocomplete 就")
    r = es.search(index=INDEX, body={"query": {"match": {"title": "教育"}},
                                     "highlight": {"fields": {"title": {}}}})
    hl = r["hits"]["hits"][0]["highlight"]["title"][0]
    check(hl == "国防 <em>教育</em> 进 校园", f"highlight: {hl}")
    check(tokens(es, "syzj_edge_tok_an", "军人") == ["军", "军人"], "edge_ngram tokenizer")
    check(tokens(es, "syzj_ngram_an", "国防") == ["国", "国防", "防"], "ngram filter")
    check(tokens(es, "syzj_ngram_tok_an", "国防") == ["国", "国防", "防"], "ngram tokenizer")
    return es


def check_modelsearch(url: str) -> None:
    try:
        import django
        from django.conf import settings
    except ImportError:
        print("SKIP modelsearch (no django)")
        return
    import os

    import opensearchpy
    # modelsearch's opensearch2 backend calls the opensearch-py 2.x positional API;
    # with opensearch-py >= 3 the opensearch3 backend is needed (both work on server 2.19).
    default = "opensearch3" if opensearchpy.__version__[0] >= 3 else "opensearch2"
    module = os.environ.get("SMOKE_MS_BACKEND", f"modelsearch.backends.{default}")
    print("opensearch-py", opensearchpy.__version__, "backend module", module)
    backend = {"BACKEND": module, "URLS": [url],
               "INDEX": "syzj_smoke_ms", "OPTIONS": {}, "INDEX_SETTINGS": {}}
    if not settings.configured:
        settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "modelsearch"],
                           DATABASES={}, MODELSEARCH_BACKENDS={"default": backend},
                           WAGTAILSEARCH_BACKENDS={"default": backend})
        django.setup()
    from modelsearch.backends import get_search_backend
    b = get_search_backend("default")
    print("backend", type(b).__module__ + "." + type(b).__name__)
    check(b.es.ping(), "modelsearch backend client ping")
    check(b.es.info()["version"]["number"].startswith("2."), "modelsearch backend info()")
    idx = b.index_class(b, "syzj_smoke_ms")  # index with modelsearch's own analysis settings
    if idx.exists():
        idx.delete()
    idx.put()
    check(idx.exists(), "modelsearch index_class.put() with its default INDEX_SETTINGS")
    idx.delete()


def main() -> None:
    if len(sys.argv) > 1:
        run(sys.argv[1])
        check_modelsearch(sys.argv[1])
        return
    t0 = time.monotonic()
    node = start_node()
    print(f"started {node.url} in {time.monotonic() - t0:.1f}s, rss {node.rss_kb() // 1024} MiB")
    es = run(node.url)
    check_modelsearch(node.url)
    port = node.url
    t0 = time.monotonic()
    node.restart()
    print(f"restarted in {time.monotonic() - t0:.1f}s -> {node.url}")
    check(node.url == port, "same port after restart")
    es = OpenSearch([node.url])
    es.cluster.health(index=INDEX, wait_for_status="green")
    check(es.count(index=INDEX)["count"] == len(DOCS), "documents survived restart")
    data = node.data_dir
    node.stop()
    node.stop()
    check(not data.exists() and not node.running(), "stop() idempotent, data dir removed")


if __name__ == "__main__":
    main()

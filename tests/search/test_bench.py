"""The benchmark's own code, on a tiny corpus (the real run: bench/search_bench.py)."""

import pytest

from bench import search_bench
from education.models import ArticlePage

from .conftest import refresh


@pytest.mark.django_db
def test_the_benchmark_generates_indexes_and_queries(search_backend, topic):
    search_bench.generate_articles(parent=topic, count=25)
    assert ArticlePage.objects.live().count() == 25
    topic.refresh_from_db()
    assert topic.numchild == 25 and ArticlePage.objects.first().get_parent().pk == topic.pk

    assert search_bench.indexing_throughput(documents=25) > 0
    refresh()
    p50, p95 = search_bench.query_latency(queries=["国防", "民兵 训练"], rounds=2)
    assert 0 < p50 <= p95
    assert "backend" in search_bench.table(
        [
            {
                "backend": "database",
                "documents": 25,
                "index_docs_per_s": 1,
                "query_p50_ms": p50,
                "query_p95_ms": p95,
                "fell_back": False,
            }
        ]
    )

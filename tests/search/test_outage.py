"""The engine stopped in the middle of a test: saves go on, public search falls back to the
database with a notice, and once the engine is back the catch-up leaves nothing missing.
Then a three-node cluster (one replica per shard) keeps answering with one node down, and the
status page says yellow until the node is back, then green.

Each test starts its own nodes (tools/opensearch/node.py), apart from the shared one.
"""

import io
import os
import signal
import time
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from modelsearch.backends import get_search_backend

from search import api, health
from search.conf import engine_settings
from search.deadline import SearchDeadlineMiddleware
from search.health import ENGINE_ERRORS
from search.models import PendingIndexUpdate
from search.status import index_status
from tools.opensearch.node import start_node

from .conftest import engine_backends, engine_url, rebuild

pytestmark = pytest.mark.django_db


def titles(outcome):
    return sorted(result.object.title for result in outcome.results)


@pytest.fixture
def own_node():
    engine_url()  # the same rule as the shared node: fail in CI, skip locally
    node = start_node()
    yield node
    node.stop()


def test_saves_go_on_while_the_engine_is_down_and_it_catches_up(
    own_node, settings, article, indexed, client
):
    prefix = f"outage-{uuid.uuid4().hex[:8]}"
    settings.WAGTAILSEARCH_BACKENDS = engine_backends(own_node.url, prefix)
    kept = article(title="民兵训练公告")
    gone = article(title="民兵旧通知")
    rebuild()
    assert titles(api.search_public("民兵")) == ["民兵旧通知", "民兵训练公告"]

    own_node.stop(keep_data=True)
    with indexed():
        added = article(title="民兵应急演练通知")
        gone.delete()
        kept.title = "民兵训练公告（修订）"
        kept.save_revision().publish()
    assert PendingIndexUpdate.objects.count() >= 3

    fallback = api.search_public("民兵")
    assert fallback.degraded
    assert titles(fallback) == ["民兵应急演练通知", "民兵训练公告（修订）"]
    html = client.get(reverse("search"), {"q": "民兵"}).content.decode()
    assert "搜索服务暂时不可用，以下为简化结果" in html and "<mark>民兵</mark>应急演练通知" in html

    own_node.restart()
    settings.WAGTAILSEARCH_BACKENDS = engine_backends(own_node.url, prefix)
    cache.delete(health.ENGINE_DOWN_KEY)  # as when its 30 seconds are over
    # The first search the engine answers again starts the catch-up.
    assert not api.search_public("民兵").degraded
    assert not PendingIndexUpdate.objects.exists()
    output = io.StringIO()
    call_command("search_catch_up", stdout=output)
    assert output.getvalue().startswith("已补 0 项索引更新")
    caught_up = api.search_public("民兵")
    assert not caught_up.degraded
    assert titles(caught_up) == ["民兵应急演练通知", "民兵训练公告（修订）"]
    assert added.pk in {result.object.pk for result in caught_up.results}


def test_a_hung_engine_holds_a_search_no_longer_than_its_timeout(own_node, settings, article):
    """SEARCH_TIMEOUT counts from the request's arrival: a request that worked for a while
    before asking a hung engine (SIGSTOP, as in `make load --fault engine-hang`) still answers,
    from the database, within the timeout and a second."""
    timeout, own_work = 4, 2.5
    settings.WAGTAILSEARCH_BACKENDS = engine_backends(
        own_node.url, f"hang-{uuid.uuid4().hex[:8]}", timeout=timeout
    )
    article(title="民兵训练公告")
    rebuild()

    def view(request):
        time.sleep(own_work)  # the request's own work before its search
        return api.search_public("民兵")

    # The Elasticsearch client family passes its wait another way (no Elasticsearch node runs
    # here): its request to the stopped node must give up as early.
    settings.WAGTAILSEARCH_BACKENDS["elasticsearch"] = engine_settings(
        engine="elasticsearch8", urls=[own_node.url], index="hang", timeout=timeout
    )

    def elasticsearch_view(request):
        time.sleep(own_work)
        with pytest.raises(ENGINE_ERRORS):
            get_search_backend("elasticsearch").query_engine(index="hang_any", body={})

    os.killpg(own_node.pid, signal.SIGSTOP)
    try:
        waited = {}
        for name, view_of in (("opensearch", view), ("elasticsearch", elasticsearch_view)):
            arrived = time.monotonic()
            outcome = SearchDeadlineMiddleware(view_of)(RequestFactory().get("/search/"))
            waited[name] = time.monotonic() - arrived
            if name == "opensearch":
                assert outcome.degraded and titles(outcome) == ["民兵训练公告"]
    finally:
        os.killpg(own_node.pid, signal.SIGCONT)
    # Each call waiting the whole timeout would take own_work + timeout = 6.5 s.
    assert all(seconds < timeout + 1 for seconds in waited.values()), waited


def test_a_three_node_cluster_answers_with_one_node_down(settings, article, indexed):
    engine_url()
    cluster = start_node(nodes=3)
    try:
        settings.WAGTAILSEARCH_BACKENDS = engine_backends(
            cluster.urls, f"cluster-{uuid.uuid4().hex[:8]}", replicas=1
        )
        article(title="双拥共建座谈会")
        rebuild()
        assert titles(api.search_public("双拥", types=["article"])) == ["双拥共建座谈会"]

        cluster.stop_one(1)
        with indexed():
            article(title="双拥文艺汇演")
        outcome = api.search_public("双拥", types=["article"])
        assert not outcome.degraded
        assert titles(outcome) == ["双拥共建座谈会", "双拥文艺汇演"]
        assert not PendingIndexUpdate.objects.exists()
        assert cluster_status_within(30, "yellow") == "yellow", "a copy of each shard is missing"

        cluster.start_one(1)
        assert cluster_status_within(120, "green") == "green", "the node took its copies back"
    finally:
        cluster.stop()


def cluster_status_within(seconds: float, wanted: str) -> str:
    """What the index status page says of the cluster, read until it says `wanted`."""
    deadline = time.monotonic() + seconds
    while True:
        shown = index_status()["cluster"]["status"]
        if shown == wanted or time.monotonic() > deadline:
            return shown
        time.sleep(0.5)

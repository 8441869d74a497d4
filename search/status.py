"""What staff see on the index status page: the backend, its health, its indexes and the
updates waiting for the engine."""

from django.utils.translation import gettext_lazy as _

from .health import (
    ENGINE_ERRORS,
    configured_engine,
    engine_behind,
    mark_engine_down,
)

# The engine's health of this site's indexes, in the words staff read.
HEALTH_LABELS = {
    "green": _("正常（green）：每个分片及其副本都可用"),
    "yellow": _("降级（yellow）：每个分片都可用，搜索结果完整，但有副本未分配（例如一个节点停机）"),
    "red": _("故障（red）：有分片不可用，搜索结果可能不完整"),
}


def index_status() -> dict:
    from wagtail.search.models import IndexEntry

    from .models import PendingIndexUpdate

    pending = PendingIndexUpdate.objects.all()
    status = {
        "engine": False,
        "healthy": True,
        "cluster": None,
        "indexes": [],
        "error": "",
        "rebuild_needed": False,
        "behind": False,
        "pending_count": pending.count(),
        "oldest_pending": pending.order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
    }
    backend = configured_engine()
    if backend is None:
        status["indexes"] = [("database", IndexEntry.objects.count())]
        return status
    status["engine"] = True
    status["behind"] = engine_behind()
    try:
        # This site's indexes only: another environment sharing the cluster is not ours.
        health = backend.es.cluster.health(index=f"{backend.index_prefix}*")
        status["cluster"] = {
            "name": health["cluster_name"],
            "status": health["status"],
            "label": HEALTH_LABELS.get(health["status"], health["status"]),
            "nodes": health["number_of_nodes"],
            "unassigned_shards": health["unassigned_shards"],
        }
        for index in backend.all_indexes():
            exists = backend.es.indices.exists(index=index.name)
            count = backend.es.count(index=index.name)["count"] if exists else None
            status["indexes"].append((index.name, count))
            status["rebuild_needed"] |= not exists
        status["healthy"] = health["status"] in ("green", "yellow")
    except ENGINE_ERRORS as error:
        status["healthy"] = False
        status["error"] = str(error)[:300]
        mark_engine_down(error)
    return status

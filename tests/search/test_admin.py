"""What editors and staff see in the admin: synonyms, search terms, the index's health."""

import pytest
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query

from search import stats
from search.models import PendingIndexUpdate, Synonym
from services.factories import StaffFactory

from .conftest import rebuild

pytestmark = pytest.mark.django_db


def test_editors_manage_synonyms_as_a_snippet(admin_client):
    url = reverse("wagtailsnippets_search_synonym:add")
    response = admin_client.post(url, {"terms": "老兵, 退役老兵"})
    assert response.status_code == 302
    assert Synonym.objects.latest("pk").term_list() == ["老兵", "退役老兵"]
    assert (
        "老兵，退役老兵"
        in admin_client.get(reverse("wagtailsnippets_search_synonym:list")).content.decode()
    )
    response = admin_client.post(url, {"terms": "军娃"})
    assert "请至少填写两个词" in response.content.decode()


def test_editors_see_what_was_searched_and_what_found_nothing(client):
    stats.search_record(query="民兵", found=True)
    stats.search_record(query="航母", found=False)
    stats.search_record(query="航母", found=False)
    stats.search_events_roll_up()
    terms = {q.query_string: (q.searches, q.misses) for q in stats.search_terms()}
    assert terms == {"航母": (2, 2), "民兵": (1, 0)}
    assert list(stats.search_terms(zero_results_only=True)) == [Query.get("航母")]

    url = reverse("search_admin:terms")
    client.force_login(StaffFactory(permissions=["wagtailsearchpromotions.add_searchpromotion"]))
    html = client.get(url).content.decode()
    assert html.index("航母") < html.index("民兵")

    client.force_login(StaffFactory())
    assert client.get(url).status_code == 302


def test_staff_see_the_index_health_and_can_replay_pending_updates(
    search_backend, client, home_page
):
    rebuild()
    client.force_login(StaffFactory())
    html = client.get(reverse("search_admin:status")).content.decode()
    if search_backend == "engine":
        assert "搜索引擎" in html and "1 个节点" in html and "_wagtailcore_page" in html
        # One node, no replicas asked for (SEARCH_INDEX_REPLICAS 0): nothing left unassigned.
        assert 'data-cluster-status="green"' in html and "正常（green）" in html
        assert "未分配" not in html
    else:
        assert "数据库（内置）" in html

    PendingIndexUpdate.objects.create(model_label="wagtailcore.page", object_id=str(home_page.pk))
    # Seeing the state is for every staff member; replaying takes the permission.
    assert "立即补录" not in client.get(reverse("search_admin:status")).content.decode()
    refused = client.post(reverse("search_admin:status"))
    assert refused.status_code == 302 and refused.url == "/admin/"  # Wagtail's "no permission"
    assert PendingIndexUpdate.objects.exists()

    client.force_login(StaffFactory(permissions=["search.delete_pendingindexupdate"]))
    response = client.post(reverse("search_admin:status"), follow=True)
    assert response.status_code == 200
    assert PendingIndexUpdate.objects.exists() is (search_backend == "database")

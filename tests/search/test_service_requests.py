"""Service requests are searched by staff only, within their scope, and no personal data
is indexed: the same tests on the database backend and on the engine."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.search.models import IndexEntry

from search import api, health
from search.registry import staff_type
from services.actions import service_request_transition
from services.factories import (
    EXAMPLE_ID_NUMBER,
    EXAMPLE_PHONE,
    ServiceRequestFactory,
    StaffFactory,
    StaffScopeFactory,
    street,
)
from services.models import IndexedServiceRequest, RequestType, Status

from .conftest import rebuild

pytestmark = pytest.mark.django_db

PERSONAL = ("王丽", EXAMPLE_PHONE, "138", EXAMPLE_ID_NUMBER, "张小军", "某部队")


def staff_search(*, user, query):
    """What the staff search page shows this user: services' scope, search's function."""
    requests = staff_type("service_request")
    return api.search_queryset(requests.queryset(user), query, url=requests.url)


def references(outcome):
    return sorted(result.object.reference for result in outcome.results)


def indexed_text(request) -> str:
    """Everything the index holds about one request, whichever backend holds it."""
    backend = health.configured_engine()
    if backend is None:
        content_type = ContentType.objects.get_for_model(IndexedServiceRequest)
        entry = IndexEntry.objects.get(content_type=content_type, object_id=str(request.pk))
        return f"{entry.title} {entry.body} {entry.autocomplete}"
    index = backend.get_index_for_model(IndexedServiceRequest).name
    return json.dumps(
        backend.es.get(index=index, id=str(request.pk))["_source"], ensure_ascii=False
    )


@pytest.fixture
def requests(indexed, db):
    rebuild()
    with indexed():
        mine = ServiceRequestFactory(request_type=RequestType.CHILDCARE, district=street("ciqikou"))
        other = ServiceRequestFactory(
            request_type=RequestType.CHILDCARE, district=street("shapingba")
        )
    return mine, other


def test_staff_find_requests_in_their_scope_only(search_backend, requests):
    mine, other = requests
    staff = StaffScopeFactory(request_type=RequestType.CHILDCARE, district=street("ciqikou")).user
    supervisor = StaffFactory(permissions=["services.view_all_requests"])

    def search(user, query):
        return references(staff_search(user=user, query=query))

    assert search(staff, "军娃托管") == [mine.reference]
    assert search(staff, "磁器口") == [mine.reference]
    assert search(staff, other.reference) == []
    assert search(supervisor, "军娃托管") == sorted([mine.reference, other.reference])
    assert search(StaffFactory(), "军娃托管") == []


def test_the_public_never_finds_a_service_request(search_backend, requests, client):
    mine, _other = requests
    assert api.search_public(mine.reference).total == 0
    assert api.search_public("军娃托管").total == 0
    html = client.get(reverse("search"), {"q": mine.reference}).content.decode()
    assert "找到 0 条结果" in html and "search-results" not in html


def test_no_personal_data_is_indexed(search_backend, requests):
    mine, _other = requests
    supervisor = StaffFactory(permissions=["services.view_all_requests"])
    text = indexed_text(mine)
    assert mine.reference.split("-")[1].lower() in text.lower()
    for value in PERSONAL:
        assert value not in text
        assert staff_search(user=supervisor, query=value).total == 0


def test_status_changes_are_indexed(search_backend, requests, indexed):
    mine, _other = requests
    supervisor = StaffFactory(permissions=["services.view_all_requests"])
    with indexed():
        service_request_transition(
            service_request=mine,
            to_status=Status.ACCEPTED,
            actor=supervisor,
            expected_version=mine.version,
        )
    found = staff_search(user=supervisor, query="已受理")
    assert references(found) == [mine.reference]


def test_the_staff_search_page_is_for_staff_who_handle_requests(search_backend, requests, client):
    mine, _other = requests
    staff = StaffScopeFactory(request_type=RequestType.CHILDCARE, district=street("ciqikou")).user
    url = reverse("search_admin:staff", args=["service_request"])

    client.force_login(staff)
    html = client.get(url, {"q": "托管"}).content.decode()
    assert mine.reference in html
    assert reverse("services_admin:detail", args=[mine.pk]) in html

    client.force_login(StaffFactory())  # an editor who handles no requests: sent away
    response = client.get(url, {"q": "托管"})
    assert response.status_code == 302 and mine.reference not in response.content.decode()

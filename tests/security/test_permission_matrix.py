"""Every back-office URL, for anonymous, unscoped, scoped and supervising users.

The table names every URL of the staff side; a new URL without a row fails the suite, so
nobody adds a view without saying who may use it.
"""

import contextlib
import itertools

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse

from services.factories import ServiceRequestFactory, StaffFactory, StaffScopeFactory
from services.models import RequestType

from ..services.files import png_upload

KINDS = ["anonymous", "unscoped", "scoped", "supervisor"]
# URL name → what each kind gets: "login" (sent to log in), "denied", or "ok".
# "any" means: staff pages another team owns, checked here only for never failing.
MATRIX = {
    "services_admin:queue": ("login", "denied", "ok", "ok"),
    "services_admin:detail": ("login", "denied", "ok", "ok"),
    "services_admin:attachment": ("login", "denied", "denied", "ok"),
    "services_admin:export_csv": ("login", "denied", "ok", "ok"),
    "services_admin:export_xlsx": ("login", "denied", "ok", "ok"),
    "services_admin:dashboard": ("login", "denied", "ok", "ok"),
    "services_admin:audit_log": ("login", "denied", "denied", "ok"),
    "services_admin:enter_choose": ("login", "denied", "ok", "ok"),
    "services_admin:enter": ("login", "denied", "ok", "ok"),
    "search_admin:staff": ("login", "denied", "ok", "ok"),  # key = service_request
    "search_admin:status": ("login", "any", "any", "any"),
    "search_admin:terms": ("login", "any", "any", "any"),
    "search_admin:terms_results": ("login", "any", "any", "any"),
    "home_login_lockouts": ("login", "denied", "denied", "denied"),
}
NAMESPACES = ("services_admin", "search_admin", "merchants_admin")


def _staff_url_names() -> set[str]:
    resolver = get_resolver()
    names = {"home_login_lockouts"}
    for namespace in NAMESPACES:
        if namespace in resolver.namespace_dict:
            _prefix, sub = resolver.namespace_dict[namespace]
            names |= {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    return names


def test_every_staff_url_has_a_row():
    assert _staff_url_names() == set(MATRIX)


@pytest.fixture
def objects(db):
    service_request = ServiceRequestFactory(
        request_type=RequestType.CHILDCARE, files=[png_upload()]
    )
    return {
        "pk": service_request.pk,
        "attachment_pk": service_request.attachments.get().pk,
        "request_type": RequestType.CHILDCARE.value,
        "key": "service_request",  # the staff search services registers
    }


def _user(kind):
    if kind == "unscoped":
        return StaffFactory(username="unscoped")
    if kind == "scoped":
        return StaffScopeFactory(request_type=RequestType.CHILDCARE, user__username="scoped").user
    if kind == "supervisor":
        return StaffFactory(username="boss", permissions=["services.view_all_requests"])
    return None


def _url(name, objects):
    """The URL with whichever of the objects' keys its pattern takes."""
    for size in range(len(objects) + 1):
        for keys in itertools.combinations(objects, size):
            with contextlib.suppress(NoReverseMatch):
                return reverse(name, kwargs={key: objects[key] for key in keys})
    raise AssertionError(f"cannot build a URL for {name}")


def _outcome(response):
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return "login"
    if response.status_code in (302, 403):
        return "denied"
    if response.status_code == 200:
        if response.streaming:
            b"".join(response.streaming_content)
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize("kind", KINDS)
def test_permission_matrix(client, objects, kind):
    user = _user(kind)
    if user is not None:
        client.force_login(user)
    for name, expected in MATRIX.items():
        response = client.get(_url(name, objects))
        assert response.status_code < 500, name
        want = expected[KINDS.index(kind)]
        if want != "any":
            assert _outcome(response) == want, (name, kind)

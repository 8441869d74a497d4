import pytest
from django.urls import reverse

from services.factories import EXAMPLE_PHONE
from services.tracking import (
    MAX_FAILURES_PER_CLIENT,
    MAX_FAILURES_PER_REFERENCE,
    service_request_track,
)
from services.views import NOT_FOUND_MESSAGE


def track(reference, phone=EXAMPLE_PHONE, ip="10.0.0.1"):
    return service_request_track(reference=reference, phone=phone, client_ip=ip)


def test_reference_and_phone_find_the_request(service_request):
    assert track(service_request.reference) == service_request
    assert track(" " + service_request.reference.lower(), phone="138 1234 5678") == service_request


def test_a_wrong_phone_or_reference_finds_nothing(service_request):
    assert track(service_request.reference, phone="13900000000") is None
    assert track("SY2026-AAAAAAAA") is None


def test_a_reference_is_locked_after_repeated_wrong_phones(service_request):
    for attempt in range(MAX_FAILURES_PER_REFERENCE):
        assert (
            track(service_request.reference, phone=f"1390000000{attempt}", ip=f"10.0.1.{attempt}")
            is None
        )
    assert track(service_request.reference, ip="10.0.2.1") is None, (
        "even the right phone is refused"
    )


def test_a_client_is_locked_after_guessing_many_references(service_request):
    for attempt in range(MAX_FAILURES_PER_CLIENT):
        assert track(f"SY2026-GUESS{attempt:03d}") is None
    assert track(service_request.reference) is None
    assert track(service_request.reference, ip="10.9.9.9") == service_request


def test_anonymised_requests_cannot_be_tracked(service_request):
    from services.actions import service_request_anonymise

    service_request_anonymise(service_request=service_request)
    assert track(service_request.reference) is None


@pytest.mark.parametrize("case", ["unknown", "wrong-phone", "locked"])
def test_the_page_gives_one_uniform_answer(client, service_request, case):
    url = reverse("services:track")
    reference = service_request.reference if case != "unknown" else "SY2026-ZZZZZZZZ"
    phone = "13900000000" if case != "unknown" else EXAMPLE_PHONE
    if case == "locked":
        for _attempt in range(MAX_FAILURES_PER_REFERENCE):
            client.post(url, {"reference": reference, "phone": "13900000001"})
        phone = EXAMPLE_PHONE
    response = client.post(url, {"reference": reference, "phone": phone})
    assert response.status_code == 200
    assert NOT_FOUND_MESSAGE in response.content.decode()
    assert "services:tracked" not in client.session


def test_the_right_pair_opens_the_timeline_without_personal_data_in_the_url(
    client, service_request
):
    response = client.post(
        reverse("services:track"),
        {"reference": service_request.reference, "phone": EXAMPLE_PHONE},
        follow=True,
    )
    [(url, _status)] = response.redirect_chain
    assert url == reverse("services:track_status")
    page = response.content.decode()
    assert service_request.reference in page and "已提交" in page
    assert EXAMPLE_PHONE not in page and "王丽" not in page


def test_behind_a_proxy_each_client_is_counted_by_the_proxys_header(
    client, service_request, settings
):
    settings.SERVICES_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    url = reverse("services:track")
    for attempt in range(MAX_FAILURES_PER_CLIENT):
        client.post(
            url,
            {"reference": f"SY2026-GUESS{attempt:03d}", "phone": EXAMPLE_PHONE},
            HTTP_X_REAL_IP="203.0.113.9",
        )
    right = {"reference": service_request.reference, "phone": EXAMPLE_PHONE}
    assert client.post(url, right, HTTP_X_REAL_IP="203.0.113.9").status_code == 200
    assert client.post(url, right, HTTP_X_REAL_IP="203.0.113.10").status_code == 302

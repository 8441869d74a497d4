import pytest
from django.test import RequestFactory
from django.urls import reverse

from services.factories import EXAMPLE_PHONE
from services.tracking import (
    FAILURE_WINDOW_SECONDS,
    MAX_FAILURES_PER_CLIENT,
    MAX_FAILURES_PER_REFERENCE,
    client_ip,
    service_request_track,
)
from services.views import NOT_FOUND_MESSAGE


def track(reference, phone=EXAMPLE_PHONE, ip="10.0.0.1"):
    return service_request_track(reference=reference, phone=phone, client_ip=ip).service_request


def wait(reference, phone=EXAMPLE_PHONE, ip="10.0.0.1"):
    return service_request_track(reference=reference, phone=phone, client_ip=ip).wait_seconds


def test_reference_and_phone_find_the_request(service_request):
    assert track(service_request.reference) == service_request
    assert track(" " + service_request.reference.lower(), phone="138 1234 5678") == service_request


def test_a_wrong_phone_or_reference_finds_nothing(service_request):
    assert track(service_request.reference, phone="13900000000") is None
    assert track("SY2026-AAAAAAAA") is None
    assert wait(service_request.reference, phone="13900000000") == 0


def test_a_stranger_who_knows_the_reference_cannot_lock_the_family_out(service_request):
    for attempt in range(3 * MAX_FAILURES_PER_REFERENCE):
        track(service_request.reference, phone=f"139000000{attempt:02d}", ip=f"10.0.1.{attempt}")
    assert track(service_request.reference, ip="10.0.2.1") == service_request


def test_once_a_reference_is_under_attack_each_address_gets_one_guess(service_request):
    reference = service_request.reference
    for attempt in range(MAX_FAILURES_PER_REFERENCE - 1):
        assert wait(reference, phone=f"1390000000{attempt}", ip="10.0.1.1") == 0
    # The guess that reaches the limit: told to wait at once.
    assert 0 < wait(reference, phone="13900000009", ip="10.0.1.1") <= FAILURE_WINDOW_SECONDS
    assert wait(reference, ip="10.0.1.1") > 0, "the guesser waits, even with the right phone"
    assert wait(reference, phone="13900000008", ip="10.0.1.2") > 0, "a new address: one guess"
    assert wait(reference, phone="13900000007", ip="10.0.1.2") > 0
    assert track(reference, ip="10.0.1.3") == service_request, "the family still gets in"


def test_a_client_is_locked_after_guessing_many_references(service_request):
    for attempt in range(MAX_FAILURES_PER_CLIENT):
        assert track(f"SY2026-GUESS{attempt:03d}") is None
    assert wait(service_request.reference) > 0
    assert track(service_request.reference) is None
    assert track(service_request.reference, ip="10.9.9.9") == service_request


def test_anonymised_requests_cannot_be_tracked(service_request):
    from services.actions import service_request_anonymise

    service_request_anonymise(service_request=service_request)
    assert track(service_request.reference) is None


@pytest.mark.parametrize("case", ["unknown", "wrong-phone"])
def test_an_unknown_reference_and_a_wrong_phone_get_one_answer(client, service_request, case):
    url = reverse("services:track")
    reference = service_request.reference if case != "unknown" else "SY2026-ZZZZZZZZ"
    phone = "13900000000" if case != "unknown" else EXAMPLE_PHONE
    response = client.post(url, {"reference": reference, "phone": phone}, follow=True)
    assert response.redirect_chain == [(url, 303)], "post/redirect/get"
    page = response.content.decode()
    assert NOT_FOUND_MESSAGE in page
    assert phone not in page, "the phone number is typed again, never kept"
    assert "services:tracked" not in client.session


def test_a_throttled_client_is_told_how_long_to_wait(client, service_request):
    url = reverse("services:track")
    for attempt in range(MAX_FAILURES_PER_CLIENT - 1):
        client.post(url, {"reference": f"SY2026-GUESS{attempt:03d}", "phone": EXAMPLE_PHONE})
    response = client.post(url, {"reference": service_request.reference, "phone": "13900000000"})
    assert response.status_code == 429
    assert "请 15 分钟后再试" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= FAILURE_WINDOW_SECONDS
    right = {"reference": service_request.reference, "phone": EXAMPLE_PHONE}
    assert client.post(url, right).status_code == 429
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
    assert client.post(url, right, HTTP_X_REAL_IP="203.0.113.9").status_code == 429
    assert client.post(url, right, HTTP_X_REAL_IP="203.0.113.10").url == reverse(
        "services:track_status"
    )


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        ("", {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "192.0.2.1"),  # no proxy: ignored
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}, "198.51.100.7"),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "not an address"}, "192.0.2.1"),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::/64"),
    ],
)
def test_the_client_address_comes_only_from_the_configured_proxy_header(
    settings, header, meta, expected
):
    settings.SERVICES_CLIENT_IP_HEADER = header
    request = RequestFactory().post("/services/track/", REMOTE_ADDR="192.0.2.1", **meta)
    assert client_ip(request) == expected

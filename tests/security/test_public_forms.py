"""Hostile values through every public form: never a server error, nothing stored when the
input is refused."""

import pytest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from services.forms import ApplicationForm, TrackForm
from services.models import Attachment, RequestType, ServiceRequest

from .strategies import hostile_date, hostile_number, hostile_text, hostile_value

FAST = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _hostile_answers(form_class, **kwargs):
    """A dict strategy: each field of the form gets a hostile value of a fitting kind."""
    fields = {}
    for name, field in form_class(**kwargs).fields.items():
        kind = type(field).__name__
        if "Date" in kind:
            fields[name] = hostile_date
        elif "Integer" in kind or "Decimal" in kind:
            fields[name] = hostile_number
        else:
            fields[name] = hostile_value
    return st.fixed_dictionaries(fields)


def _assert_nothing_stored():
    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("request_type", list(RequestType))
def test_the_application_form(client, db, request_type):
    url = reverse("services:apply", args=[request_type])

    @FAST
    @given(_hostile_answers(ApplicationForm, request_type=request_type))
    def post(answers):
        response = client.post(url, answers)
        assert response.status_code < 500
        check = client.post(reverse("services:check", args=[request_type]), {"confirm": "on"})
        assert check.status_code < 500
        _assert_nothing_stored()  # no consent, no submission token: nothing is submitted

    post()


def test_the_tracking_form(client, db):
    @FAST
    @given(_hostile_answers(TrackForm), st.sampled_from(["192.0.2.1", "192.0.2.2", "::1"]))
    def post(answers, address):
        response = client.post(reverse("services:track"), answers, REMOTE_ADDR=address)
        # Refused input goes back to the form (post/redirect/get) or is told to wait.
        assert response.status_code in (303, 429)
        if response.status_code == 303:
            assert response["Location"] == reverse("services:track")
        assert "services:tracked" not in client.session

    post()


def test_search_merchants_and_the_reading_mode_switch(client, home_page):
    @FAST
    @given(hostile_text, hostile_text, hostile_number, hostile_number)
    @example("\x00", "\x00", "\x00", "\x00")  # PostgreSQL refuses NUL in any text
    def send(query, other, latitude, longitude):
        for response in (
            client.get(reverse("search"), {"q": query, "page": other}),
            client.get(reverse("search_suggest"), {"q": query}),
            client.get(reverse("merchants:directory"), {"q": query, "category": other}),
            client.post(
                reverse("merchants:remember_location"),
                {"latitude": latitude, "longitude": longitude},
            ),
            client.post(reverse("reading_mode"), {"mode": query, "next": other}),
        ):
            assert response.status_code < 500
            if response.status_code in (301, 302):
                location = response["Location"]
                assert url_has_allowed_host_and_scheme(location, {"testserver"}), location

    send()

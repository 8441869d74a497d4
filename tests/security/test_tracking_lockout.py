"""The probe's stranger: knowing a reference, guessing phones from many addresses."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.factories import EXAMPLE_PHONE
from services.tracking import MAX_FAILURES_PER_REFERENCE

WRONG_PHONES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True).filter(
    lambda phone: phone != EXAMPLE_PHONE
)


def test_a_stranger_never_locks_the_family_out(client, service_request):
    url = reverse("services:track")
    answers = []

    @settings(max_examples=3 * MAX_FAILURES_PER_REFERENCE, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(WRONG_PHONES, st.integers(min_value=1, max_value=3))
    def guess(phone, host):
        response = client.post(
            url,
            {"reference": service_request.reference, "phone": phone},
            REMOTE_ADDR=f"203.0.113.{host}",
        )
        answers.append(response.status_code)
        # A wrong guess goes back to the form (post/redirect/get) or is told to wait.
        assert response.status_code in (303, 429)
        if response.status_code == 303:
            assert response["Location"] == url
        assert "services:tracked" not in client.session

    guess()
    assert 429 in answers, "guessers are slowed down"
    family = client.post(
        url,
        {"reference": service_request.reference, "phone": EXAMPLE_PHONE},
        REMOTE_ADDR="198.51.100.20",
    )
    assert family.status_code == 303
    assert family["Location"] == reverse("services:track_status")
    assert client.session["services:tracked"] == service_request.pk

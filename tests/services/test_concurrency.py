"""Two taps on a slow network: parallel posts of the final step, in real threads on PostgreSQL."""

import threading
import time
import uuid

import pytest
from django.db import connection
from django.test import Client

from services.actions import Consent, service_request_submit
from services.factories import example_answers
from services.models import RequestType, ServiceRequest
from services.rules import RULES

from .test_views import CHECK, DONE, confirm_data, fill_in

THREADS = 8
ROUNDS = 5
# Taps do not land at once: a few milliseconds apart, some arrive while the first is being
# stored, which is when a uniqueness check outside the database told families their own
# submission "already exists".
STAGGER_SECONDS = 0.004


def run_together(work, count=THREADS):
    """Runs work(i) in `count` threads released at the same moment; returns the outcomes."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=20)
            time.sleep(i * STAGGER_SECONDS)
            outcomes[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the test reports what each thread met
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_of_one_key_make_one_request_and_no_error(postgresql):
    key = uuid.uuid4()

    def submit(_i):
        return service_request_submit(
            request_type=RequestType.EMPLOYMENT,
            answers=example_answers(RequestType.EMPLOYMENT),
            consent=Consent(sensitive=True),
            files=[],
            later=[rule.kind for rule in RULES[RequestType.EMPLOYMENT].documents],
            submission_key=key,
        ).pk

    for _round in range(ROUNDS):
        key = uuid.uuid4()
        outcomes = run_together(submit)
        assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
        assert len(set(outcomes)) == 1
    assert ServiceRequest.objects.count() == ROUNDS


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_on_the_final_step_shows_the_confirmation_twice(postgresql):
    for _round in range(3):
        family = Client()
        fill_in(family)
        data = confirm_data(family)
        cookies = family.cookies

        def tap(_i, cookies=cookies, data=data):
            client = Client()
            client.cookies = cookies
            response = client.post(CHECK, data)
            return response.status_code, response.get("Location")

        outcomes = run_together(tap)
        assert outcomes == [(303, DONE)] * THREADS, outcomes
        page = family.get(DONE).content.decode()
        assert ServiceRequest.objects.latest("submitted_at").reference in page
    assert ServiceRequest.objects.count() == 3

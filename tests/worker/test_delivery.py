import pytest

from worker.delivery import deliver_once
from worker.models import Delivery

pytestmark = pytest.mark.django_db


def test_a_message_goes_out_once_however_often_its_task_runs():
    sent = []
    assert deliver_once(key="sms:1:v1", send=lambda: sent.append("v1"))
    assert not deliver_once(key="sms:1:v1", send=lambda: sent.append("v1 again"))
    assert deliver_once(key="sms:1:v2", send=lambda: sent.append("v2"))
    assert sent == ["v1", "v2"]
    assert Delivery.objects.get(key="sms:1:v1").delivered_at is not None


def test_a_gateway_failure_releases_the_message_for_the_next_try():
    def down():
        raise ConnectionError("gateway down")

    with pytest.raises(ConnectionError):
        deliver_once(key="sms:2:v1", send=down)
    sent = []
    assert deliver_once(key="sms:2:v1", send=lambda: sent.append("sent"))
    assert sent == ["sent"]

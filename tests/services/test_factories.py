import pytest
from django.http import HttpRequest

from services.factories import ServiceRequestFactory, StaffScopeFactory
from services.models import RequestType, Status


@pytest.mark.parametrize("request_type", list(RequestType))
def test_requests_of_every_type_are_made_as_real_submissions(db, request_type):
    service_request = ServiceRequestFactory(request_type=request_type)
    assert service_request.status == Status.SUBMITTED
    assert service_request.events.count() == 1
    assert service_request.phone_digest


def test_staff_can_log_in_to_the_admin(client, db):
    staff = StaffScopeFactory().user
    # The login throttle (django-axes) needs the request a real login has.
    assert client.login(
        request=HttpRequest(), username=staff.username, password="correct horse battery staple"
    )
    assert staff.has_perm("wagtailadmin.access_admin")

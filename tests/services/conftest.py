import pytest

from services.factories import ServiceRequestFactory, StaffFactory, StaffScopeFactory, street
from services.models import RequestType


@pytest.fixture
def service_request(db):
    return ServiceRequestFactory(
        request_type=RequestType.CHILDCARE,
        district=street("ciqikou"),
        receipt_email="family@example.invalid",
    )


@pytest.fixture
def scoped_staff(db):
    """Handles 军娃托管 in 磁器口街道, without permission to see unmasked personal data."""
    return StaffScopeFactory(
        request_type=RequestType.CHILDCARE, district=street("ciqikou"), user__username="scoped"
    ).user


@pytest.fixture
def supervisor(db):
    return StaffFactory(username="supervisor", permissions=["services.view_all_requests"])

import pytest
from django.db import connection

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


@pytest.fixture
def postgresql(migrated_data):
    """Threads writing at once: SQLite's in-memory test database locks whole tables between
    them (an error, not a wait), so these run on PostgreSQL only."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks: run `make test`")

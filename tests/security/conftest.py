from tests.services.conftest import scoped_staff, service_request, supervisor  # noqa: F401

"""Services choose streets from the district's one list (home.Street)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from home.models import Street
from services.factories import ServiceRequestFactory, StaffScopeFactory, street
from services.forms import ApplicationForm
from services.models import RequestType, ServiceRequest, StaffScope

BEFORE = [("services", "0001_initial"), ("home", "0004_seed_streets")]
AFTER = [("services", "0002_district_street")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_request_and_scope_on_its_street(migrated_data):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="clerk")
    now = timezone.now()
    common = {
        "request_type": "childcare",
        "applicant_name": "王丽",
        "applicant_phone": "13812345678",
        "relationship": "spouse",
        "member_status": "active",
        "member_unit": "某部",
        "sensitive_consent_at": now,
        "due_at": now + datetime.timedelta(days=5),
    }
    requests = old.get_model("services", "ServiceRequest")
    requests.objects.create(reference="SY2026-A", district="ciqikou", **common)
    requests.objects.create(reference="SY2026-B", district="tianxingqiao", **common)
    old.get_model("services", "StaffScope").objects.create(
        user=user, request_type="childcare", district="yubeilu"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    by_reference = dict(ServiceRequest.objects.values_list("reference", "district__code"))
    assert by_reference == {"SY2026-A": "ciqikou", "SY2026-B": "tianxingqiao"}
    assert StaffScope.objects.get().district.name == "渝碚路街道"


def test_only_active_streets_are_offered_to_families(db):
    Street.objects.filter(code="yubeilu").update(is_active=False)
    form = ApplicationForm(request_type=RequestType.EMPLOYMENT)
    offered = [label for _value, label in form.fields["district"].choices]
    assert "磁器口街道" in offered and "新桥街道" in offered
    assert "渝碚路街道" not in offered
    refused = ApplicationForm({"district": "yubeilu"}, request_type=RequestType.EMPLOYMENT)
    assert not refused.is_valid() and "district" in refused.errors


def test_a_street_renamed_by_editors_shows_its_new_name_on_old_requests(client, db, supervisor):
    service_request = ServiceRequestFactory(district=street("ciqikou"))
    Street.objects.filter(code="ciqikou").update(name="磁器口街道（新名）")
    client.force_login(supervisor)
    page = client.get(reverse("services_admin:detail", args=[service_request.pk]))
    assert "磁器口街道（新名）" in page.content.decode()


def test_a_deactivated_street_keeps_its_requests_and_scopes(db):
    scope = StaffScopeFactory(district=street("ciqikou"))
    service_request = ServiceRequestFactory(district=street("ciqikou"))
    Street.objects.filter(code="ciqikou").update(is_active=False)
    service_request.refresh_from_db()
    scope.refresh_from_db()
    assert service_request.district.code == scope.district.code == "ciqikou"

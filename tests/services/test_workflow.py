"""The state machine table (services.workflow), walked whole: every step it allows succeeds
for the right person with what it needs and tells whom it names; every other step is refused
and changes nothing; the staff page and the family's tracking page offer exactly its steps."""

import re
from collections import deque

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from services.actions import service_request_add_documents, service_request_transition
from services.factories import ServiceRequestFactory, StaffScopeFactory, street
from services.models import RequestType, ServiceRequest, Status
from services.rules import RULES
from services.workflow import (
    CLOSED_STATUSES,
    RESUME,
    TRANSITIONS,
    Actor,
    Needs,
    Notify,
    transitions_from,
)

from .files import png_upload

NOTE = "示例说明：请补充材料"
FAMILY_EMAIL = "family@example.invalid"


def path_to(status: Status) -> list[Status]:
    """The shortest walk through the table's staff steps from a new request to `status`."""
    paths = {Status.SUBMITTED: []}
    queue = deque([Status.SUBMITTED])
    while queue:
        current = queue.popleft()
        for transition in TRANSITIONS:
            if transition.source == current and transition.target != RESUME:
                if transition.target not in paths:
                    paths[transition.target] = [*paths[current], Status(transition.target)]
                    queue.append(transition.target)
    return paths[status]


def new_request(status: Status, *, staff, **kwargs) -> ServiceRequest:
    service_request = ServiceRequestFactory(
        request_type=RequestType.CHILDCARE,
        district=street("ciqikou"),
        receipt_email=FAMILY_EMAIL,
        **kwargs,
    )
    for to_status in path_to(status):
        service_request_transition(
            service_request=service_request,
            to_status=to_status,
            actor=staff,
            expected_version=service_request.version,
            note=NOTE,
        )
    return service_request


def take(transition, service_request, *, user, note=NOTE, documents=True):
    target = transition.target_for(service_request)
    if transition.by == Actor.APPLICANT and Needs.DOCUMENTS in transition.needs and documents:
        return service_request_add_documents(
            service_request=service_request,
            files=[png_upload()],
            expected_version=service_request.version,
        )
    return service_request_transition(
        service_request=service_request,
        to_status=target,
        actor=user,
        expected_version=service_request.version,
        note=note,
    )


@pytest.fixture
def staff(db):
    return {
        "in scope": StaffScopeFactory(
            request_type=RequestType.CHILDCARE, district=street("ciqikou")
        ).user,
        "other street": StaffScopeFactory(
            request_type=RequestType.CHILDCARE, district=street("shapingba")
        ).user,
    }


def test_every_status_is_reachable_and_closed_means_no_step_leads_on():
    for status in Status:
        assert path_to(status) is not None
    assert set(CLOSED_STATUSES) == {Status.RESOLVED, Status.REJECTED, Status.WITHDRAWN}


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}-{t.target}-{t.by}")
def test_each_step_succeeds_for_the_right_person_only(
    transition, staff, mailoutbox, django_capture_on_commit_callbacks
):
    right = staff["in scope"] if transition.by == Actor.STAFF else None
    wrong = [staff["other street"]] if transition.by == Actor.STAFF else []
    service_request = new_request(transition.source, staff=staff["in scope"])
    version = service_request.version
    expected = transition.target_for(service_request)

    for user in wrong:
        with pytest.raises(ValidationError) as refused:
            take(transition, service_request, user=user)
        assert refused.value.code == "not_permitted"
    if Needs.NOTE in transition.needs:
        with pytest.raises(ValidationError, match="请填写给申请人的说明"):
            take(transition, service_request, user=right, note="")
    if Needs.DOCUMENTS in transition.needs:
        with pytest.raises(ValidationError, match="请选择要上传的材料"):
            take(transition, service_request, user=right, documents=False)
    service_request.refresh_from_db()
    assert service_request.version == version, "a refused step changed the request"

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        take(transition, service_request, user=right)
    service_request.refresh_from_db()
    assert service_request.status == expected
    assert service_request.version == version + 1
    event = service_request.events.get(version=version + 1)
    assert (event.from_status, event.to_status, event.actor) == (
        transition.source,
        expected,
        right,
    )
    assert (service_request.closed_at is not None) == (expected in CLOSED_STATUSES)
    told = {address for mail in mailoutbox for address in mail.to}
    assert (FAMILY_EMAIL in told) == (Notify.APPLICANT in transition.notify)
    assert (staff["in scope"].email in told) == (Notify.STAFF in transition.notify)


@pytest.mark.parametrize("source", list(Status))
def test_every_step_the_table_does_not_hold_is_refused(source, staff):
    service_request = new_request(source, staff=staff["in scope"])
    for by, user in ((Actor.STAFF, staff["in scope"]), (Actor.APPLICANT, None)):
        allowed = {
            t.target_for(service_request)
            for t in transitions_from(service_request=service_request, by=by)
        }
        for target in set(Status) - allowed:
            with pytest.raises(ValidationError) as refused:
                service_request_transition(
                    service_request=service_request,
                    to_status=target,
                    actor=user,
                    expected_version=service_request.version,
                    note=NOTE,
                )
            assert refused.value.code == "invalid_transition", (source, by, target)
    assert ServiceRequest.objects.get(pk=service_request.pk).version == service_request.version


def all_documents():
    return {rule.kind: png_upload() for rule in RULES[RequestType.CHILDCARE].documents}


@pytest.mark.parametrize("source", list(Status))
def test_the_staff_page_offers_exactly_the_tables_steps(source, client, staff):
    service_request = new_request(source, staff=staff["in scope"])
    client.force_login(staff["in scope"])
    page = client.get(reverse("services_admin:detail", args=[service_request.pk])).content.decode()
    offered = re.findall(r'name="to_status" value="(\w+)"[^>]*>([^<]+)</button>', page)
    assert offered == [
        (t.target_for(service_request), t.label_for(service_request))
        for t in transitions_from(service_request=service_request, by=Actor.STAFF)
    ]


@pytest.mark.parametrize("source", list(Status))
def test_the_tracking_page_offers_exactly_the_tables_steps(source, client, staff):
    service_request = new_request(
        source, staff=staff["in scope"], documents=all_documents(), later=[]
    )
    client.post(
        reverse("services:track"),
        {"reference": service_request.reference, "phone": service_request.applicant_phone},
    )
    page = client.get(reverse("services:track_status")).content.decode()
    steps = {
        t.target for t in transitions_from(service_request=service_request, by=Actor.APPLICANT)
    }
    offered = {
        Status.WITHDRAWN: reverse("services:track_withdraw") in page,
        RESUME: reverse("services:track_documents") in page,
    }
    assert {target for target, shown in offered.items() if shown} == steps

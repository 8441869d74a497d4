"""Reads of service requests: what a user may see, queues, the state machine's options, figures."""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, DurationField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from home.models import Street

from .models import (
    CLOSED_STATUSES,
    EventKind,
    PersonalDataAccessLog,
    RequestType,
    ServiceGuidePage,
    ServicePoint,
    ServicePointKind,
    ServiceRequest,
    ServiceRequestEvent,
    StaffScope,
    Status,
)
from .permissions import User, is_supervisor
from .rules import RULES, DocumentRule, documents_needed

UNASSIGNED = "none"


def service_requests_visible_to(*, user: User) -> QuerySet[ServiceRequest]:
    if is_supervisor(user):
        return ServiceRequest.objects.all()
    if not user.is_authenticated:
        return ServiceRequest.objects.none()
    in_scope = StaffScope.objects.filter(
        user=user, request_type=OuterRef("request_type"), district=OuterRef("district")
    )
    return ServiceRequest.objects.filter(Exists(in_scope))


def districts_handled_by(*, user: User, request_type: str) -> QuerySet[Street]:
    """The active streets in which the user handles this request type, in the list's order."""
    streets = Street.objects.active()
    if is_supervisor(user):
        return streets
    scoped = StaffScope.objects.filter(user=user, request_type=request_type).values("district")
    return streets.filter(pk__in=scoped)


def open_requests(queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return queryset.exclude(status__in=CLOSED_STATUSES)


def overdue_requests(
    queryset: QuerySet[ServiceRequest], *, now: datetime.datetime
) -> QuerySet[ServiceRequest]:
    return open_requests(queryset).filter(due_at__lt=now)


def service_request_queue(
    *,
    user: User,
    request_type: str = "",
    status: str = "",
    district: Street | None = None,
    assignee: str = "",
    overdue: bool = False,
    follow_up: bool = False,
) -> QuerySet[ServiceRequest]:
    """A member of staff's queue; `assignee` is a user id, or UNASSIGNED."""
    requests = service_requests_visible_to(user=user)
    if request_type:
        requests = requests.filter(request_type=request_type)
    if status:
        requests = requests.filter(status=status)
    if district:
        requests = requests.filter(district=district)
    if assignee == UNASSIGNED:
        requests = requests.filter(assignee__isnull=True)
    elif assignee:
        requests = requests.filter(assignee_id=assignee)
    if overdue:
        requests = overdue_requests(requests, now=timezone.now())
    if follow_up:
        requests = requests.filter(rating__needs_follow_up=True)
    return (
        requests.select_related("assignee", "rating", "district")
        .prefetch_related("attachments")
        .order_by("due_at", "pk")
    )


def public_timeline(*, service_request: ServiceRequest) -> QuerySet[ServiceRequestEvent]:
    """What the applicant sees: status changes, documents added and their notes; not
    internal assignments."""
    return service_request.events.exclude(kind=EventKind.ASSIGNMENT).order_by("version")


def missing_documents(*, service_request: ServiceRequest) -> list[DocumentRule]:
    """The documents the request needs (services.rules) and has no file for: marked "later".

    Reads the request's attachments through `attachments.all()`, so a prefetched queue asks
    the database nothing more.
    """
    present = {attachment.kind for attachment in service_request.attachments.all()}
    return [rule for rule in documents_needed(service_request) if rule.kind not in present]


def eligible_assignees(*, service_request: ServiceRequest) -> QuerySet:
    in_scope = StaffScope.objects.filter(
        user=OuterRef("pk"),
        request_type=service_request.request_type,
        district=service_request.district,
    )
    return get_user_model().objects.filter(Exists(in_scope), is_active=True).order_by("username")


def staff_to_notify(*, service_request: ServiceRequest) -> list:
    """The assignee, or everyone whose queue the request is in while it has none."""
    if service_request.assignee_id:
        staff = [service_request.assignee]
    else:
        staff = list(eligible_assignees(service_request=service_request))
    return [user for user in staff if user.is_active and user.email]


def closed_requests_due_for_anonymisation(
    *, closed_before: datetime.datetime
) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(
        status__in=CLOSED_STATUSES, closed_at__lt=closed_before, anonymised_at__isnull=True
    )


def access_log_entries() -> QuerySet[PersonalDataAccessLog]:
    return PersonalDataAccessLog.objects.select_related("user", "service_request")


def service_request_summary(*, user: User, now: datetime.datetime) -> dict:
    """What needs doing, per type, in the requests this user may see: new (not yet accepted),
    overdue and awaiting documents from the family. One query, whatever the numbers."""
    open_ = ~Q(status__in=CLOSED_STATUSES)
    counts = {
        row["request_type"]: row
        for row in service_requests_visible_to(user=user)
        .values("request_type")
        .annotate(
            new=Count("pk", filter=Q(status=Status.SUBMITTED)),
            overdue=Count("pk", filter=open_ & Q(due_at__lt=now)),
            needs_info=Count("pk", filter=Q(status=Status.NEEDS_INFO)),
            open=Count("pk", filter=open_),
        )
        .order_by()
    }
    empty = {"new": 0, "overdue": 0, "needs_info": 0, "open": 0}
    rows = [
        {"request_type": request_type, "label": request_type.label, **empty}
        | {key: counts.get(request_type, {}).get(key, 0) for key in empty}
        for request_type in RequestType
    ]
    totals = {key: sum(row[key] for row in rows) for key in empty}
    return {"rows": rows, "totals": totals}


def dashboard_figures(*, user: User, now: datetime.datetime) -> dict:
    """Counts by type and status and by month, time to resolve and overdue counts per type."""
    requests = service_requests_visible_to(user=user)
    by_type_status = defaultdict(dict)
    for row in requests.values("request_type", "status").annotate(count=Count("pk")):
        by_type_status[row["request_type"]][row["status"]] = row["count"]

    year_ago = (now - datetime.timedelta(days=365)).replace(day=1)
    by_month = defaultdict(dict)
    monthly = (
        requests.filter(submitted_at__gte=year_ago)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month", "request_type")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    for row in monthly:
        by_month[row["month"].strftime("%Y-%m")][row["request_type"]] = row["count"]

    resolve_times = dict(
        requests.filter(status=Status.RESOLVED)
        .values("request_type")
        .annotate(average=Avg(F("closed_at") - F("submitted_at"), output_field=DurationField()))
        .values_list("request_type", "average")
    )
    overdue = dict(
        overdue_requests(requests, now=now)
        .values("request_type")
        .annotate(count=Count("pk"))
        .values_list("request_type", "count")
    )
    rows = [
        {
            "request_type": request_type,
            "label": request_type.label,
            "statuses": [by_type_status[request_type].get(status, 0) for status in Status],
            "total": sum(by_type_status[request_type].values()),
            "overdue": overdue.get(request_type, 0),
            "average_days": _days(resolve_times.get(request_type)),
        }
        for request_type in RequestType
    ]
    return {
        "statuses": list(Status),
        "rows": rows,
        "months": [
            (month, [counts.get(t, 0) for t in RequestType]) for month, counts in by_month.items()
        ],
        "follow_up": requests.filter(rating__needs_follow_up=True).count(),
    }


def _days(duration: datetime.timedelta | None) -> float | None:
    return round(duration.total_seconds() / 86400, 1) if duration is not None else None


def service_points_for(request_type: RequestType) -> QuerySet[ServicePoint]:
    """The active service points of the kinds the type's rules name, street by street."""
    kinds = RULES[request_type].service_points
    return (
        ServicePoint.objects.filter(is_active=True, kind__in=kinds)
        .select_related("street")
        .order_by("kind", "street__sort_order", "sort_order", "name")
    )


def childcare_station_names() -> list[str]:
    return list(
        ServicePoint.objects.filter(
            is_active=True, kind=ServicePointKind.CHILDCARE_STATION
        ).values_list("name", flat=True)
    )


def service_guide(request_type: RequestType) -> ServiceGuidePage | None:
    """The editors' live, public guide page for a type, if there is one."""
    return ServiceGuidePage.objects.live().public().filter(request_type=request_type).first()


def service_guide_context(request_type: RequestType) -> dict:
    """What a type's guide page shows besides the editors' text: the rules and where to go."""
    return {
        "request_type": request_type,
        "rules": RULES[request_type],
        "service_points": service_points_for(request_type),
    }


def service_types_overview() -> list[dict]:
    """The four services for the index: label, the editors' summary and guide link, time limit."""
    guides = {
        guide.request_type: guide
        for guide in ServiceGuidePage.objects.live()
        .public()
        .only("title", "summary", "url_path", "request_type")
    }
    return [
        {
            "request_type": request_type,
            "guide": guides.get(request_type),
            "time_limit_days": RULES[request_type].time_limit_days.value,
        }
        for request_type in RequestType
    ]

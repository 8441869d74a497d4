"""What services makes searchable (registered from ServicesConfig.ready): the guide pages and
the service points for the public; the requests for staff, within each one's scope."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from search.registry import register_public, register_staff, reindex_on

from .models import (
    IndexedServiceRequest,
    RequestType,
    ServiceGuidePage,
    ServicePoint,
    ServiceRequestEvent,
)
from .permissions import handles_service_requests
from .rules import RULES
from .selectors import service_requests_visible_to


def guide_url(request_type: str) -> str:
    return reverse("services:guide", args=[request_type])


def service_point_url(point: ServicePoint) -> str:
    """A point has no page of its own: the first guide that lists its kind."""
    for request_type in RequestType:
        if point.kind in RULES[request_type].service_points:
            return guide_url(request_type)
    return reverse("services:index")


def visible_requests(user):
    return IndexedServiceRequest.objects.filter(
        pk__in=service_requests_visible_to(user=user).values("pk")
    )


def request_changed_by_event(event: ServiceRequestEvent, created: bool):
    """Status changes are UPDATEs without a save(); each one writes a history row."""
    return [(IndexedServiceRequest, event.service_request_id)] if created else []


def register() -> None:
    register_public(
        key="guide",
        label=_("办事指南"),
        model=ServiceGuidePage,
        queryset=lambda: ServiceGuidePage.objects.live(),
        url=lambda page: guide_url(page.request_type),
        position=5,
        # Where a family learns how to apply: above news that mentions the same service.
        boost=2.0,
    )
    register_public(
        key="service_point",
        label=_("服务站点"),
        model=ServicePoint,
        queryset=lambda: ServicePoint.objects.filter(is_active=True),
        url=service_point_url,
        position=45,
    )
    register_staff(
        key="service_request",
        label=_("军属服务申请"),
        model=IndexedServiceRequest,
        queryset=visible_requests,
        allowed=handles_service_requests,
        url=lambda request: reverse("services_admin:detail", args=[request.pk]),
        columns=(
            (_("服务类型"), IndexedServiceRequest.get_request_type_display),
            (_("所在街道"), IndexedServiceRequest.get_district_display),
            (_("状态"), IndexedServiceRequest.get_status_display),
        ),
        hint=_("受理编号、服务类型、街道或状态"),
        menu_label=_("检索服务申请"),
    )
    reindex_on(ServiceRequestEvent, request_changed_by_event)

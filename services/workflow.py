"""The life cycle of a service request, as one table that reads like the policy.

Each row is one step a request may take: from which status, to which, who takes it, what it
needs and whom it tells. Actions (services.actions), the staff page's buttons and the
family's tracking page all read this table; adding a state or a step is an edit here.

Every step writes a history row (ServiceRequestEvent); that row is also what re-indexes the
request for staff search, so no step can change a status without both.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .permissions import User, handles_request

if TYPE_CHECKING:
    from .models import ServiceRequest


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    NEEDS_INFO = "needs_info", _("待补充材料")
    RESOLVED = "resolved", _("已办结")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


# A step's target that is not one status: back to where the request was before staff asked
# for more information (read from its history).
RESUME = "resume"


class Actor(enum.StrEnum):
    # A member of staff who handles the request: its type and street are in their scope, or
    # they are a supervisor (services.permissions.handles_request).
    STAFF = "staff"
    # The family, having opened the request with its reference and phone number.
    APPLICANT = "applicant"


class Needs(enum.StrEnum):
    # A note the family reads: why it was refused, or what to provide.
    NOTE = "note"
    # At least one document sent with the step.
    DOCUMENTS = "documents"


class Notify(enum.StrEnum):
    APPLICANT = "applicant"  # SMS, and email when given (services.notifications)
    STAFF = "staff"  # the assignee, or everyone in scope while unassigned


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status | str  # a Status, or RESUME
    by: Actor
    label: Promise  # the button; %(status)s is the target's name
    needs: frozenset[Needs] = frozenset()
    notify: frozenset[Notify] = frozenset({Notify.APPLICANT})

    def target_for(self, service_request: ServiceRequest) -> Status:
        if self.target == RESUME:
            return resume_status(service_request=service_request)
        return Status(self.target)

    def label_for(self, service_request: ServiceRequest) -> str:
        return str(self.label) % {"status": self.target_for(service_request).label}


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.NEEDS_INFO)
NOTE = frozenset({Needs.NOTE})
BOTH = frozenset({Notify.APPLICANT, Notify.STAFF})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.SUBMITTED, Status.ACCEPTED, Actor.STAFF, _("受理")),
    Transition(Status.ACCEPTED, Status.IN_PROGRESS, Actor.STAFF, _("开始办理")),
    Transition(Status.IN_PROGRESS, Status.RESOLVED, Actor.STAFF, _("办结")),
    *(
        Transition(source, Status.NEEDS_INFO, Actor.STAFF, _("要求补充材料"), needs=NOTE)
        for source in (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS)
    ),
    # Staff judge that what the family said or brought in person is enough.
    Transition(Status.NEEDS_INFO, RESUME, Actor.STAFF, _("材料已补齐，恢复为“%(status)s”")),
    Transition(
        Status.NEEDS_INFO,
        RESUME,
        Actor.APPLICANT,
        _("提交补充材料"),
        needs=frozenset({Needs.DOCUMENTS}),
        notify=BOTH,
    ),
    *(
        Transition(source, Status.REJECTED, Actor.STAFF, _("不予受理"), needs=NOTE)
        for source in OPEN_STATUSES
    ),
    *(
        Transition(source, Status.WITHDRAWN, Actor.STAFF, _("代为撤回（家属要求）"))
        for source in OPEN_STATUSES
    ),
    *(
        Transition(source, Status.WITHDRAWN, Actor.APPLICANT, _("撤回申请"), notify=BOTH)
        for source in OPEN_STATUSES
    ),
)
# Closed: no step leads on. The anonymisation clock starts when a request gets here.
CLOSED_STATUSES = tuple(
    status for status in Status if not any(t.source == status for t in TRANSITIONS)
)


def resume_status(*, service_request: ServiceRequest) -> Status:
    """The status a request had before staff asked for more information."""
    entered = (
        service_request.events.filter(to_status=Status.NEEDS_INFO)
        .exclude(from_status=Status.NEEDS_INFO)  # an assignment meanwhile keeps the status
        .order_by("-version")
        .values_list("from_status", flat=True)
        .first()
    )
    return Status(entered or Status.SUBMITTED)


def transitions_from(*, service_request: ServiceRequest, by: Actor) -> list[Transition]:
    """The steps this kind of actor may offer on the request now, in the table's order."""
    return [t for t in TRANSITIONS if t.source == service_request.status and t.by == by]


def transition_to(
    *, service_request: ServiceRequest, to_status: str, by: Actor
) -> Transition | None:
    for transition in transitions_from(service_request=service_request, by=by):
        if transition.target_for(service_request) == to_status:
            return transition
    return None


def may_take(transition: Transition, *, service_request: ServiceRequest, user: User | None) -> bool:
    """Who: the family acts without an account; staff only on requests they handle."""
    if transition.by == Actor.APPLICANT:
        return user is None
    return user is not None and handles_request(user, service_request=service_request)

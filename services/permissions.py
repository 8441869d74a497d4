"""Who may do what with service requests. Scopes (type × street) come from StaffScope rows."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

SUPERVISOR_PERMISSION = "services.view_all_requests"
PERSONAL_DATA_PERMISSION = "services.view_personal_data"

User = AbstractBaseUser | AnonymousUser


def is_supervisor(user: User) -> bool:
    """Supervisors see and handle every request, its personal data and the audit log."""
    return user.is_active and user.has_perm(SUPERVISOR_PERMISSION)


def can_see_personal_data(user: User) -> bool:
    return is_supervisor(user) or (user.is_active and user.has_perm(PERSONAL_DATA_PERMISSION))


def handles_service_requests(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return is_supervisor(user) or user.service_scopes.exists()


def handles_request(user: User, *, service_request) -> bool:
    """Whether this member of staff may act on this request: in their scope, or a supervisor."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        is_supervisor(user)
        or user.service_scopes.filter(
            request_type=service_request.request_type, district_id=service_request.district_id
        ).exists()
    )

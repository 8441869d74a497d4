"""Personal data in service requests: keyed digests for lookups, masking and summaries."""

import hmac

from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.personal_data import (
    mask_id_number,
    mask_mobile_number,
    mask_numbers_in_text,
    normalise_mobile_number,
)

from .models import APPLICANT_FIELDS, ServiceRequest


def phone_digest(phone: str) -> str:
    """A keyed hash (HMAC with SECRET_KEY) of a normalised mobile number."""
    return salted_hmac("services.phone", phone, algorithm="sha256").hexdigest()


def phone_matches(service_request: ServiceRequest | None, phone: str) -> bool:
    """Constant-time; compares with a dummy of the same length when there is nothing to match
    (no such request, or an anonymised one), so the timing tells nothing either."""
    candidate = phone_digest(normalise_mobile_number(phone))
    expected = service_request.phone_digest if service_request is not None else ""
    return hmac.compare_digest(expected or "0" * len(candidate), candidate) and bool(expected)


def mask_name(value: str) -> str:
    """张** : the family name stays, so staff can tell requests apart in a list."""
    return value[:1] + "*" * (len(value) - 1) if len(value) > 1 else "*" * len(value)


def mask_bank_account(value: str) -> str:
    """**** **** 1234: the last four digits, as banks print them."""
    return "**** " + value[-4:] if len(value) > 4 else "*" * len(value)


def mask_email(value: str) -> str:
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "*" * len(value)


# How each personal field looks masked: in lists, exports and pages for staff who may not
# see personal data, and on the applicant's printed copy (phone and ID number only).
MASKS = {
    "applicant_name": mask_name,
    "applicant_phone": mask_mobile_number,
    "id_number": mask_id_number,
    "receipt_email": mask_email,
    "child_name": mask_name,
    "child_id_number": mask_id_number,
    "bank_account": mask_bank_account,
    # The year only: a birth date narrows a child down.
    "child_birth_date": lambda born: _("%(year)d 年") % {"year": born.year},
}
# Whatever a family (or staff on their behalf) may type freely can hold a phone or identity
# number (工作单位, 技能, 可到岗时间 …): shown masked, every number in it hidden.
FREE_TEXT_FIELDS = frozenset(
    field.name
    for field in ServiceRequest._meta.concrete_fields
    if isinstance(field, models.CharField | models.TextField)
    and field.editable
    and not field.choices
    and field.name not in MASKS
)
# Masked unless the user may see personal data.
PERSONAL_FIELDS = frozenset(MASKS) | FREE_TEXT_FIELDS
# Fields whose label is a whole sentence (a declaration) and reads badly in a summary.
SUMMARY_LABELS = {"declares_unemployed": gettext_lazy("已声明随军、未就业、配偶部队驻本区")}


def display_value(service_request: ServiceRequest, name: str, *, masked: bool) -> str:
    value = getattr(service_request, name)
    if value in (None, ""):
        return ""
    if masked and name in MASKS:
        return MASKS[name](value)
    field = service_request._meta.get_field(name)
    if field.choices:
        return str(getattr(service_request, f"get_{name}_display")())
    if hasattr(value, "isoformat"):
        return date_format(value, "Y-m-d")
    if isinstance(value, bool):
        return _("是") if value else ""
    return mask_numbers_in_text(str(value)) if masked else str(value)


def request_summary(
    service_request: ServiceRequest, *, masked: frozenset[str]
) -> list[tuple[str, str]]:
    """(label, value) pairs of what the applicant entered, for review, print and staff pages."""
    rows = []
    for name in (*APPLICANT_FIELDS, *service_request.detail_fields()):
        value = display_value(service_request, name, masked=name in masked)
        if value:
            label = str(service_request._meta.get_field(name).verbose_name)
            rows.append((SUMMARY_LABELS.get(name, label.removesuffix("（选填）")), value))
    return rows

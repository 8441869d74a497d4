"""Recognising and masking personal data: identity numbers (GB 11643) and mobile numbers.

Shared by the publish check on pages and by the service requests, so both agree on what
counts as an unmasked number and how a masked one looks.
"""

import datetime
import re

from django.utils.translation import gettext as _

# Not preceded or followed by another digit, so longer numbers are not misread.
ID_NUMBER_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])")
MOBILE_PATTERN = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def id_number_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits of an identity number."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def is_valid_id_number(value: str) -> bool:
    """An 18-character resident identity number with a real birth date and the right check digit."""
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return id_number_check_char(value[:17]) == value[17]


def is_valid_mobile_number(value: str) -> bool:
    return bool(re.fullmatch(r"1[3-9]\d{9}", normalise_mobile_number(value)))


def normalise_mobile_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value.strip())
    return digits.removeprefix("+86").removeprefix("86") if len(digits) > 11 else digits


def mask_id_number(value: str) -> str:
    """110***********1234: the region's first three digits and the last four stay."""
    value = value.strip()
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_mobile_number(value: str) -> str:
    """138****1234."""
    value = normalise_mobile_number(value)
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def find_unmasked_personal_data(text: str) -> list[str]:
    """Descriptions (in Chinese, for editors) of the unmasked numbers found in a text.

    Identity numbers count only with a valid check digit, so long serial numbers in news
    texts are not mistaken for them.
    """
    found = []
    for match in ID_NUMBER_PATTERN.finditer(text):
        if is_valid_id_number(match.group()):
            found.append(_("身份证号 %(number)s") % {"number": mask_id_number(match.group())})
    for match in MOBILE_PATTERN.finditer(text):
        found.append(_("手机号 %(number)s") % {"number": mask_mobile_number(match.group())})
    return found

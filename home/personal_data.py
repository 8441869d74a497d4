"""Recognising and masking personal data: identity numbers (GB 11643) and mobile numbers.

Shared by the publish check on pages and by the service requests, so both agree on what
counts as an unmasked number and how a masked one looks.

Text is normalised before matching, because a number stays readable to a person however it
is written: full-width digits (１３８…), spaces, dots, hyphens or no-break spaces between the
digits, zero-width characters, or markup that splits it (110105199<b>003071239</b>).
"""

import datetime
import re
import unicodedata
from html.parser import HTMLParser

from django.utils.translation import gettext as _

# Not preceded or followed by another digit, so longer numbers are not misread.
ID_NUMBER_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])")
MOBILE_PATTERN = re.compile(r"(?<!\d)(?:\+?86|0086)?1[3-9]\d{9}(?!\d)")
# What people put between the digits of one number. After NFKC the full-width forms and the
# no-break and ideographic spaces are plain spaces, dots and hyphens already.
DIGIT_SEPARATORS = re.compile(r"(?<=\d)[\s.\-\u2010-\u2015\u2212\u00b7\u30fb]+(?=\d)")
# For masking free text: a run of digits with a few separators between them, possibly ending in the X
# of an identity number. Seven digits or more is a number worth hiding (landline, mobile,
# identity, bank card); shorter runs are years, counts and house numbers.
NUMBER_RUN = re.compile(
    r"(?<![\dA-Za-z])\d(?:[ .\-\u00a0\u3000\uff0d\uff0e]{0,3}\d)+[XxＸｘ]?(?![A-Za-z])"
)
MIN_MASKED_DIGITS = 7
DATE_RUN = re.compile(r"(?:19|20)\d{2}[ .\-]\d{1,2}[ .\-]\d{1,2}")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def id_number_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits of an identity number."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def is_valid_id_number(value: str) -> bool:
    """An 18-character resident identity number with a real birth date and the right check digit."""
    value = value.strip().upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        return False
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return id_number_check_char(value[:17]) == value[17]


def is_valid_mobile_number(value: str) -> bool:
    return bool(re.fullmatch(r"1[3-9][0-9]{9}", normalise_mobile_number(value)))


def normalise_mobile_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value).strip())
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


def mask_digits(digits: str) -> str:
    """A long number keeps its first three and last four characters, as phone and identity
    numbers do; a shorter one (a landline, say) keeps only its last two."""
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * (len(digits) - 2) + digits[-2:]


def _without_format_characters(text: str) -> str:
    """Zero-width spaces, joiners, bidirectional controls: invisible, so they go."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def _visible(text: str) -> str:
    """For matching: NFKC (full-width digits and spaces become ASCII), nothing invisible."""
    return _without_format_characters(unicodedata.normalize("NFKC", text))


def mask_numbers_in_text(text: str) -> str:
    """Free text with every number of seven digits or more masked (dates stay readable).

    For staff who may not see personal data: a family may type a phone or identity number
    into any answer (工作单位, 技能, 可到岗时间 …).
    """

    def mask(match: re.Match) -> str:
        run = unicodedata.normalize("NFKC", match.group())
        digits = re.sub(r"[^0-9Xx]", "", run).upper()
        if len(digits) < MIN_MASKED_DIGITS or DATE_RUN.fullmatch(run):
            return match.group()
        return mask_digits(digits)

    return NUMBER_RUN.sub(mask, _without_format_characters(text))


class _TextExtractor(HTMLParser):
    """The text of markup, with tags removed and nothing put in their place (so a number
    split by <b>…</b> is whole again), plus attribute values (a tel: link) as texts of
    their own."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.attributes.extend(value for _name, value in attrs if value)

    def handle_data(self, data):
        self.text.append(data)


def strip_markup(text: str) -> list[str]:
    """The readable text of a string that may hold HTML, then its attribute values."""
    if "<" not in text and "&" not in text:
        return [text]
    extractor = _TextExtractor()
    extractor.feed(text)
    extractor.close()
    return ["".join(extractor.text), *extractor.attributes]


def find_unmasked_personal_data(text: str) -> list[str]:
    """Descriptions (in Chinese, for editors) of the unmasked numbers found in a text.

    Identity numbers count only with a valid check digit, so long serial numbers in news
    texts are not mistaken for them. Each text is matched as written and with separators
    between digits removed, so 138 1234 5678 is found and so is 13812345678 right after
    another number.
    """
    found: dict[str, str] = {}
    for part in strip_markup(text):
        visible = _visible(part)
        for candidate in dict.fromkeys((visible, DIGIT_SEPARATORS.sub("", visible))):
            for match in ID_NUMBER_PATTERN.finditer(candidate):
                number = match.group().upper()
                if is_valid_id_number(number):
                    found.setdefault(
                        number, _("身份证号 %(number)s") % {"number": mask_id_number(number)}
                    )
            for match in MOBILE_PATTERN.finditer(candidate):
                number = normalise_mobile_number(match.group().removeprefix("00"))
                found.setdefault(
                    number, _("手机号 %(number)s") % {"number": mask_mobile_number(number)}
                )
    return list(found.values())

"""Phones and credit codes as offices type them, checked against merchants/rules.py."""

import re
import unicodedata

from django.core.exceptions import ValidationError

from home.text import normalise_number

from . import rules


def normalise_phone(value: str) -> str:
    """A phone in one written form: 13812345678 or 023-65123456.

    Full-width digits, spaces, dashes and brackets around the area code are dropped first, so
    （０２３）６５１２ ３４５６ is the same number. Raises ValidationError if it is neither a
    mobile nor a landline with its area code.
    """
    digits = re.sub(r"[()（）]", "", normalise_number(value or ""))
    if rules.MOBILE.fullmatch(digits):
        return digits
    if match := rules.LANDLINE.fullmatch(digits):
        return f"{match[1]}-{match[2]}"
    raise ValidationError(
        "电话号码无效：应为%(expected)s。", code="phone", params={"expected": rules.PHONE_EXPECTED}
    )


def validate_phone(value: str) -> None:
    if normalise_phone(value) != value:
        raise ValidationError("电话号码应写作 13812345678 或 023-65123456。", code="phone_form")


def normalise_credit_code(value: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "")).upper()


def credit_code_check_character(first17: str) -> str:
    total = sum(
        rules.CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, rules.CREDIT_CODE_WEIGHTS, strict=True)
    )
    return rules.CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """GB 32100-2015: 18 characters of the code's alphabet, the last one the check character."""
    if len(value) != 18 or any(char not in rules.CREDIT_CODE_ALPHABET for char in value):
        raise ValidationError(
            "统一社会信用代码应为18位数字或大写字母（不含 I、O、S、V、Z）。", code="credit_code"
        )
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValidationError(
            "统一社会信用代码的校验位不对，请核对营业执照。", code="credit_code_check"
        )

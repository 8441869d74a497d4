import pytest
from django.core.exceptions import ValidationError

from merchants.validators import normalise_phone, validate_credit_code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("１３８ １２３４ ５６７８", "13812345678"),
        ("023-65123456", "023-65123456"),
        ("（023）6512 3456", "023-65123456"),
        ("02365123456", "023-65123456"),
        ("010-1234567", "010-1234567"),
        ("0851-8612345", "0851-8612345"),
    ],
)
def test_phones_are_stored_in_one_form(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["65123456", "12345678901", "023-123", "abc", "", "+1 555 0100"])
def test_a_phone_without_area_code_or_not_a_mobile_is_refused(typed):
    with pytest.raises(ValidationError, match="电话号码无效"):
        normalise_phone(typed)


def test_credit_codes_are_checked_with_the_gb_32100_check_character():
    validate_credit_code("91350100M000100Y43")  # the standard's own example
    with pytest.raises(ValidationError, match="校验位"):
        validate_credit_code("91350100M000100Y44")
    with pytest.raises(ValidationError, match="18位"):
        validate_credit_code("91350100M000100YI3")  # I is not in the alphabet

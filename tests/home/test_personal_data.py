import pytest

from home.personal_data import (
    find_unmasked_personal_data,
    id_number_check_char,
    is_valid_id_number,
    is_valid_mobile_number,
    mask_id_number,
    mask_mobile_number,
)

# Built with the GB 11643 check character, so they are valid without being anyone's number.
VALID_ID = "11010519491231002" + id_number_check_char("11010519491231002")


def test_the_standard_example_has_check_character_x():
    assert id_number_check_char("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")


@pytest.mark.parametrize(
    "value",
    ["110105194912310021", "11010519491331002X", "1101051949123100", "11010519491231002Y", ""],
)
def test_wrong_check_digit_date_or_length_is_invalid(value):
    assert not is_valid_id_number(value)


@pytest.mark.parametrize(
    "value", ["13812341234", "138 1234 1234", "+86 138-1234-1234", "19912345678"]
)
def test_mobile_numbers_in_common_spellings_are_valid(value):
    assert is_valid_mobile_number(value)


@pytest.mark.parametrize("value", ["12812341234", "1381234123", "023-68881234", "abc"])
def test_other_numbers_are_not_mobile_numbers(value):
    assert not is_valid_mobile_number(value)


def test_masks_keep_only_the_ends():
    assert mask_id_number(VALID_ID) == "110***********002X"
    assert mask_mobile_number("+86 138-1234-5678") == "138****5678"


def test_unmasked_numbers_are_found_in_running_text():
    text = f"联系人王某，电话13812345678，身份证号{VALID_ID}。"
    found = find_unmasked_personal_data(text)
    assert found == ["身份证号 110***********002X", "手机号 138****5678"]


def test_masked_numbers_figures_and_landlines_are_not_flagged():
    text = "电话138****5678，身份证110***********002X；出动民兵200余人，热线023-68881234，编号2018040112345678901234。"
    assert find_unmasked_personal_data(text) == []

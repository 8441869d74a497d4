"""Text at the boundary of public forms (home.text)."""

import pytest

from home.text import clean_typed_text, invisible_characters, normalise_number


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("王丽\x0b", "王丽"),  # Word's manual line break
        ("王\u200b丽", "王丽"),  # zero-width space
        ("\u202e某部队\u202c", "某部队"),  # bidirectional override
        ("\ufeff张  小军\x1b", "张 小军"),
        ("\x01\x02", ""),
        ("第一行\n第二行", "第一行 第二行"),
    ],
)
def test_single_line_answers_lose_what_nobody_sees(typed, kept):
    assert clean_typed_text(typed) == kept


def test_free_text_keeps_its_line_breaks_only():
    assert clean_typed_text("会计\r\n驾驶\x0b电工\t证", multiline=True) == "会计\n驾驶\n电工证"


def test_what_is_left_can_be_named_for_a_message():
    assert invisible_characters("a\x0bb\u202ec\n") == ["U+000B", "U+202E"]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("１３９１２３４５６７８", "13912345678"),
        ("139 1234\u00a05678", "13912345678"),
        ("110105\u300019900307 123x", "11010519900307123X"),
        ("6222－0000－1111", "622200001111"),
    ],
)
def test_numbers_are_normalised(typed, number):
    assert normalise_number(typed) == number

import pytest
from django.test import RequestFactory

from home.listing import paginate, parse_year


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2025", 2025),
        ("1900", 1900),
        ("1899", None),
        ("2101", None),
        ("二〇二五", None),
        ("", None),
        (None, None),
        ("-1", None),
    ],
)
def test_parse_year(value, year):
    assert parse_year(value) == year


def test_paginate_keeps_filters_in_page_links_and_forgives_bad_page_numbers():
    request = RequestFactory().get("/", {"tag": "民兵", "page": "99"})
    listing = paginate(request, list(range(25)), 10)
    assert listing["page_obj"].number == 3  # past the end: the last page
    assert listing["query_without_page"] == "tag=%E6%B0%91%E5%85%B5&"
    assert paginate(RequestFactory().get("/"), [], 10)["query_without_page"] == ""

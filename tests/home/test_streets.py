import pytest
from django.db import IntegrityError

from home.models import Street


def test_a_new_site_starts_with_the_districts_streets(db):
    names = list(Street.objects.values_list("name", flat=True))
    assert "小龙坎街道" in names and "新桥街道" in names
    assert all(street.district == "沙坪坝区" for street in Street.objects.all())


def test_a_position_is_both_coordinates_or_none(db):
    with pytest.raises(IntegrityError):
        Street.objects.create(code="half", district="沙坪坝区", name="半个位置", latitude=29.5)


def test_editors_keep_the_list_in_the_admin(admin_client):
    response = admin_client.get("/admin/snippets/home/street/")
    assert response.status_code == 200
    assert "童家桥街道" in response.content.decode()

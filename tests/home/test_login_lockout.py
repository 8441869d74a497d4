"""Admin login is throttled by account and by client address, through the real login view."""

import pytest
from django.urls import reverse

from services.factories import StaffFactory

LOGIN = reverse("wagtailadmin_login")
PASSWORD = "correct horse battery staple"
LIMIT = 5


@pytest.fixture
def staff(db):
    return StaffFactory(username="bianji")


def _login(client, username, password, ip="198.51.100.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_lock_the_account_with_a_chinese_message(client, staff):
    for _attempt in range(LIMIT - 1):
        assert _login(client, "bianji", "wrong").status_code == 200
    assert _login(client, "bianji", "wrong").status_code == 429, "told at the fifth"
    response = _login(client, "bianji", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录已暂时锁定" in html and "请 15 分钟后再试" in html
    assert not _logged_in(client)
    # From another address too: the account itself is locked.
    assert _login(client, "bianji", PASSWORD, ip="203.0.113.7").status_code == 429


def test_one_address_guessing_many_accounts_is_locked_and_others_are_not(client, staff):
    for attempt in range(LIMIT):
        _login(client, f"guess{attempt}", "wrong")
    assert _login(client, "bianji", PASSWORD).status_code == 429
    assert not _logged_in(client)
    response = _login(client, "bianji", PASSWORD, ip="203.0.113.7")
    assert response.status_code == 302 and _logged_in(client)


def test_an_administrator_unlocks_an_account(client, staff, admin_user):
    for _attempt in range(LIMIT):
        _login(client, "bianji", "wrong", ip="203.0.113.9")
    assert _login(client, "bianji", PASSWORD, ip="203.0.113.8").status_code == 429

    client.force_login(StaffFactory(username="qita"))
    assert client.get(reverse("home_login_lockouts")).status_code == 302, "staff may not unlock"
    client.force_login(admin_user)
    page = client.get(reverse("home_login_lockouts")).content.decode()
    assert "bianji" in page and "已锁定" in page
    response = client.post(reverse("home_login_lockouts"), {"username": "bianji"}, follow=True)
    assert "已解除账号“bianji”的登录锁定" in response.content.decode()

    client.logout()
    assert _login(client, "bianji", PASSWORD, ip="203.0.113.8").status_code == 302
    assert _logged_in(client)

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command


def _run():
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_admin_is_created_once_with_a_printed_password(db, monkeypatch):
    monkeypatch.delenv("ADMIN_USERNAME", raising=False)
    monkeypatch.setenv("ADMIN_PASSWORD", "")  # empty counts as not chosen
    first = _run()
    password = first.split("密码：", 1)[1].split("（", 1)[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)

    second = _run()
    assert "已存在" in second and "密码：" not in second
    user.refresh_from_db()
    assert user.check_password(password)


def test_username_and_password_can_come_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("ADMIN_USERNAME", "renwubu")
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-chosen-password")
    output = _run()
    assert "a-long-chosen-password" not in output
    assert get_user_model().objects.get(username="renwubu").check_password("a-long-chosen-password")

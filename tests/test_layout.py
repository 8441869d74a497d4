"""The configuration lives in `site/` but imports as `siteconf`: Python's own `site` must stay intact."""

import importlib
import os
import site
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_site_is_still_the_standard_library_module():
    assert Path(site.__file__).parent != ROOT / "site"
    assert hasattr(site, "getsitepackages")


def test_configuration_package_resolves_to_the_site_folder():
    siteconf = importlib.import_module("siteconf")
    assert Path(siteconf.__file__).parent == ROOT / "site"


def test_wsgi_module_is_importable_from_any_directory_and_defaults_to_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import importlib.util, os, pathlib;"
        "spec = importlib.util.find_spec('siteconf.wsgi');"
        "print(pathlib.Path(spec.origin).read_text().count('siteconf.settings.production'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "1"


def test_manage_py_runs_with_the_dev_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "diffsettings", "--output", "unified"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "+ DEBUG = True" in result.stdout
    assert "LANGUAGE_CODE = 'zh-hans'" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="siteconf.settings.production", DATABASE_URL="postgres://x@h/db"
    )
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_demo_commands_are_in_development_only():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="siteconf.settings.production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="shuangyong.example.cn",
        DATABASE_URL="postgres://x@h/db",
    )
    production = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "load_demo_content" not in production.stdout
    assert "ensure_admin" not in production.stdout
    assert "anonymise_closed_requests" in production.stdout
    env["DJANGO_SETTINGS_MODULE"] = "siteconf.settings.dev"
    development = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "load_demo_content" in development.stdout and "ensure_admin" in development.stdout

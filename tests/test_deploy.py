"""The production processes are written once, in the Procfile: compose.yaml and the Dockerfile
run the same lines, so `make prod-check` (which runs the Procfile) rehearses what deploys."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_procfile_names_every_step_and_process():
    assert set(_procfile()) == {"build", "release", "web", "worker", "scheduler"}


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("build", "Dockerfile"),
        ("web", "Dockerfile"),
        ("release", "compose.yaml"),
        ("worker", "compose.yaml"),
        ("scheduler", "compose.yaml"),
    ],
)
def test_containers_run_the_procfiles_lines(name, where):
    assert _procfile()[name] in (ROOT / where).read_text(encoding="utf-8")


def test_every_process_in_the_image_runs_on_production_settings():
    """manage.py defaults to the developer's settings: the image must say otherwise once."""
    assert "ENV DJANGO_SETTINGS_MODULE=siteconf.settings.production" in (
        ROOT / "Dockerfile"
    ).read_text(encoding="utf-8")


def test_the_access_log_leaves_out_query_strings_and_referrers():
    """/search/?q=<an identity number> must not reach the logs."""
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8"), namespace)  # noqa: S102
    assert namespace["accesslog"] == "-"
    fmt = namespace["access_log_format"]
    assert "%(U)s" in fmt
    assert "%(r)s" not in fmt and "%(q)s" not in fmt and "%(f)s" not in fmt

"""Every response carries the Content-Security-Policy and Permissions-Policy."""

import re

from django.urls import reverse

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", re.I)


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def test_public_pages_run_only_the_sites_own_script_files(client, home_page):
    response = client.get("/")
    directives = _directives(response)
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_has_its_own_policy(client, db):
    directives = _directives(client.get(reverse("wagtailadmin_login")))
    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["object-src"] == "'none'"


def test_no_public_page_holds_an_inline_script_or_event_handler(client, demo_site):
    pages = [page for page in demo_site.specific() if page.url]
    paths = {page.url for page in pages}
    paths |= {"/services/", "/services/track/", "/merchants/", "/search/?q=国防"}
    paths |= {page.url + "xibao/" for page in pages if hasattr(page, "citation")}
    for path in sorted(paths):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not INLINE_SCRIPT.findall(response.content.decode()), path

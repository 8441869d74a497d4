"""Pages and the Wagtail admin work under the Content-Security-Policy they are sent."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from education.models import ArticlePage
from honours.models import HonourEntryPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _violations(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp")


def test_public_pages_break_no_rule_and_printing_works(page, demo_site):
    page.context.add_init_script(COLLECT_VIOLATIONS)
    article = ArticlePage.objects.live().first()
    entry = HonourEntryPage.objects.live().first()
    for path in [
        "/",
        article.url,
        "/merchants/",
        "/services/",
        "/search/?q=国防",
        "/services/track/",
    ]:
        assert _violations(page, path) == [], path

    assert _violations(page, entry.url + "xibao/") == []
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="打印喜报").click()
    assert page.evaluate("window.__printed") is True


def test_the_admin_works_under_its_policy(page, demo_site):
    get_user_model().objects.create_superuser("guanli", "", "correct horse battery staple")
    page.context.add_init_script(COLLECT_VIOLATIONS)
    page.goto("/admin/login/")
    page.locator("#id_username").fill("guanli")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("form.login-form button[type=submit]").click()
    expect(page).to_have_url("/admin/")
    article = ArticlePage.objects.live().first()
    for path in [
        "/admin/",
        f"/admin/pages/{article.get_parent().pk}/",
        f"/admin/pages/{article.pk}/edit/",
        "/admin/services/",
    ]:
        assert _violations(page, path) == [], path
    # The page editor's scripts ran: the body's rich text is a live Draftail editor.
    page.goto(f"/admin/pages/{article.pk}/edit/")
    expect(page.locator(".Draftail-Editor").first).to_be_attached()

"""Every way a page goes live runs the personal-data check (home/publishing.py).

A draft may hold a number while the editor fixes it; no path may put it in front of the
public: the editor's button, bulk publish, scheduled publishing, workflow approval, copy
with publish, revert and publish, the admin API.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command, get_commands
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import PageLogEntry, Revision
from wagtail.rich_text import RichText

from education.factories import ArticlePageFactory, EducationIndexPageFactory, TopicPageFactory
from education.models import ArticlePage
from home.personal_data import id_number_check_char
from home.publishing import PublishRefused, page_findings
from home.wagtail_hooks import CheckedPublishBulkAction

ID_NUMBER = "11010519491231002" + id_number_check_char("11010519491231002")


@pytest.fixture
def topic(home_page):
    return TopicPageFactory(parent=EducationIndexPageFactory(parent=home_page))


def _draft(topic, title, paragraph="军民鱼水情深", **fields):
    """A page that was never published, its latest revision holding `paragraph`."""
    page = ArticlePageFactory(parent=topic, title=title, live=False)
    page.body = [("paragraph", RichText(f"<p>{paragraph}</p>"))]
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision()
    return page


def _user(django_user_model, name, group):
    user = django_user_model.objects.create_user(username=name, password="pw-123456")  # noqa: S106
    user.groups.add(Group.objects.get(name=group))
    return user


def _live(page) -> bool:
    return ArticlePage.objects.get(pk=page.pk).live


def _bulk_publish(client, *pages):
    """The page listing's bulk action, as the explorer posts it (then back to the listing)."""
    ids = "&".join(f"id={page.pk}" for page in pages)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    next_url = reverse("wagtailadmin_explore", args=(pages[0].get_parent().pk,))
    return client.post(f"{url}?{ids}&next={next_url}", {"include_descendants": ""}, follow=True)


# --- The check itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        "身份证 110105 19491231 002X",  # spaces between groups
        "身份证 １１０１０５１９４９１２３１００２Ｘ",  # full-width digits and X
        "身份证 110105194<b>91231002X</b>",  # split by markup
        "电话 138.1234.5678",
        "电话 138\u00a01234\u00a05678",  # no-break spaces
        "电话 138\u200b1234\u200b5678",  # zero-width spaces
        "电话 ＋８６ １３８－１２３４－５６７８",
        '<a href="tel:13812345678">打电话</a>',
    ],
)
def test_numbers_are_found_however_they_are_written(topic, paragraph):
    page = _draft(topic, "走访慰问", paragraph)
    assert page_findings(page.get_latest_revision_as_object())


def test_every_text_field_nested_block_table_and_tag_is_checked(topic):
    page = _draft(topic, "检查范围")
    clean = page.get_latest_revision_as_object()
    assert page_findings(clean) == []

    clean.body = [
        (
            "table",
            {
                "caption": "慰问名单（示例）",
                "table": {"data": [["姓名", "电话"], ["张某", "139 0000 1234"]]},
            },
        )
    ]
    assert page_findings(clean) == ["手机号 139****1234"]

    clean.body = [("quote", {"text": "正文", "attribution": f"身份证{ID_NUMBER}"})]
    assert page_findings(clean) == ["身份证号 110***********002X"]

    clean.body = []
    clean.seo_title = "联系 13712345678"
    assert page_findings(clean) == ["手机号 137****5678"]

    clean.seo_title = ""
    clean.tags.add("13612345678")
    assert page_findings(clean) == ["手机号 136****5678"]


def test_masked_numbers_landlines_and_figures_pass(topic):
    page = _draft(
        topic,
        "已遮挡",
        "电话138****5678，身份证110***********002X，热线023-68881234，2025年9月20日",
    )
    assert page_findings(page.get_latest_revision_as_object()) == []


# --- Every path ---------------------------------------------------------------------------


def test_the_editors_publish_button_refuses_and_keeps_the_text(admin_client, topic):
    page = _draft(topic, "草稿")
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        {
            "title": "草稿",
            "slug": page.slug,
            "summary": "联系 138 1234 5678",
            "date": "2025-09-20",
            "source": "区人武部",
            "tags": "",
            "body-count": "0",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "手机号 138****5678" in html and "138 1234 5678" in html
    assert not _live(page)


def test_bulk_publish_refuses_the_page_and_publishes_the_others(admin_client, topic):
    bad = _draft(topic, "含身份证", f"身份证号{ID_NUMBER}")
    good = _draft(topic, "干净的页面")
    response = _bulk_publish(admin_client, bad, good)
    assert response.status_code == 200
    html = response.content.decode()
    assert "含有未遮挡的个人信息" in html and "110***********002X" in html
    assert ID_NUMBER not in html
    assert not _live(bad)
    assert _live(good)


def test_scheduled_publishing_sets_the_page_aside_and_publishes_the_others(topic):
    bad = _draft(topic, "定时发布（含手机号）", "报名电话13812345678")
    good = _draft(topic, "定时发布")
    soon = timezone.now() + datetime.timedelta(hours=1)
    for page in (bad, good):
        page.go_live_at = soon
        page.save_revision().publish()  # scheduled: a revision with approved_go_live_at
    assert not _live(bad) and not _live(good)

    # An hour later, as the scheduler (cron running publish_scheduled) sees it.
    past = timezone.now() - datetime.timedelta(minutes=1)
    for revision in Revision.objects.filter(approved_go_live_at__isnull=False):
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save()
    stderr = io.StringIO()
    call_command("publish_scheduled", stdout=io.StringIO(), stderr=stderr)

    assert _live(good)
    assert not _live(bad)
    assert "138****5678" in stderr.getvalue() and "13812345678" not in stderr.getvalue()
    entry = PageLogEntry.objects.get(page=bad, action="home.publish_refused")
    assert "138****5678" in entry.message
    # Set aside for good: the next run does not try again.
    call_command("publish_scheduled", stdout=io.StringIO(), stderr=stderr)
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()


def test_workflow_approval_of_a_revision_with_a_number_is_refused(client, django_user_model, topic):
    editor = _user(django_user_model, "bianji", "Editors")
    moderator = _user(django_user_model, "shenhe", "Moderators")
    page = _draft(topic, "军营开放日")
    page.get_workflow().start(page, editor)
    # A draft saved during moderation by code that skips the form (an import, the shell).
    page.refresh_from_db()
    page.body = [("paragraph", RichText(f"<p>身份证{ID_NUMBER}</p>"))]
    page.save_revision(user=moderator)

    client.force_login(moderator)
    task_state = page.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        {"comment": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "含有未遮挡的个人信息" in response.content.decode()
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress, "the approval was rolled back, the task still waits"


def test_copy_with_publish_refuses_a_live_page_that_shows_a_number(admin_client, topic):
    page = ArticlePageFactory(parent=topic, title="旧页面", live=True)
    # Published before the check existed: written straight to the table.
    ArticlePage.objects.filter(pk=page.pk).update(summary="联系电话13812345678")
    response = admin_client.post(
        reverse("wagtailadmin_pages:copy", args=(page.pk,)),
        {
            "new_title": "旧页面（副本）",
            "new_slug": "old-copy",
            "new_parent_page": topic.pk,
            "publish_copies": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "含有未遮挡的个人信息" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="old-copy").exists()


def test_revert_and_publish_of_an_old_revision_with_a_number_is_refused(admin_client, topic):
    page = _draft(topic, "回退", "电话13812345678")
    old_revision = page.get_latest_revision()
    page.body = [("paragraph", RichText("<p>电话138****5678</p>"))]
    page.save_revision().publish()
    assert _live(page)

    with pytest.raises(PublishRefused):
        old_revision.publish()
    assert "138****5678" in str(ArticlePage.objects.get(pk=page.pk).body)


def test_the_admin_api_publish_action_is_refused(admin_client, topic):
    page = _draft(topic, "接口发布", "电话13812345678")
    response = admin_client.post(f"/admin/api/main/pages/{page.pk}/action/publish/")
    assert response.status_code == 400
    assert "138****5678" in response.content.decode()
    assert not _live(page)


def test_a_draft_of_a_live_page_may_hold_a_number(topic):
    page = ArticlePageFactory(parent=topic, title="已发布", live=True)
    page.body = [("paragraph", RichText("<p>电话13812345678</p>"))]
    page.save_revision()  # no exception: drafts are not public
    assert "13812345678" not in str(ArticlePage.objects.get(pk=page.pk).body)


# --- The seams this relies on (fail loudly when Wagtail changes) ---------------------------


def test_bulk_publish_of_pages_is_ours():
    assert (
        bulk_action_registry.get_bulk_action_class("wagtailcore", "page", "publish")
        is CheckedPublishBulkAction
    )


def test_publish_scheduled_is_ours():
    assert get_commands()["publish_scheduled"] == "home"

"""Editors publish through Wagtail's approval workflow; pages with personal data are refused."""

import datetime
import io

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from education.factories import ArticlePageFactory
from education.models import ArticlePage
from home.personal_data import id_number_check_char

ID_NUMBER = "11010519491231002" + id_number_check_char("11010519491231002")


def _user(django_user_model, name, group):
    user = django_user_model.objects.create_user(username=name, password="pw-123456")  # noqa: S106
    user.groups.add(Group.objects.get(name=group))
    return user


def _article_form(title, paragraph, **extra):
    data = {
        "title": title,
        "slug": "",
        "summary": "",
        "date": "2025-09-20",
        "source": "区人武部",
        "tags": "",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": f'{{"blocks":[{{"key":"a","type":"unstyled","text":"{paragraph}","depth":0,"inlineStyleRanges":[],"entityRanges":[]}}],"entityMap":{{}}}}',
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data["slug"] = "article-" + str(abs(hash(title)) % 10_000)
    data.update(extra)
    return data


def _create(client, topic, data):
    return client.post(
        reverse("wagtailadmin_pages:add", args=("education", "articlepage", topic.pk)), data
    )


def test_publishing_a_page_with_an_unmasked_mobile_number_is_refused(admin_client, topic):
    response = _create(
        admin_client,
        topic,
        _article_form("走访慰问", "联系电话13812345678", **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "含有未遮挡的个人信息" in html and "手机号 138****5678" in html
    assert "13812345678" in html  # what the editor typed is kept in the form
    assert not ArticlePage.objects.filter(title="走访慰问").exists()


def test_publishing_a_page_with_an_unmasked_id_number_in_the_summary_is_refused(
    admin_client, topic
):
    data = _article_form(
        "光荣之家", "正文", summary=f"身份证{ID_NUMBER}", **{"action-publish": "action-publish"}
    )
    html = _create(admin_client, topic, data).content.decode()
    assert "身份证号 110***********002X" in html
    assert not ArticlePage.objects.filter(title="光荣之家").exists()


def test_drafts_may_hold_the_number_while_the_editor_fixes_it(admin_client, topic):
    response = _create(admin_client, topic, _article_form("草稿", "电话13812345678"))
    assert response.status_code == 302
    assert not ArticlePage.objects.get(title="草稿").live


def test_masked_numbers_are_published(admin_client, topic):
    response = _create(
        admin_client,
        topic,
        _article_form("已遮挡", "电话138****5678", **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="已遮挡").live


def test_editor_submits_and_moderator_approves(client, django_user_model, topic):
    editor = _user(django_user_model, "bianji", "Editors")
    moderator = _user(django_user_model, "shenhe", "Moderators")

    client.force_login(editor)
    response = _create(
        client,
        topic,
        _article_form("双拥工作动态", "军民鱼水情深", **{"action-submit": "action-submit"}),
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(title="双拥工作动态")
    assert not article.live
    assert article.current_workflow_state.status == "in_progress"
    # Editors cannot publish on their own.
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    client.post(
        edit_url,
        _article_form(
            "双拥工作动态",
            "军民鱼水情深",
            slug=article.slug,
            **{"action-publish": "action-publish"},
        ),
    )
    assert not ArticlePage.objects.get(pk=article.pk).live

    client.force_login(moderator)
    task_state = article.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk)),
        {"comment": "同意发布"},
    )
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.live
    assert client.get(article.url).status_code == 200


def test_a_draft_saved_while_in_moderation_is_checked_too(client, django_user_model, topic):
    """Approval publishes the latest draft, so a draft the reviewer saves during moderation
    must be clean (editors themselves cannot edit a page awaiting moderation)."""
    client.force_login(_user(django_user_model, "bianji", "Editors"))
    _create(
        client, topic, _article_form("军营开放日", "正文", **{"action-submit": "action-submit"})
    )
    article = ArticlePage.objects.get(title="军营开放日")
    client.force_login(_user(django_user_model, "shenhe", "Moderators"))
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    response = client.post(
        edit_url, _article_form("军营开放日", "报名电话13812345678", slug=article.slug)
    )
    assert response.status_code == 200
    assert "含有未遮挡的个人信息" in response.content.decode()
    assert "13812345678" not in str(article.get_latest_revision().content)


def test_scheduled_page_goes_live_when_its_time_comes(client, topic):
    article = ArticlePageFactory(parent=topic, title="八一建军节慰问活动预告", live=False)
    article.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    revision = article.save_revision()
    revision.publish()
    article.refresh_from_db()
    assert not article.live
    assert client.get(article.url).status_code == 404

    # Two hours later, as the scheduler (cron running publish_scheduled) sees it.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled", stdout=io.StringIO())
    assert Page.objects.get(pk=article.pk).live
    assert client.get(article.url).status_code == 200


def test_admin_speaks_chinese(client, db):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert 'lang="zh-hans"' in html.lower() and "登录" in html


def test_editor_forms_for_every_page_type_open(admin_client, topic):
    for model in ("articlepage", "topicpage"):
        parent = topic if model == "articlepage" else topic.get_parent()
        url = reverse("wagtailadmin_pages:add", args=("education", model, parent.pk))
        response = admin_client.get(url)
        assert response.status_code == 200, model
        assert "正文" in response.content.decode() or model == "topicpage"

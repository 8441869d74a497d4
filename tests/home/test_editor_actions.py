"""Contract of the seam home/editor_actions.py with Wagtail's page editor: the editor shows
its publishing buttons under the names the personal-data form check reads, and pressing
each one does what the check assumes (publish, or send towards publication). If Wagtail
renames a button or stops honouring it, these fail and say which."""

from django.contrib.staticfiles import finders
from django.urls import reverse

from education.models import ArticlePage
from home.editor_actions import PUBLISH, RESTART_WORKFLOW, SUBMIT, WORKFLOW_ACTION

from .test_publishing import _article_form, _create, _user

CHANGED = "Wagtail's page editor changed: update home/editor_actions.py"


def _submitted(client, django_user_model, topic, title):
    client.force_login(_user(django_user_model, "bianji", "Editors"))
    _create(client, topic, _article_form(title, "正文", **{SUBMIT: SUBMIT}))
    return ArticlePage.objects.get(title=title)


def test_the_editor_shows_the_publish_and_submit_buttons_by_these_names(admin_client, topic):
    add_url = reverse("wagtailadmin_pages:add", args=("education", "articlepage", topic.pk))
    html = admin_client.get(add_url).content.decode()
    for name in (PUBLISH, SUBMIT):
        assert f'name="{name}"' in html, f"{CHANGED}: no button named {name}"


def test_the_publish_button_publishes(admin_client, topic):
    _create(admin_client, topic, _article_form("发布按钮", "正文", **{PUBLISH: PUBLISH}))
    assert ArticlePage.objects.get(title="发布按钮").live, f"{CHANGED}: {PUBLISH} did not publish"


def test_the_submit_button_starts_the_workflow(client, django_user_model, topic):
    article = _submitted(client, django_user_model, topic, "提交审核")
    state = article.current_workflow_state
    assert state and state.status == "in_progress", f"{CHANGED}: {SUBMIT} did not submit"


def test_a_workflow_task_button_posts_this_name_and_approving_publishes(
    client, django_user_model, topic
):
    script = finders.find("wagtailadmin/js/workflow-action.js")
    with open(script, encoding="utf-8") as source:
        assert f'"{WORKFLOW_ACTION}"' in source.read(), f"{CHANGED}: the task buttons' field"
    article = _submitted(client, django_user_model, topic, "审核通过")
    client.force_login(_user(django_user_model, "shenhe", "Moderators"))
    client.post(
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        _article_form(
            "审核通过",
            "正文",
            slug=article.slug,
            **{WORKFLOW_ACTION: "true", "workflow-action-name": "approve"},
        ),
    )
    assert ArticlePage.objects.get(pk=article.pk).live, f"{CHANGED}: {WORKFLOW_ACTION}"


def test_the_restart_button_sends_the_page_back_into_moderation(client, django_user_model, topic):
    article = _submitted(client, django_user_model, topic, "退回修改")
    editor = article.current_workflow_state.requested_by
    client.force_login(_user(django_user_model, "shenhe", "Moderators"))
    task_state = article.current_workflow_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "reject", task_state.pk)),
        {"comment": "请修改"},
    )
    assert article.current_workflow_state.status == "needs_changes"
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        _article_form("退回修改", "正文", slug=article.slug, **{RESTART_WORKFLOW: "true"}),
    )
    article = ArticlePage.objects.get(pk=article.pk)
    state = article.current_workflow_state
    assert state and state.status == "in_progress", f"{CHANGED}: {RESTART_WORKFLOW}"

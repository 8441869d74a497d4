"""Seam with Wagtail's page editor: which submit buttons publish a page or send it towards
publication.

A page form is not told which button was pressed: Wagtail's create and edit views read the
button's name from request.POST (wagtail/admin/views/pages/create.py and edit.py). The names
of the publish, submit and restart buttons come from their public menu items; a workflow
task's buttons (approve …) post a field that Wagtail's script sets
(wagtailadmin/js/workflow-action.js), so its name is written here. tests/home/test_seams.py renders
the editor and presses each button, and fails if Wagtail renames one or stops honouring it.
"""

from collections.abc import Mapping

from wagtail.admin.action_menu import (
    PublishMenuItem,
    RestartWorkflowMenuItem,
    SubmitForModerationMenuItem,
)

PUBLISH = PublishMenuItem.name
SUBMIT = SubmitForModerationMenuItem.name
# Sending a page back into moderation after changes were asked for.
RESTART_WORKFLOW = RestartWorkflowMenuItem.name
# A moderator's approve (or another task action) while the page is in a workflow.
WORKFLOW_ACTION = "action-workflow-action"
PUBLISHING_ACTIONS = (PUBLISH, SUBMIT, WORKFLOW_ACTION, RESTART_WORKFLOW)


def pressed_towards_publication(data: Mapping[str, object]) -> bool:
    """Whether the editor's POST came from a button that publishes or leads to publishing."""
    return any(data.get(name) for name in PUBLISHING_ACTIONS)

"""Staff pages in the Wagtail admin: queues, a request's page, entry for a family, exports,
the dashboard and the supervisors' audit log. Each checks scope; the actions do the work."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.personal_data import mask_mobile_number

from .actions import (
    ConcurrentUpdate,
    personal_data_access_record,
    service_request_add_note,
    service_request_assign,
    service_request_submit,
    service_request_transition,
)
from .exports import csv_response, export_table, xlsx_response
from .forms import (
    ApplicationForm,
    AssignForm,
    NoteForm,
    QueueFilterForm,
    StaffEntryForm,
    TransitionForm,
    add_action_errors,
)
from .models import CHILD_REQUEST_TYPES, FieldGroup, RequestType
from .permissions import can_see_personal_data, handles_service_requests, is_supervisor
from .privacy import PERSONAL_FIELDS, mask_name, request_summary
from .rules import RULES
from .selectors import (
    access_log_entries,
    dashboard_figures,
    districts_handled_by,
    eligible_assignees,
    missing_documents,
    service_request_queue,
    service_requests_visible_to,
)
from .storage import PrivateStorageUnavailable
from .workflow import Actor, transitions_from

PAGE_SIZE = 50
CONFLICT_MESSAGE = gettext_lazy("该申请已被其他工作人员更新，请刷新后再操作。")


class ServicesAdminView(WagtailAdminTemplateMixin, View):
    header_icon = "group"
    page_title = gettext_lazy("军属服务申请")

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self, user) -> bool:
        return handles_service_requests(user)

    # Whether the page is below the queue in the breadcrumbs.
    crumb = True

    def get_breadcrumbs_items(self):
        queue = {"url": reverse("services_admin:queue"), "label": _("军属服务申请")}
        extra = [{"url": "", "label": self.get_page_title()}] if self.crumb else []
        return [*self.breadcrumbs_items, queue, *extra]

    def visible_requests(self):
        return service_requests_visible_to(user=self.request.user)


def paginate(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("p"))


class QueueView(ServicesAdminView):
    """Requests in the user's scope, filtered; always masked."""

    template_name = "services/admin/queue.html"
    crumb = False

    def get(self, request):
        filter_form = QueueFilterForm(request.GET or None)
        page = paginate(request, service_request_queue(user=request.user, **filter_form.filters()))
        rows = [
            (
                item,
                mask_name(item.applicant_name),
                mask_mobile_number(item.applicant_phone),
                len(missing_documents(service_request=item)),
            )
            for item in page
        ]
        query = request.GET.copy()
        query.pop("p", None)
        return self.render_to_response(
            self.get_context_data(
                filter_form=filter_form,
                page=page,
                rows=rows,
                query=query.urlencode(),
                now=timezone.now(),
            )
        )


def rebased(data, version: int):
    """The user's input on top of the latest version, after a conflict: nothing they typed is lost."""
    data = data.copy()
    data["version"] = str(version)
    return data


class RequestDetailView(ServicesAdminView):
    """One request: its answers (unmasked on request, logged), documents, history and actions."""

    template_name = "services/admin/detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = None

    def get_object(self):
        queryset = self.visible_requests().select_related("assignee", "entered_by", "district")
        self.object = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self.object

    def get_page_title(self):
        return self.object.reference if self.object else super().get_page_title()

    def get(self, request, pk):
        service_request = self.get_object()
        reveal = request.GET.get("show") == "personal" and can_see_personal_data(request.user)
        if reveal:
            personal_data_access_record(
                user=request.user,
                service_requests=[service_request],
                field_group=FieldGroup.PERSONAL,
            )
        return self.render_detail(service_request, reveal=reveal)

    def post(self, request, pk):
        service_request = self.get_object()
        handlers = {"transition": self.transition, "assign": self.assign, "note": self.note}
        handler = handlers.get(request.POST.get("action"))
        if handler is None:
            return HttpResponseBadRequest()
        return handler(service_request)

    def run_action(self, service_request, form_name, make_form, action):
        """A staff form posted: on valid input its action, whose message is shown on the page
        it redirects to; after someone else's change, the page again with the input on top of
        the latest version (nothing typed is lost); else the page with the form's errors."""
        form = make_form(self.request.POST)
        if form.is_valid():
            try:
                message = action(form.cleaned_data)
            except ConcurrentUpdate:
                messages.error(self.request, CONFLICT_MESSAGE)
                service_request.refresh_from_db()
                form = make_form(rebased(self.request.POST, service_request.version))
                return self.render_detail(service_request, status=409, **{form_name: form})
            except ValidationError as error:
                add_action_errors(error, form)
            else:
                messages.success(self.request, message)
                return redirect("services_admin:detail", pk=service_request.pk)
        return self.render_detail(service_request, **{form_name: form})

    def transition(self, service_request):
        def act(data):
            service_request_transition(
                service_request=service_request,
                to_status=data["to_status"],
                actor=self.request.user,
                expected_version=data["version"],
                note=data["note"],
            )
            return _("申请 %(reference)s 已改为“%(status)s”。") % {
                "reference": service_request.reference,
                "status": service_request.get_status_display(),
            }

        return self.run_action(service_request, "transition_form", TransitionForm, act)

    def assign(self, service_request):
        assignees = eligible_assignees(service_request=service_request)

        def act(data):
            service_request_assign(
                service_request=service_request,
                assignee=data["assignee"],
                actor=self.request.user,
                expected_version=data["version"],
            )
            return _("已指派经办人。")

        return self.run_action(
            service_request, "assign_form", lambda post: AssignForm(post, assignees=assignees), act
        )

    def note(self, service_request):
        def act(data):
            service_request_add_note(
                service_request=service_request, author=self.request.user, text=data["text"]
            )
            return _("已添加内部备注。")

        return self.run_action(service_request, "note_form", NoteForm, act)

    def render_detail(self, service_request, *, reveal=False, status=200, **forms):
        version = {"version": service_request.version}
        actions = [
            (transition.target_for(service_request), transition.label_for(service_request))
            for transition in transitions_from(service_request=service_request, by=Actor.STAFF)
        ]
        assignees = eligible_assignees(service_request=service_request)
        context = self.get_context_data(
            service_request=service_request,
            summary=request_summary(
                service_request, masked=frozenset() if reveal else PERSONAL_FIELDS
            ),
            reveal=reveal,
            masked=not reveal,
            can_reveal=can_see_personal_data(self.request.user),
            attachments=service_request.attachments.all(),
            missing=missing_documents(service_request=service_request),
            staff_steps=RULES[RequestType(service_request.request_type)].staff_steps.value,
            events=service_request.events.select_related("actor"),
            notes=service_request.internal_notes.select_related("author"),
            rating=getattr(service_request, "rating", None),
            actions=actions,
            transition_form=forms.get("transition_form") or TransitionForm(initial=version),
            assign_form=forms.get("assign_form")
            or AssignForm(
                initial={**version, "assignee": service_request.assignee_id}, assignees=assignees
            ),
            note_form=forms.get("note_form") or NoteForm(),
        )
        return self.render_to_response(context, status=status)


class AttachmentView(ServicesAdminView):
    """Proof documents are personal data: only for those who may see it, and logged."""

    def has_permission(self, user) -> bool:
        return handles_service_requests(user) and can_see_personal_data(user)

    def get(self, request, pk, attachment_pk):
        service_request = get_object_or_404(self.visible_requests(), pk=pk)
        attachment = get_object_or_404(service_request.attachments, pk=attachment_pk)
        personal_data_access_record(
            user=request.user, service_requests=[service_request], field_group=FieldGroup.ATTACHMENT
        )
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ExportView(ServicesAdminView):
    """The filtered queue as a file; unmasked only for those who may see personal data (logged)."""

    writers = {"csv": csv_response, "xlsx": xlsx_response}
    file_format = "csv"

    def get(self, request):
        filter_form = QueueFilterForm(request.GET or None)
        requests = list(service_request_queue(user=request.user, **filter_form.filters()))
        masked = not can_see_personal_data(request.user)
        headers, rows = export_table(requests, masked=masked)
        response = self.writers[self.file_format](headers, rows)
        # Only once the file exists: an export that failed showed nobody anything.
        if not masked:
            personal_data_access_record(
                user=request.user, service_requests=requests, field_group=FieldGroup.EXPORT
            )
        return response


class DashboardView(ServicesAdminView):
    template_name = "services/admin/dashboard.html"
    page_title = gettext_lazy("军属服务数据看板")

    def get(self, request):
        figures = dashboard_figures(user=request.user, now=timezone.now())
        return self.render_to_response(self.get_context_data(**figures))


class AuditLogView(ServicesAdminView):
    """Who looked at which request's personal data: for supervisors."""

    template_name = "services/admin/audit_log.html"
    page_title = gettext_lazy("个人信息查看记录")

    def has_permission(self, user) -> bool:
        return is_supervisor(user)

    def get(self, request):
        page = paginate(request, access_log_entries())
        return self.render_to_response(self.get_context_data(page=page))


class EnterChooseView(ServicesAdminView):
    template_name = "services/admin/enter_choose.html"
    page_title = gettext_lazy("代为录入申请")

    def get(self, request):
        request_types = [
            request_type
            for request_type in RequestType
            if districts_handled_by(user=request.user, request_type=request_type).exists()
        ]
        return self.render_to_response(self.get_context_data(request_types=request_types))


@method_decorator(sensitive_post_parameters(), name="dispatch")
class EnterRequestView(ServicesAdminView):
    """Staff enter a request for a family who cannot use the web, recording their consent."""

    template_name = "services/admin/enter.html"
    page_title = gettext_lazy("代为录入申请")

    def get_request_type(self):
        try:
            request_type = RequestType(self.kwargs["request_type"])
        except ValueError:
            raise Http404 from None
        districts = districts_handled_by(user=self.request.user, request_type=request_type)
        if not districts.exists():
            raise PermissionDenied
        return request_type, districts

    def forms(self, data=None, files=None):
        request_type, districts = self.get_request_type()
        application = ApplicationForm(data, request_type=request_type)
        application.fields["district"].queryset = districts
        entry = StaffEntryForm(
            data,
            files,
            ask_guardian_consent=request_type in CHILD_REQUEST_TYPES,
            documents=RULES[request_type].documents,
            initial={"submission_token": uuid.uuid4()},
        )
        return request_type, application, entry

    def get(self, request, request_type):
        request_type, application, entry = self.forms()
        return self.render_form(request_type, application, entry)

    def post(self, request, request_type):
        request_type, application, entry = self.forms(request.POST, request.FILES)
        application_valid = application.is_valid()
        if entry.is_valid() and application_valid:
            try:
                service_request = service_request_submit(
                    request_type=request_type,
                    answers=application.answers(),
                    consent=entry.consent(),
                    files=entry.cleaned_data["attachments"],
                    documents={
                        kind: checked.file for kind, checked in entry.checked_documents().items()
                    },
                    later=entry.later(),
                    submission_key=entry.cleaned_data["submission_token"],
                    entered_by=request.user,
                )
            except ValidationError as error:
                add_action_errors(error, application, entry)
            except PrivateStorageUnavailable as error:
                # Nothing was stored; what staff typed is on the form again (files are chosen again).
                entry.add_error(None, error.message)
                return self.render_form(request_type, application, entry, status=503)
            else:
                messages.success(
                    request,
                    _(
                        "已代为录入，受理编号 %(reference)s。请把受理编号告知家属，凭它和手机号查询进度。"
                    )
                    % {"reference": service_request.reference},
                )
                return redirect("services_admin:detail", pk=service_request.pk)
        return self.render_form(request_type, application, entry)

    def render_form(self, request_type, application, entry, *, status=200):
        return self.render_to_response(
            self.get_context_data(request_type=request_type, application=application, entry=entry),
            status=status,
        )

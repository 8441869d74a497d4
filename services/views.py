"""Public pages: apply for a service (form → check → confirmation) and track a request.

Personal data travels only in POST bodies and the server-side session, never in a URL.
"""

import datetime
import logging
import uuid
from contextlib import ExitStack
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.base import UpdateError
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .actions import (
    ConcurrentUpdate,
    service_request_add_documents,
    service_request_rate,
    service_request_submit,
    service_request_withdraw,
)
from .attachments import check_attachment, limits_description
from .drafts import (
    DRAFT_TTL_SECONDS,
    Draft,
    draft_clear,
    draft_load,
    draft_refresh,
    draft_save,
    keep_file,
    kept_files_delete,
    rejected_keep,
    rejected_take,
)
from .forms import (
    ApplicationForm,
    ConfirmForm,
    DocumentsForm,
    RatingForm,
    TrackForm,
    WithdrawForm,
    add_action_errors,
)
from .models import DocumentKind, RequestType, ServiceRequest, Status
from .privacy import request_summary
from .rules import RULES, documents_needed
from .selectors import (
    missing_documents,
    public_timeline,
    service_guide,
    service_guide_context,
    service_types_overview,
)
from .storage import PrivateStorageUnavailable
from .tracking import client_ip, service_request_track
from .workflow import RESUME, Actor, transitions_from

logger = logging.getLogger(__name__)

SUBMITTED_SESSION_KEY = "services:submitted"
# The reference of the request just sent, signed, for the confirmation page alone: if the
# database is briefly away when that page loads, the family still gets their reference.
RECEIPT_COOKIE = "services_receipt"
RECEIPT_SALT = "services.receipt"
TRACKED_SESSION_KEY = "services:tracked"
NOT_FOUND_MESSAGE = _("未找到与该受理编号和手机号匹配的申请，请核对后再试。")
WAIT_MESSAGE = _("尝试次数过多。为保护申请人的信息，请 %(minutes)d 分钟后再试。")
CHANGED_MESSAGE = _("申请状态刚刚有了更新，请查看最新状态后再操作。")
# The applicant's printed copy masks what identifies them to anyone who finds the paper.
PRINT_MASKED = frozenset({"applicant_phone", "id_number", "child_id_number", "bank_account"})


def _request_type(value: str) -> RequestType:
    try:
        return RequestType(value)
    except ValueError:
        raise Http404 from None


def _see_other(url_name: str, **kwargs) -> HttpResponse:
    """Post/redirect/get: 303, so the browser's back button never offers to post again."""
    response = redirect(url_name, **kwargs)
    response.status_code = 303
    return response


def _bind_rejected(form, errors: dict) -> None:
    """A form bound to what was typed shows its own errors again; add those only the action
    knew (a missing document, a file refused)."""
    form.is_valid()
    for name, texts in errors.items():
        field = name if name in form.fields else None
        for message in texts:
            if message not in form.errors.get(field or "__all__", []):
                form.add_error(field, message)


def service_index(request: HttpRequest) -> HttpResponse:
    """The services index: the editors' page when there is one, else the same list without
    their introduction."""
    from .models import ServiceIndexPage

    page = ServiceIndexPage.objects.live().public().first()
    if page is not None:
        return page.serve(request)
    return render(request, "services/index.html", {"request_types": service_types_overview()})


def guide(request: HttpRequest, request_type: str) -> HttpResponse:
    """A type's guide: the editors' page (its text, the rules, the service points), or the
    rules and service points alone while editors have not written one."""
    request_type = _request_type(request_type)
    page = service_guide(request_type)
    if page is not None:
        return page.serve(request)
    return render(request, "services/guide.html", service_guide_context(request_type))


def _apply_context(request_type: RequestType, form: ApplicationForm) -> dict:
    return {
        "request_type": request_type,
        "rules": RULES[request_type],
        "form": form,
        "limits": limits_description(),
    }


@never_cache
@sensitive_post_parameters()
def apply(request: HttpRequest, request_type: str) -> HttpResponse:
    """The form; a draft is kept (encrypted, two hours) only once the answers are valid."""
    request_type = _request_type(request_type)
    step = f"apply:{request_type}"
    draft = draft_load(request, request_type)
    if request.method == "POST":
        form = ApplicationForm(request.POST, request_type=request_type)
        if form.is_valid():
            draft = draft or Draft()
            draft.answers = form.raw_answers()
            draft_save(request, request_type, draft)
            return _see_other("services:check", request_type=request_type)
        rejected_keep(request, step, data=form.raw_answers(), errors=form.errors)
        return _see_other("services:apply", request_type=request_type)
    rejected = rejected_take(request, step)
    if rejected:
        form = ApplicationForm(rejected[0], request_type=request_type)
        _bind_rejected(form, rejected[1])
    elif draft:
        form = ApplicationForm(draft.answers, request_type=request_type)
        draft_refresh(request, request_type, draft)
    else:
        form = ApplicationForm(request_type=request_type)
    return render(request, "services/apply.html", _apply_context(request_type, form))


def _kept_names(draft: Draft) -> dict[str, str]:
    return {kept.kind: kept.original_name for kept in draft.files}


def _keep_uploads(confirm: ConfirmForm, draft: Draft) -> None:
    """Every file that passed its checks is kept, even when something else on the page did
    not: the family never has to choose it again."""
    for kind, checked in confirm.checked_documents().items():
        # The new file is kept before the old one goes: if it cannot be, the old one stays.
        kept = keep_file(checked, kind=kind)
        kept_files_delete(draft.kept(kind))
        draft.files = [other for other in draft.files if other.kind != kind]
        draft.files.append(kept)
    for uploaded in confirm.cleaned_data.get("attachments") or []:
        try:
            checked = check_attachment(uploaded)
        except ValidationError as error:
            confirm.add_error("attachments", error)
        else:
            draft.files.append(keep_file(checked, kind=DocumentKind.OTHER))


def _submit_draft(
    request_type: RequestType, application: ApplicationForm, confirm: ConfirmForm, draft: Draft
) -> ServiceRequest:
    token = uuid.UUID(draft.token)
    kinds = {kept.kind for kept in draft.files}
    with ExitStack() as stack:
        try:
            opened = []
            for kept in draft.files:
                checked = kept.open_checked()
                stack.callback(checked.file.close)
                opened.append((kept.kind, checked))
        except FileNotFoundError:
            # A twin of this post (a double tap) sent the request and removed the files.
            existing = ServiceRequest.objects.filter(submission_key=token).first()
            if existing is None:
                raise ValidationError(_("已选择的材料已失效，请重新选择文件。")) from None
            return existing
        return service_request_submit(
            request_type=request_type,
            answers=application.answers(),
            consent=confirm.consent(),
            files=[checked for kind, checked in opened if kind == DocumentKind.OTHER],
            documents={kind: checked for kind, checked in opened if kind != DocumentKind.OTHER},
            later=[kind for kind in confirm.later() if kind not in kinds],
            submission_key=token,
        )


@never_cache
@sensitive_post_parameters()
def check(request: HttpRequest, request_type: str) -> HttpResponse:
    """Check the answers, add documents and consent, submit: once, however often it is posted."""
    request_type = _request_type(request_type)
    step = f"check:{request_type}"
    submitted = request.session.get(SUBMITTED_SESSION_KEY)
    if (
        request.method == "POST"
        and submitted
        and request.POST.get("submission_token") == submitted["token"]
    ):
        return _see_other("services:done")  # a second tap or a reload after success
    draft = draft_load(request, request_type)
    if draft is None:
        if request.method == "POST":
            messages.error(request, _("填写的内容已超过 2 小时未操作，已自动清除，请重新填写。"))
        return _see_other("services:apply", request_type=request_type)
    application = ApplicationForm(draft.answers, request_type=request_type)
    if not application.is_valid():  # a date that has passed since, a street withdrawn
        rejected_keep(
            request, f"apply:{request_type}", data=draft.answers, errors=application.errors
        )
        return _see_other("services:apply", request_type=request_type)
    confirm_kwargs = _confirm_kwargs(application, draft)
    if request.method == "POST":
        confirm = ConfirmForm(request.POST, request.FILES, **confirm_kwargs)
        valid = confirm.is_valid()
        try:
            _keep_uploads(confirm, draft)
        except PrivateStorageUnavailable as error:
            return _storage_unavailable(request, request_type, application, draft, error)
        draft_save(request, request_type, draft)
        if valid and not confirm.errors:
            if str(confirm.cleaned_data["submission_token"]) != draft.token:
                messages.error(request, _("页面已过期，请重新核对后再提交。"))
                return _see_other("services:check", request_type=request_type)
            try:
                service_request = _submit_draft(request_type, application, confirm, draft)
            except ValidationError as error:
                add_action_errors(error, confirm)
            except PrivateStorageUnavailable as error:
                return _storage_unavailable(request, request_type, application, draft, error)
            else:
                request.session[SUBMITTED_SESSION_KEY] = {
                    "token": draft.token,
                    "reference": service_request.reference,
                    "at": timezone.now().isoformat(),
                }
                draft_clear(request, request_type)
                _save_session_after_submitting(request, service_request)
                response = _see_other("services:done")
                response.set_signed_cookie(
                    RECEIPT_COOKIE,
                    service_request.reference,
                    salt=RECEIPT_SALT,
                    max_age=DRAFT_TTL_SECONDS,
                    path=reverse("services:done"),
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Lax",
                )
                return response
        data = {
            name: value
            for name, value in request.POST.items()
            if name in confirm.fields and name != "csrfmiddlewaretoken"
        }
        rejected_keep(request, step, data=data, errors=confirm.errors)
        return _see_other("services:check", request_type=request_type)
    rejected = rejected_take(request, step)
    if rejected:
        confirm = ConfirmForm(rejected[0], **confirm_kwargs)
        _bind_rejected(confirm, rejected[1])
    else:
        confirm = ConfirmForm(**confirm_kwargs)
    draft_refresh(request, request_type, draft)
    return _check_page(request, request_type, application, draft, confirm)


def _save_session_after_submitting(request: HttpRequest, service_request: ServiceRequest) -> None:
    """The request is stored, so the answer carrying its reference must go out even if the
    database went away since the commit: the session is saved here, where losing it costs
    only its tidying (the draft's token finds the same request again), not by the
    middleware, which would turn a failed save into an error page."""
    try:
        request.session.save()
    except (DatabaseError, UpdateError):
        logger.warning(
            "Session not saved after service request %s was submitted", service_request.reference
        )
    request.session.modified = False


def _confirm_kwargs(application: ApplicationForm, draft: Draft) -> dict:
    return {
        "ask_guardian_consent": application.instance.needs_guardian_consent,
        "documents": documents_needed(application.instance),
        "kept": _kept_names(draft),
        "initial": {"submission_token": draft.token},
    }


def _check_page(
    request: HttpRequest,
    request_type: RequestType,
    application: ApplicationForm,
    draft: Draft,
    confirm: ConfirmForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "services/check.html",
        {
            "request_type": request_type,
            "summary": request_summary(application.instance, masked=frozenset()),
            "form": confirm,
            "kept_others": [kept for kept in draft.files if kept.kind == DocumentKind.OTHER],
            "retention_years": settings.SERVICES_RETENTION_DAYS // 365,
        },
        status=status,
    )


def _storage_unavailable(
    request: HttpRequest,
    request_type: RequestType,
    application: ApplicationForm,
    draft: Draft,
    error: PrivateStorageUnavailable,
) -> HttpResponse:
    """The private storage is full (or away): nothing was sent. The page comes back at once,
    with the answers, ticks and every file kept so far, and 503: the fault is ours."""
    draft_save(request, request_type, draft)
    # Django's middleware saves no session on a 5xx answer; the files kept must stay kept.
    request.session.save()
    messages.error(request, error.message)
    confirm = ConfirmForm(request.POST, **_confirm_kwargs(application, draft))
    return _check_page(request, request_type, application, draft, confirm, status=503)


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    """The confirmation, with a printable copy; only in the session that submitted it, and
    only for as long as a draft would live. Without the database, the reference alone."""
    try:
        return _confirmation(request)
    except DatabaseError:
        # A page of its own, with nothing the database would be asked for.
        return render(request, "services/done_offline.html", {"reference": _receipt(request)})


def _receipt(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(
        RECEIPT_COOKIE, default=None, salt=RECEIPT_SALT, max_age=DRAFT_TTL_SECONDS
    )


def _confirmation(request: HttpRequest) -> HttpResponse:
    submitted = request.session.get(SUBMITTED_SESSION_KEY)
    at = submitted and submitted.get("at")
    if at and (timezone.now() - datetime.datetime.fromisoformat(at)).total_seconds() <= (
        DRAFT_TTL_SECONDS
    ):
        reference = submitted["reference"]
    else:
        request.session.pop(SUBMITTED_SESSION_KEY, None)
        # The session may not have been saved after submitting (the database was away): the
        # receipt, signed and sent to this browser alone, vouches for the same request.
        reference = _receipt(request)
        if reference is None:
            return redirect("services:index")
    # The street for the summary and the attachments for both lists, read once each.
    service_request = get_object_or_404(
        ServiceRequest.objects.select_related("district").prefetch_related("attachments"),
        reference=reference,
    )
    return render(
        request,
        "services/done.html",
        {
            "service_request": service_request,
            "summary": request_summary(service_request, masked=PRINT_MASKED),
            "attachments": service_request.attachments.all(),
            "missing": missing_documents(service_request=service_request),
        },
    )


@require_POST
def clear(request: HttpRequest) -> HttpResponse:
    """清除已填内容: every draft, kept file and confirmation of this browser's session."""
    draft_clear(request)
    request.session.pop(SUBMITTED_SESSION_KEY, None)
    messages.success(request, _("已清除您在本机填写的申请内容。"))
    response = _see_other("services:index")
    response.delete_cookie(RECEIPT_COOKIE, path=reverse("services:done"), samesite="Lax")
    return response


@never_cache
@sensitive_post_parameters()
def track(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            outcome = service_request_track(
                reference=form.cleaned_data["reference"],
                phone=form.cleaned_data["phone"],
                client_ip=client_ip(request),
            )
            if outcome.service_request is not None:
                request.session[TRACKED_SESSION_KEY] = outcome.service_request.pk
                return _see_other("services:track_status")
            if outcome.wait_seconds:
                # Said at once, with the standard status and header: a reload is throttled too.
                form.add_error(None, WAIT_MESSAGE % {"minutes": outcome.wait_minutes})
                response = render(request, "services/track.html", {"form": form}, status=429)
                response["Retry-After"] = str(outcome.wait_seconds)
                return response
            form.add_error(None, NOT_FOUND_MESSAGE)
        # The reference is shown again; the phone number is typed again, never kept.
        data = {"reference": form.data.get("reference", "")}
        rejected_keep(request, "track", data=data, errors=form.errors)
        return _see_other("services:track")
    rejected = rejected_take(request, "track")
    form = TrackForm()
    if rejected:
        form = TrackForm(rejected[0])
        _bind_rejected(form, rejected[1])
    return render(request, "services/track.html", {"form": form})


def tracked_request_required(view):
    """Views of the request the applicant opened with reference and phone: the request is kept
    in the session, never in the URL; without it they go back to the tracking form."""

    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        pk = request.session.get(TRACKED_SESSION_KEY)
        service_request = (
            ServiceRequest.objects.filter(pk=pk, anonymised_at__isnull=True).first() if pk else None
        )
        if service_request is None:
            return redirect("services:track")
        return view(request, service_request)

    return wrapper


STATUS_FORMS = {
    "withdraw_form": WithdrawForm,
    "documents_form": DocumentsForm,
    "rating_form": RatingForm,
}


def _status_form(name: str, service_request: ServiceRequest, data=None, files=None):
    kwargs = {}
    if name == "documents_form":
        kwargs["documents"] = missing_documents(service_request=service_request)
    initial = {"version": service_request.version} if name != "rating_form" else None
    return STATUS_FORMS[name](data, files, initial=initial, **kwargs)


def _status_error(request: HttpRequest, name: str, form) -> HttpResponse:
    """Back to the status page (post/redirect/get) with the form's errors and text kept."""
    data = {key: value for key, value in form.data.items() if key in form.fields}
    rejected_keep(request, f"status:{name}", data=data, errors=form.errors)
    return _see_other("services:track_status")


@never_cache
@tracked_request_required
def track_status(request: HttpRequest, service_request: ServiceRequest) -> HttpResponse:
    return _track_status_page(request, service_request)


def _track_status_page(
    request: HttpRequest, service_request: ServiceRequest, *, status: int = 200
) -> HttpResponse:
    forms = {}
    for name in STATUS_FORMS:
        rejected = rejected_take(request, f"status:{name}")
        forms[name] = _status_form(name, service_request, rejected[0] if rejected else None)
        if rejected:
            _bind_rejected(forms[name], rejected[1])
    can_rate = service_request.status == Status.RESOLVED and not hasattr(service_request, "rating")
    steps = {
        t.target for t in transitions_from(service_request=service_request, by=Actor.APPLICANT)
    }
    context = {
        "service_request": service_request,
        "timeline": public_timeline(service_request=service_request),
        "missing": missing_documents(service_request=service_request),
        "can_withdraw": Status.WITHDRAWN in steps,
        "can_resume": RESUME in steps,
        "can_rate": can_rate,
        **forms,
    }
    return render(request, "services/track_status.html", context, status=status)


def _status_action(
    request: HttpRequest, service_request: ServiceRequest, name: str, action, success: str
) -> HttpResponse:
    """A form of the status page posted: on valid input `action(form)`, then back to the
    status page (post/redirect/get) with `success`. A step no longer open (the request changed
    meanwhile) is said at the top, where it shows even when the form is no longer offered;
    what is wrong with the input stays on the form, with what was typed."""
    form = _status_form(name, service_request, request.POST, request.FILES)
    if form.is_valid():
        try:
            action(form)
        except ConcurrentUpdate:
            messages.error(request, CHANGED_MESSAGE)
            return _see_other("services:track_status")
        except PrivateStorageUnavailable as error:
            # Nothing was stored (the action's change was rolled back with it): the status
            # page again, at once, as the database has it, saying so (503).
            service_request.refresh_from_db()
            messages.error(request, error.message)
            return _track_status_page(request, service_request, status=503)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, error.messages[0])
                return _see_other("services:track_status")
            add_action_errors(error, form)
        else:
            messages.success(request, success)
            return _see_other("services:track_status")
    return _status_error(request, name, form)


@require_POST
@tracked_request_required
def track_withdraw(request: HttpRequest, service_request: ServiceRequest) -> HttpResponse:
    def withdraw(form):
        service_request_withdraw(
            service_request=service_request, expected_version=form.cleaned_data["version"]
        )

    return _status_action(request, service_request, "withdraw_form", withdraw, _("申请已撤回。"))


@require_POST
@tracked_request_required
def track_documents(request: HttpRequest, service_request: ServiceRequest) -> HttpResponse:
    def add_documents(form):
        service_request_add_documents(
            service_request=service_request,
            files=form.cleaned_data["attachments"],
            documents=form.documents_chosen(),
            expected_version=form.cleaned_data["version"],
        )

    return _status_action(
        request,
        service_request,
        "documents_form",
        add_documents,
        _("材料已提交，工作人员会继续办理。"),
    )


@require_POST
@tracked_request_required
def track_rate(request: HttpRequest, service_request: ServiceRequest) -> HttpResponse:
    def rate(form):
        service_request_rate(
            service_request=service_request,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )

    return _status_action(request, service_request, "rating_form", rate, _("感谢您的评价！"))

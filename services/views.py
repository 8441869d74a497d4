"""Public pages: apply for a service (form → check → confirmation) and track a request.

Personal data travels only in POST bodies and the server-side session, never in a URL.
"""

import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
from .attachments import limits_description
from .forms import (
    ApplicationForm,
    ConfirmForm,
    DocumentsForm,
    RatingForm,
    TrackForm,
    WithdrawForm,
    add_action_errors,
)
from .models import TIME_LIMIT_DAYS, RequestType, ServiceRequest, Status
from .privacy import request_summary
from .selectors import next_statuses, public_timeline
from .tracking import client_ip, service_request_track

SUBMITTED_SESSION_KEY = "services:submitted"
TRACKED_SESSION_KEY = "services:tracked"
NOT_FOUND_MESSAGE = _("未找到与该受理编号和手机号匹配的申请，请核对后再试。")
WAIT_MESSAGE = _("尝试次数过多。为保护申请人的信息，请 %(minutes)d 分钟后再试。")
CHANGED_MESSAGE = _("申请状态刚刚有了更新，请查看最新状态后再操作。")
# The applicant's printed copy masks what identifies them to anyone who finds the paper.
PRINT_MASKED = frozenset({"applicant_phone", "id_number"})


def _draft_key(request_type: RequestType) -> str:
    return f"services:draft:{request_type}"


def _request_type(value: str) -> RequestType:
    try:
        return RequestType(value)
    except ValueError:
        raise Http404 from None


def service_index(request: HttpRequest) -> HttpResponse:
    types = [(t, TIME_LIMIT_DAYS[t]) for t in RequestType]
    return render(request, "services/index.html", {"request_types": types})


@never_cache
@sensitive_post_parameters()
def apply(request: HttpRequest, request_type: str) -> HttpResponse:
    """Who may apply and what to prepare, then the form; what was typed is kept in the session."""
    request_type = _request_type(request_type)
    draft = request.session.get(_draft_key(request_type))
    if request.method == "POST":
        form = ApplicationForm(request.POST, request_type=request_type)
        token = draft["token"] if draft else str(uuid.uuid4())
        request.session[_draft_key(request_type)] = {"answers": form.raw_answers(), "token": token}
        if form.is_valid():
            return redirect("services:check", request_type=request_type)
    elif draft:
        form = ApplicationForm(draft["answers"], request_type=request_type)
    else:
        form = ApplicationForm(request_type=request_type)
    return render(
        request,
        "services/apply.html",
        {
            "request_type": request_type,
            "time_limit_days": TIME_LIMIT_DAYS[request_type],
            "form": form,
            "limits": limits_description(),
            "guide_template": f"services/guides/{request_type}.html",
        },
    )


@never_cache
@sensitive_post_parameters()
def check(request: HttpRequest, request_type: str) -> HttpResponse:
    """Check the answers, add documents and consent, submit: once, however often it is posted."""
    request_type = _request_type(request_type)
    submitted = request.session.get(SUBMITTED_SESSION_KEY)
    if (
        request.method == "POST"
        and submitted
        and request.POST.get("submission_token") == submitted["token"]
    ):
        return redirect("services:done")  # a second click or a reload after success
    draft = request.session.get(_draft_key(request_type))
    if draft is None:
        return redirect("services:apply", request_type=request_type)
    application = ApplicationForm(draft["answers"], request_type=request_type)
    if not application.is_valid():
        return redirect("services:apply", request_type=request_type)
    confirm = ConfirmForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        ask_guardian_consent=application.instance.needs_guardian_consent,
        initial={"submission_token": draft["token"]},
    )
    if request.method == "POST" and confirm.is_valid():
        if str(confirm.cleaned_data["submission_token"]) != draft["token"]:
            messages.error(request, _("页面已过期，请重新核对后再提交。"))
            return redirect("services:check", request_type=request_type)
        try:
            service_request = service_request_submit(
                request_type=request_type,
                answers=application.answers(),
                consent=confirm.consent(),
                files=confirm.cleaned_data["attachments"],
                submission_key=uuid.UUID(draft["token"]),
            )
        except ValidationError as error:
            add_action_errors(error, confirm)
        else:
            request.session[SUBMITTED_SESSION_KEY] = {
                "token": draft["token"],
                "reference": service_request.reference,
            }
            del request.session[_draft_key(request_type)]
            return redirect("services:done")
    return render(
        request,
        "services/check.html",
        {
            "request_type": request_type,
            "summary": request_summary(application.instance, masked=frozenset()),
            "form": confirm,
            "retention_years": settings.SERVICES_RETENTION_DAYS // 365,
        },
    )


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    """The confirmation, with a printable copy; only in the session that submitted it."""
    submitted = request.session.get(SUBMITTED_SESSION_KEY)
    if not submitted:
        return redirect("services:index")
    service_request = get_object_or_404(ServiceRequest, reference=submitted["reference"])
    return render(
        request,
        "services/done.html",
        {
            "service_request": service_request,
            "summary": request_summary(service_request, masked=PRINT_MASKED),
            "attachments": service_request.attachments.all(),
        },
    )


@never_cache
@sensitive_post_parameters()
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = service_request_track(
            reference=form.cleaned_data["reference"],
            phone=form.cleaned_data["phone"],
            client_ip=client_ip(request),
        )
        if outcome.service_request is not None:
            request.session[TRACKED_SESSION_KEY] = outcome.service_request.pk
            return redirect("services:track_status")
        if outcome.wait_seconds:
            form.add_error(None, WAIT_MESSAGE % {"minutes": outcome.wait_minutes})
            response = render(request, "services/track.html", {"form": form}, status=429)
            response["Retry-After"] = str(outcome.wait_seconds)
            return response
        form.add_error(None, NOT_FOUND_MESSAGE)
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


def _render_status(request: HttpRequest, service_request: ServiceRequest, **forms) -> HttpResponse:
    initial = {"version": service_request.version}
    can_rate = service_request.status == Status.RESOLVED and not hasattr(service_request, "rating")
    context = {
        "service_request": service_request,
        "timeline": public_timeline(service_request=service_request),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(initial=initial),
        "documents_form": forms.get("documents_form") or DocumentsForm(initial=initial),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "can_withdraw": Status.WITHDRAWN in next_statuses(service_request=service_request),
        "can_rate": can_rate,
    }
    return render(request, "services/track_status.html", context)


@never_cache
@tracked_request_required
def track_status(request: HttpRequest, service_request: ServiceRequest) -> HttpResponse:
    return _render_status(request, service_request)


@require_POST
@tracked_request_required
def track_withdraw(request: HttpRequest, service_request: ServiceRequest) -> HttpResponse:
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_status(request, service_request, withdraw_form=form)
    try:
        service_request_withdraw(
            service_request=service_request, expected_version=form.cleaned_data["version"]
        )
    except ConcurrentUpdate:
        messages.error(request, CHANGED_MESSAGE)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("services:track_status")


@require_POST
@tracked_request_required
def track_documents(request: HttpRequest, service_request: ServiceRequest) -> HttpResponse:
    form = DocumentsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            service_request_add_documents(
                service_request=service_request,
                files=form.cleaned_data["attachments"],
                expected_version=form.cleaned_data["version"],
            )
        except ConcurrentUpdate:
            messages.error(request, CHANGED_MESSAGE)
        except ValidationError as error:
            add_action_errors(error, form)
        else:
            messages.success(request, _("材料已提交，工作人员会继续办理。"))
            return redirect("services:track_status")
    return _render_status(request, service_request, documents_form=form)


@require_POST
@tracked_request_required
def track_rate(request: HttpRequest, service_request: ServiceRequest) -> HttpResponse:
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            service_request_rate(
                service_request=service_request,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_action_errors(error, form)
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("services:track_status")
    return _render_status(request, service_request, rating_form=form)

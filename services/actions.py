"""Every change to a service request: typed, keyword-only functions, one transaction each.

Each change of a request is an UPDATE … WHERE version = the version the caller saw, plus a
history row; if someone else changed the request first, nothing is written and the caller
gets ConcurrentUpdate.
"""

import datetime
import logging
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from .attachments import MAX_ATTACHMENTS, CheckedFile, check_attachment, check_total_pixels
from .models import (
    APPLICANT_FIELDS,
    CLOSED_STATUSES,
    DETAIL_FIELDS,
    FOLLOW_UP_AT_OR_BELOW,
    Attachment,
    ConsentChannel,
    DocumentKind,
    EventKind,
    FieldGroup,
    InternalNote,
    PersonalDataAccessLog,
    PrivateFileDeletion,
    Rating,
    RequestType,
    ServiceRequest,
    ServiceRequestEvent,
    Status,
    validate_no_markup,
)
from .notifications import notify_applicant, notify_staff, notify_with_change
from .privacy import phone_digest
from .rules import RULES, documents_needed
from .selectors import eligible_assignees, missing_documents
from .workflow import Actor, Needs, Notify, Transition, may_take, resume_status, transition_to

logger = logging.getLogger(__name__)

# Crockford's base32: no I, L, O or U, so a reference read over the phone is unambiguous.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RANDOM_CHARS = 8  # 40 random bits: references cannot be guessed from one another
REFERENCE_ATTEMPTS = 5
ANONYMISED_NAME = "（已匿名）"


class ConcurrentUpdate(Exception):
    """Someone changed the request after the caller loaded it; nothing was written."""


@dataclass(frozen=True)
class Consent:
    """The family's consent to processing their (and their child's) personal data."""

    sensitive: bool
    guardian: bool = False
    channel: ConsentChannel = ConsentChannel.ONLINE
    note: str = ""


def new_reference(*, now: datetime.datetime) -> str:
    chunk = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(REFERENCE_RANDOM_CHARS))
    return f"SY{timezone.localtime(now).year}-{chunk}"


def document_field(kind: str) -> str:
    """The form field of a document's upload slot."""
    return f"document_{kind}"


def _checked(uploaded: UploadedFile | CheckedFile) -> CheckedFile:
    """A file that passed its check already (kept with a draft) is not decoded again."""
    return uploaded if isinstance(uploaded, CheckedFile) else check_attachment(uploaded)


def check_attachments(
    files: Sequence[UploadedFile | CheckedFile], *, required: bool = False
) -> list[CheckedFile]:
    if required and not files:
        raise ValidationError({"attachments": _("请选择要上传的材料。")})
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("最多上传 %(count)d 个文件。") % {"count": MAX_ATTACHMENTS}}
        )
    try:
        check_total_pixels([item.file if isinstance(item, CheckedFile) else item for item in files])
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from None
    checked, errors = [], []
    for uploaded in files:
        try:
            checked.append(_checked(uploaded))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def check_documents(
    documents: Mapping[str, UploadedFile | CheckedFile],
) -> dict[str, CheckedFile]:
    """One file per document slot, each judged like any attachment; errors by slot."""
    checked, errors = {}, {}
    for kind, uploaded in documents.items():
        try:
            checked[kind] = _checked(uploaded)
        except ValidationError as error:
            errors[document_field(kind)] = error.messages
    if errors:
        raise ValidationError(errors)
    return checked


def _store_attachments(
    *,
    service_request: ServiceRequest,
    files: Iterable[CheckedFile],
    uploaded_by: AbstractBaseUser | None,
    documents: Mapping[str, CheckedFile] | None = None,
) -> list[Attachment]:
    typed = [(DocumentKind(kind), checked) for kind, checked in (documents or {}).items()]
    stored = []
    try:
        for kind, checked in [*typed, *((DocumentKind.OTHER, checked) for checked in files)]:
            attachment = Attachment(
                service_request=service_request,
                kind=kind,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=uploaded_by,
            )
            attachment.file.save(checked.original_name, checked.file, save=False)
            stored.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def service_request_submit(
    *,
    request_type: RequestType,
    answers: Mapping[str, object],
    consent: Consent,
    files: Sequence[UploadedFile | CheckedFile],
    submission_key: uuid.UUID,
    entered_by: AbstractBaseUser | None = None,
    documents: Mapping[str, UploadedFile | CheckedFile] | None = None,
    later: Iterable[str] = (),
) -> ServiceRequest:
    """Stores a new request with its first history row and attachments, or refuses all of it.

    `documents` holds one file per document slot (DocumentKind value → file); every document
    the type needs (services.rules) must be there or named in `later`: the family sends it
    from the tracking page, and staff see it is missing. `files` are further attachments.
    Uploads are checked here (services.attachments); a CheckedFile passed its check already.

    Idempotent: the same submission_key (a double click, a reload, two taps that reach two
    web processes at once) returns the request it made the first time.
    """
    existing = ServiceRequest.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    allowed = {*APPLICANT_FIELDS, *DETAIL_FIELDS[request_type]}
    if unexpected := set(answers) - allowed:
        raise ValueError(f"Fields not asked for this request type: {sorted(unexpected)}")

    now = timezone.now()
    service_request = ServiceRequest(
        **answers,
        request_type=request_type,
        submission_key=submission_key,
        submitted_at=now,
        due_at=now + datetime.timedelta(days=RULES[request_type].time_limit_days.value),
        sensitive_consent_at=now,
        consent_channel=consent.channel,
        consent_note=consent.note,
        entered_by=entered_by,
    )
    errors = {name: [message] for name, message in service_request.missing_answers().items()}
    checked_files: list[CheckedFile] = []
    checked_documents: dict[str, CheckedFile] = {}
    try:
        checked_files = check_attachments(files)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        checked_documents = check_documents(documents or {})
    except ValidationError as error:
        errors.update(error.message_dict)
    later = set(later)
    for rule in documents_needed(service_request):
        if rule.kind not in checked_documents and rule.kind not in later:
            errors.setdefault(document_field(rule.kind), []).append(
                _("请上传“%(document)s”，或勾选“稍后补交”。") % {"document": rule.kind.label}
            )
    if not consent.sensitive:
        errors["sensitive_consent"] = [_("请阅读个人信息处理说明，并勾选同意后再提交。")]
    if service_request.needs_guardian_consent and not consent.guardian:
        errors["guardian_consent"] = [_("子女未满 14 周岁，须由父母或其他监护人勾选同意。")]
    if (entered_by is None) != (consent.channel == ConsentChannel.ONLINE):
        # The database's service_request_consent_matches_channel, said first in words.
        errors["consent_channel"] = [_("工作人员代为录入时，须记录家属以何种方式同意。")]
    if entered_by is not None and not consent.note.strip():
        errors["consent_note"] = [_("请说明家属是如何同意的，例如签字同意书已存档。")]
    service_request.guardian_consent_at = now if consent.guardian else None
    service_request.reference = new_reference(now=now)
    try:
        # Uniqueness is the database's to judge: a check here would race a twin submission
        # and tell the family its own key "already exists"; the insert below settles it.
        service_request.full_clean(exclude=["phone_digest"], validate_unique=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    service_request.phone_digest = phone_digest(service_request.applicant_phone)

    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                service_request.save(force_insert=True)
                ServiceRequestEvent.objects.create(
                    service_request=service_request,
                    to_status=Status.SUBMITTED,
                    version=service_request.version,
                    actor=entered_by,
                    note=_("工作人员代为录入") if entered_by else "",
                    created_at=now,
                )
                _store_attachments(
                    service_request=service_request,
                    files=checked_files,
                    documents=checked_documents,
                    uploaded_by=entered_by,
                )
                # Queued with the request: stored means the family's receipt will be sent.
                notify_with_change(notify_applicant, request_id=service_request.pk)
                notify_with_change(notify_staff, request_id=service_request.pk)
            break
        except IntegrityError:
            existing = ServiceRequest.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing
            if not ServiceRequest.objects.filter(reference=service_request.reference).exists():
                raise  # not a reference drawn twice: a constraint, which must not be retried
            # The random reference was taken: draw another. force_insert makes the next
            # save an INSERT whatever the instance went through; the pk of a rolled-back row goes.
            service_request.pk = None
            service_request.reference = new_reference(now=now)
    else:
        raise RuntimeError("No free reference after several attempts.")

    logger.info(
        "Service request %s submitted (%s, %d attachments, entered by staff: %s)",
        service_request.reference,
        request_type,
        len(checked_files) + len(checked_documents),
        entered_by is not None,
    )
    return service_request


def _record_change(
    *,
    service_request: ServiceRequest,
    expected_version: int,
    actor: AbstractBaseUser | None,
    note: str,
    kind: EventKind,
    to_status: str,
    notify: Iterable[Task] = (),
    **changes,
) -> ServiceRequestEvent:
    """The optimistic update, its history row and the notifications about it, in one
    transaction."""
    now = timezone.now()
    if to_status != service_request.status and to_status in CLOSED_STATUSES:
        changes["closed_at"] = now
    with transaction.atomic():
        updated = ServiceRequest.objects.filter(
            pk=service_request.pk, version=expected_version, status=service_request.status
        ).update(status=to_status, version=F("version") + 1, **changes)
        if not updated:
            raise ConcurrentUpdate(service_request.reference)
        event = ServiceRequestEvent.objects.create(
            service_request=service_request,
            kind=kind,
            from_status=service_request.status,
            to_status=to_status,
            version=expected_version + 1,
            actor=actor,
            note=note,
            created_at=now,
        )
        for notification in notify:
            notify_with_change(notification, request_id=service_request.pk)
    service_request.refresh_from_db()
    logger.info(
        "Service request %s v%d: %s %s → %s by %s",
        service_request.reference,
        event.version,
        kind,
        event.from_status,
        to_status,
        f"user {actor.pk}" if actor else "the applicant",
    )
    return event


def _step(
    *,
    service_request: ServiceRequest,
    to_status: str,
    actor: AbstractBaseUser | None,
    note: str,
    documents_sent: int = 0,
) -> Transition:
    """The table's row for this step (services.workflow), or why it may not be taken."""
    by = Actor.APPLICANT if actor is None else Actor.STAFF
    transition = transition_to(service_request=service_request, to_status=to_status, by=by)
    if transition is None:
        raise ValidationError(
            _("申请当前为“%(status)s”，不能改为“%(to)s”。")
            % {"status": service_request.get_status_display(), "to": Status(to_status).label},
            code="invalid_transition",
        )
    if not may_take(transition, service_request=service_request, user=actor):
        raise ValidationError(_("您不负责这一类型和街道的申请，不能办理。"), code="not_permitted")
    if Needs.NOTE in transition.needs and not note.strip():
        raise ValidationError(
            {"note": _("请填写给申请人的说明：不予受理的原因，或需要补充的材料。")}
        )
    if Needs.DOCUMENTS in transition.needs and not documents_sent:
        raise ValidationError({"attachments": _("请选择要上传的材料。")})
    try:
        validate_no_markup(note)
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from None
    return transition


def _notifications(transition: Transition) -> list[Task]:
    return [
        task
        for whom, task in ((Notify.APPLICANT, notify_applicant), (Notify.STAFF, notify_staff))
        if whom in transition.notify
    ]


def service_request_transition(
    *,
    service_request: ServiceRequest,
    to_status: str,
    actor: AbstractBaseUser | None,
    expected_version: int,
    note: str = "",
) -> ServiceRequestEvent:
    """One step of the state machine: by staff (`actor`), or by the family (`actor` None).

    What is allowed, who may take it, what it needs and whom it tells: services.workflow.
    """
    transition = _step(service_request=service_request, to_status=to_status, actor=actor, note=note)
    event = _record_change(
        service_request=service_request,
        expected_version=expected_version,
        actor=actor,
        note=note.strip(),
        kind=EventKind.STATUS,
        to_status=to_status,
        notify=_notifications(transition),
    )
    return event


def service_request_withdraw(
    *, service_request: ServiceRequest, expected_version: int
) -> ServiceRequestEvent:
    """The applicant withdraws their own request."""
    return service_request_transition(
        service_request=service_request,
        to_status=Status.WITHDRAWN,
        actor=None,
        expected_version=expected_version,
        note=_("申请人撤回了申请。"),
    )


def service_request_add_documents(
    *,
    service_request: ServiceRequest,
    files: Sequence[UploadedFile],
    expected_version: int,
    documents: Mapping[str, UploadedFile] | None = None,
) -> ServiceRequestEvent:
    """The applicant sends what is missing: documents marked "later" (the request keeps its
    status), or what staff asked for (the table's step back to where the request was)."""
    documents = documents or {}
    missing = {rule.kind for rule in missing_documents(service_request=service_request)}
    asked = service_request.status == Status.NEEDS_INFO
    if service_request.is_closed or not (asked or missing):
        raise ValidationError(_("该申请目前不需要补充材料。"), code="not_needed")
    if unexpected := set(documents) - missing:
        raise ValueError(f"Documents not missing: {sorted(unexpected)}")
    checked_documents = check_documents(documents)
    checked = check_attachments(files, required=not checked_documents)
    count = len(checked) + len(checked_documents)
    transition = None
    to_status, kind = service_request.status, EventKind.DOCUMENTS
    if asked:
        to_status, kind = resume_status(service_request=service_request), EventKind.STATUS
        transition = _step(
            service_request=service_request,
            to_status=to_status,
            actor=None,
            note="",
            documents_sent=count,
        )
    with transaction.atomic():
        event = _record_change(
            service_request=service_request,
            expected_version=expected_version,
            actor=None,
            note=_("申请人补充了 %(count)d 份材料。") % {"count": count},
            kind=kind,
            to_status=to_status,
            # Staff hear of documents sent on their own, as of any step the table announces.
            notify=[notify_staff] if transition is None else _notifications(transition),
        )
        _store_attachments(
            service_request=service_request,
            files=checked,
            documents=checked_documents,
            uploaded_by=None,
        )
    return event


def service_request_assign(
    *,
    service_request: ServiceRequest,
    assignee: AbstractBaseUser,
    actor: AbstractBaseUser,
    expected_version: int,
) -> ServiceRequestEvent:
    if not eligible_assignees(service_request=service_request).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {"assignee": _("该工作人员不负责这一类型和街道的申请。")}, code="out_of_scope"
        )
    event = _record_change(
        service_request=service_request,
        expected_version=expected_version,
        actor=actor,
        note=_("指派给 %(name)s") % {"name": assignee.get_full_name() or assignee.get_username()},
        kind=EventKind.ASSIGNMENT,
        to_status=service_request.status,
        assignee=assignee,
        notify=[notify_staff],
    )
    return event


def service_request_add_note(
    *, service_request: ServiceRequest, author: AbstractBaseUser, text: str
) -> InternalNote:
    """Notes only add rows, so two staff writing at once cannot overwrite each other."""
    note = InternalNote(service_request=service_request, author=author, text=text.strip())
    note.full_clean()
    note.save()
    return note


def service_request_rate(*, service_request: ServiceRequest, score: int, comment: str) -> Rating:
    """The applicant's satisfaction after resolution; poor ratings are flagged for a call back."""
    if service_request.status != Status.RESOLVED:
        raise ValidationError(_("申请办结后才能评价。"), code="not_resolved")
    if Rating.objects.filter(service_request=service_request).exists():
        raise ValidationError(_("您已经评价过这次服务，谢谢！"), code="already_rated")
    rating = Rating(service_request=service_request, score=score, comment=comment.strip())
    rating.needs_follow_up = score <= FOLLOW_UP_AT_OR_BELOW
    rating.full_clean()
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise ValidationError(_("您已经评价过这次服务，谢谢！"), code="already_rated") from None
    if rating.needs_follow_up:
        logger.warning(
            "Service request %s rated %d: flagged for follow-up", service_request.reference, score
        )
    return rating


def personal_data_access_record(
    *, user: AbstractBaseUser, service_requests: Iterable[ServiceRequest], field_group: FieldGroup
) -> None:
    PersonalDataAccessLog.objects.bulk_create(
        PersonalDataAccessLog(user=user, service_request=request, field_group=field_group)
        for request in service_requests
    )


def service_request_anonymise(*, service_request: ServiceRequest) -> bool:
    """Past the retention period: personal data goes, the figures (type, street, dates,
    statuses, score) stay. Notes that staff wrote could name people, so they go too.

    All or nothing: the rows change in one transaction, with a version bump and an
    "anonymised" history row; the proof files are deleted only once it has committed (a
    rollback leaves every file its row points at). Returns False when someone else
    anonymised it first, so running the job twice, or two at once, is harmless.
    """
    with transaction.atomic():
        current = (
            ServiceRequest.objects.select_for_update()
            .filter(pk=service_request.pk, anonymised_at__isnull=True)
            .first()
        )
        if current is None:
            return False
        attachments = Attachment.objects.filter(service_request=current)
        deletions = PrivateFileDeletion.objects.bulk_create(
            PrivateFileDeletion(name=name)
            for name in attachments.values_list("file", flat=True)
            if name
        )
        attachments.delete()
        current.internal_notes.all().delete()
        current.events.exclude(note="").update(note="")
        Rating.objects.filter(service_request=current).update(comment="")
        now = timezone.now()
        ServiceRequest.objects.filter(pk=current.pk).update(
            applicant_name=ANONYMISED_NAME,
            applicant_phone="",
            phone_digest="",
            id_number="",
            receipt_email="",
            member_unit="",
            child_name="",
            child_birth_date=None,
            child_id_number="",
            bank_name="",
            bank_account="",
            wanted_school="",
            care_station="",
            skills="",
            wanted_work="",
            availability="",
            consent_note="",
            anonymised_at=now,
            version=F("version") + 1,
        )
        ServiceRequestEvent.objects.create(
            service_request=current,
            kind=EventKind.ANONYMISED,
            from_status=current.status,
            to_status=current.status,
            version=current.version + 1,
            created_at=now,
        )
        ids = [deletion.pk for deletion in deletions]
        transaction.on_commit(lambda: private_files_delete(ids=ids), robust=True)
    logger.info("Service request %s anonymised", current.reference)
    return True


def private_files_delete(*, ids: Iterable[int] | None = None) -> int:
    """Deletes private files whose rows are gone (PrivateFileDeletion): those named, or every
    one still waiting. A file the storage could not delete stays listed for the next run.
    Returns how many are left."""
    storage = Attachment._meta.get_field("file").storage
    pending = PrivateFileDeletion.objects.order_by("pk")
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    for deletion in pending:
        try:
            storage.delete(deletion.name)
        except Exception as error:  # any storage's failure: the next run tries again
            logger.warning("Private file deletion %d failed: %s", deletion.pk, type(error).__name__)
            continue
        deletion.delete()
    return PrivateFileDeletion.objects.count()

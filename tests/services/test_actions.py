import datetime
import re
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from services.actions import (
    ConcurrentUpdate,
    Consent,
    service_request_add_documents,
    service_request_add_note,
    service_request_assign,
    service_request_rate,
    service_request_submit,
    service_request_transition,
    service_request_withdraw,
)
from services.factories import (
    EXAMPLE_PHONE,
    ServiceRequestFactory,
    StaffScopeFactory,
    example_answers,
    example_id_number,
    street,
)
from services.models import (
    Attachment,
    ConsentChannel,
    EventKind,
    RequestType,
    ServiceRequest,
    ServiceRequestEvent,
    Status,
)
from services.privacy import phone_digest
from services.rules import RULES

from .files import bomb_png_upload, disguised_png_upload, pdf_upload, png_upload


def submit(
    request_type=RequestType.CHILDCARE,
    *,
    consent=None,
    files=(),
    key=None,
    documents=None,
    later=None,
    **answers,
):
    return service_request_submit(
        request_type=request_type,
        answers={**example_answers(request_type), **answers},
        consent=consent or Consent(sensitive=True, guardian=True),
        files=list(files),
        documents=documents or {},
        later=[rule.kind for rule in RULES[request_type].documents] if later is None else later,
        submission_key=key or uuid.uuid4(),
    )


def move(service_request, *statuses, actor, note="说明"):
    for to_status in statuses:
        service_request_transition(
            service_request=service_request,
            to_status=to_status,
            actor=actor,
            expected_version=service_request.version,
            note=note,
        )


def private_files(settings):
    return [p for p in settings.SERVICES_PRIVATE_ROOT.rglob("*") if p.is_file()]


class TestSubmit:
    def test_stores_the_request_its_history_and_attachments(self, db, settings):
        service_request = submit(
            files=[png_upload(), pdf_upload()], applicant_phone="+86 138-1234-5678"
        )
        assert re.fullmatch(r"SY\d{4}-[0-9A-HJKMNP-TV-Z]{8}", service_request.reference)
        assert service_request.status == Status.SUBMITTED
        assert service_request.applicant_phone == EXAMPLE_PHONE
        assert service_request.phone_digest == phone_digest(EXAMPLE_PHONE)
        assert service_request.due_at - service_request.submitted_at == datetime.timedelta(days=5)
        assert service_request.sensitive_consent_at and service_request.guardian_consent_at
        [event] = service_request.events.all()
        assert (event.from_status, event.to_status, event.version) == ("", "submitted", 1)
        names = {a.original_name for a in service_request.attachments.all()}
        assert names == {"证明.pdf", "军人证.png"}
        assert len(private_files(settings)) == 2
        assert all("军人证" not in path.name for path in private_files(settings))

    def test_references_are_not_sequential(self, db):
        first, second = submit(), submit()
        assert first.reference[:7] == second.reference[:7]
        assert first.reference != second.reference

    def test_a_reference_already_taken_is_drawn_again(self, db, monkeypatch):
        from services import actions

        taken = submit().reference
        drawn = iter([taken, "SY2026-7K3QX9HM"])
        monkeypatch.setattr(actions, "new_reference", lambda *, now: next(drawn))
        service_request = submit(files=[png_upload()])
        assert service_request.reference == "SY2026-7K3QX9HM"
        assert ServiceRequest.objects.filter(reference=taken).count() == 1
        assert service_request.events.count() == service_request.attachments.count() == 1

    def test_the_same_submission_key_never_makes_two_requests(self, db):
        key = uuid.uuid4()
        first = submit(key=key, files=[png_upload()])
        second = submit(key=key, files=[png_upload()])
        assert first.pk == second.pk
        assert ServiceRequest.objects.count() == 1
        assert ServiceRequestEvent.objects.count() == 1
        assert Attachment.objects.count() == 1

    @pytest.mark.parametrize("bad_file", [disguised_png_upload, bomb_png_upload])
    def test_a_bad_file_stores_nothing(self, db, settings, bad_file):
        with pytest.raises(ValidationError) as error:
            submit(files=[png_upload(), bad_file()])
        assert "attachments" in error.value.message_dict
        assert not ServiceRequest.objects.exists()
        assert not Attachment.objects.exists()
        assert private_files(settings) == []

    def test_sensitive_data_needs_separate_consent(self, db):
        with pytest.raises(ValidationError) as error:
            submit(consent=Consent(sensitive=False, guardian=True))
        assert "sensitive_consent" in error.value.message_dict
        assert not ServiceRequest.objects.exists()

    def test_a_child_under_14_needs_a_guardians_consent(self, db):
        with pytest.raises(ValidationError) as error:
            submit(consent=Consent(sensitive=True, guardian=False))
        assert "guardian_consent" in error.value.message_dict

    def test_older_children_and_job_seekers_need_no_guardian(self, db):
        today = timezone.localdate()
        consent = Consent(sensitive=True, guardian=False)
        born = today - datetime.timedelta(days=15 * 365 + 4)
        teenager = submit(
            RequestType.ENROLMENT,
            consent=consent,
            child_birth_date=born,
            child_id_number=example_id_number(born),
            child_grade="senior_1",
        )
        job_seeker = submit(RequestType.EMPLOYMENT, consent=consent)
        assert teenager.guardian_consent_at is None
        assert job_seeker.guardian_consent_at is None

    def test_bad_answers_come_back_per_field(self, db):
        with pytest.raises(ValidationError) as error:
            submit(
                applicant_name="<script>alert(1)</script>",
                id_number="110105194912310021",
                applicant_phone="12345",
            )
        assert {"applicant_name", "id_number", "applicant_phone"} <= set(error.value.message_dict)
        assert not ServiceRequest.objects.exists()

    def test_staff_entry_records_who_entered_it_and_how_the_family_consented(self, db):
        staff = StaffScopeFactory().user
        with pytest.raises(ValidationError) as error:
            service_request_submit(
                request_type=RequestType.EMPLOYMENT,
                answers=example_answers(RequestType.EMPLOYMENT),
                consent=Consent(sensitive=True, channel=ConsentChannel.VERBAL),
                files=[],
                submission_key=uuid.uuid4(),
                entered_by=staff,
            )
        assert "consent_note" in error.value.message_dict
        service_request = ServiceRequestFactory(
            request_type=RequestType.EMPLOYMENT, entered_by=staff
        )
        assert service_request.entered_by == staff
        assert service_request.consent_channel == ConsentChannel.PAPER
        assert service_request.events.get().actor == staff

    def test_staff_entry_claiming_online_consent_is_refused_in_words(self, db):
        staff = StaffScopeFactory().user
        with pytest.raises(ValidationError) as error:
            service_request_submit(
                request_type=RequestType.EMPLOYMENT,
                answers=example_answers(RequestType.EMPLOYMENT),
                consent=Consent(sensitive=True, channel=ConsentChannel.ONLINE, note="已签字"),
                files=[],
                submission_key=uuid.uuid4(),
                entered_by=staff,
                later=[rule.kind for rule in RULES[RequestType.EMPLOYMENT].documents],
            )
        assert error.value.message_dict["consent_channel"] == [
            "工作人员代为录入时，须记录家属以何种方式同意。"
        ]
        assert not ServiceRequest.objects.exists()


class TestStateMachine:
    def test_the_happy_path_records_every_step(self, service_request, scoped_staff):
        move(service_request, "accepted", "in_progress", "resolved", actor=scoped_staff)
        steps = list(service_request.events.values_list("from_status", "to_status", "version"))
        assert steps == [
            ("", "submitted", 1),
            ("submitted", "accepted", 2),
            ("accepted", "in_progress", 3),
            ("in_progress", "resolved", 4),
        ]
        assert service_request.version == 4
        assert service_request.closed_at is not None

    @pytest.mark.parametrize(
        ("path", "forbidden"),
        [
            ((), "resolved"),
            ((), "in_progress"),
            (("accepted",), "submitted"),
            (("rejected",), "accepted"),
            (("accepted", "in_progress", "resolved"), "in_progress"),
            (("withdrawn",), "submitted"),
        ],
    )
    def test_forbidden_transitions_change_nothing(
        self, service_request, scoped_staff, path, forbidden
    ):
        move(service_request, *path, actor=scoped_staff)
        events = service_request.events.count()
        with pytest.raises(ValidationError, match="不能改为"):
            move(service_request, forbidden, actor=scoped_staff)
        assert service_request.events.count() == events

    @pytest.mark.parametrize("to_status", ["rejected", "needs_info"])
    def test_rejecting_or_asking_for_more_needs_a_note(
        self, service_request, scoped_staff, to_status
    ):
        with pytest.raises(ValidationError) as error:
            move(service_request, to_status, actor=scoped_staff, note=" ")
        assert "note" in error.value.message_dict

    def test_notes_to_the_applicant_refuse_markup(self, service_request, scoped_staff):
        with pytest.raises(ValidationError) as error:
            move(service_request, "accepted", actor=scoped_staff, note="<script>x</script>")
        assert "note" in error.value.message_dict
        assert service_request.events.count() == 1

    def test_needs_more_information_goes_back_where_it_came_from(
        self, service_request, scoped_staff
    ):
        move(service_request, "accepted", "in_progress", "needs_info", actor=scoped_staff)
        with pytest.raises(ValidationError):
            move(service_request, "submitted", actor=scoped_staff)
        move(service_request, "in_progress", actor=scoped_staff)
        assert service_request.status == Status.IN_PROGRESS

    def test_the_applicant_adds_documents_and_the_request_resumes(
        self, service_request, scoped_staff
    ):
        move(service_request, "accepted", "needs_info", actor=scoped_staff, note="请补充户口簿")
        service_request_add_documents(
            service_request=service_request,
            files=[jpeg_or_png()],
            expected_version=service_request.version,
        )
        assert service_request.status == Status.ACCEPTED
        last = service_request.events.last()
        assert (last.actor, last.from_status, last.to_status) == (None, "needs_info", "accepted")
        assert service_request.attachments.count() == 1

    def test_documents_are_refused_when_nobody_asked_and_none_is_missing(self, db):
        complete = submit(
            documents={"member_proof": png_upload(), "child_relation": pdf_upload()}, later=[]
        )
        with pytest.raises(ValidationError, match="不需要补充材料"):
            service_request_add_documents(
                service_request=complete,
                files=[jpeg_or_png()],
                expected_version=complete.version,
            )

    def test_the_applicant_can_withdraw_until_it_is_closed(self, service_request, scoped_staff):
        service_request_withdraw(
            service_request=service_request, expected_version=service_request.version
        )
        assert service_request.status == Status.WITHDRAWN
        assert service_request.events.last().actor is None
        with pytest.raises(ValidationError):
            service_request_withdraw(
                service_request=service_request, expected_version=service_request.version
            )


def jpeg_or_png():
    return png_upload("户口簿.png")


class TestOptimisticLocking:
    def test_two_staff_on_the_same_version_one_wins_the_other_is_told(
        self, service_request, scoped_staff, supervisor
    ):
        mine = ServiceRequest.objects.get(pk=service_request.pk)
        theirs = ServiceRequest.objects.get(pk=service_request.pk)
        service_request_transition(
            service_request=mine, to_status="accepted", actor=scoped_staff, expected_version=1
        )
        with pytest.raises(ConcurrentUpdate):
            service_request_transition(
                service_request=theirs,
                to_status="rejected",
                actor=supervisor,
                expected_version=1,
                note="不符合条件",
            )
        service_request.refresh_from_db()
        assert service_request.status == Status.ACCEPTED
        assert service_request.version == 2
        assert list(service_request.events.values_list("to_status", "actor")) == [
            ("submitted", None),
            ("accepted", scoped_staff.pk),
        ]

    def test_a_stale_version_is_refused_even_for_another_kind_of_change(
        self, service_request, scoped_staff
    ):
        move(service_request, "accepted", actor=scoped_staff)
        with pytest.raises(ConcurrentUpdate):
            service_request_assign(
                service_request=service_request,
                assignee=scoped_staff,
                actor=scoped_staff,
                expected_version=1,
            )

    @pytest.mark.django_db(transaction=True)
    def test_concurrent_transitions_in_threads_lose_no_history(
        self, postgresql, scoped_staff, supervisor
    ):
        # migrated_data first: a transactional test starts from a flushed database, and the
        # streets the scopes point at come from a data migration.
        service_request = ServiceRequestFactory()
        barrier = threading.Barrier(2)
        outcomes = []

        def act(actor, to_status):
            try:
                mine = ServiceRequest.objects.get(pk=service_request.pk)
                barrier.wait(timeout=10)
                service_request_transition(
                    service_request=mine,
                    to_status=to_status,
                    actor=actor,
                    expected_version=1,
                    note="并发测试",
                )
                outcomes.append(("ok", to_status))
            except ConcurrentUpdate:
                outcomes.append(("conflict", to_status))
            finally:
                connection.close()

        threads = [
            threading.Thread(target=act, args=(scoped_staff, "accepted")),
            threading.Thread(target=act, args=(supervisor, "rejected")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert sorted(kind for kind, _status in outcomes) == ["conflict", "ok"]
        [winner] = [status for kind, status in outcomes if kind == "ok"]
        service_request.refresh_from_db()
        assert service_request.status == winner
        assert service_request.version == 2
        history = list(service_request.events.values_list("version", "to_status"))
        assert history == [(1, "submitted"), (2, winner)]


class TestAssignmentNotesAndRatings:
    def test_assignment_stays_within_scope(self, service_request, scoped_staff):
        outsider = StaffScopeFactory(district=street("tianxingqiao")).user
        with pytest.raises(ValidationError) as error:
            service_request_assign(
                service_request=service_request,
                assignee=outsider,
                actor=scoped_staff,
                expected_version=1,
            )
        assert "assignee" in error.value.message_dict
        event = service_request_assign(
            service_request=service_request,
            assignee=scoped_staff,
            actor=scoped_staff,
            expected_version=1,
        )
        assert event.kind == EventKind.ASSIGNMENT
        assert service_request.assignee == scoped_staff
        assert service_request.status == Status.SUBMITTED

    def test_notes_refuse_markup(self, service_request, scoped_staff):
        service_request_add_note(
            service_request=service_request, author=scoped_staff, text="已电话联系"
        )
        with pytest.raises(ValidationError):
            service_request_add_note(
                service_request=service_request, author=scoped_staff, text="<b>x</b>"
            )
        assert service_request.internal_notes.count() == 1

    def test_only_resolved_requests_are_rated_once_and_poor_ratings_are_flagged(
        self, service_request, scoped_staff
    ):
        with pytest.raises(ValidationError, match="办结后"):
            service_request_rate(service_request=service_request, score=5, comment="")
        move(service_request, "accepted", "in_progress", "resolved", actor=scoped_staff)
        rating = service_request_rate(service_request=service_request, score=2, comment="太慢")
        assert rating.needs_follow_up
        with pytest.raises(ValidationError, match="已经评价"):
            service_request_rate(service_request=service_request, score=5, comment="")

    @pytest.mark.parametrize(("score", "flagged"), [(1, True), (2, True), (3, False), (5, False)])
    def test_ratings_at_or_below_two_are_flagged(
        self, service_request, scoped_staff, score, flagged
    ):
        move(service_request, "accepted", "in_progress", "resolved", actor=scoped_staff)
        rating = service_request_rate(service_request=service_request, score=score, comment="")
        assert rating.needs_follow_up is flagged

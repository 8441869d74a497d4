"""A family's unfinished application, kept in their session between the steps.

Kept only once a step validates, encrypted (so the session table holds nothing readable),
capped in size, and gone after two hours without use: an application started on a shared
computer in a service hall does not wait there for the next person. An anonymous session
holding a draft expires after the same two hours, and `clearsessions` (run by the scheduler
and by the retention command) deletes it from the database.

What was typed into a step that did not validate is kept once, for the page the browser is
redirected to (post/redirect/get), encrypted and capped like a draft, and removed when read.

Files chosen on the check page are kept in the private storage under drafts/ until the
request is sent or cleared, or two hours pass (`kept_files_purge`), so an error on the page
never loses them.
"""

import base64
import datetime
import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from django.core.files import File
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from .attachments import ACCEPTED_TYPES, CheckedFile
from .storage import private_storage

DRAFT_TTL_SECONDS = 2 * 60 * 60
# A draft shown again lives two hours from then; sealing it again (and writing the session)
# on every page shown within a minute of the last adds nothing a family would notice.
REFRESH_AFTER_SECONDS = 60
# A draft holds the answers of one form (a few kilobytes); nothing bigger is kept.
MAX_SEALED_BYTES = 32 * 1024
# What of a rejected answer is kept to show it again: enough to see and shorten it.
MAX_REJECTED_CHARS = 2000
KEPT_FOLDER = "drafts"


def _draft_key(request_type: str) -> str:
    return f"services:draft:{request_type}"


def _rejected_key(step: str) -> str:
    return f"services:rejected:{step}"


def _fernet() -> Fernet:
    # A key of its own, derived from SECRET_KEY: rotating the secret discards open drafts.
    digest = salted_hmac("services.drafts", "draft-encryption", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _seal(value) -> str | None:
    sealed = _fernet().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()
    return sealed if len(sealed) <= MAX_SEALED_BYTES else None


def _unseal(sealed) -> dict | None:
    if not isinstance(sealed, str):
        return None
    try:
        return json.loads(_fernet().decrypt(sealed.encode(), ttl=DRAFT_TTL_SECONDS))
    except (InvalidToken, ValueError):
        return None


def _store(request: HttpRequest, key: str, value) -> bool:
    sealed = _seal(value)
    if sealed is None:
        request.session.pop(key, None)
        return False
    request.session[key] = sealed
    if not request.user.is_authenticated:
        # Not the 14 days of a session cookie: two hours after the last step.
        request.session.set_expiry(DRAFT_TTL_SECONDS)
    return True


@dataclass(frozen=True)
class KeptFile:
    """A proof document chosen before the request was sent; `kind` is its slot."""

    kind: str
    name: str
    original_name: str

    def open(self) -> File:
        return File(private_storage.open(self.name), name=self.original_name)

    def open_checked(self) -> CheckedFile:
        """The file as it passed check_attachment, without judging (decoding) it again: only
        keep_file writes under drafts/, and only checked files, and a kept file's name comes
        from the encrypted draft, which no client can forge. The caller closes the file."""
        file = self.open()
        extension = os.path.splitext(self.original_name)[1].lower().lstrip(".")
        return CheckedFile(
            file=file,
            original_name=self.original_name,
            content_type=ACCEPTED_TYPES[extension][1],
            size=file.size,
        )


@dataclass
class Draft:
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    answers: dict[str, str] = field(default_factory=dict)
    files: list[KeptFile] = field(default_factory=list)
    # When it was last sealed (a Unix time; None for a new draft). Not itself stored.
    sealed_at: int | None = field(default=None, compare=False)

    def kept(self, kind: str) -> list[KeptFile]:
        return [kept for kept in self.files if kept.kind == kind]


def draft_load(request: HttpRequest, request_type: str) -> Draft | None:
    """The draft, or None when there is none, it is older than two hours or cannot be read."""
    key = _draft_key(request_type)
    sealed = request.session.get(key)
    value = _unseal(sealed)
    if value is None:
        if key in request.session:
            draft_clear(request, request_type)
        return None
    files = [KeptFile(**kept) for kept in value.get("files", [])]
    return Draft(
        token=value["token"],
        answers=value["answers"],
        files=files,
        sealed_at=_fernet().extract_timestamp(sealed),
    )


def draft_save(request: HttpRequest, request_type: str, draft: Draft) -> bool:
    """Keeps (or refreshes) the draft; False when it is too big to keep."""
    value = {
        "token": draft.token,
        "answers": draft.answers,
        "files": [asdict(kept) for kept in draft.files],
    }
    return _store(request, _draft_key(request_type), value)


def draft_refresh(request: HttpRequest, request_type: str, draft: Draft) -> None:
    """Two more hours from now for a draft shown again, unless it was sealed within the last
    minute."""
    if draft.sealed_at is None or time.time() - draft.sealed_at >= REFRESH_AFTER_SECONDS:
        draft_save(request, request_type, draft)


def draft_clear(request: HttpRequest, request_type: str | None = None) -> None:
    """Forgets one type's draft, or every draft and rejected answer, with the kept files."""
    prefixes = (
        (_draft_key(request_type),) if request_type else ("services:draft:", "services:rejected:")
    )
    for key in [key for key in request.session.keys() if key.startswith(prefixes)]:
        value = _unseal(request.session.pop(key))
        for kept in (value or {}).get("files", []):
            private_storage.delete(kept["name"])


def keep_file(checked: CheckedFile, *, kind: str) -> KeptFile:
    """Stores a checked upload until the request is sent, under a random name."""
    extension = os.path.splitext(checked.original_name)[1].lower()
    checked.file.seek(0)
    name = private_storage.save(f"{KEPT_FOLDER}/{uuid.uuid4().hex}{extension}", checked.file)
    return KeptFile(kind=kind, name=name, original_name=checked.original_name)


def kept_files_delete(files: list[KeptFile]) -> None:
    for kept in files:
        private_storage.delete(kept.name)


def kept_files_purge(*, now: datetime.datetime) -> int:
    """Deletes kept files older than a draft can live; for the retention command."""
    try:
        names = private_storage.listdir(KEPT_FOLDER)[1]
    except FileNotFoundError:  # a local folder nothing was kept in yet; a bucket never says so
        return 0
    cutoff = now - datetime.timedelta(seconds=DRAFT_TTL_SECONDS)
    deleted = 0
    for name in names:
        path = f"{KEPT_FOLDER}/{name}"
        if private_storage.get_modified_time(path) < cutoff:
            private_storage.delete(path)
            deleted += 1
    return deleted


def rejected_keep(request: HttpRequest, step: str, *, data: dict, errors: dict) -> None:
    """What was typed into a step that did not validate, and why: for the next page only."""
    data = {name: str(value)[:MAX_REJECTED_CHARS] for name, value in data.items()}
    errors = {name: [str(message) for message in messages] for name, messages in errors.items()}
    if not _store(request, _rejected_key(step), {"data": data, "errors": errors}):
        # Too big even cut down (a hostile post): keep only the reasons.
        _store(request, _rejected_key(step), {"data": {}, "errors": errors})


def rejected_take(request: HttpRequest, step: str) -> tuple[dict, dict] | None:
    value = _unseal(request.session.pop(_rejected_key(step), None))
    return (value["data"], value["errors"]) if value else None

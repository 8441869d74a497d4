"""The private storage, STORAGES["private"]: families' proof documents and the files a draft
keeps. Nothing in it has a public URL; a permission-checked view streams what staff may see.

A local folder on the embedded default (mode 0600, outside MEDIA_ROOT); a private
S3-compatible bucket when S3_PRIVATE_BUCKET_NAME is set, so that several web machines share
it (services.conf builds the setting). Code reaches it only through Django's Storage API
(`private_storage`), never a path.

Either backend raises PrivateStorageUnavailable when it cannot take a file now (a full disk or
quota, a bucket that refuses or does not answer), having left nothing of it behind, so that
callers can say "please try again" instead of failing with a traceback.
"""

import errno
import logging
import os
from pathlib import Path

from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

PRIVATE_STORAGE_ALIAS = "private"
# What a file system says when it has no room for a file: the disk (or tmpfs) is full, the
# user's quota is spent, or the file is larger than it allows.
NO_ROOM_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class PrivateStorageUnavailable(Exception):
    """The private storage could not take a file now; nothing of the file was kept."""

    # What the person who sent the file is told (the views answer 503, their input kept).
    message = _("系统暂时无法保存上传的材料，您填写的内容没有丢失，请稍后再试。")


def _refused(error: Exception) -> PrivateStorageUnavailable:
    # The error's class and errno only: a file's name may hold a person's name.
    logger.warning(
        "The private storage refused a file (%s %s); nothing of it was kept",
        type(error).__name__,
        errno.errorcode.get(getattr(error, "errno", None) or 0, ""),
    )
    return PrivateStorageUnavailable()


class LocalPrivateStorage(FileSystemStorage):
    """A folder only the site's user can read, whose files have no URL."""

    def __init__(self, location: str | Path, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, base_url=None, **kwargs)

    def url(self, name):
        raise ValueError("Private files have no public URL.")

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as error:
            if error.errno not in NO_ROOM_ERRNOS:
                raise
            # Django leaves what it had written of the file. The name is this file's own:
            # every name here is random (drafts/, attachments/), so no other file has it.
            try:
                os.remove(self.path(name))
            except FileNotFoundError:
                pass
            raise _refused(error) from error


class PrivateS3Storage(S3Storage):
    """The private bucket: S3Storage, saying PrivateStorageUnavailable when a file cannot be
    put (an upload that fails leaves no object: S3 keeps only complete ones)."""

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except (BotoCoreError, ClientError, S3UploadFailedError) as error:
            raise _refused(error) from error


class PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used (as Django's default_storage is)."""

    def _setup(self):
        self._wrapped = storages[PRIVATE_STORAGE_ALIAS]


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """For FileField(storage=…): a callable, so migrations name it rather than a location."""
    return private_storage


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    # Django resets its own storages when STORAGES changes (tests); this follows it.
    if setting == "STORAGES":
        private_storage._wrapped = empty

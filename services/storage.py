"""The private storage, STORAGES["private"]: families' proof documents and the files a draft
keeps. Nothing in it has a public URL; a permission-checked view streams what staff may see.

A local folder on the embedded default (mode 0600, outside MEDIA_ROOT); a private
S3-compatible bucket when S3_PRIVATE_BUCKET_NAME is set, so that several web machines share
it (services.conf builds the setting). Code reaches it only through Django's Storage API
(`private_storage`), never a path.
"""

from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

PRIVATE_STORAGE_ALIAS = "private"


class LocalPrivateStorage(FileSystemStorage):
    """A folder only the site's user can read, whose files have no URL."""

    def __init__(self, location: str | Path, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, base_url=None, **kwargs)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


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

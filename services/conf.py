"""Settings the services app offers the configuration (site/settings), read from the
environment; imports nothing of Django so that settings can call it."""

from collections.abc import Mapping
from pathlib import Path


def private_storage_from_env(environ: Mapping[str, str], *, root: str | Path) -> dict:
    """The STORAGES["private"] entry: the bucket S3_PRIVATE_BUCKET_NAME (with the media
    bucket's endpoint, region and keys), else the local folder `root`."""
    bucket = environ.get("S3_PRIVATE_BUCKET_NAME")
    if not bucket:
        return {"BACKEND": "services.storage.LocalPrivateStorage", "OPTIONS": {"location": root}}
    return {
        "BACKEND": "services.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
            "region_name": environ.get("S3_REGION_NAME") or None,
            "access_key": environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": environ.get("S3_SECRET_ACCESS_KEY"),
            # No ACL header: objects take the bucket's own, private, never public-read.
            "default_acl": None,
            "custom_domain": None,
            # Should a URL ever be made, it is signed and short-lived.
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }

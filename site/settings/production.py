"""Production: PostgreSQL, a search engine cluster and S3-compatible media, all from the environment."""

from .base import *  # noqa: F403
from .base import cache_from_env, env_list, env_required, os

SECRET_KEY = env_required("DJANGO_SECRET_KEY")
# Refuse to start without them rather than fall back to SQLite or an open host list.
env_required("DJANGO_ALLOWED_HOSTS")
env_required("DATABASE_URL")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

# A cache every web process shares: the tracking page's rate limit must count across them,
# and a page kept by one must be forgotten by all when content changes. Redis when REDIS_URL
# names one; else the database cache, which needs no other service (`manage.py
# createcachetable` at deployment).
CACHES = {"default": cache_from_env(os.environ)}

# A CDN or Varnish in front: Wagtail purges a page's URLs when it is published (and the CDN
# revalidates everything else with the ETag: PAGE_CACHE_CDN_SECONDS is how long it may not).
if os.environ.get("FRONTEND_CACHE_VARNISH_URL"):
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_VARNISH_URL"],
        }
    }
    PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "0"))

# Index updates and notifications are queued in the database and run by `manage.py db_worker`
# (the `worker` service in compose.yaml), so no request waits on the search engine or mail.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "true") == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Media on S3-compatible storage (MinIO, Ceph, a cloud bucket) when a bucket is named.
if os.environ.get("S3_BUCKET_NAME"):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET_NAME"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION_NAME") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

    # Images and documents are then served from the bucket's origin: the policies allow it.
    MEDIA_ORIGIN = (
        f"https://{os.environ['S3_CUSTOM_DOMAIN']}"
        if os.environ.get("S3_CUSTOM_DOMAIN")
        else os.environ.get("S3_ENDPOINT_URL", "")
    )
    for policy in (CONTENT_SECURITY_POLICY, ADMIN_CONTENT_SECURITY_POLICY):  # noqa: F405
        for directive in ("img-src", "media-src"):
            policy[directive] = (
                [*policy[directive], MEDIA_ORIGIN] if MEDIA_ORIGIN else policy[directive]
            )

# Browsers fetch anything still addressed over http:// over https:// instead.
CONTENT_SECURITY_POLICY = {**CONTENT_SECURITY_POLICY, "upgrade-insecure-requests": []}  # noqa: F405

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false") == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@example.invalid")

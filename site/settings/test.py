"""Test settings: PostgreSQL from DATABASE_URL (make test starts one), fast hashing."""

from .base import *  # noqa: F403
from .base import BASE_DIR, cache_from_env, os
from .dev import INSTALLED_APPS, MIDDLEWARE, STORAGES  # noqa: F401

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".cache" / "test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"

# `make test` starts Redis and sets REDIS_URL, so the suite runs on the production cache;
# without it, the in-memory cache (tests/home/test_page_cache.py then fails under CI).
if os.environ.get("REDIS_URL"):
    CACHES = {"default": cache_from_env(os.environ)}

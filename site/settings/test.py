"""Test settings: PostgreSQL from DATABASE_URL (make test starts one), fast hashing."""

from .base import *  # noqa: F403
from .base import BASE_DIR
from .dev import INSTALLED_APPS, MIDDLEWARE, STORAGES  # noqa: F401

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".cache" / "test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"

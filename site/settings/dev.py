"""The embedded default for `make run`: SQLite, database search, local media, no other service."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, STORAGES, os

DEBUG = True
# The demo content's commands (load_demo_content, ensure_admin): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# runserver and the test live server serve static files themselves, from the apps' folders.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]

"""Settings shared by every environment, safe for production on their own.

DEBUG is off and every secret or service address comes from the environment; dev.py and
test.py relax only what they must.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from search.conf import search_backends_from_env
from services.conf import private_storage_from_env

CONFIG_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = CONFIG_DIR.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def cache_from_env(environ) -> dict:
    """Redis when REDIS_URL is set (production, `make test`), else the database cache."""
    if environ.get("REDIS_URL"):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": environ["REDIS_URL"],
            "KEY_PREFIX": "shuangyong",
        }
    return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}


DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "education",
    "honours",
    "merchants",
    "services",
    "search",
    "worker",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

# Daily search counts are kept this many days (searchpromotions_garbage_collect); the
# search terms report shows the last 30.
WAGTAILSEARCH_HITS_MAX_AGE = 30

MIDDLEWARE = [
    # First: a kept page is served without any other work, and what it keeps carries every
    # header the others add. It applies their guards itself: the https redirect, allowed
    # hosts, static files (home/page_cache.py; site/wsgi.py serves kept pages even earlier).
    "home.page_cache.PageCacheMiddleware",
    # Starts the clock SEARCH_TIMEOUT counts from (search/deadline.py).
    "search.deadline.SearchDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "home.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Routes page URLs in two queries whatever their depth (Wagtail walks them level by level).
    "home.page_tree.PageRoutingMiddleware",
    "home.middleware.PublishRefusedMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Admin login: django-axes counts failures by account and by client address separately;
# five wrong passwords lock that account, or that address, for 15 minutes (a Chinese page
# says so). Administrators unlock under 设置 → 登录锁定, or `manage.py axes_reset_username`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "home.login_lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "home.clients.client_address"
AXES_VERBOSE = False

# --- Whole-page cache for anonymous readers (home/page_cache.py) ---------------------------
# The cache it uses: a shared one in production (Redis, else the database), see production.py.
PAGE_CACHE_ALIAS = "default"
# The longest a kept page lives; changes end it sooner (a new generation), and so do the
# boundaries apps register (an offer starting or ending).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Never kept: the admin and its previews, the search box's suggestions (a key per keystroke),
# documents (their own permission checks), Wagtail's password and login forms. The search page
# is kept, but says itself when it must not be (personal numbers, the engine's outage).
PAGE_CACHE_EXCLUDED_PATHS = [
    "/admin/",
    "/search/suggest/",
    "/documents/",
    "/_util/",
    "/reading-mode/",
]
# How long a CDN may keep a page (s-maxage); only worth setting when it is purged on publish.
PAGE_CACHE_CDN_SECONDS = 0

ROOT_URLCONF = "siteconf.urls"
WSGI_APPLICATION = "siteconf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [CONFIG_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.reading_mode",
            ],
        },
    },
]

# DATABASE_URL, e.g. postgres://user:password@host:5432/shuangyong; SQLite when unset.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [CONFIG_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

# Families' proof documents: see SERVICES_PRIVATE_ROOT below and services/storage.py.
SERVICES_PRIVATE_ROOT = Path(os.environ.get("SERVICES_PRIVATE_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": private_storage_from_env(os.environ, root=SERVICES_PRIVATE_ROOT),
}

# Uploads: one limit each for every form that takes a picture or a file, Wagtail's image
# library and families' proof documents (services.attachments) alike. Pillow decodes no
# image above the pixel limit (decompression bombs).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = UPLOAD_MAX_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = UPLOAD_MAX_IMAGE_PIXELS
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "双拥之家"
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# The database backend unless SEARCH_URL names an Elasticsearch or OpenSearch cluster.
WAGTAILSEARCH_BACKENDS = search_backends_from_env(os.environ)
# After an engine failure, searches and index updates skip it for this long.
SEARCH_ENGINE_DOWN_SECONDS = int(os.environ.get("SEARCH_ENGINE_DOWN_SECONDS", "30"))

# Index updates run as tasks. In-process by default, so a fresh checkout needs no worker.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}

# The queued worker (`manage.py run_worker`, production): tasks per batch between its own
# chores, how long a task may stay RUNNING before its worker counts as dead (longer than any
# task takes), how often an interrupted task is tried, the longest wait for a lost database,
# the pause when the queue is empty, and the commands it runs itself, every so many seconds.
WORKER_BATCH_SIZE = 100
WORKER_STALE_AFTER_SECONDS = 600
WORKER_MAX_ATTEMPTS = 5
WORKER_MAX_BACKOFF_SECONDS = 10
WORKER_IDLE_SECONDS = 1
WORKER_PERIODIC_COMMANDS = {"search_catch_up": 30}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # One line per task or page action drowns out what matters.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # The engine clients log every request at INFO and every failed one with a traceback
        # at WARNING; search.health logs one line per failure instead.
        "opensearch": {"level": "ERROR"},
        "elastic_transport": {"level": "ERROR"},
        # pypdf warns about every flaw of a family's scanned PDF; a refusal says enough.
        "pypdf": {"level": "ERROR"},
        # One line per failed login, with the account name; the lock-outs are in the admin.
        "axes": {"level": "WARNING"},
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Wagtail's live preview shows the page in a same-origin frame, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (home.middleware.SecurityHeadersMiddleware). Public pages run
# scripts from the site's own files only: no inline script or event handler anywhere.
# Inline style attributes remain in some templates, so styles allow them (no script runs
# from a style). Videos embedded by editors come from whichever https provider they chose.
# production.py adds the media bucket's origin to img-src and media-src.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "media-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# The Wagtail admin: Wagtail 8 writes inline scripts of its own (date pickers, inline
# panels), so script-src allows them there; scripts still come from this site only.
ADMIN_URL_PREFIX = "/admin/"
ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
}
# Browser features no page uses are switched off; the merchant directory asks for the
# reader's position, from this site only.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "midi": [],
    "display-capture": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "xr-spatial-tracking": [],
}

# --- Service requests (services/) -------------------------------------------------------
# Proof documents from families (STORAGES["private"]): outside MEDIA_ROOT, served only by a
# permission-checked view. A local folder (SERVICES_PRIVATE_ROOT) on one machine; with
# several, a private bucket (S3_PRIVATE_BUCKET_NAME).
# The tracking page's limits on wrong tries (services/tracking.py): a client waits after
# `per_client` failures; once a reference has had `per_reference`, each client that failed on
# it waits; each count runs for `window_seconds` from its first failure.
SERVICES_TRACKING_LIMITS = {"per_client": 10, "per_reference": 5, "window_seconds": 15 * 60}
# Closed requests are anonymised this many days after closing (manage.py anonymise_closed_requests).
SERVICES_RETENTION_DAYS = int(os.environ.get("SERVICES_RETENTION_DAYS", str(3 * 365)))
# Behind a reverse proxy: the META key of the header it sets to the client's address (e.g.
# HTTP_X_REAL_IP), for the tracking page's rate limit. Unset: REMOTE_ADDR.
SERVICES_CLIENT_IP_HEADER = os.environ.get("SERVICES_CLIENT_IP_HEADER", "")
# Dotted path of the SMS sender class (services.notifications.SmsSender); the console one logs only.
SERVICES_SMS_SENDER = os.environ.get(
    "SERVICES_SMS_SENDER", "services.notifications.ConsoleSmsSender"
)

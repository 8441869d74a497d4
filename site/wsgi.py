"""WSGI entry point: `gunicorn siteconf.wsgi`. Defaults to production settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf.settings.production")

django_application = get_wsgi_application()

# After Django is set up (it reads settings and the cache). Kept pages for anonymous readers
# are served before Django's handler runs at all; everything else goes on to it.
from home.page_cache import KeptPages  # noqa: E402

application = KeptPages(django_application)

"""WSGI entry point: `gunicorn siteconf.wsgi`. Defaults to production settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf.settings.production")

django_application = get_wsgi_application()

# After Django is set up (it reads settings and the cache). Kept pages for anonymous readers
# are served before Django's handler runs at all; everything else goes on to it.
from home.page_cache import KeptPages  # noqa: E402

application = KeptPages(django_application)

# Every search segments its words with jieba, whose dictionary takes about half a second to
# load (seconds on a busy machine) while every search in the process waits for it: loaded
# here, before the server hands this process a request.
from search.chinese import tokenizer  # noqa: E402

tokenizer()

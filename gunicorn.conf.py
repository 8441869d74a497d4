"""gunicorn reads this file from the working directory (the web line of the Procfile)."""

import os

# The access log without query strings or referrers: a search for an identity number or a
# request's reference, typed into the search box, never reaches the logs.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'

# Threads in each worker process (GUNICORN_WORKERS of them, in the Procfile): a request that
# waits on PostgreSQL, Redis or the private storage leaves its process to another request.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

"""gunicorn reads this file from the working directory (the web line of the Procfile)."""

# The access log without query strings or referrers: a search for an identity number or a
# request's reference, typed into the search box, never reaches the logs.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'

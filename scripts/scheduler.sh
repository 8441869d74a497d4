#!/bin/sh
# The `scheduler` process: scheduled publishing (go-live and expiry times editors set) every
# minute; every ten minutes, expired sessions go, with the two-hour drafts of unsent service
# requests, and the searches served since are added to the editors' search statistics; once
# a day, the retention command (anonymising closed requests, purging drafts' files). A failed
# round is reported and the loop goes on.
i=0
while true; do
  python manage.py publish_scheduled || echo "publish_scheduled failed" >&2
  [ $((i % 10)) -eq 0 ] && { python manage.py clearsessions || echo "clearsessions failed" >&2; }
  [ $((i % 10)) -eq 0 ] && { python manage.py search_statistics_roll_up -v0 || echo "search_statistics_roll_up failed" >&2; }
  [ $((i % 1440)) -eq 0 ] && { python manage.py anonymise_closed_requests || echo "anonymise_closed_requests failed" >&2; }
  i=$((i + 1))
  sleep "${SCHEDULER_INTERVAL_SECONDS:-60}"
done

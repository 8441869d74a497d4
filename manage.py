#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # manage.py is the developer's entry point, so it defaults to the embedded dev settings;
    # the WSGI entry point defaults to production.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

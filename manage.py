#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guro_sme.settings")
    # A developer's tool: development defaults unless DEBUG=0 is set (as the production steps do).
    # A server (gunicorn via wsgi.py) has DEBUG off unless asked.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

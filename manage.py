#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

OFFLINE_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "makemessages"}


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trepart.settings")
    # Offline code tools that never serve requests or sign anything may run without a
    # SECRET_KEY (e.g. `makemigrations --check` in a checkout). Everything else still refuses.
    if len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS:
        os.environ.setdefault("TREPART_OFFLINE_COMMAND", "1")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

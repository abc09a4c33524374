#!/usr/bin/env python
"""Django's own command line, for developers; operators use the `kinsight` command."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinsight.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

"""Settings for pytest: the development defaults `make run` uses (DEBUG=1 unless set).

pytest-django then runs the tests with DEBUG off, as Django's test runner always does.
"""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: F403

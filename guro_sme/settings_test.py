"""Settings for pytest: the development defaults `make run` uses (DEBUG=1 unless set).

pytest-django then runs the tests with DEBUG off, as Django's test runner always does.
"""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: F403

# Tests whose tables are flushed between them could meet the same data version with other rows:
# the fund ledger's memo is tested on its own (tests/loans/aftercare/test_ledger_memo.py).
FUND_LEDGER_MEMO = False

"""Python's cyclic garbage collector, paused around work that builds many objects at once."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pause the cyclic collector while a WeasyPrint render or the fund ledger's build allocates
    some hundred thousand objects that live until it ends.

    Otherwise the collector keeps starting full collections, each walking every object of the
    process: with the fund ledger remembered (reports.fund_accounts) that is a million objects and
    up to half of a PDF's time (a first ledger build: 3.5 → 1.7 s at scale 1). The little cyclic
    garbage such work leaves (about 5% of a 100-page packet's peak memory) is collected as soon as
    the collector runs again. Another thread may have paused it already: then it stays paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

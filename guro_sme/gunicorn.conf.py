"""gunicorn's settings for this app: `gunicorn -c guro_sme/gunicorn.conf.py guro_sme.wsgi`.

Any of them can be changed on the command line or in GUNICORN_CMD_ARGS ("--bind 0.0.0.0:8000
--workers 8"), which take precedence over this file.
"""

bind = "127.0.0.1:8000"
workers = 4  # about two per core
timeout = 30  # anything longer than a request should hold (big exports, merged PDFs) is a job
# The app is loaded once in the master, and what it warms up there (below) the workers inherit.
preload_app = True


def when_ready(server):
    """Before the workers fork: build the remembered fund ledger and the dashboard's figures, so
    that no worker's first report view reads every loan (3.7 s at scale 1). A failure here (no
    database yet, no plan) is logged and the server starts as it would without it.

    Then what the master holds is frozen (gc.freeze, after a collection): the ledger is about a
    million objects, which every full collection in every worker would otherwise walk again
    (about 150 ms each, in the slowest requests), and which the workers now share unchanged."""
    import gc

    from django.db import connections

    try:
        from reports.services import warm_up

        warm_up()
    except Exception:
        server.log.exception("Warming up the fund ledger failed; the first report view will build it.")
    finally:
        connections.close_all()  # a worker must open its own connection, not share the master's
    gc.collect()
    gc.freeze()

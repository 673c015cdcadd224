"""Run one function from many threads at once, each on its own database connection."""

import threading

from django.db import connections


def run_at_once(function, arguments: list) -> list:
    """function(argument) in len(arguments) threads released together; returns results or exceptions."""
    barrier = threading.Barrier(len(arguments))
    results = [None] * len(arguments)

    def worker(index, argument):
        try:
            barrier.wait()
            results[index] = function(argument)
        except Exception as error:  # collected: the test says which ones are allowed
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results

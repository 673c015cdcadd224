"""Demo committee: seven members, one closed and one open meeting. Idempotent."""


def load(stdout=None) -> None:
    pass

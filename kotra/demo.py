"""Demo data for kotra, built from the seed. Idempotent: running it twice changes nothing."""


def load(stdout=None) -> None:
    pass

"""The guarantee-backed loan (보증특례): year-round intake, the district's recommendation, the
guarantee foundation's decision, then the bank's execution; and the guarantee capacity (yearly
scale within the pool of the district's contribution × the multiplier).

Models live in loans.models (fields of LoanFund and LoanApplication); the path's transitions in
loans.services.GUARANTEE_TRANSITIONS.
"""

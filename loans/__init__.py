"""Low-interest loans: funds, calls, applications, committee, bank referral, repayment."""

"""How payments settle a loan's schedule: pure functions, no database.

A regular payment goes to the oldest installment that still has something due: its interest
first, then its principal, then on to the next installment. A prepayment (중도상환) goes to
principal only and the schedule after it is rebuilt (services.loan_prepay), so the installments'
principal plus every prepayment always equals the loan. Everything is derived again from the
payments each time: nothing about what was paid is typed in.
"""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Due:
    """One scheduled installment (an Installment row or anything with these attributes)."""

    number: int
    due_on: datetime.date
    principal_won: int
    interest_won: int


@dataclass(frozen=True)
class Paid:
    """One payment still in force (not reversed)."""

    paid_on: datetime.date
    amount_won: int
    prepayment: bool = False
    key: object = None  # the LoanPayment pk, to show where each payment went


@dataclass
class InstallmentState:
    number: int
    due_on: datetime.date
    principal_won: int
    interest_won: int
    paid_principal_won: int = 0
    paid_interest_won: int = 0
    settled_on: datetime.date | None = None  # the day the last of it was paid

    @property
    def total_won(self) -> int:
        return self.principal_won + self.interest_won

    @property
    def paid_won(self) -> int:
        return self.paid_principal_won + self.paid_interest_won

    @property
    def remaining_won(self) -> int:
        return self.total_won - self.paid_won

    @property
    def settled(self) -> bool:
        return self.remaining_won == 0

    @property
    def late(self) -> bool:
        return self.settled_on is not None and self.settled_on > self.due_on

    @property
    def late_days(self) -> int:
        return (self.settled_on - self.due_on).days if self.late else 0

    @property
    def partly_paid(self) -> bool:
        return 0 < self.paid_won < self.total_won


@dataclass
class LoanState:
    """A loan as of a day: what each installment got, what is outstanding, what is overdue."""

    loan_won: int
    as_of: datetime.date | None
    installments: list[InstallmentState]
    prepaid_principal_won: int = 0
    #: per payment key: [(installment number or None for a prepayment, interest, principal)]
    splits: dict = field(default_factory=dict)
    #: overdue() per day, worked out once: the fund ledger remembers states, and every report
    #: asks each of its thousands of loans again (the state never changes once allocated)
    _overdue: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def principal_paid_won(self) -> int:
        return sum(i.paid_principal_won for i in self.installments) + self.prepaid_principal_won

    @property
    def interest_paid_won(self) -> int:
        return sum(i.paid_interest_won for i in self.installments)

    @property
    def outstanding_principal_won(self) -> int:
        return self.loan_won - self.principal_paid_won

    @property
    def remaining_scheduled_won(self) -> int:
        return sum(i.remaining_won for i in self.installments)

    @property
    def next_due(self) -> InstallmentState | None:
        return next((i for i in self.installments if not i.settled), None)

    @property
    def paid_to(self) -> datetime.date | None:
        """Paid-to-date: the due date of the last installment settled with none open before it."""
        last = None
        for installment in self.installments:
            if not installment.settled:
                break
            last = installment.due_on
        return last

    def overdue(self, on: datetime.date | None = None) -> tuple[InstallmentState, ...]:
        """Installments due before `on` (default: as_of) that are not settled."""
        day = on or self.as_of
        found = self._overdue.get(day)
        if found is None:
            found = self._overdue[day] = tuple(
                i for i in self.installments if i.due_on < day and not i.settled
            )
        return found

    def overdue_won(self, on: datetime.date | None = None) -> int:
        return sum(i.remaining_won for i in self.overdue(on))

    def days_past_due(self, on: datetime.date | None = None) -> int:
        day = on or self.as_of
        overdue = self.overdue(day)
        return (day - overdue[0].due_on).days if overdue else 0


def allocate(*, loan_won: int, installments, payments, as_of: datetime.date | None = None) -> LoanState:
    """Settle `installments` with `payments` (oldest payment first, each to the oldest due).

    Payments dated after `as_of` are left out, so the state is the loan as it stood that day.
    A payment larger than everything left is refused by the service before it is recorded;
    here any excess is simply not applied.
    """
    states = [
        InstallmentState(i.number, i.due_on, int(i.principal_won), int(i.interest_won))
        for i in sorted(installments, key=lambda i: i.number)
    ]
    state = LoanState(loan_won=int(loan_won), as_of=as_of, installments=states)
    ordered = sorted(payments, key=lambda p: (p.paid_on, str(p.key)))
    first_open = 0  # installments before it are settled (they settle oldest first, and stay so)
    for payment in ordered:
        if as_of is not None and payment.paid_on > as_of:
            continue
        splits = state.splits.setdefault(payment.key, [])
        left = int(payment.amount_won)
        if payment.prepayment:
            state.prepaid_principal_won += left
            splits.append((None, 0, left))
            continue
        while first_open < len(states) and states[first_open].settled:
            first_open += 1
        for installment in states[first_open:]:
            if left == 0:
                break
            if installment.settled:
                continue
            interest = min(left, installment.interest_won - installment.paid_interest_won)
            installment.paid_interest_won += interest
            left -= interest
            principal = min(left, installment.principal_won - installment.paid_principal_won)
            installment.paid_principal_won += principal
            left -= principal
            if interest or principal:
                splits.append((installment.number, interest, principal))
            if installment.settled:
                installment.settled_on = payment.paid_on
    return state


AGING_BUCKETS = [(1, 30, "1~30일"), (31, 90, "31~90일"), (91, 180, "91~180일"), (181, None, "181일 이상")]


def aging_bucket(days_past_due: int) -> str:
    """The arrears bucket of a number of days past due ('' when not overdue)."""
    for low, high, label in AGING_BUCKETS:
        if days_past_due >= low and (high is None or days_past_due <= high):
            return label
    return ""

"""The loans workflow, declared once: every action an application can go through.

Each `Action` says what a person sees (Korean label, button style, whether it asks for a reason or
an amount, whether it can be undone), who may run it (roles), from which statuses, to which
statuses, and which service function in `loans.services` does the work. Everything else reads
this declaration:

- `loans.services` derives ALLOWED_TRANSITIONS from it and checks roles and from-statuses with it;
- `loans.views` shows `actions_for(user, application)` as buttons and runs them with
  `services.application_perform`;
- `loans.demo` walks each demo application along `path_to(status)`;
- `tests/loans/test_transitions.py` tries every action from every status.

A fund kind may follow its own path: an action with `fund_kinds` applies only to applications of
those fund kinds (None: every kind). A guarantee fund's 구 추천 방식 (`LoanFund.recommended_by`:
staff, or the committee) narrows it further: `by_recommender` gives, per 방식, the statuses and
roles an action starts from there (no committee: nothing goes 심의상정). See docs/ARCHITECTURE.md,
"Adding a workflow step".

This module imports no service (the services import it), so service functions are named by string
and looked up in `loans.services` when an action runs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from guro_sme.roles import Role, user_roles

from .models import LoanApplication, LoanFund

S = LoanApplication.Status

STAFF_ONLY = frozenset({Role.STAFF})
STAFF_OR_MANAGER = frozenset({Role.STAFF, Role.MANAGER})

# Where a person starts an action. Only BUTTON actions are buttons on the application page; the
# others belong to the page that collects what they need.
BUTTON = "button"  # 처리 buttons on the application page (loans:application_action)
APPLICATION_FORM = "application_form"  # the intake form's 접수 button
COMMITTEE = "committee"  # closing a committee meeting decides its agenda
BANK_OUTCOME = "bank_outcome"  # the bank result form on the application page
INSTALLMENT = "installment"  # marking a repayment paid
GUARANTEE_REQUEST = "guarantee_request"  # 보증 신청 (with its date): application page or the register
GUARANTEE_RESULT = "guarantee_result"  # the foundation's result form, or its file through the imports

# Which fund kinds follow which path: the call path (calls, the committee, the bank's screening)
# or the guarantee path (year-round intake, 구 추천, the foundation's guarantee, then the bank).
CALL_PATH_KINDS = frozenset({LoanFund.Kind.DISTRICT_FUND, LoanFund.Kind.BANK_PARTNERSHIP})
GUARANTEE_KINDS = frozenset({LoanFund.Kind.GUARANTEE})

BUTTON_CLASSES = {"primary": "button", "secondary": "button secondary", "danger": "button danger"}


@dataclass(frozen=True)
class Narrowed:
    """How an action runs on a guarantee fund of one 구 추천 방식: from these statuses (empty: not
    at all) and, when given, by these roles only (None: the action's own roles)."""

    from_statuses: frozenset[str]
    roles: frozenset[str] | None = None


NOWHERE = Narrowed(from_statuses=frozenset())


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    service: str  # a function of loans.services, called with keyword arguments
    roles: frozenset[str]
    from_statuses: frozenset[str]
    to_statuses: frozenset[str]
    started_from: str = BUTTON
    needs_reason: bool = False  # the button asks for a reason (사유)
    reason_required: bool = False  # the service refuses a blank reason
    amount_argument: str = ""  # the service argument the amount (원) goes to; "" = no amount
    irreversible: bool = False  # no action leads back; the page asks once before running it
    style: str = "primary"  # a key of BUTTON_CLASSES
    fund_kinds: frozenset[str] | None = None  # None: applications of every fund kind
    service_arguments: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    passes_reason: bool = True  # the service takes `reason`
    refused_elsewhere: str = ""  # said when someone starts it from a page that doesn't own it
    subject_argument: str = "application"  # what the service acts on (a repayment: "installment")
    # On a guarantee fund, per 구 추천 방식 (LoanFund.RecommendedBy): where and by whom it starts
    # instead of from_statuses/roles (which stay the union, so the transition table holds them all).
    by_recommender: Mapping[str, Narrowed] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def needs_amount(self) -> bool:
        return bool(self.amount_argument)

    @property
    def button_class(self) -> str:
        return BUTTON_CLASSES[self.style]

    def applies_to(self, fund_kind: str | None) -> bool:
        return self.fund_kinds is None or fund_kind is None or fund_kind in self.fund_kinds

    def _narrowed(self, fund_kind: str | None, recommended_by: str | None) -> Narrowed | None:
        if fund_kind in GUARANTEE_KINDS and recommended_by:
            return self.by_recommender.get(recommended_by)
        return None

    def from_statuses_for(
        self, fund_kind: str | None = None, recommended_by: str | None = None
    ) -> frozenset[str]:
        narrowed = self._narrowed(fund_kind, recommended_by)
        return self.from_statuses if narrowed is None else narrowed.from_statuses

    def roles_for(self, fund_kind: str | None = None, recommended_by: str | None = None) -> frozenset[str]:
        narrowed = self._narrowed(fund_kind, recommended_by)
        return self.roles if narrowed is None or narrowed.roles is None else narrowed.roles

    def starts_from(
        self, status: str, fund_kind: str | None = None, recommended_by: str | None = None
    ) -> bool:
        """Whether it may start from `status` on a fund of this kind (and, for a guarantee fund,
        this 구 추천 방식; None: any)."""
        return status in self.from_statuses_for(fund_kind, recommended_by) and self.applies_to(fund_kind)


OPEN_STATUSES = frozenset({S.DRAFT, S.RECEIVED, S.REVIEW, S.ON_AGENDA, S.RESERVE, S.SELECTED, S.REFERRED})
# The guarantee path's statuses that may still be withdrawn (before the bank lends).
GUARANTEE_OPEN_STATUSES = frozenset({S.RECOMMENDED, S.GUARANTEE_REQUESTED, S.GUARANTEE_APPROVED})

WORKFLOW: tuple[Action, ...] = (
    Action(
        name="submit",
        label="접수",
        service="application_submit",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.DRAFT}),
        to_statuses=frozenset({S.RECEIVED}),
        started_from=APPLICATION_FORM,
        passes_reason=False,
    ),
    Action(
        name="start_review",
        label="요건검토 시작",
        service="application_start_review",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.RECEIVED}),
        to_statuses=frozenset({S.REVIEW}),
    ),
    Action(
        name="put_on_agenda",
        label="심의상정",
        service="application_put_on_agenda",
        roles=STAFF_OR_MANAGER,
        from_statuses=frozenset({S.REVIEW}),
        to_statuses=frozenset({S.ON_AGENDA}),
        # A guarantee fund goes before the committee only when the committee recommends.
        by_recommender=MappingProxyType({LoanFund.RecommendedBy.STAFF: NOWHERE}),
    ),
    Action(
        name="reject",
        label="요건 미충족 탈락",
        service="application_reject_in_review",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.REVIEW}),
        to_statuses=frozenset({S.REJECTED}),
        needs_reason=True,
        reason_required=True,
        irreversible=True,
        style="danger",
    ),
    Action(
        name="remove_from_agenda",
        label="안건에서 제외",
        service="application_remove_from_agenda",
        roles=STAFF_OR_MANAGER,
        from_statuses=frozenset({S.ON_AGENDA}),
        to_statuses=frozenset({S.REVIEW}),
        needs_reason=True,
    ),
    # The committee's three outcomes: one service, the outcome fixed per action.
    Action(
        name="select",
        label="선정",
        service="application_decide",
        roles=STAFF_OR_MANAGER,
        from_statuses=frozenset({S.ON_AGENDA}),
        to_statuses=frozenset({S.SELECTED}),
        started_from=COMMITTEE,
        amount_argument="approved_amount_won",
        irreversible=True,
        service_arguments=MappingProxyType({"outcome": S.SELECTED}),
        fund_kinds=CALL_PATH_KINDS,
    ),
    Action(
        name="reserve",
        label="예비선정",
        service="application_decide",
        roles=STAFF_OR_MANAGER,
        from_statuses=frozenset({S.ON_AGENDA}),
        to_statuses=frozenset({S.RESERVE}),
        started_from=COMMITTEE,
        amount_argument="approved_amount_won",
        irreversible=True,
        service_arguments=MappingProxyType({"outcome": S.RESERVE}),
        fund_kinds=CALL_PATH_KINDS,
    ),
    Action(
        name="decline",
        label="탈락",
        service="application_decide",
        roles=STAFF_OR_MANAGER,
        from_statuses=frozenset({S.ON_AGENDA}),
        to_statuses=frozenset({S.REJECTED}),
        started_from=COMMITTEE,
        amount_argument="approved_amount_won",
        irreversible=True,
        style="danger",
        service_arguments=MappingProxyType({"outcome": S.REJECTED}),
        fund_kinds=CALL_PATH_KINDS,
    ),
    # A reserve is promoted only from its meeting's results page, in reserve order, with the
    # committee's amount: loans.committee.services.meeting_promote_reserve runs this step.
    Action(
        name="promote",
        label="선정으로 올리기",
        service="reserve_mark_selected",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.RESERVE}),
        to_statuses=frozenset({S.SELECTED}),
        started_from=COMMITTEE,
        needs_reason=True,
        reason_required=True,
        amount_argument="approved_amount_won",
        irreversible=True,
        refused_elsewhere=(
            "예비선정 업체는 심의 결과 화면에서 예비 순위대로, 위원회가 의결한 금액으로만 선정할 수 있습니다."
        ),
        fund_kinds=CALL_PATH_KINDS,
    ),
    Action(
        name="refer",
        label="은행 통보",
        service="application_refer_to_bank",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.SELECTED}),
        to_statuses=frozenset({S.REFERRED}),
        irreversible=True,
        passes_reason=False,
        fund_kinds=CALL_PATH_KINDS,
    ),
    Action(
        name="bank_approval",
        label="은행 승인(대출실행)",
        service="application_record_bank_approval",
        roles=STAFF_ONLY,
        # 은행통보 on the call path; 보증 승인 on the guarantee path (the rate within the fund's band).
        from_statuses=frozenset({S.REFERRED, S.GUARANTEE_APPROVED}),
        to_statuses=frozenset({S.EXECUTED}),
        started_from=BANK_OUTCOME,
        amount_argument="executed_amount_won",
        irreversible=True,
    ),
    Action(
        name="bank_rejection",
        label="은행 부결",
        service="application_record_bank_rejection",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.REFERRED, S.GUARANTEE_APPROVED}),
        to_statuses=frozenset({S.BANK_REJECTED}),
        started_from=BANK_OUTCOME,
        needs_reason=True,
        reason_required=True,
        irreversible=True,
        style="danger",
    ),
    # The guarantee path (보증특례). 구 추천 by staff from 요건검토, or — when the fund has the committee
    # recommend — from 심의상정, recorded with the committee's resolution as the reason.
    Action(
        name="recommend",
        label="구 추천",
        service="application_recommend",
        roles=STAFF_OR_MANAGER,
        from_statuses=frozenset({S.REVIEW, S.ON_AGENDA}),
        to_statuses=frozenset({S.RECOMMENDED}),
        needs_reason=True,
        amount_argument="amount_won",
        fund_kinds=GUARANTEE_KINDS,
        by_recommender=MappingProxyType(
            {
                LoanFund.RecommendedBy.STAFF: Narrowed(from_statuses=frozenset({S.REVIEW}), roles=STAFF_ONLY),
                LoanFund.RecommendedBy.COMMITTEE: Narrowed(from_statuses=frozenset({S.ON_AGENDA})),
            }
        ),
    ),
    Action(
        name="send_to_guarantor",
        label="보증 신청",
        service="application_send_to_guarantor",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.RECOMMENDED}),
        to_statuses=frozenset({S.GUARANTEE_REQUESTED}),
        started_from=GUARANTEE_REQUEST,
        passes_reason=False,
        fund_kinds=GUARANTEE_KINDS,
    ),
    Action(
        name="guarantee_approval",
        label="보증 승인",
        service="application_record_guarantee_approval",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.GUARANTEE_REQUESTED}),
        to_statuses=frozenset({S.GUARANTEE_APPROVED}),
        started_from=GUARANTEE_RESULT,
        amount_argument="guarantee_amount_won",
        passes_reason=False,
        irreversible=True,
        fund_kinds=GUARANTEE_KINDS,
    ),
    Action(
        name="guarantee_rejection",
        label="보증 거절",
        service="application_record_guarantee_rejection",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.GUARANTEE_REQUESTED}),
        to_statuses=frozenset({S.GUARANTEE_REJECTED}),
        started_from=GUARANTEE_RESULT,
        needs_reason=True,
        reason_required=True,
        irreversible=True,
        style="danger",
        fund_kinds=GUARANTEE_KINDS,
    ),
    Action(
        name="repayment",
        label="납입 기록",
        service="installment_mark_paid",
        roles=STAFF_ONLY,
        from_statuses=frozenset({S.EXECUTED, S.REPAYING}),
        to_statuses=frozenset({S.REPAYING, S.REPAID}),
        started_from=INSTALLMENT,
        passes_reason=False,
        subject_argument="installment",
    ),
    Action(
        name="withdraw",
        label="취하",
        service="application_withdraw",
        roles=STAFF_ONLY,
        from_statuses=OPEN_STATUSES | GUARANTEE_OPEN_STATUSES,
        to_statuses=frozenset({S.WITHDRAWN}),
        needs_reason=True,
        reason_required=True,
        irreversible=True,
        style="danger",
    ),
)

ACTIONS: Mapping[str, Action] = MappingProxyType({action.name: action for action in WORKFLOW})
assert len(ACTIONS) == len(WORKFLOW), "two workflow actions share a name"


def transitions(fund_kind: str | None = None) -> dict[str, frozenset[str]]:
    """From status → the statuses it may go to, for one fund kind (None: any kind)."""
    table: dict[str, set[str]] = {status: set() for status in S.values}
    for action in WORKFLOW:
        if action.applies_to(fund_kind):
            for status in action.from_statuses:
                table[status] |= action.to_statuses - {status}  # staying put is no transition
    return {status: frozenset(targets) for status, targets in table.items()}


# Every allowed step for any fund kind; anything else is refused by the services.
ALLOWED_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(transitions())
CLOSED_STATUSES = frozenset(status for status, targets in ALLOWED_TRANSITIONS.items() if not targets)


def fund_kind_of(application: LoanApplication) -> str | None:
    return application.fund.kind if application.fund_id else None


def recommended_by_of(application: LoanApplication) -> str | None:
    """A guarantee fund's 구 추천 방식 (staff or committee); None for any other fund."""
    if not application.fund_id or application.fund.kind not in GUARANTEE_KINDS:
        return None
    return application.fund.recommended_by


def accepts(action: Action, user, application: LoanApplication) -> bool:
    """Whether the declaration lets `user` start `action` on `application` as it is now: its
    status, its fund's kind and 구 추천 방식, and the roles for them."""
    kind, recommended_by = fund_kind_of(application), recommended_by_of(application)
    return action.starts_from(application.status, kind, recommended_by) and bool(
        user_roles(user) & action.roles_for(kind, recommended_by)
    )


def actions_for(user, application: LoanApplication, *, started_from: str | None = BUTTON) -> list[Action]:
    """The actions `user` may start on `application` now, in declaration order.

    `started_from` picks the page (BUTTON: the application page's buttons; None: any page).
    """
    return [
        action
        for action in WORKFLOW
        if (started_from is None or action.started_from == started_from)
        and accepts(action, user, application)
    ]


# On a page the primary action comes first and the danger ones last (a draft's 취하 never leads),
# whatever the declaration order; sorted() is stable, so declaration order holds within a style.
STYLE_ORDER = {"primary": 0, "secondary": 1, "danger": 2}


def page_order(actions: Iterable[Action]) -> list[Action]:
    return sorted(actions, key=lambda action: STYLE_ORDER[action.style])


def actions_leading_to(status: str, *, fund_kind: str | None = None) -> list[Action]:
    return [a for a in WORKFLOW if status in a.to_statuses and a.applies_to(fund_kind)]


# The path each status is reached by from a draft, as action names in order: the demo builds its
# applications along it and the tests use it to make an application in any status.
PATHS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        S.DRAFT: (),
        S.RECEIVED: ("submit",),
        S.REVIEW: ("submit", "start_review"),
        S.ON_AGENDA: ("submit", "start_review", "put_on_agenda"),
        S.SELECTED: ("submit", "start_review", "put_on_agenda", "select"),
        S.RESERVE: ("submit", "start_review", "put_on_agenda", "reserve"),
        S.REJECTED: ("submit", "start_review", "put_on_agenda", "decline"),
        S.WITHDRAWN: ("submit", "start_review", "withdraw"),
        S.REFERRED: ("submit", "start_review", "put_on_agenda", "select", "refer"),
        S.BANK_REJECTED: ("submit", "start_review", "put_on_agenda", "select", "refer", "bank_rejection"),
        S.EXECUTED: ("submit", "start_review", "put_on_agenda", "select", "refer", "bank_approval"),
        S.REPAYING: (
            "submit",
            "start_review",
            "put_on_agenda",
            "select",
            "refer",
            "bank_approval",
            "repayment",
        ),
        S.REPAID: (
            "submit",
            "start_review",
            "put_on_agenda",
            "select",
            "refer",
            "bank_approval",
            "repayment",
        ),
    }
)


# The guarantee fund's paths where they differ from the call path's.
GUARANTEE_PATHS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        S.RECOMMENDED: ("submit", "start_review", "recommend"),
        S.GUARANTEE_REQUESTED: ("submit", "start_review", "recommend", "send_to_guarantor"),
        S.GUARANTEE_APPROVED: (
            "submit",
            "start_review",
            "recommend",
            "send_to_guarantor",
            "guarantee_approval",
        ),
        S.GUARANTEE_REJECTED: (
            "submit",
            "start_review",
            "recommend",
            "send_to_guarantor",
            "guarantee_rejection",
        ),
        S.BANK_REJECTED: (
            "submit",
            "start_review",
            "recommend",
            "send_to_guarantor",
            "guarantee_approval",
            "bank_rejection",
        ),
        S.EXECUTED: (
            "submit",
            "start_review",
            "recommend",
            "send_to_guarantor",
            "guarantee_approval",
            "bank_approval",
        ),
        S.REPAYING: (
            "submit",
            "start_review",
            "recommend",
            "send_to_guarantor",
            "guarantee_approval",
            "bank_approval",
            "repayment",
        ),
        S.REPAID: (
            "submit",
            "start_review",
            "recommend",
            "send_to_guarantor",
            "guarantee_approval",
            "bank_approval",
            "repayment",
        ),
        S.REJECTED: ("submit", "start_review", "reject"),
    }
)


def path_to(status: str, fund_kind: str | None = None) -> tuple[Action, ...]:
    """The actions from a draft to `status` for a fund kind (None: the call path where it has one)."""
    guarantee = fund_kind in GUARANTEE_KINDS or (fund_kind is None and status not in PATHS)
    names = GUARANTEE_PATHS.get(status, PATHS.get(status)) if guarantee else PATHS[status]
    return tuple(ACTIONS[name] for name in names)


def check_declaration(kinds: Iterable[str] = LoanFund.Kind.values) -> list[str]:
    """Problems with the declaration (empty when sound); a test asserts there are none."""
    problems = []
    for action in WORKFLOW:
        if action.style not in BUTTON_CLASSES:
            problems.append(f"{action.name}: unknown style {action.style!r}")
        if not action.roles:
            problems.append(f"{action.name}: no role may run it")
        if action.fund_kinds is not None and not set(action.fund_kinds) <= set(kinds):
            problems.append(f"{action.name}: unknown fund kind")
        for recommended_by, narrowed in action.by_recommender.items():
            if recommended_by not in LoanFund.RecommendedBy.values:
                problems.append(f"{action.name}: unknown 구 추천 방식 {recommended_by!r}")
            if not narrowed.from_statuses <= action.from_statuses:
                problems.append(f"{action.name}: {recommended_by} starts outside its from-statuses")
            if narrowed.roles is not None and not narrowed.roles <= action.roles:
                problems.append(f"{action.name}: {recommended_by} adds roles")
    shared = (S.DRAFT, S.RECEIVED, S.REVIEW, S.ON_AGENDA, S.WITHDRAWN)  # the same on both paths
    paths = [(status, None) for status in PATHS] + [
        (status, LoanFund.Kind.GUARANTEE) for status in (*shared, *GUARANTEE_PATHS)
    ]
    for status, kind in paths:
        path = path_to(status, kind)
        current = S.DRAFT
        for action in path:
            if not action.applies_to(kind):
                problems.append(f"path to {status} ({kind}): {action.name} is not on this fund's path")
            if current not in action.from_statuses:
                problems.append(f"path to {status}: {action.name} does not start from {current}")
            current = status if status in action.to_statuses else next(iter(action.to_statuses))
        if path and current != status:
            problems.append(f"path to {status} ends in {current}")
    return problems

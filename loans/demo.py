"""Demo data for loans, built from the seed. Idempotent: running it twice changes nothing.

The three 2018 funds with the seed's amounts and rates, a January and a July call (the guarantee
fund takes its applications year-round, without a call, into its 2018 intake register), seven
default committee members, and applications in every status. Applications move through
the real services, so each has its timeline; the January call leaves four applications in
요건검토 and four in 심의상정 for the committee demo (loans/committee/demo.py) to build meetings on.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from guro_sme.demo import demo_business_number, ensure_firm, ensure_user
from guro_sme.models import Firm, Organization
from guro_sme.roles import Role

from . import services, workflow
from .models import FundFirmLimit, LoanApplication, LoanCall, LoanFund, RubricItem

S = LoanApplication.Status
D = datetime.date
SME = Firm.FirmType.SME
SMALL = Firm.FirmType.SMALL_BUSINESS
VENTURE = Firm.FirmType.VENTURE

DISTRICT_FUND = "중소기업육성기금"
BANK_FUND = "우리은행협력자금"
GUARANTEE_FUND = "구로구 보증특례지원"

COMMITTEE_MEMBERS = [
    ("member1", "이심의"),
    ("member2", "김위원"),
    ("member3", "박위원"),
    ("member4", "최위원"),
    ("member5", "정위원"),
    ("member6", "강위원"),
    ("member7", "조위원"),
]
RUBRIC = [("사업성", 30), ("기술성", 20), ("상환능력", 30), ("지역기여도", 20)]

# serial, name, representative, type, industry, founded
LOAN_FIRMS = [
    (201, "(주)구로하이텍", "한하이", SME, "반도체 장비", D(2010, 5, 1)),
    (202, "신구로식품", "신식품", SMALL, "식품 제조", D(2013, 8, 12)),
    (203, "(주)개봉테크", "개테크", SME, "전자부품", D(2012, 2, 2)),
    (204, "(주)고척정보", "고정보", SME, "정보통신", D(2011, 9, 9)),
    (205, "(주)디지털로직스", "디로직", SME, "소프트웨어", D(2009, 4, 4)),
    (206, "(주)구로광학", "구광학", SME, "광학기기", D(2007, 6, 6)),
    (207, "(주)신도림메카", "신메카", VENTURE, "로봇", D(2015, 3, 3)),
    (208, "(주)가리봉패션", "가패션", SME, "의류", D(2006, 1, 15)),
    (209, "(주)온수정밀", "온정밀", SME, "정밀가공", D(2008, 11, 11)),
    (210, "(주)구로소재", "구소재", SME, "화학소재", D(2005, 7, 7)),
    (211, "(주)오류바이오", "오바이", VENTURE, "바이오", D(2014, 10, 10)),
    (212, "(주)천왕전자", "천전자", SME, "전자부품", D(2010, 12, 12)),
    (213, "(주)항동산업", "항산업", SME, "기계", D(2009, 9, 19)),
    (214, "구로떡방앗간", "구떡집", SMALL, "떡 제조", D(2014, 5, 20)),
    (215, "(주)디지털팩토리", "디팩토", SME, "스마트공장", D(2013, 3, 30)),
]


def _org(name: str) -> Organization | None:
    return Organization.objects.filter(name=name).first()


# get_or_create, not update_or_create: a rerun must not save the rows again, or every money
# model's history (simple-history) would grow by one row per rerun.
def _fund(name, kind, allocation, limits, **fields) -> LoanFund:
    fund, _ = LoanFund.objects.get_or_create(
        name=name, year=2018, defaults={"kind": kind, "allocation_won": allocation, **fields}
    )
    for firm_type, limit in limits.items():
        FundFirmLimit.objects.get_or_create(fund=fund, firm_type=firm_type, defaults={"limit_won": limit})
    return fund


def _call(title, year, half, opens_on, closes_on, funds, members) -> LoanCall:
    call, _ = LoanCall.objects.get_or_create(
        title=title, defaults={"year": year, "half": half, "opens_on": opens_on, "closes_on": closes_on}
    )
    call.funds.set(funds)
    call.committee_members.set(members)
    for order, (name, weight) in enumerate(RUBRIC, start=1):
        RubricItem.objects.get_or_create(
            call=call, name=name, defaults={"weight": weight, "max_score": 10, "order": order}
        )
    return call


def load(stdout=None) -> None:
    woori = _org("우리은행")
    guarantor = _org("서울신용보증재단")
    firm_limits = {SME: 200_000_000, VENTURE: 200_000_000, SMALL: 50_000_000}
    district_fund = _fund(
        DISTRICT_FUND,
        LoanFund.Kind.DISTRICT_FUND,
        5_000_000_000,
        firm_limits,
        interest_rate=Decimal("1.80"),
        partner_bank=woori,
        grace_years=1,
        repayment_years_min=4,
        repayment_years_max=4,
        payments_per_year=2,
    )
    bank_fund = _fund(
        BANK_FUND,
        LoanFund.Kind.BANK_PARTNERSHIP,
        3_000_000_000,
        firm_limits,
        subsidy_cap_pct=Decimal("1.00"),
        partner_bank=woori,
        grace_years=1,
        repayment_years_min=4,
        repayment_years_max=4,
        payments_per_year=2,
    )
    guarantee_fund = _fund(
        GUARANTEE_FUND,
        LoanFund.Kind.GUARANTEE,
        1_000_000_000,
        {SMALL: 50_000_000},
        rate_min=Decimal("3.00"),
        rate_max=Decimal("5.00"),
        partner_bank=woori,
        guarantor=guarantor,
        grace_years=1,
        repayment_years_min=3,
        repayment_years_max=4,
        payments_per_year=2,
        guarantee_contribution_won=500_000_000,
        guarantee_multiplier=10,
        year_round=True,
    )

    members = [ensure_user(username, name, Role.COMMITTEE) for username, name in COMMITTEE_MEMBERS]
    january = _call(
        "2018년 상반기 중소기업·소상공인 육성자금 융자 공고",
        2018,
        LoanCall.Half.FIRST,
        D(2018, 1, 8),
        D(2018, 1, 26),
        [district_fund, bank_fund],
        members,
    )
    july = _call(
        "2018년 하반기 중소기업·소상공인 육성자금 융자 공고",
        2018,
        LoanCall.Half.SECOND,
        D(2018, 7, 2),
        D(2018, 7, 20),
        [district_fund, bank_fund],
        members,
    )
    if july.copied_from_id is None:
        LoanCall.objects.filter(pk=july.pk).update(copied_from=january)

    for serial, name, representative, firm_type, industry, founded in LOAN_FIRMS:
        number = demo_business_number(serial, corporate=firm_type != SMALL)
        if Firm.objects.filter(business_number=number).exists():
            continue  # saving again would add a history row each run
        ensure_firm(
            serial,
            name,
            representative,
            firm_type=firm_type,
            industry=industry,
            founded_on=founded,
            in_district=True,
            address="서울특별시 구로구 디지털로 000",
        )

    User = get_user_model()
    staff = User.objects.get(username="staff")
    manager = User.objects.get(username="manager")
    firms = {firm.name: firm for firm in Firm.objects.all()}

    def apply(firm_name, call, fund, amount, target, *, purpose="operating", **steps):
        firm = firms[firm_name]
        same = {"call": call} if call is not None else {"fund": fund, "call": None}
        if LoanApplication.objects.filter(firm=firm, **same).exists():
            return  # already built by an earlier run: demo data never changes twice
        _build(firm, call, fund, amount, target, purpose, staff, manager, steps)

    jan_entry = {"on_date": D(2018, 1, 15)}
    bank_day = D(2018, 3, 15)
    # January call: the whole workflow.
    apply(
        "구로정밀(주)",
        january,
        district_fund,
        150_000_000,
        S.REPAID,
        executed_on=bank_day,
        paid=10,
        **jan_entry,
    )
    apply(
        "(주)오류전자",
        january,
        bank_fund,
        200_000_000,
        S.REPAYING,
        executed_on=bank_day,
        bank_rate=Decimal("3.50"),
        paid=3,
        **jan_entry,
    )
    apply(
        "(주)구일물산",
        january,
        district_fund,
        100_000_000,
        S.EXECUTED,
        executed_on=bank_day,
        approved=80_000_000,
        **jan_entry,
    )
    apply("(주)온수기계", january, bank_fund, 120_000_000, S.BANK_REJECTED, **jan_entry)
    apply("(주)디지털밸리", january, district_fund, 180_000_000, S.REFERRED, **jan_entry)
    apply(
        "(주)구로하이텍", january, district_fund, 200_000_000, S.SELECTED, approved=150_000_000, **jan_entry
    )
    apply("신구로식품", january, district_fund, 50_000_000, S.RESERVE, **jan_entry)
    apply("(주)개봉테크", january, bank_fund, 150_000_000, S.REJECTED, **jan_entry)
    apply("(주)고척정보", january, district_fund, 100_000_000, S.WITHDRAWN, **jan_entry)
    # Left for the committee demo: 요건검토 and 심의상정.
    for name, fund, amount in [
        ("(주)디지털로직스", district_fund, 120_000_000),
        ("(주)구로광학", bank_fund, 100_000_000),
        ("(주)신도림메카", district_fund, 150_000_000),
        ("(주)가리봉패션", bank_fund, 80_000_000),
    ]:
        apply(name, january, fund, amount, S.REVIEW, **jan_entry)
    for name, fund, amount in [
        ("(주)온수정밀", district_fund, 200_000_000),
        ("(주)구로소재", bank_fund, 150_000_000),
        ("(주)오류바이오", district_fund, 100_000_000),
        ("(주)천왕전자", bank_fund, 120_000_000),
    ]:
        apply(name, january, fund, amount, S.ON_AGENDA, **jan_entry)
    apply("(주)항동산업", january, district_fund, 90_000_000, S.RECEIVED, **jan_entry)

    # July call: new applications, one flagged for an unrepaid loan of the same fund.
    jul_entry = {"on_date": D(2018, 7, 10)}
    apply("(주)오류전자", july, bank_fund, 100_000_000, S.RECEIVED, **jul_entry)
    apply("(주)디지털팩토리", july, district_fund, 160_000_000, S.REVIEW, **jul_entry)
    apply("구로떡방앗간", july, district_fund, None, S.DRAFT, **jul_entry)

    # Year-round guarantee loans for small businesses: no call, the fund's 2018 intake register.
    gua_entry = {"on_date": D(2018, 3, 5), "sent_on": D(2018, 3, 8), "decided_on": D(2018, 3, 20)}
    apply(
        "가리봉식품",
        None,
        guarantee_fund,
        50_000_000,
        S.REPAYING,
        executed_on=D(2018, 4, 2),
        bank_rate=Decimal("3.50"),
        years=3,
        paid=2,
        **gua_entry,
    )
    apply(
        "신도림인쇄",
        None,
        guarantee_fund,
        30_000_000,
        S.EXECUTED,
        executed_on=D(2018, 4, 9),
        bank_rate=Decimal("4.20"),
        method="equal_payment",
        **gua_entry,
    )
    apply("개봉꽃집", None, guarantee_fund, 40_000_000, S.RECOMMENDED, **gua_entry)
    apply("구로떡방앗간", None, guarantee_fund, 20_000_000, S.GUARANTEE_REQUESTED, **gua_entry)
    apply("신구로식품", None, guarantee_fund, 30_000_000, S.GUARANTEE_APPROVED, **gua_entry)
    later = {"on_date": D(2018, 7, 2), "sent_on": D(2018, 7, 5), "decided_on": D(2018, 7, 16)}
    apply("항동공방", None, guarantee_fund, 30_000_000, S.GUARANTEE_REJECTED, **later)

    if stdout:
        stdout.write(
            f"  저리융자: 기금 {LoanFund.objects.count()}개, 공고 {LoanCall.objects.count()}건, "
            f"신청 {LoanApplication.objects.count()}건"
        )


def _build(firm, call, fund, amount, target, purpose, staff, manager, steps):
    application = LoanApplication(
        firm=firm,
        call=call,
        fund=fund,
        requested_amount_won=amount,
        purpose=purpose if amount else "",
        purpose_detail="원자재 구입" if purpose == "operating" else "설비 도입",
        repayment_method=steps.get("method", LoanApplication.RepaymentMethod.EQUAL_PRINCIPAL),
        repayment_years=steps.get("years"),
    )
    if target == S.DRAFT:
        services.application_save_draft(application=application, actor=staff)
        return
    approved = steps.get("approved", amount)
    meeting = "기금운용심의위원회 의결"
    # What the demo enters at each step of the declared path (loans/workflow.py).
    entered = {
        "submit": {"on_date": steps.get("on_date")},
        "select": {"actor": manager, "amount_won": approved, "reason": meeting},
        "reserve": {"actor": manager, "amount_won": None, "reason": meeting},
        "decline": {"actor": manager, "amount_won": None, "reason": "사업성 평가 미달"},
        "withdraw": {"reason": "업체 요청으로 취하"},
        "bank_rejection": {"reason": "담보 평가액 부족"},
        "recommend": {"amount_won": approved, "reason": "요건 충족, 구 추천"},
        "send_to_guarantor": {"sent_on": steps.get("sent_on")},
        "guarantee_rejection": {"reason": "신용평점 미달", "decided_on": steps.get("decided_on")},
        "bank_approval": {
            "amount_won": approved,
            "bank_rate": steps.get("bank_rate", fund.interest_rate or Decimal("3.00")),
            "executed_on": steps.get("executed_on"),
        },
    }
    if fund.is_guarantee:
        entered["guarantee_approval"] = {
            "amount_won": approved,
            "ratio_pct": Decimal("100"),
            "fee_pct": Decimal("0.80"),
            "decided_on": steps.get("decided_on"),
        }
    for action in workflow.path_to(target, fund.kind):
        if action.name == "guarantee_approval":
            entered[action.name]["certificate_number"] = f"보증-{application.intake_number}"
        if action.name == "repayment":
            for installment in application.installments.order_by("number")[: steps.get("paid", 0)]:
                services.application_perform(
                    application=application,
                    action=action.name,
                    installment=installment,
                    paid_on=installment.due_on,
                    actor=staff,
                )
            continue
        arguments = {"actor": staff, **entered.get(action.name, {})}
        application = services.application_perform(application=application, action=action.name, **arguments)

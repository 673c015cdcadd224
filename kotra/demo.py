"""Demo data for kotra, built from the seed. Idempotent: running it twice changes nothing.

2017 is the seed's table exactly (9 firms, 13,900,000 won). The seed gives only the subsidies,
so the fees are chosen to reproduce them under the rule (50%, at most 1,750,000 per sub-program):
1,250,000 = 50% of 2,500,000; 1,500,000 = 50% of 3,000,000; 1,750,000 = capped (fee ≥ 3,500,000);
1,900,000 = 해외지사화 3,500,000 → 1,750,000 plus 물류네트워크 300,000 → 150,000.
2018 has a few invented participants (firms with serials 400–499), none supported in 2017.
"""

from guro_sme.demo import ensure_firm
from guro_sme.models import Firm, Organization

from .models import KotraProject, Participant, ParticipationFee, SubProgram, TradeOffice
from .services import project_subsidy_for

B, L = SubProgram.BRANCH, SubProgram.LOGISTICS

# 회사명, 생산품명, 무역관 (도시, 국가), fees {sub-program: fee in won}
KOTRA_2017 = [
    ("(주)시큐브", "정보보호솔루션", ("런던", "영국"), {B: 3_500_000}),
    ("(주)우신라보타치", "의약품패치", ("프라하", "체코"), {B: 2_500_000}),
    ("(주)한드림넷", "네트워크스위치", ("호치민", "베트남"), {B: 3_500_000, L: 300_000}),
    ("(주)티앤씨코리아", "독립형태양광발전", ("아디스아바바", "에티오피아"), {B: 2_500_000}),
    ("에스엔패션그룹(주)", "의류,잡화", ("도쿄", "일본"), {B: 4_000_000}),
    ("(주)나일소프트", "소프트웨어", ("실리콘밸리", "미국"), {B: 3_000_000}),
    ("(주)두니코프", "음향변조기", ("토론토", "캐나다"), {B: 3_000_000}),
    ("포테닛(주)", "자율주행물류로봇", ("시카고", "미국"), {B: 3_600_000}),
    ("(주)디자인비아트", "모형", ("알마티", "카자흐스탄"), {B: 2_500_000}),
]

# Invented 2018 participants: serial, 회사명, 대표자, 업종(생산품명), 무역관, fees
KOTRA_2018 = [
    (401, "(주)구로글로벌", "한세계", "산업용 센서", ("하노이", "베트남"), {B: 3_500_000}),
    (
        402,
        "(주)디지털무역",
        "송수출",
        "보안 카메라",
        ("두바이", "아랍에미리트"),
        {B: 3_000_000, L: 1_000_000},
    ),
    (403, "(주)가산메디칼", "유의료", "의료기기", ("프랑크푸르트", "독일"), {B: 2_800_000}),
    (404, "(주)신도림푸드", "정식품", "건강기능식품", ("상하이", "중국"), {B: 3_200_000, L: 500_000}),
]


def _upsert(model, lookup: dict, values: dict):
    """update_or_create that saves only when something differs, so a second load writes no history."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj


def _ensure_project(year: int, kotra: Organization | None, note: str) -> KotraProject:
    return _upsert(
        KotraProject,
        {"year": year},
        {"organization": kotra, "budget_won": 15_000_000, "target_firms": 10, "note": note},
    )


def _ensure_participant(project: KotraProject, firm: Firm, product: str, office, fees: dict) -> None:
    trade_office, _ = TradeOffice.objects.get_or_create(city=office[0], country=office[1])
    participant = _upsert(
        Participant, {"project": project, "firm": firm}, {"trade_office": trade_office, "product": product}
    )
    for sub_program, fee in fees.items():
        _upsert(
            ParticipationFee,
            {"participant": participant, "sub_program": sub_program},
            # The one rule (kotra_subsidy_for) computes the subsidy here too.
            {"fee_won": fee, "subsidy_won": project_subsidy_for(project, fee)},
        )


def load(stdout=None) -> None:
    kotra = Organization.objects.filter(name="KOTRA").first()
    project_2017 = _ensure_project(2017, kotra, "'17년도 추진실적: 관내 9개 기업, 13,900천원")
    for name, product, office, fees in KOTRA_2017:
        _ensure_participant(project_2017, Firm.objects.get(name=name), product, office, fees)

    project_2018 = _ensure_project(2018, kotra, "")
    for serial, name, representative, product, office, fees in KOTRA_2018:
        firm = ensure_firm(
            serial,
            name,
            representative,
            firm_type=Firm.FirmType.SME,
            industry=product,
            in_district=True,
            address="서울특별시 구로구 디지털로 000",
        )
        _ensure_participant(project_2018, firm, product, office, fees)

    if stdout:
        from .selectors import kotra_support_by_year

        for year in (2017, 2018):
            figure = kotra_support_by_year(year)
            stdout.write(f"  KOTRA {year}: {figure.firms}개 기업, {figure.amount_won:,}원")

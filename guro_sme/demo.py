"""Core demo data: the district profile, partner organisations, demo firms and one user per role.

Idempotent (update_or_create on natural keys), so `make run` can load it every time.
The firms include the nine firms of the seed's 2017 KOTRA table.
"""

import datetime

from django.contrib.auth import get_user_model

from .models import DistrictProfile, Firm, Organization
from .roles import Role, ensure_role_groups
from .validators import with_check_digit

DEMO_PASSWORD = "guro1234!"

# username, full name, role
DEMO_USERS = [
    ("staff", "정효진", Role.STAFF),
    ("manager", "김관리", Role.MANAGER),
    ("member1", "이심의", Role.COMMITTEE),
]

ORGANIZATIONS = [
    ("우리은행", Organization.Kind.BANK, "구로구 협력은행 (융자 최종 담보자격 심사)"),
    ("서울신용보증재단", Organization.Kind.GUARANTEE, "소상공인 보증특례 보증기관"),
    ("KOTRA", Organization.Kind.AGENCY, "대한무역투자진흥공사 해외무역관"),
    ("한국산업단지공단", Organization.Kind.AGENCY, "산단공"),
    ("구로구상공회", Organization.Kind.ASSOCIATION, ""),
    ("기술보증기금", Organization.Kind.GUARANTEE, ""),
    ("중소벤처기업진흥공단", Organization.Kind.AGENCY, "중진공"),
    ("중소기업중앙회", Organization.Kind.ASSOCIATION, "리더스 아카데미 보조사업"),
    ("기획예산과", Organization.Kind.DEPARTMENT, "협조부서"),
    ("재무과", Organization.Kind.DEPARTMENT, "협조부서"),
]

# The seed's 2017 KOTRA table: 회사명, 대표자, 생산품명.
KOTRA_2017_FIRMS = [
    ("(주)시큐브", "홍기용", "정보보호솔루션"),
    ("(주)우신라보타치", "남택수", "의약품패치"),
    ("(주)한드림넷", "서현원", "네트워크스위치"),
    ("(주)티앤씨코리아", "장규화", "독립형태양광발전"),
    ("에스엔패션그룹(주)", "구길기", "의류,잡화"),
    ("(주)나일소프트", "이승재", "소프트웨어"),
    ("(주)두니코프", "이승재", "음향변조기"),
    ("포테닛(주)", "남형도", "자율주행물류로봇"),
    ("(주)디자인비아트", "김진만", "모형"),
]

# Other demo firms (invented): name, representative, type, industry, founded, in district.
OTHER_FIRMS = [
    ("구로정밀(주)", "박정밀", Firm.FirmType.SME, "금속가공", datetime.date(2009, 3, 2), True),
    ("(주)디지털밸리", "최디지", Firm.FirmType.VENTURE, "소프트웨어", datetime.date(2014, 7, 15), True),
    ("가리봉식품", "한가람", Firm.FirmType.SMALL_BUSINESS, "음식점업", datetime.date(2016, 5, 1), True),
    ("신도림인쇄", "오인쇄", Firm.FirmType.SMALL_BUSINESS, "인쇄업", datetime.date(2012, 11, 20), True),
    ("(주)오류전자", "윤전자", Firm.FirmType.SME, "전자부품", datetime.date(2005, 1, 10), True),
    ("개봉꽃집", "장꽃님", Firm.FirmType.SMALL_BUSINESS, "소매업", datetime.date(2015, 4, 4), True),
    ("(주)고척바이오", "강바이", Firm.FirmType.VENTURE, "바이오", datetime.date(2017, 2, 14), True),
    ("항동공방", "서공방", Firm.FirmType.SMALL_BUSINESS, "공예품 제조", datetime.date(2017, 12, 1), True),
    ("(주)구일물산", "임물산", Firm.FirmType.SME, "도소매", datetime.date(2010, 6, 30), True),
    ("천왕카페", "노카페", Firm.FirmType.SMALL_BUSINESS, "커피전문점", datetime.date(2018, 1, 3), True),
    ("(주)온수기계", "문기계", Firm.FirmType.SME, "기계제조", datetime.date(2008, 9, 9), True),
    ("(주)금천테크", "배테크", Firm.FirmType.SME, "전자부품", datetime.date(2011, 3, 3), False),
]


def demo_business_number(serial: int, corporate: bool = True) -> str:
    """A valid number under the Guro tax office code (113); 81 marks a corporation, 01 a sole trader."""
    return with_check_digit(f"113{81 if corporate else 1:02d}{serial:04d}")


def ensure_firm(serial: int, name: str, representative: str, **fields) -> Firm:
    corporate = fields.get("firm_type") != Firm.FirmType.SMALL_BUSINESS
    number = demo_business_number(serial, corporate)
    defaults = {"name": name, "representative": representative, **fields}
    existing = Firm.objects.filter(business_number=number).first()
    if existing and all(getattr(existing, key) == value for key, value in defaults.items()):
        return existing  # unchanged: saving again would add a history row on every run
    firm, _ = Firm.objects.update_or_create(business_number=number, defaults=defaults)
    return firm


def load(stdout=None) -> None:
    ensure_role_groups()
    DistrictProfile.objects.update_or_create(
        pk=1,
        defaults={
            "district_name": "구로구",
            "city_name": "서울특별시",
            "department": "지역경제과",
            "cooperating_departments": "기획예산과, 재무과, 우리은행, 신용보증재단",
            "contact_person": "정효진",
            "contact_phone": "02-860-2865",
            "sender_title": "구로구청장",
            "document_prefix": "지역경제과",
            "approval_titles": "주무관,지역경제팀장,지역경제과장",
            "postal_code": "08284",
            "address": "구로구 가마산로 245",
            "homepage": "www.guro.go.kr",
        },
    )
    for name, kind, note in ORGANIZATIONS:
        Organization.objects.update_or_create(name=name, defaults={"kind": kind, "note": note})

    for serial, (name, representative, product) in enumerate(KOTRA_2017_FIRMS, start=1):
        ensure_firm(
            serial,
            name,
            representative,
            firm_type=Firm.FirmType.SME,
            industry=product,
            in_district=True,
            address="서울특별시 구로구 디지털로 000",
        )
    for serial, (name, representative, firm_type, industry, founded, in_district) in enumerate(
        OTHER_FIRMS, start=101
    ):
        ensure_firm(
            serial,
            name,
            representative,
            firm_type=firm_type,
            industry=industry,
            founded_on=founded,
            in_district=in_district,
            address="서울특별시 구로구 구로동 000" if in_district else "서울특별시 금천구 가산동 000",
        )

    from django.contrib.auth.models import Group

    User = get_user_model()
    for username, full_name, role in DEMO_USERS:
        ensure_user(username, full_name, role)
    if stdout:
        stdout.write(
            f"  기본: 기업 {Firm.objects.count()}곳, 사용자 {User.objects.count()}명, 역할 {Group.objects.count()}개"
        )


def ensure_user(username: str, full_name: str, role: str):
    """A demo user in one role group, with the demo password."""
    from django.contrib.auth.models import Group

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"last_name": full_name[:1], "first_name": full_name[1:]}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=role))
    return user

"""Demo data for marketing, built from the seed. Idempotent: running it twice changes nothing.

The seed gives the counts only: 2016 9개사, 2017 10개사, 2018 상반기 10개사, and "10개사 내외,
15,000천원" a year. The firms (serials 300–399), budgets other than 2018's, costs, events and
results below are invented for the demo. The seed's typed total "19개사" does not match
9 + 10 + 10; the records here are what they are and the reports flag the difference.
"""

import datetime

from guro_sme.demo import ensure_firm
from guro_sme.models import Firm

from .models import BloggerEvent, MarketingProject, Selection

# serial, 회사명, 대표자, 업종 (홍보 제품)
FIRMS = [
    (301, "(주)구로스마트홈", "김스마", "IoT 가전"),
    (302, "(주)디지털헬스랩", "이헬스", "웨어러블 헬스케어"),
    (303, "(주)G밸리드론", "박드론", "촬영용 드론"),
    (304, "(주)에코패키지", "최에코", "친환경 포장재"),
    (305, "(주)코딩키즈", "정코딩", "코딩 교육 로봇"),
    (306, "(주)뷰티사이언스", "한뷰티", "기능성 화장품"),
    (307, "(주)사운드웨이브", "윤사운", "블루투스 스피커"),
    (308, "(주)푸드테크구로", "장푸드", "간편식 밀키트"),
    (309, "(주)펫케어랩", "오펫케", "반려동물 용품"),
    (310, "(주)스마트글라스", "서글라", "AR 안경"),
    (311, "(주)클린에어텍", "문클린", "공기청정기"),
    (312, "(주)메디슬립", "배메디", "수면 케어 기기"),
    (313, "(주)라이프로봇", "신로봇", "가사 도우미 로봇"),
    (314, "(주)그린에너지솔루션", "조그린", "휴대용 태양광 충전기"),
]

# Invented blog names of a few of the bloggers invited.
BLOGGERS = "구로맛집탐방, 테크리뷰어K, 살림9단, G밸리직장인"

# year, budget_won, cost per firm, firm serials, events (date, place, bloggers)
YEARS = [
    (
        2016,
        13_500_000,
        1_500_000,
        [301, 302, 303, 304, 305, 306, 307, 308, 309],
        [
            (datetime.date(2016, 6, 16), "구로구청 대강당", 15),
        ],
    ),
    (
        2017,
        15_000_000,
        1_500_000,
        [301, 303, 305, 306, 308, 309, 310, 311, 312, 313],
        [
            (datetime.date(2017, 5, 25), "G밸리 비즈플라자", 18),
        ],
    ),
    (
        2018,
        15_000_000,
        1_400_000,
        [302, 304, 307, 310, 311, 312, 313, 314, 305, 309],
        [
            (datetime.date(2018, 4, 19), "구로구청 대강당", 20),
            (datetime.date(2018, 6, 14), "G밸리 비즈플라자", 12),
        ],
    ),
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


def load(stdout=None) -> None:
    firms = {}
    for serial, name, representative, product in FIRMS:
        firms[serial] = (
            ensure_firm(
                serial,
                name,
                representative,
                firm_type=Firm.FirmType.VENTURE,
                industry=product,
                in_district=True,
                address="서울특별시 구로구 디지털로 000",
            ),
            product,
        )
    for year, budget, cost, serials, events in YEARS:
        project = _upsert(
            MarketingProject,
            {"year": year},
            {"budget_won": budget, "target_firms": 10, "note": "시연용 자료 (업체수는 시드 추진실적)"},
        )
        event_rows = []
        for held_on, place, bloggers in events:
            event = _upsert(
                BloggerEvent,
                {"project": project, "held_on": held_on},
                {
                    "place": place,
                    "bloggers_invited": bloggers,
                    "title": "파워블로거 초청 품평회",
                    "blogger_names": BLOGGERS,
                },
            )
            event_rows.append(event)
        for index, serial in enumerate(serials):
            firm, product = firms[serial]
            _upsert(
                Selection,
                {"project": project, "firm": firm},
                {
                    "event": event_rows[index % len(event_rows)],
                    "product": product,
                    "cost_won": cost,
                    "posts_count": 10 + index,
                    "reach": 12_000 + 850 * index,
                    "link_url": f"https://blog.example.com/guro-{year}-{serial}",
                },
            )
    if stdout:
        from .selectors import marketing_support_by_year

        for year, *_ in YEARS:
            figure = marketing_support_by_year(year)
            stdout.write(f"  마케팅 {year}: {figure.firms}개사, {figure.amount_won:,}원")

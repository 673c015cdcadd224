"""Demo data for programs, built from the seed's section ④ (2018). Idempotent: running it twice
changes nothing (natural keys: run kind/year/half, session start, person name+phone).

People and firms are invented. The numbers reproduce the seed: the fair's 100여명 visitors,
34 completers of the first-half startup academy (36 registered, 2 missed a day), 60여명 in the
leaders academy. The second halves (seed: 예정) have their sessions but no participants yet.
"""

import datetime

from django.contrib.auth import get_user_model

from guro_sme.demo import demo_business_number, ensure_firm
from guro_sme.models import Firm, Organization

from .models import (
    ApplicantCategory,
    Attendance,
    CompletionRule,
    Consultation,
    ConsultationTopic,
    Person,
    ProgramKind,
    ProgramRun,
    Registration,
    Session,
)
from .services import certificate_issue, completion_met

D = datetime.date
T = datetime.time

SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허남심"
GIVEN = [
    "민준", "서연", "도윤", "지우", "하준", "서윤", "시우", "지민", "주원", "하은",
    "예준", "수아", "지호", "지유", "준서", "채원", "현우", "다은", "건우", "예린",
    "우진", "수빈", "선우", "지아", "연우", "소율", "유준", "윤서", "정우", "민서",
    "승현", "예은", "준혁", "가은", "도현", "하린", "지환", "유나", "승민", "아린",
]  # fmt: skip

STARTUP_CURRICULUM = (
    "창업가 정신 및 소상공인 창업사례\n금융경제교육 및 창업 세무\n인터넷(SNS) 마케팅 및 매출증대 전략"
)
LEADERS_TOPICS = [
    "소상공인 경영 환경과 리더십",
    "마케팅 기법 (1) 고객 분석",
    "마케팅 기법 (2) 온라인 홍보",
    "노무 지식: 근로계약과 4대 보험",
    "세무 교육: 부가가치세와 종합소득세",
    "매장 운영과 고객 응대",
    "자금 조달과 정책자금 활용",
    "사례 발표와 수료 간담회",
]

# Invented firms for participants (serials 500–599, as agreed between the apps).
STARTUP_FIRMS = [  # existing businesses, registered within 6 months of 2018-02-26
    (501, "오류동 반찬가게", D(2017, 10, 16), "반찬 소매"),
    (502, "구로디지털 꽃차", D(2017, 12, 4), "음료 제조"),
    (503, "고척 수제공방", D(2018, 1, 8), "공예품 제조"),
    (504, "개봉 펫살롱", D(2017, 9, 1), "반려동물 미용"),
]
LEADERS_FIRMS = [
    (521, "신도림 베이커리", D(2014, 3, 3), "제과점"),
    (522, "가리봉 한식당", D(2011, 6, 20), "음식점업"),
    (523, "구일 문구", D(2009, 2, 2), "문구 소매"),
    (524, "항동 세탁소", D(2013, 8, 12), "세탁업"),
    (525, "천왕 헤어", D(2016, 4, 1), "미용업"),
    (526, "온수 철물", D(2008, 5, 5), "철물 소매"),
    (527, "궁동 카페", D(2017, 7, 7), "커피전문점"),
    (528, "개봉 정육점", D(2012, 10, 10), "정육 소매"),
]
FAIR_FIRMS = [
    (541, "(주)구로스마트팩토리", D(2015, 5, 11), "산업용 기계", Firm.FirmType.SME),
    (542, "(주)디지털단지솔루션", D(2016, 9, 19), "소프트웨어", Firm.FirmType.VENTURE),
    (543, "(주)신도림에코", D(2012, 3, 26), "친환경 소재", Firm.FirmType.SME),
    (544, "(주)오류바이오텍", D(2017, 4, 3), "바이오", Firm.FirmType.VENTURE),
    (545, "구로 인쇄기획", D(2010, 11, 1), "인쇄업", Firm.FirmType.SMALL_BUSINESS),
]

# Fair consultations: firm serial or visitor name, agency, topic, notes, follow-up needed/done.
FAIR_CONSULTATIONS = [
    (541, "중소벤처기업진흥공단", "finance", "스마트공장 구축 자금 상담", True, True),
    (541, "한국산업단지공단", "technology", "산단 입주 및 기술지원 문의", False, False),
    (542, "기술보증기금", "guarantee", "기술평가 보증 신청 절차", True, False),
    (542, "중소벤처기업진흥공단", "export", "수출바우처 참여 방법", True, True),
    (543, "한국산업단지공단", "technology", "환경 인증 취득 지원", False, False),
    (543, "서울신용보증재단", "guarantee", "운전자금 보증 한도 상담", True, False),
    (544, "기술보증기금", "guarantee", "벤처 인증 연계 보증", True, True),
    (544, "중소벤처기업진흥공단", "finance", "신성장 기반 자금", False, False),
    (545, "서울신용보증재단", "finance", "소상공인 경영안정자금", True, False),
    (545, "구로구상공회", "marketing", "관내 판로 개척 행사 참여", False, False),
    ("가리봉식품", "서울신용보증재단", "finance", "보증특례 융자 안내", True, True),
    ("천왕카페", "서울신용보증재단", "startup", "창업 아카데미 수료 후 창업자금", True, False),
    ("(주)디지털밸리", "중소벤처기업진흥공단", "export", "해외 전시회 참가 지원", False, False),
    ("구로정밀(주)", "한국산업단지공단", "labor", "인력 채용 지원 사업", True, False),
    ("(주)오류전자", "기술보증기금", "technology", "특허 기술 평가", False, False),
    ("visitor:박예비", "서울신용보증재단", "startup", "예비창업자 교육 과정 문의", False, False),
    ("visitor:최전환", "구로구상공회", "startup", "업종 전환 컨설팅", True, False),
    ("visitor:정소상", "서울신용보증재단", "finance", "소상공인 자금 금리 비교", False, False),
    ("visitor:한세무", "구로구상공회", "tax", "간이과세자 세무 상담", False, False),
    ("visitor:윤노무", "구로구상공회", "labor", "아르바이트 근로계약서 작성", False, False),
    ("visitor:강마케", "중소벤처기업진흥공단", "marketing", "온라인 판로 지원사업", True, True),
    ("visitor:조수출", "중소벤처기업진흥공단", "export", "수출 초보기업 지원", False, False),
    ("visitor:임기술", "기술보증기금", "technology", "기술창업 보증 상담", False, False),
    ("visitor:서자금", "서울신용보증재단", "finance", "대환 대출 가능 여부", True, False),
    ("visitor:오기타", "한국산업단지공단", "other", "산업단지 교통 개선 건의", False, False),
]


def _person_name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES) * 31 + i % len(SURNAMES)) % len(GIVEN)]


def _phone(block: int, i: int) -> str:
    return f"010{block // 10}{i:03d}{(i * 37 + block) % 10000:04d}"


def _run(kind, year, half, **fields) -> ProgramRun:
    partners = fields.pop("partners", [])
    # get_or_create: a rerun saves nothing again, so the run's history does not grow.
    run, _ = ProgramRun.objects.get_or_create(kind=kind, year=year, half=half, defaults=fields)
    run.partners.set(Organization.objects.filter(name__in=partners))
    return run


def _sessions(run: ProgramRun, rows) -> list[Session]:
    return [
        Session.objects.update_or_create(
            run=run, date=date, start_time=start, defaults={"end_time": end, "topic": topic}
        )[0]
        for date, start, end, topic in rows
    ]


def _register(run, block, i, category, firm, user) -> Registration:
    person, _ = Person.objects.get_or_create(
        name=_person_name(i),
        phone=_phone(block, i),
        defaults={"birth_date": D(1960 + i % 35, 1 + i % 12, 1 + i % 28)},
    )
    registration, _ = Registration.objects.get_or_create(
        run=run, person=person, defaults={"category": category, "firm": firm, "registered_by": user}
    )
    return registration


def _attend(registration, sessions, user) -> None:
    for session in sessions:
        Attendance.objects.get_or_create(
            registration=registration, session=session, defaults={"recorded_by": user}
        )


def _firm(serial, name, founded, industry, firm_type=Firm.FirmType.SMALL_BUSINESS) -> Firm:
    # Saving an unchanged firm again would still add a history row: leave existing ones alone.
    corporate = firm_type != Firm.FirmType.SMALL_BUSINESS
    existing = Firm.objects.filter(business_number=demo_business_number(serial, corporate)).first()
    if existing is not None:
        return existing
    return ensure_firm(
        serial,
        name,
        _person_name(serial),
        firm_type=firm_type,
        industry=industry,
        founded_on=founded,
        in_district=True,
        address="서울특별시 구로구 구로동 000",
    )


def load(stdout=None) -> None:
    staff = get_user_model().objects.filter(username="staff").first()

    # ① 상담회 2018.2.1 구청강당, 100여명, 유관기관 1:1 상담
    fair = _run(
        ProgramKind.CONSULTATION_FAIR,
        2018,
        1,
        name="중소기업 소상공인 지원 사업 상담회",
        place="구청강당",
        capacity=120,
        target_audience="중소기업인, 소상공인 100여명",
        curriculum="중소기업지원 유관기관별 지원사업 전문가와 1:1 상담",
        co_host=None,
        completion_rule=CompletionRule.NONE,
        completion_minimum=None,
        founded_within_months=None,
        note="산단공, 구로구상공회, 서울신용보증재단, 기술보증기금, 중진공 등 참여",
        partners=[
            "한국산업단지공단",
            "구로구상공회",
            "서울신용보증재단",
            "기술보증기금",
            "중소벤처기업진흥공단",
        ],
    )
    fair_sessions = _sessions(fair, [(D(2018, 2, 1), T(14, 0), T(17, 0), "유관기관별 지원사업 1:1 상담")])
    fair_firms = {
        serial: _firm(serial, name, founded, industry, firm_type)
        for serial, name, founded, industry, firm_type in FAIR_FIRMS
    }
    for i in range(102):
        category = ApplicantCategory.SME if i % 3 == 0 else ApplicantCategory.SMALL_BUSINESS
        firm = fair_firms.get(541 + i) if i < len(FAIR_FIRMS) else None
        _attend(_register(fair, 11, i, category, firm, staff), fair_sessions, staff)
    for who, agency, topic, notes, needed, done in FAIR_CONSULTATIONS:
        if isinstance(who, int):
            firm, visitor = fair_firms[who], ""
        elif who.startswith("visitor:"):
            firm, visitor = None, who.removeprefix("visitor:")
        else:
            firm, visitor = Firm.objects.filter(name=who).first(), ""
            if firm is None:
                continue
        Consultation.objects.update_or_create(
            run=fair,
            firm=firm,
            visitor_name=visitor,
            agency=Organization.objects.get(name=agency),
            topic=ConsultationTopic(topic),
            defaults={
                "notes": notes,
                "follow_up_needed": needed,
                "follow_up_done": done,
                "recorded_by": staff,
            },
        )

    # ② 소상공인 창업 아카데미: 2.26~2.27 평생학습관 (하반기 11.8~11.9), 서울신용보증재단 공동 개최
    startup_fields = {
        "name": "소상공인 창업 아카데미",
        "place": "평생학습관",
        "capacity": 40,
        "target_audience": "예비창업자, 업종전환 희망자, 기존사업자(등록 후 6개월 이내)",
        "curriculum": STARTUP_CURRICULUM,
        "co_host": Organization.objects.get(name="서울신용보증재단"),
        "completion_rule": CompletionRule.ALL_SESSIONS,
        "completion_minimum": None,
        "founded_within_months": 6,
        "eligible_categories": [
            ApplicantCategory.PRE_FOUNDER,
            ApplicantCategory.BUSINESS_CHANGER,
            ApplicantCategory.EXISTING_BUSINESS,
        ],
        "note": "서울신용보증재단과 공동 개최 (교육 수료시 서울시 창업자금 신청자격 부여)",
        "partners": ["서울신용보증재단"],
    }
    startup = _run(ProgramKind.STARTUP_ACADEMY, 2018, 1, **startup_fields)
    startup_sessions = _sessions(
        startup,
        [
            (
                D(2018, 2, 26),
                T(10, 0),
                T(17, 0),
                "창업가 정신 및 소상공인 창업사례 / 금융경제교육 및 창업 세무",
            ),
            (D(2018, 2, 27), T(10, 0), T(17, 0), "인터넷(SNS) 마케팅 및 매출증대 전략"),
        ],
    )
    _run(ProgramKind.STARTUP_ACADEMY, 2018, 2, **startup_fields)
    startup_h2 = ProgramRun.objects.get(kind=ProgramKind.STARTUP_ACADEMY, year=2018, half=2)
    _sessions(
        startup_h2,
        [
            (
                D(2018, 11, 8),
                T(10, 0),
                T(17, 0),
                "창업가 정신 및 소상공인 창업사례 / 금융경제교육 및 창업 세무",
            ),
            (D(2018, 11, 9), T(10, 0), T(17, 0), "인터넷(SNS) 마케팅 및 매출증대 전략"),
        ],
    )
    startup_firms = [
        _firm(serial, name, founded, industry) for serial, name, founded, industry in STARTUP_FIRMS
    ]
    # 36 registered; 34 attended both days; the last two missed the second day.
    categories = [ApplicantCategory.PRE_FOUNDER] * 20 + [ApplicantCategory.BUSINESS_CHANGER] * 12
    for i in range(36):
        if i < 32:
            category, firm = categories[i], None
        else:
            category, firm = ApplicantCategory.EXISTING_BUSINESS, startup_firms[i - 32]
        registration = _register(startup, 21, 200 + i, category, firm, staff)
        _attend(registration, startup_sessions if i < 34 else startup_sessions[:1], staff)

    # ③ 리더스 아카데미: 4.4~5.23 매주 수요일 평생학습관 (하반기 10.10~11.28), 중소기업중앙회 보조사업
    leaders_fields = {
        "name": "리더스 아카데미",
        "place": "평생학습관",
        "capacity": 70,
        "target_audience": "관내 소상공인 및 창업자 60여명",
        "curriculum": "마케팅 기법\n노무 지식\n세무 교육\n경영활동에 필요한 강좌",
        "co_host": None,
        "completion_rule": CompletionRule.MIN_SESSIONS,
        "completion_minimum": 6,
        "founded_within_months": None,
        "note": "중소기업중앙회 보조사업",
        "partners": ["중소기업중앙회"],
    }
    leaders = _run(ProgramKind.LEADERS_ACADEMY, 2018, 1, **leaders_fields)
    leaders_sessions = _sessions(
        leaders,
        [
            (D(2018, 4, 4) + datetime.timedelta(weeks=w), T(19, 0), T(21, 0), LEADERS_TOPICS[w])
            for w in range(8)
        ],
    )
    leaders_h2 = _run(ProgramKind.LEADERS_ACADEMY, 2018, 2, **leaders_fields)
    _sessions(
        leaders_h2,
        [
            (D(2018, 10, 10) + datetime.timedelta(weeks=w), T(19, 0), T(21, 0), LEADERS_TOPICS[w])
            for w in range(8)
        ],
    )
    leaders_firms = [
        _firm(serial, name, founded, industry) for serial, name, founded, industry in LEADERS_FIRMS
    ]
    for i in range(62):
        firm = leaders_firms[i % len(leaders_firms)] if i < 24 else None
        category = ApplicantCategory.SMALL_BUSINESS if i % 4 else ApplicantCategory.EXISTING_BUSINESS
        registration = _register(leaders, 31, 400 + i, category, firm, staff)
        # Most attend all eight; every seventh misses two, every ninth misses four (not completed).
        missed = 4 if i % 9 == 8 else 2 if i % 7 == 6 else 0
        _attend(registration, leaders_sessions[: len(leaders_sessions) - missed], staff)

    # Certificates for the completers of the first halves (numbers are kept on re-runs).
    issued = 0
    for run in (startup, leaders):
        total = run.sessions.count()
        for registration in run.registrations.select_related("run", "person").order_by("pk"):
            attended = registration.attendances.count()
            if completion_met(
                rule=run.completion_rule, minimum=run.completion_minimum, attended=attended, total=total
            ):
                certificate_issue(registration=registration, actor=staff)
                issued += 1

    if stdout:
        stdout.write(
            f"  경영지원사업: 회차 {ProgramRun.objects.count()}개, 참가 {Registration.objects.count()}명, "
            f"상담 {Consultation.objects.count()}건, 수료증 {issued}장"
        )

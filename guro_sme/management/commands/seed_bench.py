"""`python manage.py seed_bench --scale N`: deterministic, realistic data at N times the benchmark volume.

Scale 1 is ten times the district's real volume: 10,000 firms; 20 years × 2 calls × 500 loan
applications, judged by committee meetings of up to 100 items with 9 members' scores and votes;
installments for the executed loans; 2,000 KOTRA participants and 2,000 marketing selections;
120 programme runs with 20,000 registrations and their attendance. Scale 0.1 and 10 scale every
count but the meeting size (a meeting never holds more than 100 items) and the 120 runs.

It writes through bulk inserts (minutes, not hours), on top of the demo data (it loads the demo
first: users, funds, the plan card), and refuses to run twice. The same scale always gives the
same rows (a seeded random generator), so benchmark figures can be compared between machines.
"""

import datetime
import math
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from guro_sme.models import Firm
from guro_sme.roles import Role
from guro_sme.validators import with_check_digit

BENCH_NAME_PREFIX = "(벤치)"
FIRST_YEAR = 2007
YEARS = 20
MEETING_ITEMS = 100
BATCH = 2000
SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
SYLLABLES = "민서준우현지영수진호연은성하윤재동훈희경미정태석혜원상철용숙주아규한빈율"
PRODUCTS = [
    "소프트웨어",
    "전자부품",
    "의료기기",
    "화장품",
    "식품",
    "의류",
    "기계부품",
    "로봇",
    "보안솔루션",
    "광학부품",
]
INDUSTRIES = ["소프트웨어", "금속가공", "전자부품", "음식점업", "도소매", "인쇄업", "바이오", "기계제조"]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(SYLLABLES) + rng.choice(SYLLABLES)


class Command(BaseCommand):
    help = "벤치마크용 대량 자료(scale 1 = 기업 10,000개, 융자 신청 20,000건 …)를 결정적으로 만듭니다."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = 기업 10,000개 (0.1, 1, 10 …)")
        parser.add_argument("--seed", type=int, default=20181, help="난수 씨앗 (같은 값이면 같은 자료)")

    def handle(self, *args, scale: float, seed: int, **options):
        if not 0 < scale <= 20:
            raise CommandError("--scale은 0보다 크고 20 이하여야 합니다.")
        if Firm.objects.filter(name__startswith=BENCH_NAME_PREFIX).exists():
            raise CommandError("이미 벤치마크 자료가 있습니다. 빈 데이터베이스에서 실행하세요.")
        started = self._started = time.perf_counter()
        call_command("load_demo", allow_production=True, stdout=self.stdout)
        rng = random.Random(seed)
        self._installments = []
        self._payments = []  # (application, due_on, amount_won): each paid installment's payment
        with transaction.atomic():
            firms = self._firms(rng, scale)
            self._loans(rng, scale, firms)
            self._kotra(rng, scale, firms)
            self._marketing(rng, scale, firms)
            self._programs(rng, scale, firms)
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: until autovacuum gets to the bulk-loaded tables, its
            # estimates are those of the empty database, and the pages measured then are not the
            # pages the district would see.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"벤치마크 자료(scale {scale:g})를 {time.perf_counter() - started:.0f}초에 만들었습니다."
            )
        )

    def _say(self, text: str) -> None:
        self.stdout.write(f"  {text} ({time.perf_counter() - self._started:.0f}초)")

    # --- firms -------------------------------------------------------------------------------
    def _firms(self, rng: random.Random, scale: float) -> list[Firm]:
        count = max(100, round(10_000 * scale))
        kinds = [Firm.FirmType.SME, Firm.FirmType.SMALL_BUSINESS, Firm.FirmType.VENTURE]
        rows = []
        for n in range(count):
            digits = with_check_digit(f"{500 + n // 1_000_000:03d}{n % 1_000_000:06d}"[:9])
            rows.append(
                Firm(
                    business_number=digits,
                    name=f"{BENCH_NAME_PREFIX}{rng.choice(PRODUCTS)}{n:06d}",
                    representative=person_name(rng),
                    address=f"서울특별시 구로구 디지털로 {n % 999 + 1}",
                    in_district=rng.random() < 0.93,
                    firm_type=kinds[n % 3],
                    industry=rng.choice(INDUSTRIES),
                    employees=rng.randint(1, 300),
                    founded_on=datetime.date(1990 + n % 30, n % 12 + 1, n % 28 + 1),
                    phone=f"02-{rng.randint(800, 899)}-{rng.randint(1000, 9999)}",
                    email=f"firm{n}@example.com",
                )
            )
        firms = Firm.objects.bulk_create(rows, batch_size=BATCH)
        self._say(f"기업 {len(firms):,}개")
        return firms

    # --- loans and the committee --------------------------------------------------------------
    def _loans(self, rng: random.Random, scale: float, firms: list[Firm]) -> None:
        from guro_sme.demo import ensure_user
        from loans.aftercare.models import LoanPayment
        from loans.committee.models import AgendaItem, CommitteeMeeting, Membership, Score, Vote
        from loans.models import (
            ApplicationEvent,
            Installment,
            LoanApplication,
            LoanCall,
            LoanFund,
            RubricItem,
        )

        User = get_user_model()
        staff = User.objects.get(username="staff")
        members = [User.objects.get(username=f"member{n}") for n in range(1, 8)]
        members += [
            ensure_user(f"member{n}", name, Role.COMMITTEE) for n, name in ((8, "배위원"), (9, "백위원"))
        ]
        template_funds = {fund.kind: fund for fund in LoanFund.objects.filter(year=2018)}
        per_call = max(10, round(500 * scale))
        today = timezone.localdate()
        status = LoanApplication.Status
        counts = dict.fromkeys(["applications", "items", "scores", "votes", "installments", "events"], 0)

        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            funds = [self._fund_for(year, template) for template in template_funds.values()]
            lending_funds = [f for f in funds if f.kind != LoanFund.Kind.GUARANTEE] or funds
            for half, month in ((LoanCall.Half.FIRST, 1), (LoanCall.Half.SECOND, 7)):
                call = LoanCall.objects.create(
                    year=year,
                    half=half,
                    title=f"{BENCH_NAME_PREFIX} {year}년 {half.label} 중소기업육성기금 융자 공고",
                    opens_on=datetime.date(year, month, 2),
                    closes_on=datetime.date(year, month, 20),
                )
                call.funds.set(funds)
                call.committee_members.set(members)
                rubric = RubricItem.objects.bulk_create(
                    RubricItem(call=call, name=name, weight=weight, max_score=10, order=i)
                    for i, (name, weight) in enumerate(
                        [("사업성", 40), ("상환능력", 30), ("고용효과", 20), ("지역기여", 10)]
                    )
                )
                is_open = year == FIRST_YEAR + YEARS - 1 and half == LoanCall.Half.SECOND
                submitted = datetime.date(year, month, 10)
                applications = LoanApplication.objects.bulk_create(
                    (
                        LoanApplication(
                            firm=firm,
                            call=call,
                            fund=rng.choice(lending_funds),
                            requested_amount_won=rng.randrange(10, 200) * 1_000_000,
                            purpose=rng.choice(LoanApplication.Purpose.values),
                            repayment_method=LoanApplication.RepaymentMethod.EQUAL_PRINCIPAL,
                            repayment_years=4,
                            status=status.ON_AGENDA,
                            submitted_on=submitted,
                            created_by=staff,
                        )
                        for firm in rng.sample(firms, min(per_call, len(firms)))
                    ),
                    batch_size=BATCH,
                )
                counts["applications"] += len(applications)
                held_on = datetime.date(year, month + 1, 6)
                for start in range(0, len(applications), MEETING_ITEMS):
                    chunk = applications[start : start + MEETING_ITEMS]
                    meeting = CommitteeMeeting.objects.create(
                        call=call,
                        title=f"{call.title} 제{start // MEETING_ITEMS + 1}차 심의",
                        held_on=held_on,
                        place="구로구청 기획상황실",
                        status=CommitteeMeeting.Status.OPEN if is_open else CommitteeMeeting.Status.CLOSED,
                        created_by=staff,
                        closed_by=None if is_open else staff,
                        closed_at=None if is_open else timezone.now(),
                    )
                    present = members[:-1]  # the ninth member is absent
                    Membership.objects.bulk_create(
                        Membership(meeting=meeting, member=m, present=m in present) for m in members
                    )
                    items = AgendaItem.objects.bulk_create(
                        AgendaItem(meeting=meeting, application=app, order=i) for i, app in enumerate(chunk)
                    )
                    counts["items"] += len(items)
                    scores, votes = [], []
                    # An open meeting is half scored, so a member's page shows both kinds of forms.
                    scored = items[: len(items) // 2] if is_open else items
                    for item in scored:
                        base = rng.randint(4, 10)
                        for member in present:
                            for r in rubric:
                                scores.append(
                                    Score(
                                        item=item,
                                        member=member,
                                        rubric_item=r,
                                        score=max(0, min(10, base + rng.randint(-2, 2))),
                                        max_score=10,
                                    )
                                )
                            votes.append(Vote(item=item, member=member, choice="yes" if base >= 6 else "no"))
                    Score.objects.bulk_create(scores, batch_size=BATCH)
                    Vote.objects.bulk_create(votes, batch_size=BATCH)
                    counts["scores"] += len(scores)
                    counts["votes"] += len(votes)
                    if not is_open:
                        self._decide(items, chunk, rng, held_on, today, counts)
                events = [
                    ApplicationEvent(
                        application=app,
                        from_status=status.DRAFT,
                        to_status=status.RECEIVED,
                        actor=staff,
                        reason="",
                    )
                    for app in applications
                ]
                events += [
                    ApplicationEvent(
                        application=app, from_status=status.ON_AGENDA, to_status=app.status, actor=staff
                    )
                    for app in applications
                    if app.status != status.ON_AGENDA
                ]
                ApplicationEvent.objects.bulk_create(events, batch_size=BATCH)
                counts["events"] += len(events)
        Installment.objects.bulk_create(self._installments, batch_size=BATCH)
        counts["installments"] = len(self._installments)
        # What the district's records hold for a paid installment: the payment itself (the
        # balances and the report's ledger are derived from payments, paid_on only mirrors them).
        LoanPayment.objects.bulk_create(
            [
                LoanPayment(application=app, paid_on=paid_on, amount_won=amount, entered_by=staff)
                for app, paid_on, amount in self._payments
            ],
            batch_size=BATCH,
        )
        counts["payments"] = len(self._payments)
        self._say(", ".join(f"{key} {value:,}" for key, value in counts.items()))

    def _fund_for(self, year: int, template):
        from loans.models import FundFirmLimit, LoanFund

        fund, created = LoanFund.objects.get_or_create(
            name=template.name,
            year=year,
            defaults={
                field.name: getattr(template, field.name)
                for field in LoanFund._meta.concrete_fields
                if field.name not in ("id", "name", "year")
            },
        )
        if created:
            FundFirmLimit.objects.bulk_create(
                FundFirmLimit(fund=fund, firm_type=limit.firm_type, limit_won=limit.limit_won)
                for limit in template.firm_limits.all()
            )
        # Bench volumes lend far more than the card's 90억 a year; the fund must not look overdrawn.
        if fund.allocation_won < 200_000_000_000:
            LoanFund.objects.filter(pk=fund.pk).update(allocation_won=200_000_000_000)
        return fund

    def _decide(self, items, applications, rng, held_on, today, counts) -> None:
        from loans import schedule
        from loans.committee.models import AgendaItem
        from loans.models import Installment, LoanApplication

        status = LoanApplication.Status
        ranked = sorted(range(len(items)), key=lambda i: rng.random())
        for rank, i in enumerate(ranked, start=1):
            item, app = items[i], applications[i]
            item.rank = rank
            item.yes_count, item.no_count, item.eligible_count = 6, 2, 8
            item.average_score = Decimal(rng.randint(4000, 9500)) / 100
            if rank <= len(items) * 0.6:
                item.result = AgendaItem.Result.ORIGINAL
                item.approved_amount_won = app.requested_amount_won
                app.approved_amount_won = app.requested_amount_won
                app.status = status.REPAYING if rng.random() < 0.85 else status.REFERRED
            elif rank <= len(items) * 0.7:
                item.result = AgendaItem.Result.ORIGINAL  # passed, but the fund ran out
                item.reserve_rank = rank - int(len(items) * 0.6)
                app.status = status.RESERVE
            else:
                item.result = AgendaItem.Result.REJECTED
                app.status = status.REJECTED
            if app.status == status.REPAYING:
                executed_on = held_on + datetime.timedelta(days=30)
                app.executed_amount_won = app.approved_amount_won
                app.executed_on = executed_on
                app.bank_rate = Decimal("3.50")
                plan = schedule.repayment_schedule(
                    principal_won=app.executed_amount_won,
                    annual_rate_pct=app.bank_rate,
                    start_on=executed_on,
                    grace_years=1,
                    repayment_years=4,
                    payments_per_year=2,
                )
                if plan[-1].due_on < today:
                    app.status = status.REPAID
                # One loan in twenty still being repaid stopped paying at a past installment:
                # the arrears lists have something to show, as a real district's do.
                stopped_at = None
                if app.status == status.REPAYING and rng.random() < 0.05:
                    past = [p.number for p in plan if p.due_on < today]
                    stopped_at = rng.choice(past) if past else None
                for p in plan:
                    paid = p.due_on < today and (stopped_at is None or p.number < stopped_at)
                    if paid:
                        self._payments.append((app, p.due_on, p.total_won))
                    self._installments.append(
                        Installment(
                            application=app,
                            number=p.number,
                            due_on=p.due_on,
                            principal_won=p.principal_won,
                            interest_won=p.interest_won,
                            balance_before_won=p.balance_before_won,
                            balance_after_won=p.balance_after_won,
                            paid_on=p.due_on if paid else None,
                        )
                    )
        AgendaItem.objects.bulk_update(
            items,
            [
                "rank",
                "yes_count",
                "no_count",
                "eligible_count",
                "average_score",
                "result",
                "approved_amount_won",
                "reserve_rank",
            ],
        )
        LoanApplication.objects.bulk_update(
            applications, ["status", "approved_amount_won", "executed_amount_won", "executed_on", "bank_rate"]
        )

    # --- KOTRA and marketing -----------------------------------------------------------------
    def _kotra(self, rng: random.Random, scale: float, firms: list[Firm]) -> None:
        from kotra.models import KotraProject, Participant, ParticipationFee, SubProgram, TradeOffice
        from kotra.services import kotra_subsidy_for

        offices = list(TradeOffice.objects.all()) or [
            TradeOffice.objects.create(city="런던", country="영국"),
            TradeOffice.objects.create(city="프라하", country="체코"),
        ]
        per_year = max(5, round(100 * scale))
        participants, fees = [], []
        local = [f for f in firms if f.in_district]
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            project, _ = KotraProject.objects.get_or_create(year=year, defaults={"budget_won": 15_000_000})
            KotraProject.objects.filter(pk=project.pk).update(budget_won=per_year * 3_500_000)
            taken = set(project.participants.values_list("firm_id", flat=True))
            for firm in rng.sample(local, per_year):
                if firm.pk not in taken:
                    participants.append(
                        Participant(
                            project=project,
                            firm=firm,
                            trade_office=rng.choice(offices),
                            product=rng.choice(PRODUCTS),
                        )
                    )
        participants = Participant.objects.bulk_create(participants, batch_size=BATCH)
        for participant in participants:
            fee = rng.randrange(20, 40) * 100_000
            fees.append(
                ParticipationFee(
                    participant=participant,
                    sub_program=SubProgram.values[0],
                    fee_won=fee,
                    subsidy_won=kotra_subsidy_for(fee),
                )
            )
        ParticipationFee.objects.bulk_create(fees, batch_size=BATCH)
        self._say(f"KOTRA 참여기업 {len(participants):,}개")

    def _marketing(self, rng: random.Random, scale: float, firms: list[Firm]) -> None:
        from marketing.models import BloggerEvent, MarketingProject, Selection

        per_year = max(5, round(100 * scale))
        selections = []
        local = [f for f in firms if f.in_district]
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            project, _ = MarketingProject.objects.get_or_create(
                year=year, defaults={"budget_won": 15_000_000}
            )
            MarketingProject.objects.filter(pk=project.pk).update(budget_won=per_year * 2_000_000)
            event = BloggerEvent.objects.create(
                project=project, held_on=datetime.date(year, 5, 20), place="구로구청", bloggers_invited=10
            )
            taken = set(project.selections.values_list("firm_id", flat=True))
            selections += [
                Selection(
                    project=project,
                    firm=firm,
                    event=event,
                    product=rng.choice(PRODUCTS),
                    cost_won=rng.randrange(10, 20) * 100_000,
                    posts_count=rng.randint(1, 20),
                    reach=rng.randint(100, 50_000),
                )
                for firm in rng.sample(local, per_year)
                if firm.pk not in taken
            ]
        Selection.objects.bulk_create(selections, batch_size=BATCH)
        self._say(f"마케팅 선정기업 {len(selections):,}개")

    # --- programmes --------------------------------------------------------------------------
    def _programs(self, rng: random.Random, scale: float, firms: list[Firm]) -> None:
        from programs.models import (
            ApplicantCategory,
            Attendance,
            CompletionRule,
            Person,
            ProgramKind,
            ProgramRun,
            Registration,
            Session,
        )

        registrations_total = max(200, round(20_000 * scale))
        runs = []
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            for kind in ProgramKind.values:
                for half in (1, 2):
                    run, _ = ProgramRun.objects.get_or_create(
                        kind=kind,
                        year=year,
                        half=half,
                        defaults={
                            "name": f"{year}년 {ProgramKind(kind).label}",
                            "place": "구로구청 강당",
                            "capacity": 10_000,
                            "completion_rule": CompletionRule.MIN_PERCENT
                            if kind != ProgramKind.CONSULTATION_FAIR
                            else CompletionRule.NONE,
                            "completion_minimum": 80,
                        },
                    )
                    runs.append(run)
        sessions = {}
        new_sessions = []
        for run in runs:
            existing = list(run.sessions.all())
            if existing:
                sessions[run.pk] = existing
                continue
            for n in range(5):
                new_sessions.append(
                    Session(
                        run=run,
                        date=datetime.date(run.year, 3 if run.half == 1 else 9, 2 + n * 7),
                        start_time=datetime.time(14),
                        end_time=datetime.time(17),
                        topic=f"{n + 1}회차",
                    )
                )
        for session in Session.objects.bulk_create(new_sessions, batch_size=BATCH):
            sessions.setdefault(session.run_id, []).append(session)
        people = Person.objects.bulk_create(
            (
                Person(
                    name=person_name(rng),
                    phone=f"010{n:08d}",
                    birth_date=datetime.date(1960 + n % 40, n % 12 + 1, 1),
                )
                for n in range(registrations_total)
            ),
            batch_size=BATCH,
        )
        per_run = math.ceil(registrations_total / len(runs))
        registrations = []
        for i, run in enumerate(runs):
            for person in people[i * per_run : (i + 1) * per_run]:
                registrations.append(
                    Registration(
                        run=run,
                        person=person,
                        category=ApplicantCategory.SME,
                        firm=rng.choice(firms) if rng.random() < 0.7 else None,
                    )
                )
        registrations = Registration.objects.bulk_create(registrations, batch_size=BATCH)
        attendance = [
            Attendance(registration=registration, session=session)
            for registration in registrations
            for session in sessions.get(registration.run_id, [])
            if rng.random() < 0.85
        ]
        Attendance.objects.bulk_create(attendance, batch_size=BATCH)
        self._say(f"교육 {len(runs)}회차, 등록 {len(registrations):,}명, 출석 {len(attendance):,}건")

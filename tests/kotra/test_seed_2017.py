"""The seed's 2017 table is the acceptance data: 9 firms, 13,900,000 won, 한드림넷 1,900,000."""

from guro_sme.support import YearlyFigure
from kotra import demo
from kotra.models import KotraProject, Participant, ParticipationFee
from kotra.selectors import kotra_support_by_year, support_table

SEED_2017 = [
    (1, "(주)시큐브", "홍기용", "정보보호솔루션", "런던(영국)", 1_750_000),
    (2, "(주)우신라보타치", "남택수", "의약품패치", "프라하(체코)", 1_250_000),
    (3, "(주)한드림넷", "서현원", "네트워크스위치", "호치민(베트남)", 1_900_000),
    (4, "(주)티앤씨코리아", "장규화", "독립형태양광발전", "아디스아바바(에티오피아)", 1_250_000),
    (5, "에스엔패션그룹(주)", "구길기", "의류,잡화", "도쿄(일본)", 1_750_000),
    (6, "(주)나일소프트", "이승재", "소프트웨어", "실리콘밸리(미국)", 1_500_000),
    (7, "(주)두니코프", "이승재", "음향변조기", "토론토(캐나다)", 1_500_000),
    (8, "포테닛(주)", "남형도", "자율주행물류로봇", "시카고(미국)", 1_750_000),
    (9, "(주)디자인비아트", "김진만", "모형", "알마티(카자흐스탄)", 1_250_000),
]


def test_the_demo_reproduces_the_seeds_2017_table_row_by_row(seed_demo):
    table = support_table(2017)
    rows = [
        (
            row.number,
            row.participant.firm.name,
            row.participant.firm.representative,
            row.participant.product,
            str(row.participant.trade_office),
            row.subsidy_won,
        )
        for row in table.rows
    ]
    assert rows == SEED_2017
    assert (table.firms, table.total_won) == (9, 13_900_000)
    assert table.remaining_won == 1_100_000  # spent 13,900천원 < budget 15,000천원


def test_the_reports_figure_for_2017_is_9_firms_and_13_900_000_won(seed_demo):
    assert kotra_support_by_year(2017) == YearlyFigure(firms=9, amount_won=13_900_000)
    assert kotra_support_by_year(2016) == YearlyFigure(firms=0, amount_won=0)


def test_handreamnet_gets_1_900_000_only_through_both_sub_programs(seed_demo):
    participant = Participant.objects.get(project__year=2017, firm__name="(주)한드림넷")
    fees = {f.get_sub_program_display(): (f.fee_won, f.subsidy_won) for f in participant.fees.all()}
    assert fees == {"해외지사화": (3_500_000, 1_750_000), "물류네트워크": (300_000, 150_000)}
    # With one sub-program the cap makes 1,900,000 impossible.
    assert not ParticipationFee.objects.filter(subsidy_won__gt=1_750_000).exists()


def test_the_representative_of_two_firms_in_a_year_is_flagged(seed_demo):
    table = support_table(2017)
    assert table.shared_representatives == {"이승재": ["(주)나일소프트", "(주)두니코프"]}
    flagged = [row.participant.firm.name for row in table.rows if row.shared_representative]
    assert flagged == ["(주)나일소프트", "(주)두니코프"]


def test_registering_the_seed_through_the_service_gives_the_same_table(db, make_firm, make_project, register):
    project = make_project(2017)
    for _number, name, representative, product, office, _subsidy in SEED_2017:
        city, country = office.rstrip(")").split("(")
        _, _, _, fees = next(entry for entry in demo.KOTRA_2017 if entry[0] == name)
        register(
            project,
            make_firm(name=name, representative=representative),
            product=product,
            city=city,
            country=country,
            branch=fees.get(demo.B),
            logistics=fees.get(demo.L),
        )
    table = support_table(2017)
    assert [row.subsidy_won for row in table.rows] == [entry[-1] for entry in SEED_2017]
    assert table.total_won == 13_900_000


def test_loading_the_demo_twice_changes_nothing(seed_demo):
    before = (KotraProject.objects.count(), Participant.objects.count(), ParticipationFee.objects.count())
    demo.load()
    assert (
        KotraProject.objects.count(),
        Participant.objects.count(),
        ParticipationFee.objects.count(),
    ) == before
    assert kotra_support_by_year(2017).amount_won == 13_900_000


def test_no_2018_demo_participant_was_supported_in_2017(seed_demo):
    firms_2017 = set(Participant.objects.filter(project__year=2017).values_list("firm", flat=True))
    firms_2018 = set(Participant.objects.filter(project__year=2018).values_list("firm", flat=True))
    assert firms_2018 and not firms_2017 & firms_2018

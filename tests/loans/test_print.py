"""Lists print on portrait A4: the 공고 column keeps a readable width, the columns of links and
buttons (은행 통보 자료, 작업) are left out of the print, and the print rules shrink wide tables."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse


def _print_rules() -> str:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    return css[css.index("@media print") :]


def test_the_call_list_marks_its_title_wide_and_its_link_columns_unprinted(staff_client, loan_call):
    html = staff_client.get(reverse("loans:call_list")).content.decode()
    assert '<th class="wide">공고</th>' in html
    assert '<th class="no-print">은행 통보 자료</th>' in html
    assert re.search(r'<th class="no-print"><span class="visually-hidden">작업</span></th>', html)
    assert '<div class="table-scroll">' in html  # and scrolls in its box at 390 px


def test_the_application_list_keeps_the_call_column_wide(staff_client, make_application):
    make_application(status="review")
    html = staff_client.get(reverse("loans:application_list")).content.decode()
    assert re.search(r'<th class="[^"]*\bwide\b', html) and '<td class="wide"' in html


def test_print_rules_shrink_tables_and_drop_unprinted_columns():
    rules = _print_rules()
    hidden = next(line for line in rules.splitlines() if "display: none !important" in line)
    assert ".no-print" in hidden
    assert re.search(r"\.table \{ font-size: [0-9.]+pt; \}", rules)
    assert ".table .wide { min-width:" in rules
    assert "keep-all" in rules

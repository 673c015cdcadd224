"""Django's {# … #} comment ends at the line's end: one spread over two lines is printed on the page
(it was, in the yearly report's PDF). Longer comments use {% comment %}."""

from pathlib import Path

from django.conf import settings


def test_no_template_has_a_one_line_comment_spread_over_lines():
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + list(
        Path(settings.BASE_DIR).glob("*/templates")
    )
    broken = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for root in roots
        for path in root.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert broken == []

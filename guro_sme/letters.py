"""The district's official letter (공문서): one A4 layout every notice and letter uses.

Layout (행정업무의 운영 및 혁신에 관한 규정의 기안문 형식): the district's name, 수신 (and 경유),
제목, 본문, 붙임, "끝.", 발신 명의, then the 결재 line (직위 from DistrictProfile.approval_titles, the
drafter named by contact_person), 시행 문서번호 (일자), and the footer (우편번호·주소, 홈페이지,
전화·전송, e-mail). Everything district-specific comes from DistrictProfile: nothing here names a
district, a bank or a person.

Use:
    letter = official_letter(
        recipient="(주)가나다 대표 홍길동 귀하",
        title="2018년 상반기 융자 지원 대상 선정 통지",
        body_template="loans/committee/notice_body.html",   # renders the 본문 (tables welcome)
        context={"application": application},
        attachments=["융자 지원 안내문 1부"],
        number=letter_number("2018-0012"),
    )
    pdf = render_letters_pdf([letter, ...])   # one PDF, each letter from a new page
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from .documents import render_pdf
from .models import DistrictProfile


@dataclass
class Letter:
    recipient: str  # 수신
    title: str  # 제목
    body_html: SafeString  # 본문, already rendered
    number: str  # 문서번호 (처리과명-일련번호)
    issued_on: datetime.date  # 시행일자
    attachments: list[str] = field(default_factory=list)  # 붙임, one line each
    via: str = ""  # 경유
    sender: str = ""  # 발신 명의; empty → DistrictProfile.sender


def letter_number(serial, profile: DistrictProfile | None = None) -> str:
    """문서번호 as 처리과명-일련번호 (지역경제과-2018-0012); the prefix is DistrictProfile.document_prefix,
    else the department."""
    profile = profile or DistrictProfile.current()
    prefix = profile.document_prefix or profile.department or profile.district_name
    return f"{prefix}-{serial}"


def official_letter(
    *,
    recipient: str,
    title: str,
    body_template: str | None = None,
    context: dict | None = None,
    body: str = "",
    attachments: Sequence[str] = (),
    number: str = "",
    issued_on: datetime.date | None = None,
    via: str = "",
    sender: str = "",
) -> Letter:
    """One letter. The 본문 is `body_template` rendered with `context`, or the plain text `body`
    (paragraphs split on blank lines, escaped)."""
    if body_template:
        body_html = mark_safe(render_to_string(body_template, context or {}))  # rendered with autoescape
    else:
        body_html = mark_safe(linebreaks(body, autoescape=True))  # linebreaks escapes the text
    return Letter(
        recipient=recipient,
        title=title,
        body_html=body_html,
        number=number or letter_number(timezone.localdate().year),
        issued_on=issued_on or timezone.localdate(),
        attachments=list(attachments),
        via=via,
        sender=sender,
    )


def render_letters_pdf(letters: Sequence[Letter], *, document_title: str = "") -> bytes:
    """One A4 PDF holding every letter, each from a new page, in the district's layout."""
    profile = DistrictProfile.current()
    return render_pdf(
        "guro_sme/letter.html",
        {
            "letters": list(letters),
            "district": profile,
            "approval_line": profile.approval_line,
            "document_title": document_title or (letters[0].title if letters else "공문"),
        },
    )


def render_letter_pdf(letter: Letter) -> bytes:
    return render_letters_pdf([letter])

"""django-import-export widgets over the tolerant readers in parsing.py.

`clean` turns a cell into a Python value or raises ValueError with a Korean message (the resource
reports it with the row and the column). `render` gives what the exported xlsx cell holds: real
numbers and dates, so an exported file imports back unchanged.
"""

from import_export import widgets

from guro_sme.validators import format_business_number

from . import parsing

REQUIRED_MESSAGE = "필수 항목이 비어 있습니다."


class KoreanWidget(widgets.Widget):
    """Base: empty cells give `empty` (None, or '' for text), or an error when `required`."""

    empty = None

    def __init__(self, *, required: bool = False):
        super().__init__(coerce_to_string=False)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if parsing.is_empty(value):
            if self.required:
                raise ValueError(REQUIRED_MESSAGE)
            return self.empty
        return self.parse(value)

    def parse(self, value):
        raise NotImplementedError

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class TextWidget(KoreanWidget):
    empty = ""

    def __init__(self, *, required: bool = False, max_length: int | None = None):
        super().__init__(required=required)
        self.max_length = max_length

    def parse(self, value):
        text = parsing.cell_text(value)
        if self.max_length and len(text) > self.max_length:
            raise ValueError(f"{self.max_length}자 이하로 입력하세요 (지금 {len(text)}자).")
        return text


class AmountWidget(KoreanWidget):
    """Integer won: '1,750,000', '175만원', 1750000.0 are all 1750000."""

    def parse(self, value):
        return parsing.parse_amount(value)


class IntegerWidget(KoreanWidget):
    def __init__(
        self, *, required: bool = False, what: str = "숫자", suffixes: tuple[str, ...] | None = None
    ):
        super().__init__(required=required)
        self.what = what
        self.suffixes = suffixes

    def parse(self, value):
        if self.suffixes is None:
            return parsing.parse_integer(value, what=self.what)
        return parsing.parse_integer(value, what=self.what, suffixes=self.suffixes)


class DecimalWidget(KoreanWidget):
    def parse(self, value):
        return parsing.parse_decimal(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value  # Decimal: the core writer stores it as a number


class DateWidget(KoreanWidget):
    def parse(self, value):
        return parsing.parse_date(value)


class BooleanWidget(KoreanWidget):
    """예/아니오 in and out; `default` when the cell is empty (None: keep it required or null)."""

    def __init__(self, *, required: bool = False, default: bool | None = None, true="예", false="아니오"):
        super().__init__(required=required)
        self.default = default
        self.true, self.false = true, false

    def clean(self, value, row=None, **kwargs):
        if parsing.is_empty(value) and self.default is not None:
            return self.default
        return super().clean(value, row=row, **kwargs)

    def parse(self, value):
        return parsing.parse_bool(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.true if value else self.false


class ChoiceWidget(KoreanWidget):
    """A TextChoices field by its Korean label; exported as the label."""

    empty = ""

    def __init__(self, choices, *, required: bool = False):
        super().__init__(required=required)
        self.choices = list(choices)

    def parse(self, value):
        return parsing.parse_choice(value, self.choices)

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


class BusinessNumberWidget(KoreanWidget):
    """Ten digits with a valid NTS check digit; exported as 123-45-67890."""

    empty = ""

    def parse(self, value):
        return parsing.parse_business_number(value)

    def render(self, value, obj=None, **kwargs):
        return format_business_number(value) if value else ""


class LookupWidget(KoreanWidget):
    """A foreign key by a natural field (a fund's name, a firm's business number), cached per import.

    `what` names the thing in the error: "등록되지 않은 기금입니다: '…'".
    """

    def __init__(
        self, model, field: str, *, what: str, required: bool = False, queryset=None, hint: str = ""
    ):
        super().__init__(required=required)
        self.model = model
        self.field = field
        self.what = what
        self.hint = hint
        self._queryset = queryset
        self._cache: dict = {}

    def get_queryset(self):
        return self._queryset if self._queryset is not None else self.model._default_manager.all()

    def key(self, value):
        return parsing.cell_text(value)

    def parse(self, value):
        key = self.key(value)
        if key not in self._cache:
            self._cache[key] = self.get_queryset().filter(**{self.field: key}).first()
        found = self._cache[key]
        if found is None:
            hint = f" {self.hint}" if self.hint else ""
            raise ValueError(f"등록되지 않은 {self.what}입니다: '{parsing.cell_text(value)}'.{hint}")
        return found

    def prefetch(self, keys) -> None:
        """Load many at once (one query) before the rows are read."""
        wanted = {k for k in keys if k and k not in self._cache}
        if not wanted:
            return
        for obj in self.get_queryset().filter(**{f"{self.field}__in": wanted}):
            self._cache[getattr(obj, self.field)] = obj

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return getattr(value, self.field)

    def render_key(self, key):
        """What `render` gives for the object whose natural field is `key` (a values() export)."""
        return "" if key is None else key


class FirmWidget(LookupWidget):
    """A firm by its business number (the natural key of every import that names a firm)."""

    def __init__(self, *, required: bool = True):
        from guro_sme.models import Firm

        super().__init__(
            Firm,
            "business_number",
            what="사업자등록번호",
            required=required,
            hint="먼저 기업을 등록하거나 '기업' 양식으로 가져오세요.",
        )

    def key(self, value):
        return parsing.parse_business_number(value)

    def render(self, value, obj=None, **kwargs):
        return format_business_number(value.business_number) if value else ""

    def render_key(self, key):
        return format_business_number(key) if key else ""


class YearWidget(LookupWidget):
    """A yearly project (KOTRA, marketing…) by its year: 2017, '2017', '2017년'."""

    def __init__(self, model, *, what: str, hint: str = ""):
        super().__init__(model, "year", what=what, required=True, hint=hint)

    def key(self, value):
        return parsing.parse_integer(value, what="연도", suffixes=("년",))

    def render(self, value, obj=None, **kwargs):
        return value.year if value else ""

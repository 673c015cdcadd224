"""The base resource every register's import/export builds on.

What it adds to django-import-export's ModelResource:
- columns with Korean headers, each with a widget from widgets.py and a one-line help for the
  empty template (`Column(...)`);
- natural keys (`import_id_fields`) looked up in ONE query for the whole file (NaturalKeyLoader),
  and rows repeating a natural key inside the file reported as duplicates;
- unchanged rows skipped and reported ("변경 없음"), so re-importing a file changes nothing;
- the field-level changes of each updated row, for the preview;
- hooks for the owning app's rules: `validate_row` (raise ValidationError / the app's domain
  error) and `save_row` (call the app's service), so an import can't write what a form would refuse.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from import_export import fields, resources
from import_export.instance_loaders import BaseInstanceLoader

from guro_sme.errors import RuleError

from . import parsing
from .widgets import KoreanWidget, LookupWidget

#: Rows fetched from the database at a time by an export (a server-side cursor on PostgreSQL).
EXPORT_CHUNK = 2000


class Column(fields.Field):
    """A resource field with a Korean header; `help` explains the column in the empty template.

    On an existing row an empty cell keeps the stored value (a short list must not wipe what the
    registry knows, and an exported draft with empty cells imports back unchanged); required cells
    are required of new rows. `blank_clears=True` makes the blank meaningful (e.g. "not joined").
    """

    def __init__(
        self,
        attribute=None,
        column_name=None,
        widget=None,
        *,
        help: str = "",
        blank_clears: bool = False,
        **kwargs,
    ):
        super().__init__(attribute=attribute, column_name=column_name, widget=widget, **kwargs)
        self.help = help
        self.blank_clears = blank_clears

    @property
    def required(self) -> bool:
        return bool(getattr(self.widget, "required", False))


class NaturalKeyLoader(BaseInstanceLoader):
    """Finds the existing rows for a whole file in one query, keyed by the natural-key tuple."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.id_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        self.instances = {}
        if dataset is None or not len(dataset):
            return
        rows = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        keys = [resource.natural_key(row) for row in rows]
        first_values = {key[0] for key in keys if key is not None}
        if not first_values:
            return
        first = self.id_fields[0]
        queryset = resource.get_queryset().filter(**{f"{first.attribute}__in": first_values})
        for instance in queryset:
            self.instances[resource.instance_natural_key(instance)] = instance

    def get_instance(self, row):
        key = self.resource.natural_key(row)
        return None if key is None else self.instances.get(key)


class _NoDiff:
    """The preview lists changes itself (skip_row); django-import-export's HTML diff is not used."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class KoreanResource(resources.ModelResource):
    """Base of every resource in `<app>/resources.py`; see the module docstring."""

    #: Shown on /imports/ and in the command's help.
    title = ""
    description = ""
    #: Header spellings staff use for a column: {"사업자번호": "사업자등록번호"}.
    aliases: dict[str, str] = {}
    #: Columns ignored if present (serial numbers and the like).
    ignored_columns = ("연번", "순번", "번호", "no", "No", "NO")
    #: Whether the writes need an acting staff user (the owning app's services check the role).
    requires_user = False
    #: The resource field an owning app's domain error is reported under (its row's identity).
    domain_error_field: str | None = None
    #: Model fields full_clean leaves to the owning app's service (e.g. a person it creates).
    clean_exclude: tuple[str, ...] = ()
    #: Whether full_clean checks unique fields with a query per row. The natural-key loader and the
    #: duplicate check already cover the keys; the database constraint still backs them.
    validate_unique = True

    class Meta:
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = NaturalKeyLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = kwargs.get("user")
        self.changes: dict[int, list[tuple[str, object, object]]] = {}
        self.duplicates: dict[int, int] = {}
        self._row_number = None
        self._row = None
        #: The spreadsheet row of each data row (set by the engine: headers may not be on row 1).
        self.sheet_rows: list[int] = []

    def sheet_row(self, number: int) -> int:
        if 0 < number <= len(self.sheet_rows):
            return self.sheet_rows[number - 1]
        return number + 1

    @classmethod
    def get_diff_class(cls):
        return _NoDiff

    # ---- columns -------------------------------------------------------------------------
    @classmethod
    def columns(cls) -> list[Column]:
        return [field for field in cls().get_import_fields()]

    def column_for(self, key: str) -> str:
        """The Korean header for an error key (a resource field name or a model attribute)."""
        if key in self.fields:
            return self.fields[key].column_name
        for field in self.fields.values():
            if field.attribute == key or (field.attribute or "").split("__")[0] == key:
                return field.column_name
        return ""

    def id_columns(self) -> list[str]:
        return [self.fields[name].column_name for name in self.get_import_id_fields()]

    # ---- natural keys and duplicates -----------------------------------------------------
    def natural_key(self, row) -> tuple | None:
        """The natural-key tuple of a row, or None when a key cell is empty or unreadable."""
        key = []
        for name in self.get_import_id_fields():
            field = self.fields[name]
            if field.column_name not in row:
                return None
            try:
                value = field.clean(row)
            except (ValueError, ValidationError):
                return None
            if value in (None, ""):
                return None
            key.append(value)
        return tuple(key)

    def instance_natural_key(self, instance) -> tuple:
        """The natural-key tuple of a stored instance (to match rows' natural_key)."""
        return tuple(self.fields[name].get_value(instance) for name in self.get_import_id_fields())

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user", self.user)
        rows = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        # One query per looked-up column instead of one per row.
        for field in self.get_import_fields():
            if isinstance(field.widget, LookupWidget) and field.column_name in dataset.headers:
                keys = []
                for row in rows:
                    try:
                        if not parsing.is_empty(row[field.column_name]):
                            keys.append(field.widget.key(row[field.column_name]))
                    except ValueError:
                        pass
                field.widget.prefetch(keys)
        seen: dict[tuple, int] = {}
        for number, row in enumerate(rows, start=1):
            key = self.natural_key(row)
            if key is None:
                continue
            if key in seen:
                self.duplicates[number] = seen[key]
            else:
                seen[key] = number

    def before_import_row(self, row, **kwargs):
        self._row_number = kwargs.get("row_number")
        self._row = row
        if self._row_number in self.duplicates:
            first = self.duplicates[self._row_number]
            raise ValidationError(
                {
                    self.get_import_id_fields()[0]: ValidationError(
                        f"파일 안에서 중복된 행입니다: ({', '.join(self.id_columns())}) 값이 같은 행이 {self.sheet_row(first)}행에 이미 있습니다.",
                        code="duplicate",
                    )
                }
            )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if (
            getattr(instance, "pk", None)
            and field.column_name in row
            and parsing.is_empty(row[field.column_name])
            and not getattr(field, "blank_clears", False)
        ):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    # ---- changes for the preview ---------------------------------------------------------
    def skip_row(self, instance, original, row, import_validation_errors=None):
        skip = super().skip_row(instance, original, row, import_validation_errors)
        if not skip and original is not None and original.pk is not None and not import_validation_errors:
            changed = []
            for field in self.get_import_fields():
                if field.column_name not in row or field.readonly:
                    continue
                before, after = field.export(original), field.export(instance)
                if before != after:
                    changed.append((field.column_name, before, after))
            self.changes[self._row_number] = changed
        return skip

    # ---- validation and saving -----------------------------------------------------------
    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors:
            self.prepare_instance(instance, self._row)
        if self._meta.clean_model_instances:
            try:
                instance.full_clean(
                    exclude=[*errors.keys(), *self.clean_exclude],
                    validate_unique=self.validate_unique,
                    validate_constraints=self.validate_unique,
                )
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if not errors:
            try:
                self.validate_row(instance, self._row)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            except RuleError as error:
                errors[self.domain_error_field or NON_FIELD_ERRORS] = [" / ".join(error.messages)]
        if errors:
            raise ValidationError(errors)

    def prepare_instance(self, instance, row) -> None:
        """Fill what the owning app's form would fill before validation (defaults from the firm…)."""

    def validate_row(self, instance, row) -> None:
        """The owning app's rules for one row; raise ValidationError({attribute: msg}) or its domain error."""

    def do_instance_save(self, instance, is_create):
        # A savepoint per row: a database error in one row must not abort the whole transaction
        # (PostgreSQL), so the remaining rows still get checked and reported.
        try:
            with transaction.atomic():
                self.save_row(instance, is_create=is_create, row=self._row)
        except ValidationError:
            raise
        except RuleError as error:
            # The owning app's service refused the row (budget, eligibility, capacity…).
            field = self.domain_error_field or NON_FIELD_ERRORS
            raise ValidationError({field: [" / ".join(error.messages)]}) from error

    def save_row(self, instance, *, is_create: bool, row) -> None:
        """Write one row; override to go through the owning app's service."""
        instance.save(force_insert=is_create)

    # ---- export --------------------------------------------------------------------------
    def get_export_queryset(self):
        return self.get_queryset()

    def filter_for_export(self, queryset, params):
        """Apply a list page's query string when the app has no FilterSet (e.g. ?year=2017)."""
        return queryset

    def export_rows(self, queryset):
        """The cells of each exported row, in the order of get_export_fields.

        Here django-import-export's export of one model instance per row. A large register
        overrides it to read plain values instead (no model instances: several times faster);
        tests/imports check the override against this one, cell for cell.
        """
        # iterator(chunk_size): prefetches run per chunk of rows, never OFFSET pagination.
        rows = queryset.iterator(chunk_size=EXPORT_CHUNK) if isinstance(queryset, QuerySet) else queryset
        for obj in rows:
            yield self.export_resource(obj)

    def export_values(self, queryset, special: dict | None = None):
        """export_rows read as plain values (values_list), for an export_rows override.

        A column is read at its attribute and rendered by its widget; a looked-up object at its
        natural field, rendered by the widget's render_key. `special` gives the other columns
        (computed ones, dehydrate methods) as field name → (the value paths it needs, a function
        of those values that gives the cell).
        """
        special = special or {}
        paths, columns = [], []
        for field in self.get_export_fields():
            name = self.get_field_name(field)
            if name in special:
                needed, render = special[name]
            elif hasattr(self, f"dehydrate_{name}"):
                raise ValueError(f"{name}: a dehydrated column needs its `special` entry")
            elif isinstance(field.widget, LookupWidget):
                needed, render = [f"{field.attribute}__{field.widget.field}"], field.widget.render_key
            else:
                needed, render = [field.attribute], field.widget.render
            columns.append((render, len(paths), len(paths) + len(needed)))
            paths.extend(needed)
        for values in queryset.values_list(*paths).iterator(chunk_size=EXPORT_CHUNK):
            yield [render(*values[start:end]) for render, start, end in columns]


def required_columns(resource: KoreanResource) -> list[str]:
    return [
        field.column_name
        for field in resource.get_import_fields()
        if isinstance(field.widget, KoreanWidget) and field.widget.required and not field.readonly
    ]


def firm_name_mismatch(firm, row, column: str = "회사명") -> str | None:
    """When the row's 회사명 (a check column) is filled and isn't the registered name: the message."""
    typed = re.sub(r"\s+", "", parsing.cell_text(row.get(column)))
    if not typed or firm is None or typed == re.sub(r"\s+", "", firm.name):
        return None
    return (
        f"사업자등록번호 {firm.business_number_display}의 등록된 회사명은 '{firm.name}'입니다: "
        "번호나 회사명을 확인하세요."
    )

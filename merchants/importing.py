"""The offices' spreadsheets in and out: one row per offer, merchants grouped by credit code,
else by name and address.

A file is read whole and judged row by row before anything is written; a file with any bad
row applies nothing unless the clerk asks for the valid rows only (then a merchant with a bad
row is left out whole, so none of its offers is lost). Imported merchants are saved as
revisions: they go live when an editor publishes or approves them. Rows that say what the
merchant already says change nothing, so the same file imported twice is harmless.
"""

import csv
import datetime
import difflib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from wagtail.models import Revision

from home.models import Street
from home.spreadsheets import export_cell
from home.text import clean_typed_text

from . import rules
from .models import Merchant, MerchantCategory, Offer
from .validators import normalise_credit_code, normalise_phone, validate_credit_code


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    expected: str
    max_length: int = 0


COLUMNS = (
    Column("name", "商户名称", True, "商户的名称", 120),
    Column("category", "类别", True, "类别表中的一项，例如 餐饮"),
    Column("street", "街道（镇）", True, "本区街道（镇）名单中的一项，例如 磁器口街道"),
    Column("address", "地址", True, "门牌地址", 200),
    Column("phone", "电话", True, rules.PHONE_EXPECTED),
    Column("opening_hours", "营业时间", False, "例如 每日 9:00—21:00", 120),
    Column("latitude", "纬度", False, "-90 到 90 的小数，与经度同时填写"),
    Column("longitude", "经度", False, "-180 到 180 的小数，与纬度同时填写"),
    Column("description", "简介", False, "不超过1000字", 1000),
    Column("credit_code", "统一社会信用代码", False, "营业执照上的18位代码"),
    Column("verified_at", "最近核验日期", False, "日期，例如 2026-05-01，不晚于今天"),
    Column("verified_by", "核验人", False, "核验的工作人员或单位", 60),
    Column("offer", "优待内容", True, "例如 凭优待证消费九折", 120),
    Column(
        "beneficiaries",
        "优待对象",
        True,
        "用顿号分隔：现役军人、退役军人、军属、三属、优待证持有人",
    ),
    Column("how_to_claim", "领取方式", True, "须出示的证件或办理方法", 200),
    Column("valid_from", "有效期起", False, "日期，例如 2026-05-01；留空为即日起"),
    Column("valid_until", "有效期止", False, "日期，不早于有效期起；留空为长期"),
)
HEADERS = {column.header: column for column in COLUMNS}
MERCHANT_KEYS = (
    "name",
    "category",
    "street",
    "address",
    "phone",
    "opening_hours",
    "latitude",
    "longitude",
    "description",
    "credit_code",
    "verified_at",
    "verified_by",
)
DATE_EXPECTED = "日期，写作 2026-05-01（也可写 2026/5/1、2026.5.1、2026年5月1日）"
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
BENEFICIARY_SEPARATORS = re.compile(r"[、,，;；/\s]+")


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing of it is applied."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    problem: str
    expected: str = ""


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # merchants left out for a bad row (valid rows only)
    applied: bool = False

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors})


# --- Reading a file -----------------------------------------------------------------------


def _refuse(message: str):
    raise ImportFileError(message)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(content: bytes) -> list[list[str]]:
    if b"\x00" in content:
        _refuse("文件内容不是文本，不像 CSV 文件（可能是改了扩展名的其他文件）。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        _refuse("无法识别文件的编码：请在 Excel 中另存为“CSV UTF-8”或“CSV（逗号分隔）”。")
    if any(unicodedata.category(char) == "Cc" and char not in "\t\r\n" for char in text[:4096]):
        _refuse("文件内容不是文本，不像 CSV 文件（可能是改了扩展名的其他文件）。")
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
            if len(rows) > rules.IMPORT_MAX_ROWS + 1:
                _too_many_rows()
        return rows
    except csv.Error as error:
        _refuse(f"CSV 文件格式有误（{error}），请在 Excel 中重新另存为 CSV。")


def _too_many_rows():
    _refuse(f"文件超过 {rules.IMPORT_MAX_ROWS:,} 行，请分成几个文件导入。")


def _xlsx_rows(content: bytes) -> list[list[str]]:
    if not content.startswith(b"PK\x03\x04"):
        _refuse("文件扩展名是 .xlsx，但内容不是 Excel 工作簿（可能是改了扩展名的其他文件）。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse("Excel 文件已损坏，无法打开。请在 Excel 中重新保存后再导入。")
    # Checked from the zip's own directory before anything is decompressed.
    if sum(member.file_size for member in members) > rules.IMPORT_MAX_UNCOMPRESSED_BYTES:
        _refuse("Excel 文件解压后过大（疑似异常文件），未读取。请另存为新的工作簿后再导入。")
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            with archive.open(member) as sheet:
                while chunk := sheet.read(1 << 20):
                    if b"<mergeCell " in chunk or b"<x:mergeCell " in chunk:
                        _refuse("表格中有合并单元格：请取消合并，每行填写完整后再导入。")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in values])
            if len(rows) > rules.IMPORT_MAX_ROWS + 1:
                _too_many_rows()
        workbook.close()
        return rows
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        _refuse("Excel 文件已损坏或格式不受支持，无法读取。请在 Excel 中重新保存后再导入。")


def read_rows(*, content: bytes, filename: str) -> list[list[str]]:
    """The file's rows as text, the header first; ImportFileError if it cannot be read."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if len(content) > rules.IMPORT_MAX_BYTES:
        _refuse(f"文件超过 {rules.IMPORT_MAX_BYTES // (1024 * 1024)} MB，请分成几个文件导入。")
    if suffix == "xls":
        _refuse("不支持旧版 Excel（.xls）文件：请在 Excel 中另存为“Excel 工作簿（.xlsx）”。")
    if suffix not in ("csv", "xlsx"):
        _refuse("只能导入 .csv 或 .xlsx 文件。")
    if not content.strip():
        _refuse("文件是空的。")
    rows = _xlsx_rows(content) if suffix == "xlsx" else _csv_rows(content)
    rows = [row for row in rows if any(str(cell).strip() for cell in row)] if rows else []
    if not rows:
        _refuse("文件是空的。")
    return rows


# --- Judging the rows ---------------------------------------------------------------------


def _header_errors(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    positions, errors = {}, []
    for position, text in enumerate(header):
        name = clean_typed_text(unicodedata.normalize("NFKC", text)).replace("*", "")
        name = name.replace("(", "（").replace(")", "）")
        if not name:
            continue
        if name in HEADERS:
            key = HEADERS[name].key
            if key in positions:
                errors.append(RowError(1, name, "列名重复", "每列只出现一次"))
            positions[key] = position
        else:
            close = difflib.get_close_matches(name, HEADERS, n=1, cutoff=0.5)
            hint = f"，是否应为“{close[0]}”？" if close else ""
            errors.append(RowError(1, name, f"无法识别的列名“{name}”{hint}", "使用模板中的列名"))
    for column in COLUMNS:
        if column.required and column.key not in positions:
            errors.append(RowError(1, column.header, "缺少这一列", "使用模板中的列名"))
    return positions, errors


def _date(text: str) -> datetime.date:
    text = unicodedata.normalize("NFKC", text).strip()
    match = DATE.fullmatch(text)
    if not match:
        raise ValueError
    return datetime.date(int(match[1]), int(match[2]), int(match[3]))


def _coordinate(text: str, limit: int) -> Decimal:
    value = Decimal(unicodedata.normalize("NFKC", text).strip())
    if not value.is_finite() or not -limit <= value <= limit:
        raise ValueError
    return value.quantize(Decimal("0.000001"))


@dataclass
class _Row:
    number: int
    merchant: dict
    offer: dict


class _Judge:
    def __init__(self):
        self.categories = {c.name: c for c in MerchantCategory.objects.all()}
        self.categories.update({c.code: c for c in self.categories.values()})
        self.streets = {s.name: s for s in Street.objects.active()}
        self.today = timezone.localdate()

    def row(self, number: int, cells: dict[str, str]) -> tuple[_Row | None, list[RowError]]:
        errors: list[RowError] = []
        values: dict = {}

        def fail(column: Column, problem: str, expected: str = ""):
            errors.append(RowError(number, column.header, problem, expected or column.expected))

        for column in COLUMNS:
            raw = cells.get(column.key, "")
            if raw.startswith("="):
                fail(column, "单元格是公式，导入只读取文字", "直接填写内容，不用公式")
                continue
            text = clean_typed_text(raw, multiline=column.key == "description")
            if not text:
                if column.required:
                    fail(column, "必须填写")
                values[column.key] = None if column.key in ("latitude", "longitude") else ""
                continue
            if column.max_length and len(text) > column.max_length:
                fail(column, f"超过 {column.max_length} 个字")
                continue
            try:
                values[column.key] = self.value(column, text)
            except ValueError as error:
                fail(column, str(error) or f"“{text}”无效")
            except ValidationError as error:
                fail(column, error.messages[0])
        for key in ("verified_at", "valid_from", "valid_until"):
            values.setdefault(key, None)
            if values[key] == "":
                values[key] = None
        if (values.get("latitude") is None) != (values.get("longitude") is None) and not errors:
            fail(HEADERS["经度"], "经度和纬度须同时填写或同时留空")
        if values.get("verified_at") and values["verified_at"] > self.today:
            fail(HEADERS["最近核验日期"], "核验日期不能晚于今天")
        start, end = values.get("valid_from"), values.get("valid_until")
        if start and end and start > end:
            fail(HEADERS["有效期止"], "有效期止早于有效期起")
        if errors:
            return None, errors
        offer = {key: values[key] for key in ("valid_from", "valid_until", "how_to_claim")}
        offer["title"] = values["offer"]
        offer.update({b.field: b.key in values["beneficiaries"] for b in rules.BENEFICIARIES})
        return _Row(number, {key: values[key] for key in MERCHANT_KEYS}, offer), []

    def value(self, column: Column, text: str):
        key = column.key
        if key == "category":
            if text not in self.categories:
                names = "、".join(c.name for c in dict.fromkeys(self.categories.values()))
                raise ValueError(f"类别“{text}”不在类别表中（可选：{names}）")
            return self.categories[text]
        if key == "street":
            if text not in self.streets:
                raise ValueError(f"“{text}”不在街道（镇）名单中（可选：{'、'.join(self.streets)}）")
            return self.streets[text]
        if key == "phone":
            return normalise_phone(text)
        if key == "credit_code":
            code = normalise_credit_code(text)
            validate_credit_code(code)
            return code
        if key in ("latitude", "longitude"):
            try:
                return _coordinate(text, 90 if key == "latitude" else 180)
            except (InvalidOperation, ValueError):
                raise ValueError(f"“{text}”不是有效的{column.header}") from None
        if key in ("verified_at", "valid_from", "valid_until"):
            try:
                return _date(text)
            except ValueError:
                raise ValueError(f"“{text}”不是有效的日期（{DATE_EXPECTED}）") from None
        if key == "beneficiaries":
            chosen = set()
            for word in filter(None, BENEFICIARY_SEPARATORS.split(text)):
                found = rules.BENEFICIARY_ALIASES.get(word) or next(
                    (b.key for b in rules.BENEFICIARIES if b.label == word), None
                )
                if found is None:
                    raise ValueError(f"无法识别的优待对象“{word}”")
                chosen.add(found)
            return chosen
        return text


def _group_key(merchant: dict) -> tuple:
    if merchant["credit_code"]:
        return ("code", merchant["credit_code"])
    return ("place", merchant["name"], merchant["address"])


@dataclass
class Judged:
    groups: dict[tuple, list[_Row]]  # the merchants without a bad row, keyed as _group_key
    errors: list[RowError]
    rows: int
    bad_merchants: int


def judge_rows(rows: list[list[str]]) -> Judged:
    positions, errors = _header_errors(rows[0])
    if errors:
        return Judged({}, errors, len(rows) - 1, 0)
    judge = _Judge()
    groups: dict[tuple, list[_Row]] = {}
    bad_groups: set[tuple] = set()
    for number, cells in enumerate(rows[1:], start=2):
        values = {key: cells[p] if p < len(cells) else "" for key, p in positions.items()}
        row, row_errors = judge.row(number, values)
        if row is None:
            errors.extend(row_errors)
            # The merchant the bad row belongs to, keyed as its good rows are.
            code = normalise_credit_code(values.get("credit_code", ""))
            name = clean_typed_text(values.get("name", ""))
            address = clean_typed_text(values.get("address", ""))
            bad_groups.add(("code", code) if code else ("place", name, address))
            continue
        key = _group_key(row.merchant)
        group = groups.setdefault(key, [])
        if group:
            first = group[0]
            for name in MERCHANT_KEYS:
                if row.merchant[name] != first.merchant[name]:
                    header = next(c.header for c in COLUMNS if c.key == name)
                    errors.append(
                        RowError(
                            number,
                            header,
                            f"与第{first.number}行同一商户的{header}不一致",
                            "同一商户各行填写相同",
                        )
                    )
                    break
            for other in group:
                if other.offer["title"] == row.offer["title"]:
                    errors.append(
                        RowError(
                            number, "优待内容", f"与第{other.number}行重复", "每条优待只写一行"
                        )
                    )
                    break
        group.append(row)
    bad_rows = {error.row for error in errors}
    for key, group in groups.items():
        if any(row.number in bad_rows for row in group):
            bad_groups.add(key)
    clean = {key: group for key, group in groups.items() if key not in bad_groups}
    return Judged(clean, errors, len(rows) - 1, len(bad_groups))


# --- Applying -----------------------------------------------------------------------------


def _snapshot(merchant: Merchant, offers) -> tuple:
    fields = tuple(
        getattr(merchant, f"{name}_id" if name in ("category", "street") else name)
        for name in MERCHANT_KEYS
    )
    return fields, tuple(
        (o.title, o.how_to_claim, o.valid_from, o.valid_until)
        + tuple(getattr(o, b.field) for b in rules.BENEFICIARIES)
        for o in offers
    )


def _wanted(group: list[_Row]) -> tuple[dict, list[dict]]:
    return group[0].merchant, [row.offer for row in group]


def _existing(groups) -> dict[tuple, Merchant]:
    codes = [key[1] for key in groups if key[0] == "code"]
    names = [key[1] for key in groups if key[0] == "place"]
    found = {}
    for merchant in Merchant.objects.filter(credit_code__in=codes):
        found[("code", merchant.credit_code)] = merchant
    for merchant in Merchant.objects.filter(name__in=names, credit_code=""):
        found.setdefault(("place", merchant.name, merchant.address), merchant)
    return found


def _latest(merchant: Merchant) -> Merchant:
    return merchant.get_latest_revision_as_object()


def _unchanged(group: list[_Row], current: Merchant) -> bool:
    """Whether the rows say what the merchant, as editors last saved it, already says."""
    fields, offers = _wanted(group)
    wanted = _snapshot(Merchant(**fields), [Offer(**offer) for offer in offers])
    return _snapshot(current, current.offers.all()) == wanted


def _apply_group(group, merchant: Merchant | None, *, user, publish: bool) -> str:
    fields, offers = _wanted(group)
    target = _latest(merchant) if merchant is not None else Merchant(live=False)
    if merchant is not None and _unchanged(group, target):
        return "unchanged"
    for name, value in fields.items():
        setattr(target, name, value)
    kept = {offer.title: offer for offer in target.offers.all()}
    children = []
    for order, values in enumerate(offers):
        offer = kept.get(values["title"]) or Offer()
        for name, value in values.items():
            setattr(offer, name, value)
        offer.sort_order = order
        children.append(offer)
    target.offers = children
    # Every value was checked above, and a file's merchants are distinct by credit code and
    # matched to existing ones by it: the unique and check constraints are left to the
    # database, which saves a query each (a tenth of the import's time).
    target.full_clean(validate_unique=False, validate_constraints=False)
    if merchant is None:
        target.save()
    revision = target.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return "created" if merchant is None else "updated"


def merchants_import(
    *,
    content: bytes,
    filename: str,
    dry_run: bool,
    valid_rows_only: bool = False,
    publish: bool = False,
    user=None,
) -> ImportReport:
    """Reads, judges and (unless dry_run) applies a spreadsheet; ImportFileError if the file
    cannot be read. `publish` is for the demo loader: clerks' imports wait for approval."""
    judged = judge_rows(read_rows(content=content, filename=filename))
    groups, errors = judged.groups, judged.errors
    report = ImportReport(rows=judged.rows, errors=errors, skipped=judged.bad_merchants)
    header_broken = any(error.row == 1 for error in errors)
    if header_broken or (errors and not valid_rows_only):
        return report
    existing = _existing(groups)
    if dry_run:
        for key, group in groups.items():
            merchant = existing.get(key)
            if merchant is None:
                report.created += 1
            elif _unchanged(group, _latest(merchant)):
                report.unchanged += 1
            else:
                report.updated += 1
        return report
    with transaction.atomic():
        for key, group in groups.items():
            outcome = _apply_group(group, existing.get(key), user=user, publish=publish)
            setattr(report, outcome, getattr(report, outcome) + 1)
    report.applied = True
    return report


def report_lines(report: ImportReport) -> list[str]:
    """The report as a clerk reads it: row, column, what is wrong, what was expected."""
    lines = [f"共 {report.rows} 行数据，{report.bad_rows} 行有误。"]
    for error in report.errors:
        expected = f"（应为：{error.expected}）" if error.expected else ""
        lines.append(f"第{error.row}行 〔{error.column}〕 {error.problem}{expected}")
    if report.skipped:
        lines.append(f"有误的 {report.skipped} 家商户未导入。")
    verb = "已" if report.applied else "将"
    lines.append(
        f"{verb}新增 {report.created} 家，{verb}更新 {report.updated} 家，"
        f"{report.unchanged} 家没有变化。"
    )
    return lines


# --- Writing a file -----------------------------------------------------------------------


def _merchant_cells(merchant: Merchant) -> list[str]:
    return [
        merchant.name,
        merchant.category.name,
        merchant.street.name,
        merchant.address,
        merchant.phone,
        merchant.opening_hours,
        _cell_text(merchant.latitude),
        _cell_text(merchant.longitude),
        merchant.description,
        merchant.credit_code,
        _cell_text(merchant.verified_at),
        merchant.verified_by,
    ]


def _offer_cells(offer: Offer) -> list[str]:
    return [
        offer.title,
        # 三属 rather than the long name: what the offices write, and read back as an alias.
        "、".join(b.label if b.key != "survivors" else "三属" for b in offer.beneficiaries),
        offer.how_to_claim,
        _cell_text(offer.valid_from),
        _cell_text(offer.valid_until),
    ]


def export_rows() -> list[list[str]]:
    """Every merchant as editors last saved it (drafts included), one row per offer."""
    merchants = Merchant.objects.order_by("name", "pk")
    revisions = Revision.objects.filter(
        pk__in=merchants.filter(has_unpublished_changes=True).values("latest_revision")
    )
    drafts = {int(r.object_id): r.as_object() for r in revisions}
    categories = {c.pk: c for c in MerchantCategory.objects.all()}
    streets = {s.pk: s for s in Street.objects.all()}
    rows = [[column.header for column in COLUMNS]]
    for merchant in merchants.prefetch_related("offers"):
        merchant = drafts.get(merchant.pk, merchant)
        merchant.category = categories[merchant.category_id]
        merchant.street = streets[merchant.street_id]
        for offer in merchant.offers.all():
            rows.append(
                [export_cell(cell) for cell in _merchant_cells(merchant) + _offer_cells(offer)]
            )
    return rows


def write_file(rows: list[list[str]], *, file_format: str) -> bytes:
    if file_format == "csv":
        text = io.StringIO(newline="")
        csv.writer(text).writerows(rows)
        return text.getvalue().encode("utf-8-sig")  # the BOM makes Excel read it as UTF-8
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("优待商户")
    for row in rows:
        sheet.append(row)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "填写要求"])
    for column in COLUMNS:
        notes.append([column.header, "必填" if column.required else "选填", column.expected])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def template_rows() -> list[list[str]]:
    return [[column.header for column in COLUMNS]]

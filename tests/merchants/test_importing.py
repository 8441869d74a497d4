"""The offices' spreadsheets: good files, bad rows in both modes, bad files, re-import and
the export round trip."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from merchants.importing import ImportFileError, export_rows, merchants_import, write_file
from merchants.models import Merchant
from merchants.selectors import public_merchants

HEADER = "商户名称,类别,街道（镇）,地址,电话,营业时间,纬度,经度,简介,统一社会信用代码,最近核验日期,核验人,优待内容,优待对象,领取方式,有效期起,有效期止"
# A valid code (GB 32100-2015 check character 6) of a sample, not of a real business.
CODE = "91500106MA5U4K8L16"
GOOD = [
    f"示例茶馆,餐饮,磁器口街道,磁器口正街1号,023-65123456,每日 9:00—21:00,29.5826,106.4495,示例,{CODE},2026-05-01,张三（示例）,茶水九折,现役军人、退役军人,出示优待证,2026-01-01,2099-12-31",
    f"示例茶馆,餐饮,磁器口街道,磁器口正街1号,023-65123456,每日 9:00—21:00,29.5826,106.4495,示例,{CODE},2026-05-01,张三（示例）,军属免茶位费,军属,说明身份,,",
    "示例药房,医疗健康,小龙坎街道,小龙坎正街2号,13812345678,,,,,,,,测血压免费,三属、优待证持有人,出示优待证,,",
]


def csv_bytes(*rows, header=HEADER, encoding="utf-8"):
    return "\n".join([header, *rows]).encode(encoding)


def run(content, filename="商户.csv", **options):
    options.setdefault("dry_run", False)
    return merchants_import(content=content, filename=filename, **options)


def test_a_good_file_makes_drafts_grouped_by_merchant(db):
    report = run(csv_bytes(*GOOD))
    assert (report.rows, report.errors, report.created, report.applied) == (3, [], 2, True)
    tea = Merchant.objects.get(credit_code=CODE)
    draft = tea.get_latest_revision_as_object()
    assert [offer.title for offer in draft.offers.all()] == ["茶水九折", "军属免茶位费"]
    assert tea.live is False and not public_merchants().exists()  # waits for approval
    tea.latest_revision.publish()
    assert public_merchants().filter(pk=tea.pk).exists()


def test_a_dry_run_reports_and_writes_nothing(db):
    report = run(csv_bytes(*GOOD), dry_run=True)
    assert report.created == 2 and not report.applied
    assert not Merchant.objects.exists()


def test_a_bad_row_applies_nothing_and_says_where_and_what(db):
    bad = GOOD[2].replace("13812345678", "12345").replace("小龙坎街道", "火星街道")
    report = run(csv_bytes(GOOD[0], bad))
    assert not report.applied and not Merchant.objects.exists()
    problems = {(e.row, e.column): e for e in report.errors}
    assert problems[(3, "电话")].problem.startswith("电话号码无效")
    assert "手机号" in problems[(3, "电话")].expected
    assert "不在街道（镇）名单中" in problems[(3, "街道（镇）")].problem


def test_valid_rows_only_imports_the_merchants_without_a_bad_row(db):
    bad = GOOD[2].replace("三属", "外星人")
    report = run(csv_bytes(*GOOD[:2], bad), valid_rows_only=True)
    assert report.applied and report.created == 1 and report.skipped == 1
    assert list(Merchant.objects.values_list("name", flat=True)) == ["示例茶馆"]
    assert report.errors[0].problem == "无法识别的优待对象“外星人”"


def test_a_bad_row_leaves_its_whole_merchant_out_so_no_offer_is_lost(db):
    run(csv_bytes(*GOOD))
    bad = GOOD[1].replace("军属,说明身份", "火星人,说明身份")
    report = run(csv_bytes(GOOD[0], bad), valid_rows_only=True)
    assert report.skipped == 1 and (report.created, report.updated) == (0, 0)
    tea = Merchant.objects.get(credit_code=CODE).get_latest_revision_as_object()
    assert [offer.title for offer in tea.offers.all()] == ["茶水九折", "军属免茶位费"]


def test_re_importing_changes_nothing_and_an_edit_updates(db):
    run(csv_bytes(*GOOD))
    again = run(csv_bytes(*GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    edited = run(csv_bytes(GOOD[0].replace("茶水九折", "茶水八折"), *GOOD[1:]))
    assert (edited.created, edited.updated, edited.unchanged) == (0, 1, 1)
    assert Merchant.objects.count() == 2
    tea = Merchant.objects.get(credit_code=CODE).get_latest_revision_as_object()
    assert [offer.title for offer in tea.offers.all()] == ["茶水八折", "军属免茶位费"]


def test_gbk_and_gb18030_csv_as_excel_writes_it(db):
    assert run(csv_bytes(*GOOD, encoding="gbk"), dry_run=True).created == 2
    assert run(csv_bytes(*GOOD, encoding="gb18030"), dry_run=True).created == 2


def test_full_width_digits_and_dates_typed_as_text_are_understood(db):
    row = (
        GOOD[2]
        .replace("13812345678", "１３８ １２３４ ５６７８")
        .replace(",,,,,,,,测", ",,,,,,2024.5.1,,测")
        + "2024年5月1日,2099/12/31"
    )
    row = row.replace(",,2024年", ",2024年").replace("出示优待证,", "出示优待证,", 1)
    report = run(csv_bytes(row.rsplit(",", 2)[0] + ",2024年5月1日,２０９９/12/31"))
    assert report.errors == [] and report.applied
    pharmacy = Merchant.objects.get().get_latest_revision_as_object()
    offer = pharmacy.offers.first()
    assert pharmacy.phone == "13812345678" and pharmacy.verified_at == datetime.date(2024, 5, 1)
    assert (offer.valid_from, offer.valid_until) == (
        datetime.date(2024, 5, 1),
        datetime.date(2099, 12, 31),
    )


@pytest.mark.parametrize(
    ("cell", "problem"),
    [("2024.13.1", "不是有效的日期"), ("明年五月", "不是有效的日期")],
)
def test_dates_that_are_no_dates_are_refused(db, cell, problem):
    report = run(csv_bytes(GOOD[2].rsplit(",", 2)[0] + f",{cell},"))
    assert problem in report.errors[0].problem and "2026-05-01" in report.errors[0].problem


def test_duplicate_rows_and_conflicting_merchant_details(db):
    report = run(csv_bytes(GOOD[0], GOOD[0], GOOD[1].replace("023-65123456", "023-65123457")))
    assert [(e.row, e.problem) for e in report.errors] == [
        (3, "与第2行重复"),
        (4, "与第2行同一商户的电话不一致"),
    ]


def test_missing_and_misspelt_headers_name_the_column(db):
    header = HEADER.replace("电话", "电活").replace(",优待对象", "")
    report = run(csv_bytes(header=header))
    problems = [e.problem for e in report.errors]
    assert "无法识别的列名“电活”，是否应为“电话”？" in problems
    assert problems.count("缺少这一列") == 2  # 电话 and 优待对象
    assert not report.applied


def test_formulas_are_refused(db):
    report = run(csv_bytes(GOOD[2].replace("测血压免费", '=HYPERLINK("http://x")')))
    assert report.errors[0].problem == "单元格是公式，导入只读取文字"


def _xlsx(rows, merge=False, formula=None):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells("A2:A3")
    if formula:
        sheet["M2"] = formula
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _table():
    return [HEADER.split(","), *(list(csv.reader([row]))[0] for row in GOOD)]


def test_xlsx_imports_like_csv_and_refuses_merged_cells_and_formulas(db):
    assert run(_xlsx(_table()), filename="商户.xlsx", dry_run=True).created == 2
    with pytest.raises(ImportFileError, match="合并单元格"):
        run(_xlsx(_table(), merge=True), filename="商户.xlsx")
    report = run(_xlsx(_table(), formula="=1+1"), filename="商户.xlsx")
    assert report.errors[0].problem == "单元格是公式，导入只读取文字"


def _zip_bomb() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1 << 20)
            for _ in range(300):  # 300 MB of spaces, a few hundred KB compressed
                sheet.write(block)
    return output.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "商户.csv", "文件是空的"),
        (b"%PDF-1.7 ...", "商户.pdf", "只能导入 .csv 或 .xlsx 文件"),
        (b"\xd0\xcf\x11\xe0 old excel", "商户.xls", "不支持旧版 Excel"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "商户.csv", "文件内容不是文本"),
        (b"not a zip at all", "商户.xlsx", "内容不是 Excel 工作簿"),
        (b"PK\x03\x04broken", "商户.xlsx", "Excel 文件已损坏"),
        (b"x" * (10 * 1024 * 1024 + 1), "商户.csv", "文件超过 10 MB"),
    ],
)
def test_bad_files_get_a_clear_message_and_change_nothing(db, content, filename, message):
    with pytest.raises(ImportFileError, match=message):
        run(content, filename=filename)
    assert not Merchant.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_expanded(db):
    with pytest.raises(ImportFileError, match="解压后过大"):
        run(_zip_bomb(), filename="商户.xlsx")


def test_more_than_20000_rows_is_refused(db):
    with pytest.raises(ImportFileError, match="超过 20,000 行"):
        run(csv_bytes(*([GOOD[2]] * 20_001)))


def test_export_round_trips_in_both_formats(db):
    run(csv_bytes(*GOOD))
    rows = export_rows()
    assert rows[0] == HEADER.split(",") and len(rows) == 4
    for file_format in ("csv", "xlsx"):
        content = write_file(rows, file_format=file_format)
        report = run(content, filename=f"导出.{file_format}")
        assert (report.errors, report.created, report.updated, report.unchanged) == ([], 0, 0, 2)


def test_the_command_reports_in_chinese_and_fails_on_a_bad_file(db, tmp_path):
    good = tmp_path / "商户.csv"
    good.write_bytes(csv_bytes(*GOOD))
    out = io.StringIO()
    call_command("import_merchants", str(good), "--dry-run", stdout=out)
    assert "共 3 行数据，0 行有误。" in out.getvalue() and "将新增 2 家" in out.getvalue()
    bad = tmp_path / "有误.csv"
    bad.write_bytes(csv_bytes(GOOD[2].replace("13812345678", "1")))
    out = io.StringIO()
    with pytest.raises(CommandError, match="没有导入任何内容"):
        call_command("import_merchants", str(bad), stdout=out)
    assert "第2行 〔电话〕 电话号码无效" in out.getvalue()
    call_command("import_merchants", str(good), stdout=io.StringIO())
    assert Merchant.objects.count() == 2


def test_the_demo_spreadsheet_imports_cleanly_with_samples_only(db):
    from pathlib import Path

    demo = Path(__file__).resolve().parents[2] / "demo" / "merchants.csv"
    report = run(demo.read_bytes(), filename=demo.name, publish=True)
    assert report.errors == [] and report.created >= 60
    names = list(Merchant.objects.values_list("name", flat=True))
    assert all("示例" in name for name in names)
    assert Merchant.objects.values("category").distinct().count() == 10
    assert 0 < public_merchants().count() < len(names)  # some offers ended or not begun
